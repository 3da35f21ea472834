// SPDX-License-Identifier: Apache-2.0
// web/src/shared/format.js -- dates the Chinese way (1955年1月1日) or the
// English way (1 Jan 1955), following the page's language.
import { i18n } from './i18n.js';

export function formatDate(isoDay) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay || '');
  if (!m) return isoDay || '';
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  const locale = i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN';
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}
