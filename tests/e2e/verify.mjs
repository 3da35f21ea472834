// SPDX-License-Identifier: Apache-2.0
// tests/e2e/verify.mjs -- browser tests of the portal's receipt check
// (/verify): the page must do the cryptography itself and say plainly what
// holds. The demo county's log starts empty, so the tests write probes and
// sign checkpoints first (both allowed from loopback without login). A pasted
// receipt, one with its proof or its signature changed, an old receipt after
// the log grew, a photo of a receipt's QR code, the camera (a fake one showing
// the QR code), and /verify?index=N.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DESKTOP, PHONE, axe, openPage, shot } from './lib.mjs';

const NARROW = { width: 360, height: 780 };
const RED = 'rgb(180, 35, 24)';
const STEPS = ['format', 'signature', 'inclusion', 'consistency'];

async function post(srv, path, body) {
  const res = await fetch(`${srv.base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${text}`);
  return text;
}

async function getText(srv, path) {
  const res = await fetch(`${srv.base}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.text();
}

// The log indexes of the probes these tests wrote (the demo county's points
// activity comes first in the log).
const probeLeaves = [];

// Write 'probes' probes to the log and sign a checkpoint; its size.
async function growLog(srv, probes) {
  for (let i = 0; i < probes; i++)
    probeLeaves.push(JSON.parse(await post(srv, '/api/v1/ops/probe', { note: `e2e verify ${i}` })).tlog_index);
  await post(srv, '/api/v1/tlog/checkpoint', {});
  return checkpointSize(srv);
}

async function checkpointSize(srv) {
  const res = await fetch(`${srv.base}/tlog/checkpoint`);
  return res.ok ? Number((await res.text()).split('\n')[1]) : 0;
}

// Three probes of ours in a signed checkpoint (so their receipts have proofs).
async function ensureLog(srv) {
  if (probeLeaves.length < 3) await growLog(srv, 3);
}

// The receipt with one character of line 'lineNo' (0-based) replaced, at
// 'column' (inside the base64, where any other letter stays canonical).
function changeChar(receipt, lineNo, column) {
  const lines = receipt.split('\n');
  const line = lines[lineNo];
  lines[lineNo] = line.slice(0, column) + (line[column] === 'A' ? 'B' : 'A') + line.slice(column + 1);
  return lines.join('\n');
}

function withChangedProof(receipt) {
  return changeChar(receipt, 3, 10); // the first proof hash (header, extra, index, proof...)
}

function withChangedSignature(receipt) {
  const lineNo = receipt.split('\n').findIndex((l) => l.startsWith('\u2014 '));
  const column = receipt.split('\n')[lineNo].lastIndexOf(' ') + 30; // past the key id
  return changeChar(receipt, lineNo, column);
}

async function checkPasted(page, receipt) {
  await page.getByLabel('收据内容').fill(receipt);
  await page.getByRole('button', { name: '核验', exact: true }).click();
  await page.locator('.summary').waitFor();
}

// Each step's state ('ok', 'fail', 'skipped') in the page's checklist.
async function states(page) {
  const got = {};
  for (const id of STEPS) got[id] = await page.locator(`li[data-step="${id}"]`).getAttribute('class');
  return got;
}

function expectStates(got, want, where, problems) {
  for (const id of STEPS)
    if (got[id] !== want[id]) problems.push(`${where}: step ${id} is ${got[id]}, want ${want[id]}`);
}

const ALL_OK = { format: 'ok', signature: 'ok', inclusion: 'ok', consistency: 'ok' };

async function expectText(page, text, where, problems) {
  if (!(await page.getByText(text).first().isVisible())) problems.push(`${where}: "${text}" not shown`);
}

async function checkWidth(page, where, problems) {
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  if (w > NARROW.width) problems.push(`${where}: page is ${w} px wide at ${NARROW.width}`);
}

async function expectAllPassed(page, where, problems) {
  expectStates(await states(page), ALL_OK, where, problems);
  await expectText(page, '全部通过', where, problems);
  await expectText(page, '运维写入探针（ops.probe）', where, problems);
  await expectText(page, '平台本身（000000000000）', where, problems);
  if (!/\d{4}年\d{1,2}月\d{1,2}日/.test(await page.locator('.entry dl').innerText()))
    problems.push(`${where}: the entry's time is not a Chinese date`);
}

// The modules of a QR code of 'text', row by row (true: dark), from
// qrencode's ASCII picture ("##" a dark module), with a 4-module margin.
function qrModules(text, dir) {
  const txt = join(dir, 'receipt.txt');
  writeFileSync(txt, text);
  const picture = execFileSync('qrencode', ['-t', 'ASCII', '-l', 'L', '-m', '4', '-r', txt], { encoding: 'utf8' });
  return picture
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => Array.from({ length: line.length / 2 }, (_, i) => line.slice(2 * i, 2 * i + 2) === '##'));
}

// A QR code of 'text' as a 640x480 Y4M video in 4:2:0 grey, which Chromium's
// fake camera plays; its path.
function qrVideo(text, dir) {
  const [w, h] = [640, 480];
  const rows = qrModules(text, dir);
  const scale = Math.floor(h / rows.length);
  const left = (w - rows.length * scale) >> 1;
  const top = (h - rows.length * scale) >> 1;
  const luma = Buffer.alloc(w * h, 255);
  rows.forEach((row, y) =>
    row.forEach((dark, x) => {
      for (let dy = 0; dark && dy < scale; dy++) {
        const at = (top + y * scale + dy) * w + left + x * scale;
        luma.fill(0, at, at + scale);
      }
    }),
  );
  const chroma = Buffer.alloc((w * h) / 4, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const video = join(dir, 'receipt.y4m');
  writeFileSync(video, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
  return video;
}

// The chromium run.mjs was told to use (--chromium), for a second browser.
function chromiumPath() {
  const i = process.argv.indexOf('--chromium');
  return i > 0 ? process.argv[i + 1] : '/usr/bin/chromium';
}

export default {
  async 'verify: a pasted receipt passes every check, the entry in plain Chinese'(browser, srv, problems) {
    await ensureLog(srv);
    const receipt = await getText(srv, `/tlog/receipt/${probeLeaves[0]}`);
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE], ['narrow', NARROW]]) {
      const ctx = await browser.newContext({ viewport });
      const page = await openPage(ctx, srv, problems);
      await page.goto(`${srv.base}/verify`);
      await page.getByText('本县日志的密钥：').waitFor();
      await checkPasted(page, receipt);
      await expectAllPassed(page, `pasted ${size}`, problems);
      await expectText(page, '检查点由本县日志的密钥签名', size, problems);
      await expectText(page, '这条记录在日志中', size, problems);
      if (size === 'narrow') await checkWidth(page, 'pasted', problems);
      else {
        await axe(page, `verify ${size}`, problems);
        await shot(page, `verify-ok-${size}`);
      }
      await ctx.close();
    }
  },

  async 'verify: a changed proof fails inclusion, a changed signature fails the signature, in red'(browser, srv, problems) {
    await ensureLog(srv);
    const receipt = await getText(srv, `/tlog/receipt/${probeLeaves[0]}`);
    const cases = [
      ['proof', withChangedProof(receipt), { format: 'ok', signature: 'ok', inclusion: 'fail', consistency: 'skipped' }, '包含证明不成立'],
      ['signature', withChangedSignature(receipt), { format: 'ok', signature: 'fail', inclusion: 'skipped', consistency: 'skipped' }, '签名不成立'],
    ];
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE], ['narrow', NARROW]]) {
      const ctx = await browser.newContext({ viewport });
      const page = await openPage(ctx, srv, problems);
      await page.goto(`${srv.base}/verify`);
      for (const [what, text, want, reason] of cases) {
        await checkPasted(page, text);
        const where = `changed ${what} ${size}`;
        expectStates(await states(page), want, where, problems);
        await expectText(page, reason, where, problems);
        await expectText(page, '核验未通过', where, problems);
        await expectText(page, '前一项未通过，此项未核验', where, problems);
        const color = await page.locator('li.fail .detail').evaluate((e) => getComputedStyle(e).color);
        if (color !== RED) problems.push(`${where}: the failed step is ${color}, not red`);
        if (size === 'narrow') await checkWidth(page, where, problems);
        else {
          await axe(page, `verify ${where}`, problems);
          await shot(page, `verify-bad-${what}-${size}`);
        }
      }
      await ctx.close();
    }
  },

  async 'verify: an old receipt after the log grew, the consistency proof holds'(browser, srv, problems) {
    await ensureLog(srv);
    const old = await getText(srv, `/tlog/receipt/${probeLeaves[1]}`);
    const oldSize = Number(old.split('\n\n')[1].split('\n')[1]);
    const newSize = await growLog(srv, 3);
    if (newSize <= oldSize) problems.push(`the log did not grow: ${oldSize} -> ${newSize}`);
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await openPage(ctx, srv, problems);
    await page.goto(`${srv.base}/verify`);
    await checkPasted(page, old);
    await expectAllPassed(page, 'old receipt', problems);
    await expectText(page, `检查点共 ${oldSize} 条`, 'old receipt', problems);
    await expectText(page, `当前共 ${newSize} 条，一致性证明成立`, 'old receipt', problems);
    await axe(page, 'verify old receipt', problems);
    await shot(page, 'verify-grown-desktop');
    await ctx.close();
  },

  async 'verify: a photo of a receipt QR code is read and checked'(browser, srv, problems) {
    await ensureLog(srv);
    const receipt = await getText(srv, `/tlog/receipt/${probeLeaves[2]}`);
    const dir = mkdtempSync(join(tmpdir(), 'xz-e2e-qr-'));
    try {
      const txt = join(dir, 'receipt.txt');
      const png = join(dir, 'receipt.png');
      writeFileSync(txt, receipt);
      execFileSync('qrencode', ['-o', png, '-l', 'L', '-s', '4', '-r', txt]);
      for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
        const ctx = await browser.newContext({ viewport });
        const page = await openPage(ctx, srv, problems);
        await page.goto(`${srv.base}/verify`);
        await page.locator('input[type="file"]').setInputFiles(png);
        await page.locator('.summary').waitFor({ timeout: 20000 });
        await expectAllPassed(page, `QR ${size}`, problems);
        await expectText(page, '已从二维码读出收据', `QR ${size}`, problems);
        if ((await page.getByLabel('收据内容').inputValue()) !== receipt)
          problems.push(`QR ${size}: the receipt read from the QR code differs from the one encoded`);
        await axe(page, `verify QR ${size}`, problems);
        await shot(page, `verify-qr-${size}`);
        await ctx.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async 'verify: the camera reads a receipt QR code'(browser, srv, problems) {
    await ensureLog(srv);
    const receipt = await getText(srv, `/tlog/receipt/${probeLeaves[1]}`);
    const dir = mkdtempSync(join(tmpdir(), 'xz-e2e-cam-'));
    // A browser of its own: the fake camera is chosen when it starts.
    const camera = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${qrVideo(receipt, dir)}`],
    });
    try {
      const ctx = await camera.newContext({ viewport: PHONE, permissions: ['camera'] });
      const page = await openPage(ctx, srv, problems);
      await page.goto(`${srv.base}/verify`);
      await page.getByRole('button', { name: '用摄像头扫码' }).click();
      await page.locator('.summary').waitFor({ timeout: 20000 });
      await expectAllPassed(page, 'camera', problems);
      if ((await page.getByLabel('收据内容').inputValue()) !== receipt)
        problems.push('camera: the receipt read from the QR code differs from the one encoded');
      if (await page.evaluate(() => document.querySelector('video').srcObject !== null))
        problems.push('camera: still on after the QR code was read');
      await ctx.close();
    } finally {
      await camera.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async 'verify: /verify?index=N checks without pasting; the header link; English'(browser, srv, problems) {
    await ensureLog(srv);
    const ctx = await browser.newContext({ viewport: PHONE });
    const page = await openPage(ctx, srv, problems);
    await page.goto(`${srv.base}/`);
    await page.getByRole('link', { name: '核验收据' }).click();
    await page.getByRole('heading', { name: '核验收据' }).waitFor();
    await page.goto(`${srv.base}/verify?index=${probeLeaves[0]}`);
    await page.locator('.summary').waitFor();
    await expectAllPassed(page, '?index=0', problems);
    await expectText(page, `第 ${probeLeaves[0] + 1} 条（序号 ${probeLeaves[0]}）`, '?index=0', problems);
    await shot(page, 'verify-index-phone');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Check a receipt' }).waitFor();
    await expectText(page, 'The receipt is well formed', 'English', problems);
    await expectText(page, "Operator's write probe (ops.probe)", 'English', problems);
    await axe(page, 'verify en phone', problems);
    await shot(page, 'verify-en-phone');
    await ctx.close();
  },
};
