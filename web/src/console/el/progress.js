// SPDX-License-Identifier: Apache-2.0
// web/src/console/el/progress.js -- Element Plus ElProgress with its CSS, imported by the
// pages that use it so that it loads with them, not with the first screen.
import 'element-plus/es/components/progress/style/css';

export { ElProgress } from 'element-plus';
