// SPDX-License-Identifier: Apache-2.0
// web/src/app/main.js -- the phone app (villagers, village cadres, merchants), at /app/.
import { createApp } from 'vue';
import { Button, Cell, CellGroup, Field, Form, NavBar, Switch, Tabbar, TabbarItem } from 'vant';
import 'vant/es/style/base.css';
import 'vant/es/button/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';
import 'vant/es/field/style/index';
import 'vant/es/form/style/index';
import 'vant/es/nav-bar/style/index';
import 'vant/es/switch/style/index';
import 'vant/es/tabbar/style/index';
import 'vant/es/tabbar-item/style/index';
import { i18n, useMessages } from '../shared/i18n.js';
import appMessages from '../shared/messages/app.js';
import workflowMessages from '../shared/messages/workflow.js';
import printMessages from '../shared/messages/print.js';
import '../shared/base.css';
import './app.css';
import { router } from './router.js';
import PhoneApp from './PhoneApp.vue';

useMessages(appMessages, workflowMessages, printMessages);

createApp(PhoneApp)
  .use(i18n)
  .use(router)
  .use(Button)
  .use(Cell)
  .use(CellGroup)
  .use(Field)
  .use(Form)
  .use(NavBar)
  .use(Switch)
  .use(Tabbar)
  .use(TabbarItem)
  .mount('#app');
