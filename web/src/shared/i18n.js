// SPDX-License-Identifier: Apache-2.0
// web/src/shared/i18n.js -- Simplified Chinese first, English second, for all
// three apps. Each app starts with the shared strings (messages/common.js) and
// adds its own area with useMessages() before mounting, so no app downloads
// another's strings; scripts/check-messages.mjs merges every area (each says
// which folders load it: loadedBy) for the catalogue check. The
// choice is remembered on the device and sets <html lang> so screen readers
// pronounce the page right.
import { createI18n } from 'vue-i18n';
import common from './messages/common.js';
import { setApiLanguage } from './api.js';

const KEY = 'xz_lang';
export const LANGUAGES = ['zh-CN', 'en'];

function saved() {
  const v = localStorage.getItem(KEY);
  return LANGUAGES.includes(v) ? v : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: saved(),
  fallbackLocale: 'zh-CN',
  messages: structuredClone(common),
  missingWarn: true,
  fallbackWarn: true,
});

// Add an area's strings ({ 'zh-CN': {...}, en: {...} }) to the catalogue.
export function useMessages(...areas) {
  for (const area of areas)
    for (const [lang, strings] of Object.entries(area)) i18n.global.mergeLocaleMessage(lang, strings);
}

export function setLanguage(lang) {
  i18n.global.locale.value = lang;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  setApiLanguage(lang);
}

setLanguage(saved());
