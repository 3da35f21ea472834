// SPDX-License-Identifier: Apache-2.0
// web/scripts/check-messages.mjs -- every string in the catalogue, in both
// languages: fails (exit 1) when a key exists in one language only, or when a
// page uses t('key') with a key the strings its app loads lack (each app loads
// the shared area and its own: LOADED). Keys built at run time
// ('roles.' + r.role) are checked through their literal prefix. Prints one line
// per problem and a summary.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Every area of strings (src/shared/messages/*.js: a module adds its own
// files, nothing else), each with the folders whose pages have it loaded
// (their main.js calls useMessages, or a page opened later does): its
// 'loadedBy'. A file takes the areas of the longest folder its path starts
// with: shared/points/ holds the points board that the phone app and the
// portal both show.
const dir = new URL('../src/shared/messages/', import.meta.url).pathname;
const areas = await Promise.all(
  readdirSync(dir).filter((n) => n.endsWith('.js')).sort().map(async (n) => ({ file: n, ...(await import(join(dir, n))) })),
);
const LOADED = {};
for (const area of areas)
  for (const folder of area.loadedBy ?? []) (LOADED[folder] ??= []).push(area.default);
const common = areas.find((a) => a.file === 'common.js').default;

// Every area merged as the apps merge them (deeply: a module's start file adds
// its menu names under console.nav); a string defined in two areas is a problem.
const messages = {};
const problems = [];
function mergeInto(out, strings, path, file) {
  for (const [key, value] of Object.entries(strings)) {
    if (typeof value === 'object' && (out[key] === undefined || typeof out[key] === 'object'))
      mergeInto((out[key] ??= {}), value, `${path}${key}.`, file);
    else if (key in out) problems.push(`'${path}${key}' is defined twice (${file})`);
    else out[key] = value;
  }
}
for (const area of areas)
  for (const [lang, strings] of Object.entries(area.default)) mergeInto((messages[lang] ??= {}), strings, `${lang}:`, area.file);

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
