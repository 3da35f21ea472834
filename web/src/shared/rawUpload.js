// SPDX-License-Identifier: Apache-2.0
// web/src/shared/rawUpload.js -- POST a file's bytes as they are (a CSV in
// UTF-8 or GBK, an evidence photo), which shared/api.js cannot: it sends JSON
// only. The same rules as api(): same origin, the session's CSRF token, the
// page's language, and a JSON answer or an ApiError.
import { ApiError } from './api.js';
import { i18n } from './i18n.js';

export async function postRaw(path, bytes, contentType) {
  const headers = {
    Accept: 'application/json',
    'Accept-Language': i18n.global.locale.value,
    'Content-Type': contentType,
  };
  const csrf = sessionStorage.getItem('xz_csrf');
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: bytes });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null; // a proxy's HTML error page: the status says enough
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}
