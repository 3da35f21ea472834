// SPDX-License-Identifier: Apache-2.0
// web/src/shared/messages/app.js -- the phone app's own strings.
// Merged into one catalogue by ../messages.js.
export default {
  'zh-CN': {
    app: {
      title: '乡治',
    },
  },
  en: {
    app: {
      title: 'Xiangzhi',
    },
  },
};
