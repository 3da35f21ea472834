// SPDX-License-Identifier: Apache-2.0
// web/src/app/validate.js -- the checks a form makes before it sends anything,
// with the server's rules (src/domain/registry/person.c, household.c, idnum.c)
// so that a mistake is explained at once, in the page's language. Each returns
// a message, or '' when the value is fine. The server checks everything again.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

function chars(text) {
  return [...(text || '')].length;
}

export function requiredText(t, text, label, max) {
  const n = chars(text.trim());
  if (n < 1) return t('phone.check.required', { field: label });
  if (n > max) return t('phone.check.tooLong', { field: label, n: max });
  return '';
}

export function optionalText(t, text, label, max) {
  return chars(text.trim()) > max ? t('phone.check.tooLong', { field: label, n: max }) : '';
}

// The GB 11643 check character of the first 17 digits.
export function idCheckChar(digits17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(digits17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

// YYYY, MM, DD: a real day from 1900 to today.
function dayProblem(t, y, m, d) {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || date.getUTCDate() !== d) return t('phone.check.idBirth');
  if (y < 1900) return t('phone.check.idBefore1900');
  if (date.getTime() > Date.now()) return t('phone.check.idFuture');
  return '';
}

// An 18-character ID number (15 for old ones); '' for an empty one.
export function idNumberProblem(t, text) {
  const s = text.trim();
  if (!s) return '';
  if (s.length !== 18 && s.length !== 15) return t('phone.check.idLength', { n: s.length });
  const digits = s.length === 18 ? 17 : 15;
  for (let i = 0; i < digits; i++) if (!/\d/.test(s[i])) return t('phone.check.idDigit', { n: i + 1 });
  if (s.length === 18 && !/[\dXx]/.test(s[17])) return t('phone.check.idLast');
  if (s[0] === '0') return t('phone.check.idRegion');
  const birth = s.length === 18 ? s.slice(6, 14) : `19${s.slice(6, 12)}`;
  const problem = dayProblem(t, +birth.slice(0, 4), +birth.slice(4, 6), +birth.slice(6, 8));
  if (problem) return problem;
  if (s.length === 18 && idCheckChar(s) !== s[17].toUpperCase()) return t('phone.check.idCheck');
  return '';
}

export function birthDateProblem(t, text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
  if (!m) return t('phone.check.birthDate');
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (+m[1] < 1900 || date.getUTCDate() !== +m[3] || date.getTime() > Date.now()) return t('phone.check.birthDate');
  return '';
}

// A mainland mobile number, spaces and dashes allowed; '' for an empty one.
export function phoneProblem(t, text) {
  let s = (text || '').replace(/[\s-]/g, '');
  if (!s) return '';
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('+')) return t('phone.check.phoneChina');
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  if (!/^\d+$/.test(s)) return t('phone.check.phoneDigits');
  if (s.length !== 11) return t('phone.check.phoneLength');
  if (s[0] !== '1' || s[1] < '3') return t('phone.check.phoneStart');
  return '';
}

// A household's own fields, by field name.
export function householdProblems(t, householdNo, address) {
  return {
    household_no: requiredText(t, householdNo, t('phone.household.no'), 32),
    address: optionalText(t, address, t('household.address'), 100),
  };
}

// A member's details, by field name. Without an ID number the sex and the
// birth date are needed (the number would give both).
export function memberProblems(t, m) {
  const problems = {
    name: requiredText(t, m.name, t('phone.member.name'), 32),
    relation: optionalText(t, m.relation, t('phone.member.relation'), 10),
    phone: phoneProblem(t, m.phone),
  };
  if ('id_number' in m) {
    problems.id_number = idNumberProblem(t, m.id_number);
    const noId = !m.id_number.trim();
    problems.sex = noId && !m.sex ? t('phone.check.sex') : '';
    problems.birth_date = noId ? birthDateProblem(t, m.birth_date) : '';
  }
  return problems;
}
