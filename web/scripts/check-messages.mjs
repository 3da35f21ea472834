// SPDX-License-Identifier: Apache-2.0
// web/scripts/check-messages.mjs -- every string in the catalogue, in both
// languages: fails (exit 1) when a key exists in one language only, or when a
// page uses t('key') with a key the catalogue lacks. Keys built at run time
// ('roles.' + r.role) are checked through their literal prefix. Prints one line
// per problem and a summary.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import messages from '../src/shared/messages.js';

function keys(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(vue|js)$/.test(name) ? [path] : [];
  });
}

const langs = Object.keys(messages);
const sets = Object.fromEntries(langs.map((l) => [l, new Set(keys(messages[l]))]));
const problems = [];
for (const a of langs)
  for (const b of langs)
    for (const k of sets[a]) if (!sets[b].has(k)) problems.push(`${k}: in ${a}, missing in ${b}`);

const root = new URL('../src', import.meta.url).pathname;
let uses = 0;
for (const file of sources(root)) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\bt\(\s*'([^']+)'(\s*\+)?/g)) {
    uses++;
    const [, key, concat] = m;
    const known = concat ? [...sets['zh-CN']].some((k) => k.startsWith(key)) : sets['zh-CN'].has(key);
    if (!known) problems.push(`${file.slice(root.length + 1)}: t('${key}'${concat ? ' + ...' : ''}) is not in the catalogue`);
  }
}

for (const p of problems) console.log(`i18n: ${p}`);
console.log(`i18n: ${sets['zh-CN'].size} keys, ${uses} uses checked, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
