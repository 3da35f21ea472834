// SPDX-License-Identifier: Apache-2.0
// tests/e2e/app.mjs -- browser tests of the phone app (/app/).
import { PHONE, ROLE_TITLES, axe, login, openPage, shot } from './lib.mjs';

export default {
  async 'phone app: every demo role logs in and sees its roles'(browser, srv, problems) {
    for (const account of srv.accounts) {
      const ctx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      const page = await openPage(ctx, srv, problems);
      await login(page, srv, '/app/', account.username);
      const roles = [...new Set((account.roles || [account]).map((r) => r.role))];
      for (const role of roles) {
        const title = ROLE_TITLES[role];
        if (title && !(await page.getByText(title).first().isVisible()))
          problems.push(`${account.username}: role ${title} not shown`);
      }
      if (account.username === 'cunmin1') {
        await axe(page, 'app home', problems);
        await shot(page, 'app-home-phone');
      }
      await ctx.close();
    }
  },

  async 'phone app: login page at 360 px, large-text mode, log out'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    const page = await openPage(ctx, srv, problems);
    await page.goto(`${srv.base}/app/`);
    await page.locator('button[type="submit"]').waitFor();
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    if (width > 360) problems.push(`login page is ${width} px wide at 360`);
    await axe(page, 'app login', problems);
    await shot(page, 'app-login-360');
    await login(page, srv, '/app/', 'cun1');
    await page.getByRole('switch').click();
    const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    if (size !== '22px') problems.push(`large text: root font-size ${size}`);
    await page.reload();
    if (!(await page.evaluate(() => document.documentElement.classList.contains('xz-large'))))
      problems.push('large text is not remembered');
    await axe(page, 'app large text', problems);
    await shot(page, 'app-large-text-360');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('button[type="submit"]').waitFor();
    await ctx.close();
  },

  async 'phone app: a villager sees the household, a cadre the village (IDs masked)'(browser, srv, problems) {
    const masked = /\d{6}\*{8}\d{3}[\dX]/;
    const plain = /\d{17}[\dX]/;
    let ctx = await browser.newContext({ viewport: PHONE, isMobile: true });
    let page = await openPage(ctx, srv, problems);
    await login(page, srv, '/app/', 'cunmin1');
    await page.getByRole('heading', { name: '我的家庭' }).waitFor();
    await page.getByText('户号').first().waitFor();
    let text = await page.locator('main').innerText();
    if (!masked.test(text)) problems.push('villager: no masked ID number shown');
    if (plain.test(text)) problems.push('villager: a plain ID number is on the page');
    if (!/\d{4}年\d{1,2}月\d{1,2}日/.test(text)) problems.push('villager: birth dates not in the Chinese style');
    await axe(page, 'app my household', problems);
    await shot(page, 'app-my-household-phone');
    await ctx.close();
    ctx = await browser.newContext({ viewport: PHONE, isMobile: true });
    page = await openPage(ctx, srv, problems);
    await login(page, srv, '/app/', 'cun1');
    await page.getByRole('heading', { name: '本村住户' }).waitFor();
    const rows = page.locator('#village-households ~ * .van-cell--clickable, section .van-cell--clickable');
    await rows.first().waitFor();
    await rows.first().click();
    await page.getByText('身份证').first().waitFor();
    text = await page.locator('main').innerText();
    if (!masked.test(text) || plain.test(text)) problems.push('cadre: members not shown masked');
    await axe(page, 'app village households', problems);
    await shot(page, 'app-village-households-phone');
    await ctx.close();
  },
};
