// SPDX-License-Identifier: Apache-2.0
// tests/e2e/workflow.mjs -- browser tests of the shared workflow pieces: the
// console's route maps drawn from the server's tables (GET /api/v1/workflows),
// and the inbox of alerts in the console (a township's staff see what is late
// in their villages; marking read lowers the count in the top bar) and on the
// phone (at 360 px, in large text too). Every page checked with axe.
import { DESKTOP, PHONE, axe, login, openPage, shot } from './lib.mjs';

// The demo's current quarter leaves claims waiting: once the server's time
// limits have run (every few seconds under the tests' short windows) the
// township has late alerts. Reload until some are there.
async function waitForAlerts(page, srv, problems, path) {
  for (let i = 0; i < 40; i++) {
    const n = await page.evaluate(async () => (await (await fetch('/api/v1/alerts/unread')).json()).unread);
    if (n > 0) return n;
    await page.waitForTimeout(1000);
  }
  problems.push(`no alert arrived for ${path}`);
  return 0;
}

export default {
  async 'workflow: the console draws each workflow as a route map with its time limits'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await openPage(ctx, srv, problems);
    await login(page, srv, '/console/', 'cun1');
    await page.getByRole('menuitem', { name: '办理流程' }).click();
    await page.getByRole('heading', { name: '办理流程', level: 1 }).waitFor();
    await page.getByRole('heading', { name: '积分申报' }).waitFor();
    const svg = page.getByRole('img', { name: '积分申报的办理流程图' });
    await svg.waitFor();
    const boxes = await svg.locator('rect.box').count();
    if (boxes !== 7) problems.push(`the claims map has ${boxes} states, not 7`);
    for (const word of ['已申报', '公示中', '已生效', '评议(通过)', '公示期满'])
      if (!(await svg.innerHTML()).includes(word)) problems.push(`the map lacks ${word}`);
    if ((await svg.locator('path[stroke-dasharray]').count()) < 1) problems.push('no dashed system step');
    await page.getByText('自动“公示期满”').waitFor();
    await axe(page, 'console workflows', problems);
    await shot(page, 'console-workflows-1440');
    await ctx.close();
  },

  async 'workflow: a township\'s staff read the late claims of their villages in the console inbox'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await openPage(ctx, srv, problems);
    await login(page, srv, '/console/', 'zhen1');
    const before = await waitForAlerts(page, srv, problems, 'zhen1');
    await page.getByRole('link', { name: /提醒/ }).click();
    await page.getByRole('heading', { name: '提醒', level: 1 }).waitFor();
    const rows = page.locator('.el-table__body-wrapper tbody tr');
    await rows.first().waitFor();
    const places = await page.locator('.el-table__body-wrapper tbody tr td:nth-child(3)').allInnerTexts();
    const names = (await (await page.request.get(`${srv.base}/api/v1/regions/410183100000`)).json()).children.map((c) => c.name);
    if (places.some((p) => !names.includes(p.trim()))) problems.push(`alerts from outside the township: ${places.slice(0, 3)}`);
    await page.getByText(`${before} 条未读`).waitFor();
    await rows.first().getByRole('button', { name: '标为已读' }).click();
    await page.getByText(`${before - 1} 条未读`).waitFor();
    await axe(page, 'console alerts', problems);
    await shot(page, 'console-alerts-desktop');
    await ctx.close();
  },

  async 'workflow: a cadre reads the alerts on the phone, at 360 px and in large text'(browser, srv, problems) {
    for (const [size, large] of [[PHONE, false], [{ width: 360, height: 740 }, true]]) {
      const ctx = await browser.newContext({ viewport: size });
      const page = await openPage(ctx, srv, problems);
      await login(page, srv, '/app/', 'cun1');
      await waitForAlerts(page, srv, problems, 'cun1');
      if (large) await page.evaluate(() => document.documentElement.classList.add('xz-large'));
      await page.getByRole('link', { name: /提醒/ }).click();
      await page.getByRole('heading', { name: '提醒' }).waitFor();
      await page.locator('.alert').first().waitFor();
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > size.width) problems.push(`the alerts page is ${wide} px wide at ${size.width}`);
      await axe(page, `phone alerts ${size.width}`, problems);
      await shot(page, `phone-alerts-${size.width}${large ? '-large' : ''}`);
      if (!large) {
        // A claim's alert opens the page its module's routes.js names for claims.
        await page.locator('.alert').first().click();
        await page.waitForURL(/\/app\/points\/review\/\d+$/, { timeout: 10000 }).catch(() =>
          problems.push(`a claim's alert opened ${page.url()}`));
      }
      await ctx.close();
    }
  },
};
