// SPDX-License-Identifier: Apache-2.0
// web/src/app/points/routes.js -- the points module's pages in the phone app,
// collected by router.js (and its links by HomePage.vue) from every module
// folder's routes.js: each on the Home tab at /points/PATH, named
// points-NAME, with the permission it needs and whether it needs the caller's
// own household. The pages load when first opened; the links are part of the
// first page.
export { default as links } from './PointsLinks.vue';
import { useMessages } from '../../shared/i18n.js';
import start from '../../shared/messages/pointsStart.js';

// Points' names in the menu and on the home page, there before any points page.
useMessages(start);

const OWN = { perm: 'points.claim', household: true };

// A points page: /points/PATH, named points-NAME, on the Home tab.
function page(name, load, meta = {}, path = name) {
  const route = { path: `/points/${path}`, name: `points-${name}`, component: load, meta: { tab: 'home', up: 'home', ...meta } };
  return path.includes(':id') ? { ...route, props: (r) => ({ id: Number(r.params.id) }) } : route;
}

export const routes = [
  page('mine', () => import('./MyPointsPage.vue'), OWN),
  page('claims', () => import('./MyClaimsPage.vue'), OWN),
  page('declare', () => import('./DeclarePage.vue'), OWN),
  page('paycode', () => import('./PaycodePage.vue'), OWN),
  page('redemptions', () => import('./MyRedemptionsPage.vue'), OWN),
  page('statement', () => import('./StatementPage.vue'), OWN),
  page('board', () => import('./VillageBoardPage.vue'), { perm: 'points.read' }),
  page('publicity', () => import('./PublicityPage.vue'), { perm: 'points.object', household: false }),
  page('review', () => import('./ReviewQueuePage.vue'), { perm: 'points.review' }),
  // meta.record: the page an alert about a claim opens (AlertsPage).
  page('review-claim', () => import('./ReviewClaimPage.vue'), { perm: 'points.review', up: 'points-review', record: 'points/claims' }, 'review/:id(\\d+)'),
  page('enter', () => import('./CadreEntryPage.vue'), { perm: 'points.review' }),
  page('cycles', () => import('./CyclesPage.vue'), { perm: 'points.manage' }),
  page('redeem', () => import('./RedeemPage.vue'), { perm: 'points.redeem' }),
];
