// SPDX-License-Identifier: Apache-2.0
// web/scripts/check-budget.mjs -- what a first page load costs: the JS and CSS
// an entry's index.html pulls in (scripts, stylesheets, module preloads, and
// the imports of those chunks), counted gzip-compressed as the server sends
// them (NAME.gz); chunks imported dynamically (pages opened later) are left
// out. Fails (exit 1) over budget: the phone app ~150 KiB, the
// console ~500 KiB (issue #4). Prints one line per entry.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] || 'dist';
const BUDGETS = { 'index.html': 150, 'app/index.html': 150, 'console/index.html': 500 };

function gzipSize(path) {
  return existsSync(path + '.gz') ? statSync(path + '.gz').size : gzipSync(readFileSync(path)).length;
}

// Assets an HTML file or a JS chunk refers to, transitively; a chunk loaded
// later by import("./x.js") (a page opened on demand) is not part of the first
// page and is not counted.
function closure(file, seen = new Set()) {
  const text = readFileSync(join(dist, file), 'utf8');
  const refs = file.endsWith('.html')
    ? [...text.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1])
    : [...text.matchAll(/(?<!import\()["'`]\.\/([\w.-]+\.(?:js|css))["'`]/g)].map((m) => `assets/${m[1]}`);
  for (const r of refs) {
    if (seen.has(r) || !existsSync(join(dist, r))) continue;
    seen.add(r);
    if (r.endsWith('.js')) closure(r, seen);
  }
  return seen;
}

let over = 0;
for (const [entry, kib] of Object.entries(BUDGETS)) {
  const files = [...closure(entry)];
  const bytes = files.reduce((n, f) => n + gzipSize(join(dist, f)), 0);
  const ok = bytes <= kib * 1024;
  if (!ok) over++;
  console.log(
    `budget: /${entry.replace('index.html', '')} ${(bytes / 1024).toFixed(1)} KiB gzip of JS+CSS ` +
      `in ${files.length} files (budget ${kib} KiB) ${ok ? 'ok' : 'OVER'}`,
  );
}
process.exit(over ? 1 : 0);
