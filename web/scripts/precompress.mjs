// SPDX-License-Identifier: Apache-2.0
// web/scripts/precompress.mjs -- write NAME.gz beside every text file of the
// build (html, js, css, svg, json), which the C server sends to clients that
// accept gzip. Only when it is smaller. Usage: node scripts/precompress.mjs DIR
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const TEXT = /\.(html|js|mjs|css|svg|json|txt|webmanifest)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (TEXT.test(name)) {
      const raw = readFileSync(path);
      const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
      if (gz.length < raw.length) writeFileSync(path + '.gz', gz);
    }
  }
}

walk(process.argv[2] || 'dist');
