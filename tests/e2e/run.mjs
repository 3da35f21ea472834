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
//                          [--only TEXT]   (only the tests whose name contains TEXT)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

import { setScreenshotDir } from './lib.mjs';
import portal from './portal.mjs';
import app from './app.mjs';
import consoleTests from './console.mjs';
import verify from './verify.mjs';
import points from './points.mjs';
import pointsConsole from './points_console.mjs';
import workflow from './workflow.mjs';

const tests = { ...portal, ...app, ...consoleTests, ...verify, ...points, ...pointsConsole, ...workflow };

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const bin = resolve(option('bin', 'build/xiangzhi'));
const web = resolve(option('web', 'web/dist'));
const out = resolve(option('out', '.test-out/e2e-screenshots'));
const chromiumPath = option('chromium', '/usr/bin/chromium');
const only = option('only', ''); // run the tests whose name contains this

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
  // A points publicity window of 40 s, not 7 days: the points story sees a
  // board come down and its claims become final by the scheduler.
  const proc = spawn(bin, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`, '--web', web,
    '--access-log', 'off', '--publicity', '40'], { stdio: ['ignore', 'ignore', 'pipe'] });
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

async function main() {
  mkdirSync(out, { recursive: true });
  setScreenshotDir(out);
  console.log(`e2e: screenshots in ${out}`);
  const srv = await startServer();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  let passed = 0;
  let failed = 0;
  try {
    for (const [name, run] of Object.entries(tests)) {
      if (!name.includes(only)) continue;
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
