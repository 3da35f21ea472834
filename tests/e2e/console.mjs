// SPDX-License-Identifier: Apache-2.0
// tests/e2e/console.mjs -- browser tests of the desk console (/console/).
import { DESKTOP, axe, login, openPage, shot } from './lib.mjs';

export default {
  async 'console: township staff logs in and pages through the township\'s households'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await openPage(ctx, srv, problems);
    await page.goto(`${srv.base}/console/`);
    await page.locator('button[type="submit"]').waitFor();
    await axe(page, 'console login', problems);
    await shot(page, 'console-login-desktop');
    await login(page, srv, '/console/', 'zhen1');
    await page.getByText('乡镇工作人员').first().waitFor();
    // The households of the township, a page at a time, one opened with its members.
    await page.getByRole('heading', { name: '户籍' }).waitFor();
    const rows = page.locator('.el-table__body-wrapper tbody tr');
    await rows.first().waitFor();
    const villages = await page.locator('.el-table__body-wrapper tbody tr td:nth-child(2)').allInnerTexts();
    if (!villages.length || villages.some((v) => !v.startsWith('410183100')))
      problems.push(`households outside the township: ${villages.slice(0, 3)}`);
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByText('第 2 页').waitFor();
    await page.getByRole('button', { name: '上一页' }).click();
    await page.getByText('第 1 页').waitFor();
    await rows.first().click();
    await page.locator('#console-members').waitFor();
    const text = await page.locator('main').innerText();
    if (!/\d{6}\*{8}\d{3}[\dX]/.test(text)) problems.push('members: no masked ID number');
    if (/\d{17}[\dX]/.test(text)) problems.push('members: a plain ID number is on the page');
    await axe(page, 'console home', problems);
    await shot(page, 'console-home-desktop');
    await ctx.close();
  },
};
