// SPDX-License-Identifier: Apache-2.0
// web/src/console/roleRules.js -- what an account's role needs, as the server
// checks it (src/domain/auth/policy.c, account_check_binding in user.c): the
// level of the region its scope names, and a household for a villager. Lets
// the account form say what is wrong before asking the server.

export const ROLES = ['county_admin', 'auditor', 'township_staff', 'village_cadre', 'supervisor',
  'mediator', 'party_member', 'agent', 'merchant', 'villager'];

const COUNTY_ROLES = ['county_admin', 'auditor'];

// 'county' | 'township' | 'village' for the level a role's scope must have.
export function scopeLevelOf(role) {
  if (COUNTY_ROLES.includes(role)) return 'county';
  return role === 'township_staff' ? 'township' : 'village';
}

// The level of a 12-digit region code, '' when it is not one of these three.
export function regionLevel(code) {
  if (!/^\d{12}$/.test(code)) return '';
  if (code.slice(9) !== '000') return 'village';
  if (code.slice(6, 9) !== '000') return 'township';
  return code.slice(4, 6) !== '00' ? 'county' : '';
}

// The first problem of one role binding as a message key and its values, or null.
export function bindingProblem(b) {
  if (!ROLES.includes(b.role)) return { key: 'console.accounts.needRole' };
  const want = scopeLevelOf(b.role);
  if (regionLevel(b.scope) !== want) return { key: 'console.accounts.badScope', level: want };
  if (b.role === 'villager' && !(Number(b.household_id) > 0)) return { key: 'console.accounts.needHousehold' };
  return null;
}
