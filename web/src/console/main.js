// SPDX-License-Identifier: Apache-2.0
// web/src/console/main.js -- the desk console (township and county staff), at /console/.
import { createApp } from 'vue';
import { ElButton, ElCard, ElForm, ElFormItem, ElInput, ElTable, ElTableColumn, ElTag } from 'element-plus';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/table/style/css';
import 'element-plus/es/components/table-column/style/css';
import 'element-plus/es/components/tag/style/css';
import { i18n } from '../shared/i18n.js';
import '../shared/base.css';
import ConsoleApp from './ConsoleApp.vue';

createApp(ConsoleApp)
  .use(i18n)
  .use(ElButton)
  .use(ElCard)
  .use(ElForm)
  .use(ElFormItem)
  .use(ElInput)
  .use(ElTable)
  .use(ElTableColumn)
  .use(ElTag)
  .mount('#console');
