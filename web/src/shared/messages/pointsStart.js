// SPDX-License-Identifier: Apache-2.0
// web/src/shared/messages/pointsStart.js -- the strings of points that its
// apps show before any points page opens: the console's menu names, menu
// group and permission names, the phone's home-page links and page titles.
// Loaded at start by each app's points/routes.js (deep-merged into the
// console.* and phone.* areas), so adding a module edits none of those files.
// The folders whose pages have these strings loaded (scripts/check-messages.mjs).
export const loadedBy = ['app', 'console'];

export default {
  'zh-CN': {
    console: {
      nav: {
        pointsSchemes: '积分方案',
        pointsClaims: '申报与异议',
        pointsOutlets: '兑换点与库存',
        pointsReports: '积分报表',
      },
      groups: {
        points: '积分管理',
      },
      perm: {
        points: {
          read: '查看积分方案、申报、台账和报表',
          claim: '申报积分',
          review: '审核、批准和复核积分申报，公示积分',
          object: '对公示中的积分提出异议',
          manage: '编辑积分模板、采用方案、开启和结束积分周期',
          redeem: '办理积分兑换',
          outlet: '管理兑换点、商品和库存',
        },
      },
    },
    phone: {
      points: {
        heading: '积分',
        mine: '我的积分',
        claims: '我的申报',
        declare: '申报好事',
        paycode: '付款码',
        redemptions: '我的兑换',
        statement: '积分贷证明',
        board: '村积分榜',
        publicity: '公示中的申报',
        review: '积分审核',
        enter: '录入积分',
        cycles: '积分周期',
        redeem: '扫码兑换',
      },
    },
  },
  en: {
    console: {
      nav: {
        pointsSchemes: 'Points schemes',
        pointsClaims: 'Claims and objections',
        pointsOutlets: 'Outlets and stock',
        pointsReports: 'Points reports',
      },
      groups: {
        points: 'Points',
      },
      perm: {
        points: {
          read: 'read points schemes, claims, ledgers and reports',
          claim: 'declare points claims',
          review: 'review, approve and re-review points claims; publicise points',
          object: 'object to points under publicity',
          manage: 'edit points templates, adopt schemes, open and close points cycles',
          redeem: 'take points redemptions',
          outlet: 'manage outlets, goods and stock',
        },
      },
    },
    phone: {
      points: {
        heading: 'Points',
        mine: 'My points',
        claims: 'My claims',
        declare: 'Declare a good deed',
        paycode: 'Pay code',
        redemptions: 'My redemptions',
        statement: 'Statement for a points loan',
        board: 'Village points board',
        publicity: 'Claims on the board',
        review: 'Review claims',
        enter: 'Enter points',
        cycles: 'Points cycles',
        redeem: 'Redeem by pay code',
      },
    },
  },
};
