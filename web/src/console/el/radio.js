// SPDX-License-Identifier: Apache-2.0
// web/src/console/el/radio.js -- Element Plus ElRadio, ElRadioGroup with its CSS, imported by the
// pages that use it so that it loads with them, not with the first screen.
import 'element-plus/es/components/radio/style/css';
import 'element-plus/es/components/radio-group/style/css';

export { ElRadio, ElRadioGroup } from 'element-plus';
