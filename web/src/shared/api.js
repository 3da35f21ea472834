// SPDX-License-Identifier: Apache-2.0
// web/src/shared/api.js -- the one API client of the three apps: same-origin
// fetch, JSON both ways, the session's CSRF token on every write, the UI's
// language in Accept-Language (so the server's messages match the page), and
// errors as ApiError carrying the server's code, message and field.

const CSRF_KEY = 'xz_csrf';

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'http';
    this.field = e.field || '';
    this.requestId = e.request_id || '';
  }
}

let language = 'zh-CN';

export function setApiLanguage(lang) {
  language = lang;
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json', 'Accept-Language': language };
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// Who is logged in, or null; remembers the CSRF token for later writes.
// (whoami answers 200 either way, so a logged-out page logs no failed request.)
export async function currentSession() {
  const { session } = await api('GET', '/api/v1/whoami');
  if (session) sessionStorage.setItem(CSRF_KEY, session.csrf_token || '');
  return session;
}

export async function logIn(username, password) {
  const me = await api('POST', '/api/v1/session', { username, password });
  sessionStorage.setItem(CSRF_KEY, me.csrf_token || '');
  return me;
}

export async function logOut() {
  try {
    await api('DELETE', '/api/v1/session');
  } finally {
    sessionStorage.removeItem(CSRF_KEY);
  }
}
