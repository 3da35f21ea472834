// SPDX-License-Identifier: Apache-2.0
// web/src/console/router.js -- the console's pages, one route each, with the
// permission a page needs (none: every logged-in caller): its own, then every
// module's, which each module folder declares in its routes.js
// (points/routes.js). The menu lists the routes the caller may use; ConsoleApp
// shows NoAccess for the others and sets the page title from the route's name
// (console.nav.NAME). Pages of a group (meta.group: a module's pages) are
// listed together under the group's name. Every page but the overview loads
// when first opened, not with the console.
import { createRouter, createWebHistory } from 'vue-router';
import ConsoleOverview from './ConsoleOverview.vue';
import NotFound from './NotFound.vue';

const modules = import.meta.glob('./*/routes.js', { eager: true, import: 'routes' });

export const pages = [
  { path: '/', name: 'overview', component: ConsoleOverview, meta: {} },
  { path: '/regions', name: 'regions', component: () => import('./ConsoleRegions.vue'), meta: {} },
  { path: '/households', name: 'households', component: () => import('./ConsoleHouseholds.vue'), meta: { permission: 'household.read' } },
  { path: '/persons', name: 'persons', component: () => import('./ConsolePersons.vue'), meta: { permission: 'household.read' } },
  { path: '/import', name: 'import', component: () => import('./ConsoleImport.vue'), meta: { permission: 'household.write' } },
  { path: '/accounts', name: 'accounts', component: () => import('./ConsoleAccounts.vue'), meta: { permission: 'user.admin' } },
  { path: '/audit', name: 'audit', component: () => import('./ConsoleAudit.vue'), meta: { permission: 'audit.read' } },
  { path: '/alerts', name: 'alerts', component: () => import('./ConsoleAlerts.vue'), meta: {} },
  { path: '/workflows', name: 'workflows', component: () => import('./ConsoleWorkflows.vue'), meta: {} },
  ...Object.values(modules).flat(),
];

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    ...pages,
    // A module's document to print (shared/print): reached from its record, not the menu.
    { path: '/print/:module/:kind/:id(\\d+)', name: 'print', component: () => import('../shared/print/PrintDocument.vue'),
      props: true, meta: {} },
    { path: '/:rest(.*)*', name: 'notFound', component: NotFound, meta: {} },
  ],
});
