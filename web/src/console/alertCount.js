// SPDX-License-Identifier: Apache-2.0
// web/src/console/alertCount.js -- how many of the caller's alerts are unread,
// shared by the top bar's link and the inbox page; read again after each
// navigation (a cheap count), not on a timer.
import { ref } from 'vue';
import { api } from '../shared/api.js';

export const unread = ref(0);

export async function refreshUnread() {
  try {
    unread.value = (await api('GET', '/api/v1/alerts/unread')).unread;
  } catch {
    unread.value = 0;
  }
}
