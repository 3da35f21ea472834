// SPDX-License-Identifier: Apache-2.0
// web/src/app/router.js -- the phone app's pages under /app/: the three tabs
// (Home, Village, Me), the household pages behind Village, and every module's
// pages behind Home, which each module folder declares in its routes.js
// (points/routes.js), loaded when first opened, not with the first page. Each
// route says which tab it belongs to, the permission it needs (else: Home),
// whether it needs the caller's own household, and the page the back button
// leads to; the phone's own back button walks the history.
import { createRouter, createWebHistory } from 'vue-router';
import { loadCaller, may, me, ownHouseholdId } from './caller.js';
import HomePage from './HomePage.vue';
import MePage from './MePage.vue';
import VillagePage from './VillagePage.vue';
import NewHouseholdPage from './NewHouseholdPage.vue';
import HouseholdPage from './HouseholdPage.vue';
import EditHouseholdPage from './EditHouseholdPage.vue';
import AddMemberPage from './AddMemberPage.vue';
import EditMemberPage from './EditMemberPage.vue';

const WRITE = 'household.write';
const ids = (route) => ({ id: Number(route.params.id), personId: Number(route.params.personId || 0) });
const modules = import.meta.glob('./*/routes.js', { eager: true, import: 'routes' });

export const router = createRouter({
  history: createWebHistory('/app/'),
  routes: [
    { path: '/', name: 'home', component: HomePage, meta: { tab: 'home' } },
    { path: '/me', name: 'me', component: MePage, meta: { tab: 'me' } },
    { path: '/alerts', name: 'alerts', component: () => import('./AlertsPage.vue'), meta: { tab: 'home', up: 'home' } },
    {
      path: '/print/:module/:kind/:id(\\d+)',
      name: 'print',
      component: () => import('../shared/print/PrintDocument.vue'),
      props: true,
      meta: { tab: 'home', up: 'home' },
    },
    { path: '/village', name: 'village', component: VillagePage, meta: { tab: 'village', perm: WRITE } },
    {
      path: '/village/new',
      name: 'household-new',
      component: NewHouseholdPage,
      meta: { tab: 'village', perm: WRITE, up: 'village' },
    },
    {
      path: '/households/:id(\\d+)',
      name: 'household',
      component: HouseholdPage,
      props: ids,
      meta: { tab: 'village', perm: WRITE, up: 'village' },
    },
    {
      path: '/households/:id(\\d+)/edit',
      name: 'household-edit',
      component: EditHouseholdPage,
      props: ids,
      meta: { tab: 'village', perm: WRITE, up: 'household' },
    },
    {
      path: '/households/:id(\\d+)/members/new',
      name: 'member-new',
      component: AddMemberPage,
      props: ids,
      meta: { tab: 'village', perm: WRITE, up: 'household' },
    },
    {
      path: '/households/:id(\\d+)/members/:personId(\\d+)/edit',
      name: 'member-edit',
      component: EditMemberPage,
      props: ids,
      meta: { tab: 'village', perm: WRITE, up: 'household' },
    },
    ...Object.values(modules).flat(),
    { path: '/:rest(.*)*', redirect: '/' },
  ],
  scrollBehavior: (to, from, saved) => saved || { top: 0 },
});

// May the caller open 'route'? Before login every route may be asked for: the
// login form shows instead, and PhoneApp asks again afterwards. 'household':
// true for the caller's own household's pages (a villager), false for pages a
// villager has other ways to (the supervisor's view of the board's claims).
export function allowed(route) {
  if (!me.value) return true;
  if (route.meta.perm && !may(route.meta.perm)) return false;
  if (route.meta.household === true && !ownHouseholdId.value) return false;
  if (route.meta.household === false && ownHouseholdId.value) return false;
  return true;
}

router.beforeEach(async (to) => {
  await loadCaller();
  return allowed(to) ? true : { name: 'home' };
});

// Leave a form for 'location': back in the history when that is where the user
// came from (so the back button does not return to the form), else replace.
export function leaveTo(location) {
  const target = router.resolve(location).fullPath;
  if (window.history.state?.back === target) router.back();
  else router.replace(target);
}
