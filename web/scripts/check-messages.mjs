// SPDX-License-Identifier: Apache-2.0
// web/scripts/check-messages.mjs -- every string in the catalogue, in both
// languages: fails (exit 1) when a key exists in one language only, or when a
// page uses t('key') with a key the strings its app loads lack (each app loads
// the shared area and its own: LOADED). Keys built at run time
// ('roles.' + r.role) are checked through their literal prefix. Prints one line
// per problem and a summary.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import messages from '../src/shared/messages.js';
import common from '../src/shared/messages/common.js';
import app from '../src/shared/messages/app.js';
import consoleArea from '../src/shared/messages/console.js';
import persons from '../src/shared/messages/persons.js';
import pointsConsole from '../src/shared/messages/pointsConsole.js';
import verify from '../src/shared/messages/verify.js';
import pointsApp from '../src/shared/messages/pointsApp.js';
import pointsBoard from '../src/shared/messages/pointsBoard.js';
import workflow from '../src/shared/messages/workflow.js';
import print from '../src/shared/messages/print.js';

// The areas each folder's pages have loaded (their main.js calls useMessages,
// or a page opened later does). A file takes the entry of the longest folder
// its path starts with: shared/points/ holds the points board that the phone
// app and the portal both show.
const LOADED = {
  app: [common, app, pointsApp, pointsBoard, workflow, print],
  console: [common, consoleArea, persons, pointsConsole, workflow, print],
  portal: [common, verify, pointsBoard],
  shared: [common],
  'shared/points': [common, pointsBoard],
  'shared/workflow': [common, workflow],
  'shared/print': [common, print],
};

function areasOf(relPath) {
  const folders = Object.keys(LOADED).filter((f) => relPath.startsWith(`${f}/`));
  return folders.length ? LOADED[folders.sort((a, b) => b.length - a.length)[0]] : [common];
}

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
  const loaded = new Set(areasOf(file.slice(root.length + 1)).flatMap((area) => keys(area['zh-CN'])));
  for (const m of text.matchAll(/\bt\(\s*'([^']+)'(\s*\+)?/g)) {
    uses++;
    const [, key, concat] = m;
    const known = concat ? [...loaded].some((k) => k.startsWith(key)) : loaded.has(key);
    if (!known) problems.push(`${file.slice(root.length + 1)}: t('${key}'${concat ? ' + ...' : ''}) is not in the strings its app loads`);
  }
}

for (const p of problems) console.log(`i18n: ${p}`);
console.log(`i18n: ${sets['zh-CN'].size} keys, ${uses} uses checked, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
