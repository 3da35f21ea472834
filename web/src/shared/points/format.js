// SPDX-License-Identifier: Apache-2.0
// web/src/shared/points/format.js -- how the points pages of the phone app and
// the portal write what the API gives: times (ms since the epoch) in Beijing
// time, money (fen) as yuan, points with their sign, days as format.js does.
import { i18n } from '../i18n.js';

function locale() {
  return i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN';
}

// 1795797303218 -> 2026年11月27日 16:35 (Beijing time, the county's clock).
export function formatTime(ms) {
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(
    new Date(ms),
  );
}

// 1250 -> "12.50"
export function formatYuan(fen) {
  const n = Number(fen) || 0;
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

// "36.5" -> 3650; null when it is not an amount of money (at most 2 decimals).
export function parseYuan(text) {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text || '');
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

// 5 -> "+5", -10 -> "-10", 0 -> "0".
export function signed(n) {
  return n > 0 ? `+${n}` : String(n);
}

// A 12-digit region code of level 5 (a village): the last three digits are not 000.
export function isVillageCode(code) {
  return /^\d{9}(?!000)\d{3}$/.test(code || '');
}
