// SPDX-License-Identifier: Apache-2.0
// tests/e2e/run.mjs -- browser tests: Debian's chromium, driven by
// playwright-core, against the real server (a fresh demo county on SQLite, on a
// free port, serving web/dist). Each test prints "ok NAME" or "FAIL NAME" and
// its problems; the last line is "e2e: N passed, M failed". Every page is also
// checked for: axe-core serious/critical violations, console errors (a CSP
// violation is one), and requests to any host but the server. Screenshots at
// phone (390x844) and desktop (1280x800) size go to --out, printed at the start.
//
//   node tests/e2e/run.mjs --bin build/xiangzhi [--web web/dist] [--out DIR] [--chromium PATH]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const bin = resolve(option('bin', 'build/xiangzhi'));
const web = resolve(option('web', 'web/dist'));
const out = resolve(option('out', '.test-out/e2e-screenshots'));
const chromiumPath = option('chromium', '/usr/bin/chromium');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

async function startServer() {
  const data = mkdtempSync(join(tmpdir(), 'xz-e2e-'));
  const demo = spawnSync(bin, ['demo', '--data', data, '--households', '200'], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`xiangzhi demo failed: ${demo.stderr}`);
  const port = await freePort();
  const proc = spawn(bin, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`, '--web', web,
    '--access-log', 'off'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok && proc.exitCode === null) {
        const accounts = JSON.parse(readFileSync(join(data, 'demo-accounts.json'), 'utf8'));
        return { base, proc, data, accounts, log: () => log };
      }
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start: ${log}`);
}

// A page with the checks every test gets: foreign hosts, console errors.
async function openPage(ctx, srv, problems) {
  const page = await ctx.newPage();
  const host = new URL(srv.base).host;
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.host !== host) problems.push(`request to another host: ${r.url()}`);
  });
  page.on('console', (m) => {
    // "Who am I?" answers 401 before login; the browser logs that as an error.
    const probe = m.location().url.endsWith('/api/v1/session') && m.text().includes('401');
    if (m.type() === 'error' && !probe) problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return page;
}

async function axe(page, where, problems) {
  // Colours are measured once fades and transitions have ended, not halfway.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations)
    if (v.impact === 'serious' || v.impact === 'critical')
      problems.push(`axe ${where}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target})`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
}

async function login(page, srv, path, username) {
  await page.goto(`${srv.base}${path}`);
  const account = srv.accounts.find((a) => a.username === username);
  await page.locator('input[autocomplete="username"]').fill(account.username);
  await page.locator('input[autocomplete="current-password"]').fill(account.password);
  await page.locator('button[type="submit"]').click();
  await page.getByText('您好').first().waitFor({ timeout: 10000 });
  return account;
}

const ROLE_TITLES = {
  county_admin: '县级管理员', township_staff: '乡镇工作人员', village_cadre: '村两委干部',
  supervisor: '村务监督委员会', mediator: '调解员', party_member: '党员', agent: '代办员',
  merchant: '商户', villager: '村民', auditor: '审计员',
};

const tests = {
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

async function main() {
  mkdirSync(out, { recursive: true });
  console.log(`e2e: screenshots in ${out}`);
  const srv = await startServer();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  let passed = 0;
  let failed = 0;
  try {
    for (const [name, run] of Object.entries(tests)) {
      const problems = [];
      try {
        await run(browser, srv, problems);
      } catch (e) {
        problems.push(`raised: ${e.message.split('\n')[0]}`);
      }
      if (problems.length) {
        failed++;
        console.log(`FAIL ${name}\n     ${[...new Set(problems)].join('\n     ')}`);
      } else {
        passed++;
        console.log(`ok   ${name}`);
      }
    }
  } finally {
    await browser.close();
    srv.proc.kill('SIGTERM');
    rmSync(srv.data, { recursive: true, force: true });
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.log(`e2e: setup failed: ${e.message}`);
  console.log('e2e: 0 passed, 1 failed');
  process.exitCode = 1;
});
