// SPDX-License-Identifier: Apache-2.0
// web/src/portal/main.js -- the public portal (no login), at /.
import { createApp } from 'vue';
import { i18n } from '../shared/i18n.js';
import '../shared/base.css';
import Portal from './Portal.vue';

createApp(Portal).use(i18n).mount('#portal');
