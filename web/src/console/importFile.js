// SPDX-License-Identifier: Apache-2.0
// web/src/console/importFile.js -- what the browser knows about a household
// import file before sending it: the columns the server reads (see
// src/domain/registry/transfer.h), a template with that header row, and which
// encoding a picked file is in (Excel in China saves CSV as GBK), or whether it
// is an Excel workbook (.xlsx, a ZIP archive), which the server reads itself.

export const IMPORT_COLUMNS = ['村代码', '户号', '地址', '姓名', '与户主关系', '身份证号', '性别', '出生日期', '手机号'];

// The header row as a UTF-8 CSV with a BOM, so Excel opens it correctly.
export function templateBlob() {
  return new Blob(['\uFEFF' + IMPORT_COLUMNS.join(',') + '\r\n'], { type: 'text/csv;charset=utf-8' });
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// An .xlsx workbook starts like every ZIP archive.
export function isWorkbook(bytes) {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

// 'utf-8' when the bytes are valid UTF-8 (or start with its BOM), else 'gbk'.
export function detectCharset(bytes) {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

// The first line of the file in 'charset', to show the user what was read.
export function headerLine(bytes, charset) {
  const text = new TextDecoder(charset).decode(bytes.subarray(0, 4096));
  return text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
}
