// SPDX-License-Identifier: Apache-2.0
// tests/e2e/portal.mjs -- browser tests of the public portal: the region lists and the language switch.
import { DESKTOP, PHONE, axe, openPage, shot } from './lib.mjs';

export default {
  async 'portal: the county, a township and its villages, in Chinese'(browser, srv, problems) {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const ctx = await browser.newContext({ viewport });
      const page = await openPage(ctx, srv, problems);
      await page.goto(`${srv.base}/`);
      await page.getByRole('heading', { name: '新密市' }).waitFor();
      await page.getByRole('button', { name: '城关镇' }).click();
      await page.getByText('王庄村').waitFor();
      await axe(page, `portal ${size}`, problems);
      await shot(page, `portal-${size}`);
      await ctx.close();
    }
  },

  async 'language switch: English and back, <html lang> follows'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await openPage(ctx, srv, problems);
    await page.goto(`${srv.base}/`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Xiangzhi · Village affairs portal' }).waitFor();
    if ((await page.getAttribute('html', 'lang')) !== 'en') problems.push('html lang is not en');
    await page.reload();
    await page.getByRole('heading', { name: 'Xiangzhi · Village affairs portal' }).waitFor();
    await axe(page, 'portal en', problems);
    await shot(page, 'portal-en-desktop');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '乡治 · 村务公开门户' }).waitFor();
    await ctx.close();
  },
};
