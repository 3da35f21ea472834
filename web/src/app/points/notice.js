// SPDX-License-Identifier: Apache-2.0
// web/src/app/points/notice.js -- what a points form tells the page it leads
// to ("declared, the village will review it"): left once, shown once.
let notice = '';

export function leaveNotice(message) {
  notice = message;
}

export function takePointsNotice() {
  const text = notice;
  notice = '';
  return text;
}
