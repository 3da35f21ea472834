// SPDX-License-Identifier: Apache-2.0
// web/src/console/el/table.js -- Element Plus ElTable, ElTableColumn with its CSS, imported by the
// pages that use it so that it loads with them, not with the first screen.
import 'element-plus/es/components/table/style/css';
import 'element-plus/es/components/table-column/style/css';

export { ElTable, ElTableColumn } from 'element-plus';
