// SPDX-License-Identifier: Apache-2.0
// web/src/console/el/dialog.js -- Element Plus ElDialog with its CSS, imported by the
// pages that use it so that it loads with them, not with the first screen.
import 'element-plus/es/components/dialog/style/css';

export { ElDialog } from 'element-plus';
