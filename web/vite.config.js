// SPDX-License-Identifier: Apache-2.0
// web/vite.config.js -- three entry points sharing one API client, one i18n
// catalogue and one design language: the public portal (/), the phone app
// (/app/) and the desk console (/console/). The C server serves web/dist.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
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
