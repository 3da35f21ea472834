// SPDX-License-Identifier: Apache-2.0
// web/src/shared/messages/common.js -- the strings all three apps share: brand, language,
// portal, login, home, households, role names.
// Merged into one catalogue by ../messages.js.
// The folders whose pages have these strings loaded (scripts/check-messages.mjs).
export const loadedBy = ['app', 'console', 'portal', 'shared'];

export default {
  'zh-CN': {
    brand: '乡治',
    language: {
      switch: 'English',
    },
    portal: {
      title: '乡治 · 村务公开门户',
      lead: '县、乡镇、村三级的公开信息：村务公开、值班表和可验证日志都将在这里发布。',
      townships: '乡镇（街道）',
      villages: '村（社区）',
      choose: '选择一个乡镇查看所辖村',
      boardHint: '点村名查看该村的积分榜',
      loading: '正在加载…',
      failed: '加载失败：{message}',
    },
    login: {
      title: '登录',
      username: '用户名或手机号',
      password: '密码',
      submit: '登录',
      failed: '登录失败：{message}',
      required: '请填写用户名和密码',
    },
    home: {
      hello: '您好，{name}',
      roles: '您的角色',
      logout: '退出登录',
      largeText: '大字模式',
    },
    household: {
      mine: '我的家庭',
      village: '本村住户',
      title: '户号 {no}',
      address: '地址',
      idNumber: '身份证',
      noMembers: '暂无成员',
      more: '加载更多',
      failed: '加载失败：{message}',
    },
    roles: {
      county_admin: '县级管理员',
      township_staff: '乡镇工作人员',
      village_cadre: '村两委干部',
      supervisor: '村务监督委员会',
      mediator: '调解员',
      party_member: '党员',
      agent: '代办员',
      merchant: '商户',
      villager: '村民',
      auditor: '审计员',
    },
  },
  en: {
    brand: 'Xiangzhi',
    language: {
      switch: '中文',
    },
    portal: {
      title: 'Xiangzhi · Village affairs portal',
      lead: 'Public information of the county, its townships and villages: disclosures, duty rosters and log checks will appear here.',
      townships: 'Townships',
      villages: 'Villages',
      choose: 'Choose a township to see its villages',
      boardHint: 'Choose a village to see its points board',
      loading: 'Loading…',
      failed: 'Could not load: {message}',
    },
    login: {
      title: 'Log in',
      username: 'Username or mobile number',
      password: 'Password',
      submit: 'Log in',
      failed: 'Login failed: {message}',
      required: 'Enter your username and password',
    },
    home: {
      hello: 'Hello, {name}',
      roles: 'Your roles',
      logout: 'Log out',
      largeText: 'Large text',
    },
    household: {
      mine: 'My household',
      village: 'Households of the village',
      title: 'Household {no}',
      address: 'Address',
      idNumber: 'ID',
      noMembers: 'No members yet',
      more: 'Load more',
      failed: 'Could not load: {message}',
    },
    roles: {
      county_admin: 'County administrator',
      township_staff: 'Township staff',
      village_cadre: 'Village committee cadre',
      supervisor: 'Village affairs supervision committee',
      mediator: 'Mediator',
      party_member: 'Party member',
      agent: 'Proxy agent',
      merchant: 'Merchant',
      villager: 'Villager',
      auditor: 'Auditor',
    },
  },
};
