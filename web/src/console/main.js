// SPDX-License-Identifier: Apache-2.0
// web/src/console/main.js -- the desk console (township and county staff), at
// /console/: its router and the Element Plus components of the first screen
// (log-in, menu, overview), each imported on its own with its CSS; the pages
// import the rest (./el/) and load when first opened.
import { createApp } from 'vue';
import {
  ElAlert, ElButton, ElCard, ElConfigProvider, ElForm, ElFormItem, ElInput, ElMenu, ElMenuItem, ElTag,
} from 'element-plus';
import 'element-plus/es/components/alert/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/config-provider/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/menu/style/css';
import 'element-plus/es/components/menu-item/style/css';
import 'element-plus/es/components/tag/style/css';
import { i18n, useMessages } from '../shared/i18n.js';
import consoleMessages from '../shared/messages/console.js';
import personsMessages from '../shared/messages/persons.js';
import workflowMessages from '../shared/messages/workflow.js';
import printMessages from '../shared/messages/print.js';
import '../shared/base.css';
import './console.css';
import { router } from './router.js';
import ConsoleApp from './ConsoleApp.vue';

useMessages(consoleMessages, personsMessages, workflowMessages, printMessages);

const components = [ElAlert, ElButton, ElCard, ElConfigProvider, ElForm, ElFormItem, ElInput, ElMenu,
  ElMenuItem, ElTag];

const app = createApp(ConsoleApp).use(i18n).use(router);
for (const c of components) app.use(c);
app.mount('#console');
