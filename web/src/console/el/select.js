// SPDX-License-Identifier: Apache-2.0
// web/src/console/el/select.js -- Element Plus ElSelect, ElOption with its CSS, imported by the
// pages that use it so that it loads with them, not with the first screen.
import 'element-plus/es/components/select/style/css';
import 'element-plus/es/components/option/style/css';

export { ElSelect, ElOption } from 'element-plus';
