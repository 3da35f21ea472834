// SPDX-License-Identifier: Apache-2.0
// tests/e2e/console.mjs -- browser tests of the desk console (/console/): the
// menu each role gets, households and the audited reveal, the CSV import with
// its row-by-row report, accounts, the audit log and the region tree. Every
// page is checked with axe and photographed at desktop size.
import { readFileSync } from 'node:fs';
import { DESKTOP, axe, login, openPage, shot, keyboardLogin, tabTo } from './lib.mjs';
import { workbook } from './xlsx.mjs';

// The menu each demo account should see, in order.
// The points group: all four pages with points.outlet, three to read.
const POINTS_READ = ['积分方案', '申报与异议', '积分报表'];
const POINTS_ALL = ['积分方案', '申报与异议', '兑换点与库存', '积分报表'];
// Everyone: the inbox and the workflows' route maps, before the groups.
const SHARED = ['提醒', '办理流程'];
const MENUS = {
  admin: ['概览', '区划', '户籍', '人员', '导入', '账户', '审计日志', ...SHARED, ...POINTS_ALL],
  auditor: ['概览', '区划', '户籍', '人员', '审计日志', ...SHARED, ...POINTS_READ],
  zhen1: ['概览', '区划', '户籍', '人员', '导入', ...SHARED, ...POINTS_ALL],
  cun1: ['概览', '区划', '户籍', '人员', '导入', ...SHARED, ...POINTS_ALL],
  jiandu1: ['概览', '区划', '户籍', '人员', '审计日志', ...SHARED, ...POINTS_READ],
  tiaojie1: ['概览', '区划', ...SHARED],
};

async function consolePage(browser, srv, problems, path, username) {
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await openPage(ctx, srv, problems);
  await login(page, srv, path, username);
  return { ctx, page };
}

async function menu(page) {
  await page.locator('nav .el-menu-item').first().waitFor();
  return (await page.locator('nav .el-menu-item').allInnerTexts()).map((s) => s.trim());
}

// The API as the page's logged-in user sees it.
function apiGet(page, path) {
  return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

const PLAIN_ID = /\d{17}[\dX]/;

// 'text' in GBK, as Excel in China saves a CSV (Node encodes only UTF-8; the
// table comes from decoding every two-byte GBK code).
function gbk(text) {
  const decoder = new TextDecoder('gbk');
  const table = new Map();
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) table.set(decoder.decode(Uint8Array.of(hi, lo)), [hi, lo]);
  return Buffer.from([...text].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : table.get(c))));
}

export default {
  async 'console: township staff logs in and pages through the township\'s households'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await openPage(ctx, srv, problems);
    await page.goto(`${srv.base}/console/`);
    await page.locator('button[type="submit"]').waitFor();
    await axe(page, 'console login', problems);
    await shot(page, 'console-login-desktop');
    await login(page, srv, '/console/', 'zhen1');
    await page.getByRole('heading', { name: '概览' }).waitFor();
    await page.getByText('乡镇工作人员').first().waitFor();
    if ((await page.title()) !== '概览 · 乡治管理台') problems.push(`overview title: ${await page.title()}`);
    // The year's figures of the township, as the dashboard answers them.
    const figures = page.locator('section[aria-labelledby="figures-title"]');
    await figures.getByText('发放积分').waitFor();
    const dash = await page.evaluate(async () => (await fetch('/api/v1/dashboard')).json());
    const awarded = dash.tiles.find((t) => t.name === 'awarded');
    const shown = (await figures.locator('li', { hasText: '发放积分' }).innerText()).replace(/[\s,]/g, '');
    if (!awarded || !shown.includes(String(awarded.value))) problems.push(`overview figures: ${shown} vs ${JSON.stringify(awarded)}`);
    await axe(page, 'console overview', problems);
    await shot(page, 'console-overview-desktop');
    // The households of the township, a page at a time, one opened with its members.
    await page.getByRole('menuitem', { name: '户籍' }).click();
    await page.getByRole('heading', { name: '户籍' }).waitFor();
    if ((await page.title()) !== '户籍 · 乡治管理台') problems.push(`households title: ${await page.title()}`);
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
    if (PLAIN_ID.test(text)) problems.push('members: a plain ID number is on the page');
    await axe(page, 'console households', problems);
    await shot(page, 'console-households-desktop');
    await ctx.close();
  },

  async 'console: persons of the township by name prefix and by exact ID number, masked'(browser, srv, problems) {
    const { ctx, page } = await consolePage(browser, srv, problems, '/console/persons', 'zhen1');
    await page.getByRole('heading', { name: '人员' }).waitFor();
    const rows = page.locator('.el-table__body-wrapper tbody tr');
    await rows.first().waitFor();
    const first = (await rows.first().locator('td').first().innerText()).trim();
    if ((await rows.count()) !== 20) problems.push(`first page has ${await rows.count()} persons`);
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByText('第 2 页').waitFor();
    await page.getByLabel('姓名（前几个字）').fill(first[0]);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('第 1 页').waitFor();
    await rows.first().waitFor();
    const names = await page.locator('.el-table__body-wrapper tbody tr td:first-child').allInnerTexts();
    if (!names.length || names.some((n) => !n.trim().startsWith(first[0])))
      problems.push(`name prefix ${first[0]}: ${names.slice(0, 5)}`);
    let text = await page.locator('main').innerText();
    if (!/\d{6}\*{8}\d{3}[\dX]/.test(text) || PLAIN_ID.test(text)) problems.push('persons: IDs not masked');
    await axe(page, 'console persons', problems);
    await shot(page, 'console-persons-desktop');
    // An exact ID number goes in a POST body, never in the address.
    const urls = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.getByLabel('姓名（前几个字）').fill('');
    await page.getByLabel('身份证号（完整 18 位）').fill('410183195501010019');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('王建国').first().waitFor();
    // The name search's rows may hold 王建国 too: wait for the new answer (one row).
    await page.waitForFunction(() => document.querySelectorAll('.el-table__body-wrapper tbody tr').length === 1,
      null, { timeout: 10000 }).catch(() => {});
    const found = await rows.count();
    if (found !== 1) problems.push(`search by ID found ${found} rows`);
    if (urls.some((u) => u.includes('410183195501010019'))) problems.push('an ID number went into a URL');
    await page.getByLabel('身份证号（完整 18 位）').fill('41018319550101001');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('身份证号应为 18 位').waitFor();
    await ctx.close();
  },

  async 'console: keyboard only: log in, reach a page from the menu, open a household'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await openPage(ctx, srv, problems);
    const account = srv.accounts.find((a) => a.username === 'zhen1');
    if (!(await keyboardLogin(page, srv, problems, '/console/', account))) return;
    await page.getByRole('heading', { name: '概览' }).waitFor();
    if (!(await tabTo(page, problems, 'the 户籍 menu entry', () => document.activeElement?.textContent.trim() === '户籍'))) return;
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '户籍' }).waitFor();
    if (!(await tabTo(page, problems, 'a household\'s button', () => document.activeElement?.closest('tbody') != null))) return;
    await page.keyboard.press('Enter');
    await page.locator('#console-members').waitFor();
    await ctx.close();
  },

  async 'console: each role\'s menu shows exactly the pages it may use'(browser, srv, problems) {
    for (const [username, expected] of Object.entries(MENUS)) {
      const { ctx, page } = await consolePage(browser, srv, problems, '/console/', username);
      const got = await menu(page);
      if (got.join(',') !== expected.join(','))
        problems.push(`${username}: menu ${got.join(',')}, expected ${expected.join(',')}`);
      if (username === 'tiaojie1') {
        // A page the role may not use, reached by its address: a plain refusal.
        await page.goto(`${srv.base}/console/audit`);
        await page.getByRole('heading', { name: '无权访问' }).waitFor();
        if ((await page.locator('main').innerText()).includes('审计日志') === false)
          problems.push('no access: the page is not named');
        await axe(page, 'console no access', problems);
        await shot(page, 'console-no-access-desktop');
        await page.goto(`${srv.base}/console/no-such-page`);
        await page.getByRole('heading', { name: '页面不存在' }).waitFor();
      }
      await ctx.close();
    }
  },

  async 'console: a CSV with a broken row imports nothing and says where; a correct one imports; so does an Excel workbook'(browser, srv, problems) {
    const { ctx, page } = await consolePage(browser, srv, problems, '/console/import', 'zhen1');
    await page.getByRole('heading', { name: '导入' }).waitFor();
    await axe(page, 'console import', problems);
    await shot(page, 'console-import-desktop');
    // The template is built in the browser: the header row the server reads.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('下载模板').click()]);
    const template = readFileSync(await download.path(), 'utf8');
    if (!template.startsWith('\uFEFF村代码,户号,地址,姓名,与户主关系,身份证号,性别,出生日期,手机号'))
      problems.push(`template: ${template.slice(0, 60)}`);
    const header = '村代码,户号,地址,姓名,与户主关系,身份证号,性别,出生日期,手机号\n';
    const broken = header +
      '410183100200,E2E-1,王庄村 91 号,导入甲,户主,,男,1970-01-02,\n' +
      '4101831002,E2E-2,王庄村 92 号,导入乙,户主,,女,1972-03-04,\n';
    await page.setInputFiles('#import-file', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    await page.getByText('村代码,户号,地址').first().waitFor(); // the header as read
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByRole('heading', { name: '导入结果' }).waitFor({ timeout: 20000 });
    await page.getByText('文件中的任何一行都没有导入').waitFor();
    const report = await page.locator('#import-result ~ * .el-table__body-wrapper tbody tr, section[aria-labelledby="import-result"] .el-table__body-wrapper tbody tr').allInnerTexts();
    const named = report.some((r) => /^3\s+村代码\s+\S/.test(r.trim()));
    if (!named) problems.push(`report does not name row 3, column 村代码: ${report.join(' | ')}`);
    if (!(await page.getByText('文件共 2 行，发现 1 处问题').isVisible())) problems.push('report totals missing');
    await axe(page, 'console import report', problems);
    await shot(page, 'console-import-report-desktop');
    let found = await apiGet(page, `/api/v1/households?name=${encodeURIComponent('导入甲')}`);
    if (found.items?.length) problems.push('a row of the refused file was imported');
    // The same file with the village code fixed, saved as GBK, goes in whole.
    const fixed = broken.replace('4101831002,', '410183100200,') + '410183100200,E2E-2,,导入丙,配偶,,男,1971-05-06,\n';
    await page.setInputFiles('#import-file', { name: 'fixed.csv', mimeType: 'text/csv', buffer: gbk(fixed) });
    await page.locator('dd', { hasText: 'GBK' }).waitFor();
    await page.getByText('村代码,户号,地址').first().waitFor();
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('导入完成：新增 2 户、3 人（文件共 3 行）').waitFor({ timeout: 20000 });
    found = await apiGet(page, `/api/v1/households?name=${encodeURIComponent('导入甲')}`);
    if (found.items?.length !== 1) problems.push(`fixed file: ${found.items?.length} households found`);
    await axe(page, 'console import done', problems);
    await shot(page, 'console-import-done-desktop');
    // An Excel workbook: no encoding to choose, read by the server.
    const book = workbook([header.trim().split(','), ['410183100200', 'E2E-X', '', '表格户主', '户主', '', '女', '1980-02-03', '']]);
    await page.setInputFiles('#import-file', { name: '名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: book });
    await page.getByText('Excel 工作簿（读第一张工作表）').waitFor();
    if (await page.getByText('文件编码').isVisible()) problems.push('xlsx: the encoding choice is still shown');
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('导入完成：新增 1 户、1 人（文件共 1 行）').waitFor({ timeout: 20000 });
    found = await apiGet(page, `/api/v1/households?name=${encodeURIComponent('表格户主')}`);
    if (found.items?.length !== 1) problems.push(`xlsx: ${found.items?.length} households found`);
    await shot(page, 'console-import-xlsx-desktop');
    await ctx.close();
  },

  async 'console: admin reveals an ID number for a purpose and finds it in the audit log'(browser, srv, problems) {
    const { ctx, page } = await consolePage(browser, srv, problems, '/console/households?region=410183100200', 'admin');
    await page.getByRole('heading', { name: '户籍' }).waitFor();
    await page.getByRole('button', { name: /^查看成员（户号/ }).first().click();
    await page.locator('#console-members').waitFor();
    await page.getByRole('button', { name: /的完整身份证号$/ }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('查看用途').waitFor();
    await dialog.getByRole('button', { name: '查看', exact: true }).click();
    await dialog.getByText('请填写查看用途').waitFor();
    await dialog.getByLabel('查看用途').fill('核对');
    await dialog.getByRole('button', { name: '查看', exact: true }).click();
    await dialog.getByText('用途应为 5 到 200 个字').waitFor();
    const purpose = '核对低保申请材料（浏览器测试）';
    await dialog.getByLabel('查看用途').fill(purpose);
    await dialog.getByRole('button', { name: '查看', exact: true }).click();
    await dialog.getByText('本次查看已记入审计日志').waitFor();
    if (!PLAIN_ID.test(await dialog.innerText())) problems.push('reveal: no plain ID number in the dialog');
    if (PLAIN_ID.test(await page.locator('main').innerText())) problems.push('reveal: the plain ID number is in the table');
    await axe(page, 'console reveal dialog', problems);
    await shot(page, 'console-reveal-desktop');
    await dialog.getByRole('button', { name: '关闭', exact: true }).first().click();
    await dialog.waitFor({ state: 'hidden' });
    if (PLAIN_ID.test(await page.locator('body').innerText())) problems.push('reveal: the plain value stays on the page');
    // The audit log shows the reveal, newest first, with its purpose.
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    const first = page.locator('.el-table__body-wrapper tbody tr').first();
    await first.waitFor();
    const row = await first.innerText();
    if (!row.includes('查看身份证号') || !row.includes(purpose) || !row.includes('admin'))
      problems.push(`audit: newest entry is not the reveal: ${row.replace(/\s+/g, ' ')}`);
    if (!/\d{4}年\d{1,2}月\d{1,2}日/.test(row)) problems.push(`audit: time not in the Chinese style: ${row}`);
    await page.getByLabel('对象类别').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: '账户' }).click();
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('登录').first().waitFor();
    await axe(page, 'console audit', problems);
    await shot(page, 'console-audit-desktop');
    await ctx.close();
  },

  async 'console: admin creates an account with a role and sees it listed'(browser, srv, problems) {
    const { ctx, page } = await consolePage(browser, srv, problems, '/console/accounts', 'admin');
    await page.getByRole('heading', { name: '账户' }).waitFor();
    await page.getByText('zhen1').first().waitFor();
    await axe(page, 'console accounts', problems);
    await shot(page, 'console-accounts-desktop');
    await page.getByRole('button', { name: '新建账户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('e2e.jiandu');
    await dialog.getByLabel('姓名').fill('监委 测试');
    await dialog.getByLabel('初始密码').fill('e2e-initial-pw');
    await dialog.getByLabel('角色', { exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: '村务监督委员会' }).click();
    await dialog.getByLabel('管辖范围（区划代码）').fill('410183100000'); // a township: wrong for this role
    await dialog.getByRole('button', { name: '创建' }).click();
    await dialog.getByText('管辖范围应为 12 位村级区划代码').waitFor();
    await axe(page, 'console new account', problems);
    await shot(page, 'console-new-account-desktop');
    await dialog.getByLabel('管辖范围（区划代码）').fill('410183100201');
    await dialog.getByRole('button', { name: '创建' }).click();
    await page.getByText('已创建账户 e2e.jiandu').waitFor();
    const row = page.locator('.el-table__body-wrapper tbody tr', { hasText: 'e2e.jiandu' });
    await row.waitFor();
    const text = await row.innerText();
    if (!text.includes('村务监督委员会 · 410183100201') || !text.includes('待修改密码'))
      problems.push(`new account row: ${text.replace(/\s+/g, ' ')}`);
    // Disable and enable it again; reset its password.
    await row.getByRole('button', { name: '停用账户 e2e.jiandu' }).click();
    await row.getByText('已停用').waitFor();
    await row.getByRole('button', { name: '启用账户 e2e.jiandu' }).click();
    await row.getByText('正常').waitFor();
    await row.getByRole('button', { name: '重置密码（e2e.jiandu）' }).click();
    const reset = page.getByRole('dialog', { name: '重置 e2e.jiandu 的密码' });
    await reset.getByLabel('新密码').fill('short');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await reset.getByText('密码应为 8 到 128 个字符').waitFor();
    await reset.getByLabel('新密码').fill('e2e-reset-pw-1');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await page.getByText('已重置 e2e.jiandu 的密码').waitFor();
    await ctx.close();
    // The new user logs in, must change the password first, then may work.
    const own = await browser.newContext({ viewport: DESKTOP });
    const mine = await openPage(own, srv, problems);
    await mine.goto(`${srv.base}/console/`);
    await mine.locator('input[autocomplete="username"]').fill('e2e.jiandu');
    await mine.locator('input[autocomplete="current-password"]').fill('e2e-reset-pw-1');
    await mine.locator('button[type="submit"]').click();
    await mine.getByRole('heading', { name: '请修改密码' }).waitFor();
    await mine.getByLabel('当前密码').fill('e2e-reset-pw-1');
    await mine.getByLabel('新密码（至少 8 个字符）').fill('e2e-own-pw-123');
    await mine.getByRole('button', { name: '修改密码' }).click();
    await mine.getByRole('heading', { name: '请修改密码' }).waitFor({ state: 'detached' });
    if ((await menu(mine)).join(',') !== MENUS.jiandu1.join(',')) problems.push('new supervisor: wrong menu');
    await own.close();
  },

  async 'console: the region tree opens a township and a village filters the households'(browser, srv, problems) {
    const { ctx, page } = await consolePage(browser, srv, problems, '/console/regions', 'admin');
    await page.getByRole('heading', { name: '区划' }).waitFor();
    const tree = page.getByRole('tree');
    await tree.getByText('城关镇').click();
    await tree.getByText('王庄村').click();
    await page.getByRole('heading', { name: '王庄村' }).waitFor();
    await axe(page, 'console regions', problems);
    await shot(page, 'console-regions-desktop');
    await page.getByRole('button', { name: '查看王庄村的户籍' }).click();
    await page.waitForURL(/\/console\/households\?region=410183100200$/);
    await page.getByText('区划：王庄村（410183100200）').waitFor();
    await page.locator('.el-table__body-wrapper tbody tr').first().waitFor();
    const villages = await page.locator('.el-table__body-wrapper tbody tr td:nth-child(2)').allInnerTexts();
    if (!villages.length || villages.some((v) => v !== '410183100200'))
      problems.push(`households outside 王庄村: ${villages.slice(0, 3)}`);
    // By keyboard: Enter on a village in the tree goes straight to its households.
    await page.goBack();
    await page.getByRole('heading', { name: '区划' }).waitFor();
    await page.getByRole('tree').getByText('城关镇').click();
    await page.getByRole('treeitem', { name: /黄沟村/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/region=410183100201$/);
    await ctx.close();
  },
};
