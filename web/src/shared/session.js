// SPDX-License-Identifier: Apache-2.0
// web/src/shared/session.js -- the logged-in caller as reactive state, shared
// by the phone app and the console: load it, log in, log out.
import { ref } from 'vue';
import { currentSession, logIn, logOut } from './api.js';

export function useSession() {
  const me = ref(null);
  const ready = ref(false);

  async function load() {
    me.value = await currentSession();
    ready.value = true;
  }
  async function login(username, password) {
    me.value = await logIn(username, password);
  }
  async function logout() {
    await logOut();
    me.value = null;
  }
  return { me, ready, load, login, logout };
}
