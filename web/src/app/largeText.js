// SPDX-License-Identifier: Apache-2.0
// web/src/app/largeText.js -- the large-text mode (also the elderly mode):
// remembered on the phone and applied from the first page, login included.
import { ref, watch } from 'vue';

const KEY = 'xz_large';
export const largeText = ref(localStorage.getItem(KEY) === '1');

watch(
  largeText,
  (on) => {
    document.documentElement.classList.toggle('xz-large', on);
    localStorage.setItem(KEY, on ? '1' : '0');
  },
  { immediate: true },
);
