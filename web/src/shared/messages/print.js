// SPDX-License-Identifier: Apache-2.0
// web/src/shared/messages/print.js -- a receipt's QR code and link, and the
// print page every module's documents share (shared/print/).
// The folders whose pages have these strings loaded (scripts/check-messages.mjs).
export const loadedBy = ['app', 'console', 'shared/print'];

export default {
  'zh-CN': {
    receipt: {
      link: '核验第 {index} 号收据',
      qrAlt: '第 {index} 号收据的二维码',
      pending: '收据正在生成，几秒后显示…',
      show: '显示收据二维码',
      hide: '收起二维码',
    },
    print: {
      print: '打印',
      loading: '正在读取…',
      failed: '读取失败：{message}',
      check: '核验：扫描二维码，或打开下面的网址，可以核对这张纸与县里公开日志上的记录是否一致。',
      fingerprint: '日志指纹',
      index: '日志序号',
      printed: '打印时间',
    },
  },
  en: {
    receipt: {
      link: 'Check receipt no. {index}',
      qrAlt: 'QR code of receipt no. {index}',
      pending: 'The receipt is being made; it shows in a few seconds…',
      show: 'Show the receipt QR code',
      hide: 'Hide the QR code',
    },
    print: {
      print: 'Print',
      loading: 'Loading…',
      failed: 'Could not load: {message}',
      check: 'To check: scan the QR code, or open the address below, to see that this paper matches the record in the county\'s public log.',
      fingerprint: 'log fingerprint',
      index: 'log index',
      printed: 'printed',
    },
  },
};
