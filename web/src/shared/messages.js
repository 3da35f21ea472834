// SPDX-License-Identifier: Apache-2.0
// web/src/shared/messages.js -- every string the pages show, in both languages,
// merged from one file per area (messages/*.js) so that each app's pages keep
// their strings beside each other. Two areas may not define the same top-level
// key. A key present in one language and not the other fails the build check
// (scripts/check-messages.mjs).
import common from './messages/common.js';
import app from './messages/app.js';
import consoleMessages from './messages/console.js';
import persons from './messages/persons.js';
import verify from './messages/verify.js';
import pointsApp from './messages/pointsApp.js';
import pointsBoard from './messages/pointsBoard.js';
import pointsConsole from './messages/pointsConsole.js';
import workflow from './messages/workflow.js';
import print from './messages/print.js';

function merge(...areas) {
  const out = {};
  for (const area of areas)
    for (const [lang, strings] of Object.entries(area)) {
      out[lang] ??= {};
      for (const [key, value] of Object.entries(strings)) {
        if (key in out[lang]) throw new Error(`messages: '${key}' is defined twice (${lang})`);
        out[lang][key] = value;
      }
    }
  return out;
}

export default merge(common, app, consoleMessages, persons, verify, pointsApp, pointsBoard,
  pointsConsole, workflow, print);
