// SPDX-License-Identifier: Apache-2.0
// tests/e2e/points_console.mjs -- browser tests of the desk console's points
// pages (积分管理): the menu each role gets; the county admin edits a
// template's item, adds one, and imports one from an Excel workbook; township staff find a village's claims through
// the region picker, and the village cadre reviews, approves and posts a
// submitted one, then upholds it when the supervisor objects; the cadre sets
// up an outlet with goods and restocks it; the admin's report draws its charts.
// Every page is checked with axe and photographed at desktop size; what the
// page claims to have done is checked again through the API.
import { workbook } from './xlsx.mjs';
import { DESKTOP, axe, login, openPage, shot } from './lib.mjs';

async function consolePage(browser, srv, problems, path, username) {
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await openPage(ctx, srv, problems);
  await login(page, srv, path, username);
  return { ctx, page };
}

// The API as the page's logged-in user sees it.
function apiGet(page, path) {
  return page.evaluate(async (p) => (await fetch(p)).json(), path);
}

function apiPost(page, path, body) {
  return page.evaluate(async ([p, b]) => {
    const res = await fetch(p, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('xz_csrf') || '' },
      body: JSON.stringify(b),
    });
    return res.json();
  }, [path, body]);
}

// Choose 'option' in the Element Plus select labelled 'label'.
async function choose(page, label, option) {
  await page.getByLabel(label).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: option, exact: true }).click();
}

// The 积分管理 entries each demo account should see, in order.
const POINTS_MENUS = {
  admin: ['积分方案', '申报与异议', '兑换点与库存', '积分报表'],
  auditor: ['积分方案', '申报与异议', '积分报表'],
  zhen1: ['积分方案', '申报与异议', '兑换点与库存', '积分报表'],
  cun1: ['积分方案', '申报与异议', '兑换点与库存', '积分报表'],
  jiandu1: ['积分方案', '申报与异议', '积分报表'],
  tiaojie1: [],
};

function village(srv, username) {
  return srv.accounts.find((a) => a.username === username).scope;
}

export default {
  async 'points console: each role sees the points pages it may use, grouped under 积分管理'(browser, srv, problems) {
    for (const [username, expected] of Object.entries(POINTS_MENUS)) {
      const { ctx, page } = await consolePage(browser, srv, problems, '/console/', username);
      await page.locator('nav .el-menu-item').first().waitFor();
      const group = page.getByRole('group', { name: '积分管理' });
      const got = expected.length ? (await group.getByRole('menuitem').allInnerTexts()).map((x) => x.trim()) : [];
      if (!expected.length && (await group.count())) problems.push(`${username}: has a 积分管理 group`);
      if (got.join(',') !== expected.join(','))
        problems.push(`${username}: points menu ${got.join(',')}, expected ${expected.join(',')}`);
      if (username === 'jiandu1') {
        // The supervisor reads the claims but has no step to take on them.
        await group.getByRole('menuitem', { name: '申报与异议' }).click();
        await page.getByRole('heading', { name: '申报与异议', level: 1 }).waitFor();
        await page.locator('.el-tabs__content .el-table__body-wrapper tbody tr').first().waitFor();
        if (await page.getByRole('button', { name: /^(审核|批准|复核)：/ }).count()) problems.push('supervisor: offered a review step');
        if (await page.getByRole('button', { name: '公示已批准的申报' }).count()) problems.push('supervisor: offered to publicise');
        await page.goto(`${srv.base}/console/points/outlets`);
        await page.getByRole('heading', { name: '无权访问' }).waitFor();
      }
      await ctx.close();
    }
  },

  async 'points console: admin edits a template item, adds one, and reads a village\'s scheme'(browser, srv, problems) {
    const code = village(srv, 'cun1');
    const { ctx, page } = await consolePage(browser, srv, problems, `/console/points/schemes?region=${code}`, 'admin');
    await page.getByRole('heading', { name: '积分方案', level: 1 }).waitFor();
    for (const entry of ['积分方案', '申报与异议', '兑换点与库存', '积分报表'])
      if (!(await page.getByRole('menuitem', { name: entry }).isVisible())) problems.push(`menu: no ${entry}`);
    // The village's scheme, read-only, with the meeting's decision and version.
    await page.getByText('村民代表会议表决通过').first().waitFor();
    await page.getByText(/第 \d+ 版/).first().waitFor();
    // The county template: open it (it may already be open), edit an item.
    const templates = await apiGet(page, '/api/v1/points/schemes');
    const tpl = templates.schemes?.[0];
    if (!tpl) {
      problems.push(`no template: ${JSON.stringify(templates).slice(0, 200)}`);
      await ctx.close();
      return;
    }
    if (!(await page.locator('#template-items').isVisible()))
      await page.getByRole('button', { name: `打开模板“${tpl.name}”` }).click();
    await page.locator('#template-items').waitFor();
    const before = (await apiGet(page, `/api/v1/points/schemes/${tpl.id}`)).items;
    const item = before.find((i) => i.category === 'xiao' && i.points > 0);
    await page.getByRole('button', { name: `编辑条目“${item.name}”` }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('分值').fill('0');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('分值应为非零整数').waitFor();
    await dialog.getByLabel('分值').fill(String(item.points + 1));
    await axe(page, 'points item dialog', problems);
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText(`已保存条目“${item.name}”`).waitFor();
    // A new item in 积善.
    await page.getByRole('button', { name: '在积善中添加条目' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('条目内容').fill('E2E 帮助邻居收秋');
    await dialog.getByLabel('分值').fill('2');
    await dialog.getByLabel('每周期上限').fill('6');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已添加条目“E2E 帮助邻居收秋”').waitFor();
    await page.locator('section[aria-labelledby="template-items"]').getByText('E2E 帮助邻居收秋').waitFor();
    const after = (await apiGet(page, `/api/v1/points/schemes/${tpl.id}`)).items;
    if (after.find((i) => i.id === item.id)?.points !== item.points + 1) problems.push('the edited item kept its points');
    const added = after.find((i) => i.name === 'E2E 帮助邻居收秋');
    if (!added || added.category !== 'shan' || added.points !== 2 || added.cycle_cap !== 6)
      problems.push(`added item: ${JSON.stringify(added)}`);
    // The same template edited in Excel: the module's items sheet.
    const items = page.locator('section[aria-labelledby="template-items"]');
    if (!(await items.getByRole('link', { name: '导出 Excel' }).isVisible())) problems.push('items sheet: no export link');
    await items.getByRole('button', { name: '从表格导入…' }).click();
    const book = workbook([['类别代码', '名称', '分值', '每期上限'], ['shan', 'E2E 表格导入条目', '3', '4']]);
    await page.setInputFiles('#sheet-points-items-file', { name: '积分项目.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: book });
    await items.getByRole('button', { name: '开始导入' }).click();
    await items.getByText('导入完成：已导入 1 行（文件共 1 行）。').waitFor();
    await items.getByText('E2E 表格导入条目').first().waitFor();
    const imported = (await apiGet(page, `/api/v1/points/schemes/${tpl.id}`)).items.find((i) => i.name === 'E2E 表格导入条目');
    if (!imported || imported.category !== 'shan' || imported.points !== 3 || imported.cycle_cap !== 4)
      problems.push(`imported item: ${JSON.stringify(imported)}`);
    await axe(page, 'points schemes', problems);
    await shot(page, 'console-points-schemes-desktop');
    await ctx.close();
  },

  async 'points console: township staff find a village\'s claims; the cadre reviews, approves, posts and re-reviews one'(browser, srv, problems) {
    const code = village(srv, 'cun1');
    // zhen1 picks the village in the picker; the address keeps it.
    let { ctx, page } = await consolePage(browser, srv, problems, '/console/points/claims', 'zhen1');
    await page.getByRole('heading', { name: '申报与异议', level: 1 }).waitFor();
    await page.getByText('请先选择一个村').waitFor();
    const list = await apiGet(page, `/api/v1/points/villages/${code}/claims?limit=20`);
    const name = (await apiGet(page, `/api/v1/regions/${code}`)).name;
    await choose(page, '村', name);
    await page.waitForURL(new RegExp(`region=${code}`));
    const rows = page.locator('.el-tabs__content .el-table__body-wrapper tbody tr');
    await rows.first().waitFor();
    if (!list.claims?.length || (await rows.count()) !== list.claims.length)
      problems.push(`claims: ${await rows.count()} rows, the API has ${list.claims?.length}`);
    await axe(page, 'points claims', problems);
    await shot(page, 'console-points-claims-desktop');
    await ctx.close();
    // The cadre's one village is chosen at once; filter to those waiting.
    ({ ctx, page } = await consolePage(browser, srv, problems, '/console/points/claims', 'cun1'));
    await page.getByRole('heading', { name: '申报与异议', level: 1 }).waitFor();
    await page.waitForURL(new RegExp(`region=${code}`));
    await choose(page, '状态', '待审核');
    const waiting = await apiGet(page, `/api/v1/points/villages/${code}/claims?state=submitted&limit=20`);
    const claim = waiting.claims?.[0];
    if (!claim) {
      problems.push(`no submitted claim in ${code}`);
      await ctx.close();
      return;
    }
    const who = claim.household_name || String(claim.household_id);
    const item = claim.item_name || String(claim.item_id);
    // The claim's row, by its number in the first column.
    const row = page.locator('.el-tabs__content .el-table__body-wrapper tbody tr')
      .filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^\\s*${claim.id}\\s*$`) }) });
    await row.getByRole('button', { name: `审核：${who}的申报“${item}”` }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('意见').fill('情况属实（浏览器测试）');
    await axe(page, 'points review dialog', problems);
    await shot(page, 'console-points-review-desktop');
    await dialog.getByRole('button', { name: '通过', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    let now = await apiGet(page, `/api/v1/points/claims/${claim.id}`);
    if (now.state !== 'reviewed') problems.push(`after review: ${now.state}`);
    await choose(page, '状态', '待批准');
    await row.getByRole('button', { name: `批准：${who}的申报“${item}”` }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('意见').fill('同意（浏览器测试）');
    await dialog.getByRole('button', { name: '通过', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    now = await apiGet(page, `/api/v1/points/claims/${claim.id}`);
    if (now.state !== 'approved') problems.push(`after approval: ${now.state}`);
    // Post the approved ones; the objections tab explains itself.
    await page.getByRole('button', { name: '公示已批准的申报' }).click();
    await page.getByText(/已公示 \d+ 条申报/).waitFor();
    now = await apiGet(page, `/api/v1/points/claims/${claim.id}`);
    if (now.state !== 'publicised') problems.push(`after publicising: ${now.state}`);
    // The supervisor objects (through the API, as the phone app would); the
    // cadre upholds the claim in the objections tab.
    const sup = await consolePage(browser, srv, problems, '/console/', 'jiandu1');
    const objected = await apiPost(sup.page, `/api/v1/points/claims/${claim.id}/object`, { reason: '与事实不符（浏览器测试）' });
    if (objected.state !== 'objected') problems.push(`objection: ${JSON.stringify(objected).slice(0, 200)}`);
    await sup.ctx.close();
    await page.getByRole('tab', { name: '异议' }).click();
    await page.getByText('公示期内有村民或村务监督委员会提出异议').waitFor();
    const objectedRow = page.locator('.el-tabs__content .el-table__body-wrapper tbody tr')
      .filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^\\s*${claim.id}\\s*$`) }) });
    await objectedRow.getByRole('button', { name: `复核：${who}的申报“${item}”` }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('意见').fill('经核实属实，维持（浏览器测试）');
    await dialog.getByRole('button', { name: '维持（生效）' }).click();
    await dialog.waitFor({ state: 'hidden' });
    now = await apiGet(page, `/api/v1/points/claims/${claim.id}`);
    if (now.state !== 'final') problems.push(`after re-review: ${now.state}`);
    await axe(page, 'points objections', problems);
    await ctx.close();
  },

  async 'points console: the village cadre sets up an outlet with goods and restocks'(browser, srv, problems) {
    const code = village(srv, 'cun1');
    const { ctx, page } = await consolePage(browser, srv, problems, '/console/points/outlets', 'cun1');
    await page.getByRole('heading', { name: '兑换点与库存', level: 1 }).waitFor();
    await page.waitForURL(new RegExp(`region=${code}`));
    await page.getByRole('button', { name: '新建兑换点' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('E2E 积分超市');
    await dialog.getByLabel('折扣（%）').fill('120');
    await dialog.getByRole('button', { name: '新建兑换点' }).click();
    await dialog.getByText('折扣应为 0 到 100 的整数').waitFor();
    await dialog.getByLabel('折扣（%）').fill('');
    await axe(page, 'points outlet dialog', problems);
    await dialog.getByRole('button', { name: '新建兑换点' }).click();
    await page.getByText('已建立兑换点“E2E 积分超市”').waitFor();
    await page.getByRole('button', { name: '为“E2E 积分超市”添加商品' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('E2E 洗衣粉');
    await dialog.getByLabel('所需积分').fill('20');
    await dialog.getByLabel('库存', { exact: true }).fill('5');
    await dialog.getByLabel('单位').fill('袋');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已上架“E2E 洗衣粉”').waitFor();
    await page.getByRole('button', { name: '为“E2E 洗衣粉”补货' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByText('现有库存 5袋').waitFor();
    await dialog.getByLabel('补货数量').fill('10');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('“E2E 洗衣粉”已补货，库存 15').waitFor();
    await page.getByRole('button', { name: '改价“E2E 洗衣粉”' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('新的所需积分').fill('18');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('“E2E 洗衣粉”现需 18 积分').waitFor();
    const outlets = (await apiGet(page, `/api/v1/points/villages/${code}/outlets`)).outlets || [];
    const mine = outlets.find((o) => o.name === 'E2E 积分超市');
    const goods = mine?.goods?.find((g) => g.name === 'E2E 洗衣粉');
    if (mine?.kind !== 'store' || goods?.stock !== 15 || goods?.points !== 18 || goods?.unit !== '袋')
      problems.push(`outlet as stored: ${JSON.stringify(mine)}`);
    await page.getByRole('button', { name: '查看“E2E 积分超市”的兑换记录' }).click();
    await page.getByRole('heading', { name: '“E2E 积分超市”的兑换记录' }).waitFor();
    await page.getByText('还没有兑换记录').waitFor();
    await axe(page, 'points outlets', problems);
    await shot(page, 'console-points-outlets-desktop');
    await page.getByRole('button', { name: '停用“E2E 洗衣粉”' }).click();
    await page.getByText('已停用“E2E 洗衣粉”').waitFor();
    await ctx.close();
  },

  async 'points console: admin opens the county\'s report and its charts draw'(browser, srv, problems) {
    const { ctx, page } = await consolePage(browser, srv, problems, '/console/points/reports', 'admin');
    await page.getByRole('heading', { name: '积分报表', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /积分报表$/, level: 2 }).waitFor();
    const year = new Date().getFullYear();
    const report = await apiGet(page, `/api/v1/points/reports?region=410183000000&year=${year}`);
    const awarded = (report.villages || []).reduce((n, v) => n + v.awarded, 0);
    if (!awarded) problems.push(`report: nothing awarded in ${year}: ${JSON.stringify(report).slice(0, 200)}`);
    const charts = page.locator('figure [role="img"]');
    await charts.nth(3).locator('canvas').waitFor();
    await page.waitForTimeout(1200); // the drawing's animation
    // Every chart is described in words and has something drawn on it.
    for (let i = 0; i < 4; i++) {
      const label = await charts.nth(i).getAttribute('aria-label');
      if (!label || label.length < 10) problems.push(`chart ${i}: aria-label ${label}`);
      const inked = await charts.nth(i).locator('canvas').first().evaluate((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let j = 3; j < d.length; j += 4) if (d[j] > 0) n++;
        return n;
      });
      if (inked < 2000) problems.push(`chart ${i}: only ${inked} pixels drawn`);
    }
    const villageRows = page.locator('section[aria-labelledby="report-tables"] .el-table').first().locator('.el-table__body-wrapper tbody tr');
    if ((await villageRows.count()) !== (report.villages || []).length)
      problems.push(`village table: ${await villageRows.count()} rows, ${report.villages?.length} villages`);
    await axe(page, 'points reports', problems);
    await shot(page, 'console-points-reports-desktop');
    await page.emulateMedia({ media: 'print' });
    if (await page.locator('nav.nav').isVisible()) problems.push('print: the menu is printed');
    await shot(page, 'console-points-reports-print');
    await ctx.close();
  },
};
