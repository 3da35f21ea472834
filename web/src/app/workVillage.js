// SPDX-License-Identifier: Apache-2.0
// web/src/app/workVillage.js -- the village the Village tab works on: a village
// cadre's own; township and county staff pick one, remembered for the browser
// session (and forgotten at logout).
import { computed, ref } from 'vue';
import { workScope } from './caller.js';

const KEY = 'xz_village';
const picked = ref(sessionStorage.getItem(KEY) || '');

// A 12-digit region code of level 5: its last three digits are not 000.
export function isVillageCode(code) {
  return /^\d{9}(?!000)\d{3}$/.test(code || '');
}

// The digits a scope's codes share: 410183100000 -> 410183100.
function scopePrefix(code) {
  return code.replace(/(000)+$/, '');
}

export const villageIsFixed = computed(() => isVillageCode(workScope.value));

export const villageCode = computed(() => {
  if (villageIsFixed.value) return workScope.value;
  const ok = workScope.value && isVillageCode(picked.value) && picked.value.startsWith(scopePrefix(workScope.value));
  return ok ? picked.value : '';
});

export function pickVillage(code) {
  picked.value = code;
  sessionStorage.setItem(KEY, code);
}

export function forgetVillage() {
  picked.value = '';
  sessionStorage.removeItem(KEY);
}
