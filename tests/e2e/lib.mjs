// SPDX-License-Identifier: Apache-2.0
// tests/e2e/lib.mjs -- what every browser test uses: the two screen sizes, a
// page that records foreign requests and console errors, axe-core, screenshots
// and login. The harness (run.mjs) sets the screenshot folder.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
let out = '.';

export function setScreenshotDir(dir) {
  out = dir;
}

// A page with the checks every test gets: foreign hosts, console errors.
export async function openPage(ctx, srv, problems) {
  const page = await ctx.newPage();
  const host = new URL(srv.base).host;
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.host !== host) problems.push(`request to another host: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return page;
}

export async function axe(page, where, problems) {
  // Colours are measured once fades and transitions have ended, not halfway.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
  const description = await page.evaluate(() => document.querySelector('meta[name="description"]')?.content || '');
  if (description.length < 20) problems.push(`${where}: no meta description`);
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations)
    if (v.impact === 'serious' || v.impact === 'critical')
      problems.push(`axe ${where}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target})`);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
}

export async function login(page, srv, path, username) {
  await page.goto(`${srv.base}${path}`);
  const account = srv.accounts.find((a) => a.username === username);
  await page.locator('input[autocomplete="username"]').fill(account.username);
  await page.locator('input[autocomplete="current-password"]').fill(account.password);
  await page.locator('button[type="submit"]').click();
  await page.getByText('您好').first().waitFor({ timeout: 10000 });
  return account;
}

export const ROLE_TITLES = {
  county_admin: '县级管理员', township_staff: '乡镇工作人员', village_cadre: '村两委干部',
  supervisor: '村务监督委员会', mediator: '调解员', party_member: '党员', agent: '代办员',
  merchant: '商户', villager: '村民', auditor: '审计员',
};

// Press Tab until the focused element satisfies 'want' (a function run in the
// page), at most 40 times; false (and a problem) if it is never reached.
export async function tabTo(page, problems, what, want) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(want)) return true;
  }
  problems.push(`keyboard: cannot reach ${what}`);
  return false;
}

// Log in at 'path' with the keyboard alone: Tab to the username, type it, Tab,
// the password, Enter. False (and a problem) if the field cannot be reached.
export async function keyboardLogin(page, srv, problems, path, account) {
  await page.goto(`${srv.base}${path}`);
  await page.locator('button[type="submit"]').waitFor();
  if (!(await tabTo(page, problems, 'the username field', () => document.activeElement?.autocomplete === 'username')))
    return false;
  await page.keyboard.type(account.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(account.password);
  await page.keyboard.press('Enter');
  return true;
}
