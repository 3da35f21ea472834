// SPDX-License-Identifier: Apache-2.0
// web/src/shared/i18n.js -- Simplified Chinese first, English second, for all
// three apps from one catalogue (messages.js). The choice is remembered on the
// device and sets <html lang> so screen readers pronounce the page right.
import { createI18n } from 'vue-i18n';
import messages from './messages.js';
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
  messages,
  missingWarn: true,
  fallbackWarn: true,
});

export function setLanguage(lang) {
  i18n.global.locale.value = lang;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  setApiLanguage(lang);
}

setLanguage(saved());
