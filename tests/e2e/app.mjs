// SPDX-License-Identifier: Apache-2.0
// tests/e2e/app.mjs -- browser tests of the phone app (/app/): the tabs each
// role gets, a villager's household, a cadre's village list, registering a
// household with a member and finding it again, changing it (a server error, a
// validator error and a conflict on the way), 360 px and large-text mode.
import { PHONE, ROLE_TITLES, axe, login, openPage, shot, keyboardLogin, tabTo } from './lib.mjs';

const MASKED_ID = /\d{6}\*{8}\d{3}[\dX]/;
const PLAIN_ID = /\d{17}[\dX]/;
const CUN1_VILLAGE = '410183100200';
// The roles that hold household.write (src/domain/auth/policy.c) get the Village tab.
const WRITE_ROLES = ['county_admin', 'township_staff', 'village_cadre'];

// A valid GB 11643 ID number: region, birth day (YYYYMMDD), sequence, check character.
function idNumber(region6, birth8, seq) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = `${region6}${birth8}${String(seq).padStart(3, '0')}`;
  const sum = [...body].reduce((n, d, i) => n + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

function maskOf(id) {
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

// A household number nobody else in the village has.
function freshNo(prefix) {
  return `${prefix}${Date.now() % 1000000}`;
}

async function tabNames(page) {
  await page.getByRole('tab').first().waitFor();
  return (await page.getByRole('tab').allInnerTexts()).map((s) => s.trim());
}

function openTab(page, name) {
  return page.getByRole('tab', { name, exact: true }).click();
}

async function checkWidth(page, width, where, problems) {
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  if (w > width) problems.push(`${where}: page is ${w} px wide at ${width}`);
}

// The API as the page's logged-in user sees it (with the session's CSRF token).
function apiCall(page, method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('xz_csrf') };
      const res = await fetch(p, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: res.status, body: await res.json() };
    },
    [method, path, body],
  );
}

// The browser logs every 4xx answer as a console error; drop the ones a test
// provoked on purpose (statuses listed), keep every other problem.
function expectedHttpErrors(problems, statuses) {
  const expected = new RegExp(`^console error: Failed to load resource: the server responded with a status of (${statuses.join('|')})\\b`);
  for (let i = problems.length - 1; i >= 0; i--) if (expected.test(problems[i])) problems.splice(i, 1);
}

export default {
  async 'phone app: every demo role logs in and sees its roles and its tabs'(browser, srv, problems) {
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
      const expected = roles.some((r) => WRITE_ROLES.includes(r)) ? ['首页', '本村', '我的'] : ['首页', '我的'];
      const tabs = await tabNames(page);
      if (tabs.join(' ') !== expected.join(' '))
        problems.push(`${account.username}: tabs ${tabs.join(' ')}, expected ${expected.join(' ')}`);
      if (account.username === 'cunmin1') {
        await axe(page, 'app home', problems);
        await shot(page, 'app-home-phone');
      }
      if (account.username === 'zhen1') {
        // Township staff first pick the village to work on.
        await openTab(page, '本村');
        await page.getByRole('heading', { name: '选择要办理的村' }).waitFor();
        await axe(page, 'app village picker', problems);
        await shot(page, 'app-village-picker-phone');
        await page.getByRole('button', { name: /王庄村/ }).click();
        await page.locator('section .van-cell--clickable').first().waitFor();
        if (!(await page.getByText('王庄村').first().isVisible())) problems.push('zhen1: the picked village is not named');
      }
      await ctx.close();
    }
  },

  async 'phone app: keyboard only: log in and open the village tab'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: PHONE });
    const page = await openPage(ctx, srv, problems);
    const account = srv.accounts.find((a) => a.username === 'cun1');
    if (!(await keyboardLogin(page, srv, problems, '/app/', account))) return;
    await page.getByText('您好').first().waitFor();
    if (!(await tabTo(page, problems, 'the 本村 tab', () => document.activeElement?.textContent.trim() === '本村'))) return;
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '本村住户' }).waitFor();
    await ctx.close();
  },

  async 'phone app: login page at 360 px, large-text mode, log out'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    const page = await openPage(ctx, srv, problems);
    await page.goto(`${srv.base}/app/`);
    await page.locator('button[type="submit"]').waitFor();
    await checkWidth(page, 360, 'login page', problems);
    await axe(page, 'app login', problems);
    await shot(page, 'app-login-360');
    await login(page, srv, '/app/', 'cun1');
    await openTab(page, '我的');
    await page.getByRole('switch').click();
    const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    if (size !== '22px') problems.push(`large text: root font-size ${size}`);
    await page.reload();
    await page.getByRole('switch').waitFor();
    if (!(await page.evaluate(() => document.documentElement.classList.contains('xz-large'))))
      problems.push('large text is not remembered');
    await checkWidth(page, 360, 'me page, large text', problems);
    await axe(page, 'app large text', problems);
    await shot(page, 'app-large-text-360');
    // The switch also answers the keyboard.
    await page.getByRole('switch').focus();
    await page.keyboard.press('Space');
    if (await page.evaluate(() => document.documentElement.classList.contains('xz-large')))
      problems.push('large text: Space on the switch does not turn it off');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('button[type="submit"]').waitFor();
    await ctx.close();
  },

  async 'phone app: a villager sees the household, a cadre the village (IDs masked)'(browser, srv, problems) {
    let ctx = await browser.newContext({ viewport: PHONE, isMobile: true });
    let page = await openPage(ctx, srv, problems);
    await login(page, srv, '/app/', 'cunmin1');
    await page.getByRole('heading', { name: '我的家庭' }).waitFor();
    await page.getByText('户号').first().waitFor();
    let text = await page.locator('main').innerText();
    if (!MASKED_ID.test(text)) problems.push('villager: no masked ID number shown');
    if (PLAIN_ID.test(text)) problems.push('villager: a plain ID number is on the page');
    if (!/\d{4}年\d{1,2}月\d{1,2}日/.test(text)) problems.push('villager: birth dates not in the Chinese style');
    await axe(page, 'app my household', problems);
    await shot(page, 'app-my-household-phone');
    await ctx.close();
    ctx = await browser.newContext({ viewport: PHONE, isMobile: true });
    page = await openPage(ctx, srv, problems);
    await login(page, srv, '/app/', 'cun1');
    await openTab(page, '本村');
    await page.getByRole('heading', { name: '本村住户' }).waitFor();
    const rows = page.locator('#village-households ~ * .van-cell--clickable, section .van-cell--clickable');
    await rows.first().waitFor();
    await axe(page, 'app village list', problems);
    await shot(page, 'app-village-list-phone');
    await rows.first().click();
    await page.getByText('身份证').first().waitFor();
    text = await page.locator('main').innerText();
    if (!MASKED_ID.test(text) || PLAIN_ID.test(text)) problems.push('cadre: members not shown masked');
    await axe(page, 'app village households', problems);
    await shot(page, 'app-village-households-phone');
    await ctx.close();
  },

  async 'phone app: a cadre registers a household with a member and finds it by name (390x844)'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await openPage(ctx, srv, problems);
    const no = freshNo('N');
    const id = idNumber('410183', '19800101', 901);
    await login(page, srv, '/app/', 'cun1');
    // The tabs answer the keyboard too.
    await page.getByRole('tab', { name: '本村', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: '登记新户' }).click();
    await page.getByRole('heading', { name: '登记新户' }).waitFor();
    await page.getByRole('textbox', { name: '户号' }).fill(no);
    await page.getByRole('textbox', { name: '地址' }).fill('柳林路 8 号');
    await axe(page, 'app new household', problems);
    await shot(page, 'app-new-household-phone');
    await page.getByRole('button', { name: '保存，接着添加成员' }).click();

    await page.getByRole('heading', { name: '添加成员' }).waitFor();
    await page.getByText(`已登记户号 ${no}`).waitFor();
    await page.getByRole('textbox', { name: '姓名' }).fill('柳如烟');
    await page.getByRole('textbox', { name: '与户主关系' }).fill('户主');
    await page.getByRole('textbox', { name: '身份证号' }).fill(id);
    await page.getByRole('textbox', { name: '手机号' }).fill('13800138000');
    if (await page.getByRole('radio', { name: '男' }).count())
      problems.push('add member: sex is asked for although the ID number gives it');
    await checkWidth(page, PHONE.width, 'add member', problems);
    await axe(page, 'app add member', problems);
    await shot(page, 'app-add-member-phone');
    await page.getByRole('button', { name: '保存' }).click();

    await page.getByRole('heading', { name: '住户信息' }).waitFor();
    await page.getByText('已添加成员 柳如烟').waitFor();
    let text = await page.locator('main').innerText();
    if (!text.includes(maskOf(id))) problems.push(`saved member: masked ID ${maskOf(id)} not shown`);
    if (!text.includes('1980年1月1日')) problems.push('saved member: the birth date from the ID number is not shown');

    // Find it again from the Village tab.
    await openTab(page, '本村');
    await page.getByRole('textbox', { name: '查找住户' }).fill('柳如烟');
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByText('找到 1 户').waitFor();
    await axe(page, 'app search results', problems);
    await shot(page, 'app-search-results-phone');
    await page.getByRole('link', { name: new RegExp(`户号 ${no}`) }).click();
    await page.getByRole('heading', { name: '住户信息' }).waitFor();
    await page.getByText('柳如烟').waitFor();
    text = await page.locator('main').innerText();
    if (!text.includes(maskOf(id))) problems.push('found household: masked ID not shown');
    if (PLAIN_ID.test(text)) problems.push('found household: a plain ID number is on the page');
    await axe(page, 'app household', problems);
    await shot(page, 'app-household-phone');
    // Back to the results as they were.
    await page.goBack();
    await page.getByText('找到 1 户').waitFor();
    // Searching by the exact ID number finds it too.
    await page.getByRole('textbox', { name: '查找住户' }).fill(id);
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByRole('link', { name: new RegExp(`户号 ${no}`) }).waitFor();
    if (page.url().includes(id)) problems.push('an ID number is in the URL');

    // Change the member: relation and mobile number.
    await page.getByRole('link', { name: new RegExp(`户号 ${no}`) }).click();
    await page.getByRole('link', { name: /柳如烟/ }).click();
    await page.getByRole('heading', { name: '修改成员信息' }).waitFor();
    await page.getByRole('textbox', { name: '与户主关系' }).fill('本人');
    await page.getByRole('textbox', { name: '手机号' }).fill('139 0013 9000');
    await axe(page, 'app edit member', problems);
    await shot(page, 'app-edit-member-phone');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '住户信息' }).waitFor();
    await page.getByText('已保存').waitFor();
    // The household reloads after the notice: wait for the member as saved
    // (absent after 10 s, the check below says so).
    await page.locator('main').getByText('139****9000').first().waitFor({ timeout: 10000 }).catch(() => {});
    text = await page.locator('main').innerText();
    if (!text.includes('139****9000') || !text.includes('本人')) problems.push('edited member: new relation or mobile not shown');
    if (!text.includes(maskOf(id))) problems.push('edited member: the ID number changed');
    await ctx.close();
  },

  async 'phone app: a cadre changes an address; a bad ID number or a taken number saves nothing; a conflict reloads (360 px, large text)'(browser, srv, problems) {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    await ctx.addInitScript(() => localStorage.setItem('xz_large', '1'));
    const page = await openPage(ctx, srv, problems);
    await login(page, srv, '/app/', 'cun1');
    const created = await apiCall(page, 'POST', '/api/v1/households', {
      village_code: CUN1_VILLAGE, household_no: freshNo('E'), address: '旧地址 1 号',
    });
    if (created.status !== 201) throw new Error(`could not create a household: ${JSON.stringify(created.body)}`);
    const hid = created.body.id;
    // A deep link straight to the household.
    await page.goto(`${srv.base}/app/households/${hid}`);
    await page.getByRole('heading', { name: '住户信息' }).waitFor();

    // A new address.
    await page.getByRole('button', { name: '修改户号和地址' }).click();
    await page.getByRole('heading', { name: '修改户号和地址' }).waitFor();
    await page.getByRole('textbox', { name: '地址' }).fill('新地址 9 号');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '住户信息' }).waitFor();
    await page.getByText('已保存').waitFor();
    await page.getByText('新地址 9 号').waitFor();

    // A household number the village already has: the server's message at the field.
    await page.getByRole('button', { name: '修改户号和地址' }).click();
    const noBox = page.getByRole('textbox', { name: '户号' });
    await noBox.fill('0001');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('本村已有该户号').waitFor();
    if ((await noBox.getAttribute('aria-invalid')) !== 'true') problems.push('taken number: the field is not marked invalid');
    await checkWidth(page, 360, 'edit household, large text', problems);
    await axe(page, 'app edit household error', problems);
    await shot(page, 'app-edit-household-error-360-large');

    // Someone else changes the household meanwhile: a clear message and the new state.
    const now = (await apiCall(page, 'GET', `/api/v1/households/${hid}`)).body;
    const other = await apiCall(page, 'PUT', `/api/v1/households/${hid}`, {
      household_no: now.household_no, address: '别人改的地址', version: now.version,
    });
    if (other.status !== 200) throw new Error(`the other change failed: ${JSON.stringify(other.body)}`);
    await noBox.fill(now.household_no);
    await page.getByRole('textbox', { name: '地址' }).fill('我改的地址');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('其他人刚刚修改了这条信息').waitFor();
    await page.waitForFunction(() => document.querySelector('input[name="address"]')?.value === '别人改的地址');
    await shot(page, 'app-edit-household-conflict-360-large');
    let after = (await apiCall(page, 'GET', `/api/v1/households/${hid}`)).body;
    if (after.address !== '别人改的地址') problems.push(`conflict: the address became ${after.address}`);

    // A member with a wrong check character: the validator's message, nothing saved.
    await page.getByRole('button', { name: '返回' }).click();
    await page.getByRole('heading', { name: '住户信息' }).waitFor();
    await page.getByRole('button', { name: '添加成员' }).click();
    await page.getByRole('heading', { name: '添加成员' }).waitFor();
    const good = idNumber('410183', '19751231', 512);
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    await page.getByRole('textbox', { name: '姓名' }).fill('错号');
    await page.getByRole('textbox', { name: '身份证号' }).fill(bad);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('身份证号码校验位不正确').waitFor();
    const idBox = page.getByRole('textbox', { name: '身份证号' });
    if ((await idBox.getAttribute('aria-invalid')) !== 'true') problems.push('bad ID: the field is not marked invalid');
    if (!(await idBox.evaluate((el) => el === document.activeElement))) problems.push('bad ID: focus is not on the field');
    await checkWidth(page, 360, 'add member, large text', problems);
    await axe(page, 'app add member error', problems);
    await shot(page, 'app-add-member-error-360-large');
    after = (await apiCall(page, 'GET', `/api/v1/households/${hid}`)).body;
    if (after.members.length) problems.push('bad ID: a member was saved');

    // Without an ID number: sex and birth date are asked for.
    await idBox.fill('');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('请选择性别', { exact: true }).waitFor();
    await ctx.close();
    expectedHttpErrors(problems, [409]); // the taken number and the conflict
  },
};
