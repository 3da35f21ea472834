// SPDX-License-Identifier: Apache-2.0
// web/src/console/points/routes.js -- the points module's pages in the desk
// console, collected by router.js from every module folder's routes.js: each
// with the permission it needs, listed in the menu under the group 积分管理
// (meta.group; its name is console.groups.points, a page's console.nav.NAME),
// loaded when first opened.
import { useMessages } from '../../shared/i18n.js';
import start from '../../shared/messages/pointsStart.js';

// Points' names in the menu and on the home page, there before any points page.
useMessages(start);

export const routes = [
  { path: '/points/schemes', name: 'pointsSchemes', component: () => import('./PointsSchemes.vue'),
    meta: { permission: 'points.read', group: 'points' } },
  { path: '/points/claims', name: 'pointsClaims', component: () => import('./PointsClaims.vue'),
    meta: { permission: 'points.read', group: 'points' } },
  { path: '/points/outlets', name: 'pointsOutlets', component: () => import('./PointsOutlets.vue'),
    meta: { permission: 'points.outlet', group: 'points' } },
  { path: '/points/reports', name: 'pointsReports', component: () => import('./PointsReports.vue'),
    meta: { permission: 'points.read', group: 'points' } },
];
