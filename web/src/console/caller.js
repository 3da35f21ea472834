// SPDX-License-Identifier: Apache-2.0
// web/src/console/caller.js -- the logged-in caller, one for the whole console:
// the header, the menu and every page read the same session, and a page asks
// can('household.write') rather than guessing from role names. The server
// still checks every call; this only decides what to offer.
import { useSession } from '../shared/session.js';

const session = useSession();

function can(permission) {
  return !!session.me.value?.permissions?.includes(permission);
}

// The county the console falls back to when the caller has no scope at all.
export const COUNTY = '410183000000';

// Digits of a region code that name the region itself: county 6, township 9,
// village 12 (the rest are zeros).
export function scopePrefix(code) {
  if (code.slice(9) !== '000') return code;
  if (code.slice(6, 9) !== '000') return code.slice(0, 9);
  return code.slice(0, 6);
}

// The caller's scopes with those inside another dropped: the roots of the
// region tree.
function rootScopes() {
  const scopes = [...new Set((session.me.value?.roles || []).map((r) => r.scope).filter(Boolean))];
  const roots = scopes.filter((s) => !scopes.some((o) => o !== s && s.startsWith(scopePrefix(o))));
  return roots.length ? roots : [COUNTY];
}

export function useCaller() {
  return { ...session, can, rootScopes };
}
