// SPDX-License-Identifier: Apache-2.0
// web/src/shared/messages/persons.js -- the console's persons page.
// The folders whose pages have these strings loaded (scripts/check-messages.mjs).
export const loadedBy = ['console'];

export default {
  'zh-CN': {
    persons: {
      title: '人员',
      name: '姓名（前几个字）',
      idNumber: '身份证号（完整 18 位）',
      idHint: '按身份证号查询时，号码不会出现在网址或日志中',
      badId: '身份证号应为 18 位：17 位数字加 1 位数字或 X',
      household: '户号',
      sex: '性别',
      male: '男',
      female: '女',
      status: '状态',
      statuses: { active: '在册', moved_out: '已迁出', deceased: '已故' },
      none: '没有符合条件的人员',
      reveal: '查看',
      revealId: '查看 {name} 的完整身份证号',
      revealPhone: '查看 {name} 的完整手机号',
    },
  },
  en: {
    persons: {
      title: 'Persons',
      name: 'Name (first characters)',
      idNumber: 'ID number (all 18 characters)',
      idHint: 'A search by ID number keeps the number out of addresses and logs',
      badId: 'An ID number has 18 characters: 17 digits and a digit or X',
      household: 'Household no.',
      sex: 'Sex',
      male: 'Male',
      female: 'Female',
      status: 'Status',
      statuses: { active: 'Registered', moved_out: 'Moved out', deceased: 'Deceased' },
      none: 'No one matches',
      reveal: 'Show',
      revealId: "Show {name}'s full ID number",
      revealPhone: "Show {name}'s full mobile number",
    },
  },
};
