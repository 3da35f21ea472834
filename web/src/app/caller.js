// SPDX-License-Identifier: Apache-2.0
// web/src/app/caller.js -- who is using the phone app, shared by all its pages:
// the session (loaded once), what the caller may do, their own household and the
// region they register households in.
import { computed, ref } from 'vue';
import { useSession } from '../shared/session.js';

const session = useSession();
let loading = null;

export const me = session.me;
export const ready = session.ready;
export const loadError = ref('');

// Load the session once; every later call waits for the same answer.
export function loadCaller() {
  loading ??= session.load().catch((e) => {
    loadError.value = e.message;
    ready.value = true;
  });
  return loading;
}

export const login = session.login;
export const logout = session.logout;

export function may(permission) {
  return Boolean(me.value?.permissions?.includes(permission));
}

// A villager's own household, or 0.
export const ownHouseholdId = computed(
  () => me.value?.roles.find((r) => r.role === 'villager')?.household_id || 0,
);

// Where the caller registers households: the scope of their first role that
// may (a village for a cadre, a township or the county for staff), or ''. A
// supervisor in one village who is a cadre in another works in the cadre's.
export const workScope = computed(
  () => me.value?.roles.find((r) => r.permissions?.includes('household.write'))?.scope || '',
);
