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

// Vant's components pull in its icon font (26 of the phone app's 35 KiB of
// CSS). No page shows a Vant icon -- chevrons are CSS, the tab bar is text --
// so the icon stylesheet is replaced by the one rule the components rely on.
const VANT_ICON_CSS = /[\\/]vant[\\/]es[\\/]icon[\\/]index\.css$/;
const NO_ICON_FONT = '\0xiangzhi-no-icon-font.css';

function noVantIconFont() {
  return {
    name: 'xiangzhi-no-vant-icon-font',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('icon/index.css')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && VANT_ICON_CSS.test(resolved.id) ? NO_ICON_FONT : null;
    },
    load(id) {
      return id === NO_ICON_FONT ? '.van-icon{position:relative;display:inline-block}' : null;
    },
  };
}

export default defineConfig({
  plugins: [noVantIconFont(), vue(), noRemoteUrls()],
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
