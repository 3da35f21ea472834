// SPDX-License-Identifier: Apache-2.0
// web/src/console/el/tree.js -- Element Plus ElTree with its CSS, imported by the
// pages that use it so that it loads with them, not with the first screen.
import 'element-plus/es/components/tree/style/css';

export { ElTree } from 'element-plus';
