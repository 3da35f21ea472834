// SPDX-License-Identifier: Apache-2.0
// web/src/portal/main.js -- the public portal (no login), at / and /verify.
import { createApp } from 'vue';
import { i18n, useMessages } from '../shared/i18n.js';
import verifyMessages from '../shared/messages/verify.js';
import '../shared/base.css';
import Portal from './Portal.vue';

useMessages(verifyMessages);

createApp(Portal).use(i18n).mount('#portal');
