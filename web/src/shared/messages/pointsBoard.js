// SPDX-License-Identifier: Apache-2.0
// web/src/shared/messages/pointsBoard.js -- a village's points board (村积分榜)
// as the public portal (/board/{code}) and the phone app show it: the cycle's
// household totals, the red and black lists and the year's honours. Names on
// the board are household heads'; the strings never promise more. Loaded by the
// board's pages when first opened. Merged into one catalogue by ../messages.js.
// The folders whose pages have these strings loaded (scripts/check-messages.mjs).
export const loadedBy = ['app', 'portal', 'shared/points'];

export default {
  'zh-CN': {
    pointsBoard: {
      nav: '积分榜',
      title: '{village}积分榜',
      titlePlain: '村积分榜',
      lead: '本村积分制的公示榜：各户本期积分、红榜、黑榜和年度评选。榜上只列户主姓名。',
      loading: '正在加载…',
      failed: '加载失败：{message}',
      notVillage: '地址中的村代码不对：应为 12 位数字的村级区划代码。',
      back: '返回各乡镇、村列表',
      cycle: '本期：{from} 至 {to}',
      cycleClosed: '（已结束）',
      noCycle: '本村当前没有积分周期',
      households: '各户积分',
      householdsEmpty: '本期还没有公示的积分',
      total: '{n} 分',
      pointsShort: '分',
      rank: '名次',
      name: '户主',
      sum: '积分',
      details: '明细',
      red: '红榜',
      redLead: '本期积分最高的住户',
      black: '黑榜',
      blackLead: '本期有扣分或一票否决事项的住户',
      none: '暂无',
      honours: '年度评选',
      year: '年份',
      families: '文明家庭',
      courtyards: '最美庭院',
      states: {
        publicised: '公示中',
        objected: '有异议',
        final: '已生效',
      },
    },
  },
  en: {
    pointsBoard: {
      nav: 'Points board',
      title: 'Points board of {village}',
      titlePlain: 'Village points board',
      lead: "The village's points board: each household's points this cycle, the red and black lists and the year's honours. Only the heads of households are named.",
      loading: 'Loading…',
      failed: 'Could not load: {message}',
      notVillage: 'The village code in the address is wrong: it is the 12-digit code of a village.',
      back: 'Back to the townships and villages',
      cycle: 'This cycle: {from} to {to}',
      cycleClosed: ' (closed)',
      noCycle: 'The village has no points cycle now',
      households: 'Points by household',
      householdsEmpty: 'No points posted this cycle yet',
      total: '{n} points',
      pointsShort: 'pts',
      rank: 'Rank',
      name: 'Head of household',
      sum: 'Points',
      details: 'Details',
      red: 'Red list',
      redLead: 'The households with the most points this cycle',
      black: 'Black list',
      blackLead: 'Households with deductions or a veto item this cycle',
      none: 'None yet',
      honours: "The year's honours",
      year: 'Year',
      families: 'Civilised families',
      courtyards: 'Most beautiful courtyards',
      states: {
        publicised: 'On the board',
        objected: 'Objected to',
        final: 'Final',
      },
    },
  },
};
