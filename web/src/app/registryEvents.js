// SPDX-License-Identifier: Apache-2.0
// web/src/app/registryEvents.js -- what one page tells the next after a write:
// a counter that says the registry changed (a kept-alive list reloads) and a
// one-time notice ("saved") that the page the user lands on shows.
import { ref } from 'vue';

export const registryVersion = ref(0);
let notice = '';

export function registryChanged(message) {
  registryVersion.value++;
  notice = message || '';
}

// The notice left by the last write, once.
export function takeNotice() {
  const text = notice;
  notice = '';
  return text;
}
