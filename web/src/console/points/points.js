// SPDX-License-Identifier: Apache-2.0
// web/src/console/points/points.js -- what the points pages (积分管理) share:
// their strings, added to the catalogue when the first of them is opened (so
// the console's first page does not carry them); the six categories of a
// scheme in their order; the village or region a page works on, kept in the
// address (?region=CODE) so that a link, a reload or the back button keeps
// it; and the numbers the pages show.
import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useMessages } from '../../shared/i18n.js';
import pointsConsoleMessages from '../../shared/messages/pointsConsole.js';

useMessages(pointsConsoleMessages);

export const CATEGORIES = ['xiao', 'shan', 'xin', 'qin', 'jian', 'mei'];
export const CLAIM_STATES = ['submitted', 'reviewed', 'approved', 'publicised', 'objected', 'final', 'rejected'];
export const OUTLET_KINDS = ['store', 'service', 'merchant', 'bank'];

export function isVillage(code) {
  return /^\d{12}$/.test(code || '') && code.slice(9) !== '000';
}

// The region in the address (?region=), and a setter that replaces it there.
export function useRegionQuery() {
  const route = useRoute();
  const router = useRouter();
  const region = computed({
    get: () => String(route.query.region || ''),
    set: (code) => {
      if (code === String(route.query.region || '')) return;
      router.replace({ query: { ...route.query, region: code || undefined } });
    },
  });
  return region;
}

// A whole number typed into a field ('12', ' -5 '), or NaN.
export function wholeNumber(text) {
  const s = String(text ?? '').trim();
  return /^-?\d{1,9}$/.test(s) ? Number(s) : NaN;
}

// Fen (the API's money unit) as yuan with two decimals.
export function yuan(fen) {
  return ((Number(fen) || 0) / 100).toFixed(2);
}

const STATE_TAGS = {
  submitted: 'warning', reviewed: 'warning', approved: 'primary', publicised: 'primary',
  objected: 'danger', final: 'success', rejected: 'info',
};

export function stateTag(state) {
  return STATE_TAGS[state] || 'info';
}
