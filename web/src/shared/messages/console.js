// SPDX-License-Identifier: Apache-2.0
// web/src/shared/messages/console.js -- the desk console's own strings.
// Merged into one catalogue by ../messages.js.
export default {
  'zh-CN': {
    console: {
      title: '乡治管理台',
      subtitle: '乡镇和县级工作人员使用',
      households: '户籍',
      region: '区划代码',
      memberName: '成员姓名',
      search: '查询',
      householdNo: '户号',
      village: '村代码',
      updated: '更新日期',
      previous: '上一页',
      next: '下一页',
      page: '第 {n} 页',
      name: '姓名',
      relation: '与户主关系',
      birth: '出生日期',
      phone: '手机号',
    },
  },
  en: {
    console: {
      title: 'Xiangzhi console',
      subtitle: 'For township and county staff',
      households: 'Households',
      region: 'Region code',
      memberName: 'Member\'s name',
      search: 'Search',
      householdNo: 'Household no.',
      village: 'Village code',
      updated: 'Updated',
      previous: 'Previous',
      next: 'Next',
      page: 'Page {n}',
      name: 'Name',
      relation: 'Relation',
      birth: 'Born',
      phone: 'Mobile',
    },
  },
};
