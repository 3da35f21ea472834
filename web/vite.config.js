// SPDX-License-Identifier: Apache-2.0
// web/vite.config.js -- three entry points sharing one API client, one i18n
// catalogue and one design language: the public portal (/), the phone app
// (/app/) and the desk console (/console/). The C server serves web/dist.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Libraries may point at fonts on other hosts (Vant's icon font has a fallback
// on at.alicdn.com). The pages must not reach any host but our server (and the
// CSP would block it anyway), so such url(...) entries are cut out of the CSS.
const REMOTE_URL = /,?\s*url\(\s*['"]?(?:https?:)?\/\/[^)]*\)(?:\s*format\([^)]*\))?/g;

function noRemoteUrls() {
  return {
    name: 'xiangzhi-no-remote-urls',
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle))
        if (file.type === 'asset' && file.fileName.endsWith('.css'))
          file.source = String(file.source).replace(REMOTE_URL, '');
    },
  };
}

export default defineConfig({
  plugins: [vue(), noRemoteUrls()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline scripts or data: URLs for scripts: the server's CSP is script-src 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        portal: resolve(import.meta.dirname, 'index.html'),
        app: resolve(import.meta.dirname, 'app/index.html'),
        console: resolve(import.meta.dirname, 'console/index.html'),
      },
    },
  },
});
