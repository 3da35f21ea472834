// SPDX-License-Identifier: Apache-2.0
// web/src/shared/time.js -- a moment (milliseconds since 1970, as the API
// sends them) the Chinese way, 2026年11月27日 14:08:38, or the English way,
// 27 Nov 2026, 14:08:38, in the browser's time zone.
import { i18n } from './i18n.js';

export function formatTime(ms) {
  if (!ms) return '';
  const locale = i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN';
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(ms));
}
