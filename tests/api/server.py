# SPDX-License-Identifier: Apache-2.0
"""Start, talk to and stop a real `xiangzhi serve` for the API tests."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time

# What no error answer may carry (issue #12): an address, a library's or the
# database's words, SQL, a path on the server.
LEAKS = re.compile(r'127\.0\.0\.1|port \d|connection to server|PostgreSQL|libpq|SQLite|'
                   r'SELECT |INSERT |UPDATE |DELETE FROM|constraint failed|no such table|'
                   r'/tmp/|/var/|\.db\b|<html', re.I)
CJK = re.compile('[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]')


def prefers_english(accept_language):
    """The server's rule (http_prefers_english): English of a higher quality than Chinese."""
    best = {'en': -1, 'zh': -1}
    for item in (accept_language or '').split(','):
        tag, _, params = item.strip().partition(';')
        q = 1.0
        m = re.search(r'q=([0-9.]+)', params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = 0
        lang = tag.strip()[:2].lower()
        if lang in best:
            best[lang] = max(best[lang], q)
    return best['en'] > 0 and best['en'] > best['zh']


def error_problems(status, headers, data, english, sent=''):
    """What is wrong with an error answer: its shape, language or contents.
    Characters the request itself sent ('sent') may come back in any language."""
    if status < 400:
        return []
    try:
        err = json.loads(data)['error']
        code, message, field = err['code'], err['message'], err['field']
    except (ValueError, KeyError, TypeError):
        return ['%d is not the JSON error shape: %r' % (status, data[:120])]
    out = []
    if not (isinstance(code, str) and isinstance(message, str) and message and
            isinstance(field, str)):
        out.append('%d: a malformed error %r' % (status, err))
    elif LEAKS.search(message) or LEAKS.search(field):
        out.append('%d %s: the message leaks: %s' % (status, code, message))
    elif english and CJK.search(''.join(ch for ch in message if ch not in sent)):
        out.append('%d %s: English asked, Chinese answered: %s' % (status, code, message))
    elif not english and not CJK.search(message):
        out.append('%d %s: Chinese asked, no Chinese answered: %s' % (status, code, message))
    if status == 503 and 'retry-after' not in headers:
        out.append('503 without Retry-After')
    return out


def openapi_violations(status, hdrs):
    """What Prism's proxy (sl-violations) found wrong with an exchange that
    matters: every fault of an answer, and a fault of a request the server
    accepted (a refused one is the server checking what the document says)."""
    try:
        found = json.loads(hdrs.get('sl-violations', '[]'))
    except ValueError:
        return ['unreadable sl-violations header']
    return ['%s: %s' % ('.'.join(v.get('location', [])), v.get('message'))
            for v in found if v.get('severity') == 'Error' and
            (v.get('location', [''])[0] == 'response' or 200 <= status < 300)]


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, db, data, extra=(), listen_host='127.0.0.1'):
        self.binary, self.db, self.data, self.extra = binary, db, data, list(extra)
        self.listen_host = listen_host
        self.host = '127.0.0.1'  # where requests go
        self.port = free_port()
        self.proc = None
        self.log_path = os.path.join(data, 'server.log')
        self.error_problems = []  # of every error answer a test saw (error_problems)
        # Through a validating proxy (run.py --prism): where requests go, and
        # what the proxy found wrong against docs/openapi.yaml.
        self.via = None
        self.direct = lambda method, path: False  # ...except for these
        self.openapi_problems = []
        self.openapi_requests = 0
        self.routes = None  # run.py's RouteTable, once started
        self.successes, self.success_problems = 0, []

    def init(self, demo=False):
        subprocess.run([self.binary, 'demo' if demo else 'init', '--db', self.db,
                        '--data', self.data],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.sessions = {}
        if demo:
            with open(os.path.join(self.data, 'demo-accounts.json'), encoding='utf-8') as f:
                self.accounts = {a['username']: a for a in json.load(f)}

    def login(self, username, password=None, fresh=False):
        """Log in as a demo user; returns (cookie header, csrf token). Cached."""
        if username in self.sessions and not fresh:
            return self.sessions[username]
        password = password or self.accounts[username]['password']
        st, hdrs, body = self.request('POST', '/api/v1/session',
                                      json.dumps({'username': username,
                                                  'password': password}).encode(),
                                      {'Content-Type': 'application/json'})
        if st != 201:
            raise RuntimeError('login %s: %d %r' % (username, st, body[:200]))
        cookie = hdrs['set-cookie'].split(';')[0]
        self.sessions[username] = (cookie, json.loads(body)['csrf_token'])
        return self.sessions[username]

    def as_user(self, username, headers=None, csrf=True):
        cookie, token = self.login(username)
        h = dict(headers or {})
        h['Cookie'] = cookie
        if csrf:
            h['X-CSRF-Token'] = token
        return h

    def sql(self, statement):
        """Run SQL straight on the database (tests only: to age a session)."""
        if self.db.startswith('sqlite:'):
            # The server's writer may hold the lock a moment (the scheduler's jobs).
            cmd = ['sqlite3', '-cmd', '.timeout 10000', self.db[7:], statement]
        else:
            cmd = ['psql', '-q', '-v', 'ON_ERROR_STOP=1', self.db, '-c', statement]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self.log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(
            [self.binary, 'serve', '--db', self.db, '--data', self.data,
             '--listen', '%s:%d' % (self.listen_host, self.port), '--access-log', '-']
            + self.extra,
            stdout=self.log, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break  # it exited (e.g. the port was taken): whoever answers is not ours
            try:
                if self.request('GET', '/healthz')[0] == 200:
                    time.sleep(0.2)
                    if self.proc.poll() is None:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError('server did not start; see %s' % self.log_path)

    def request(self, method, path, body=None, headers=None, timeout=10):
        via = self.via and not self.direct(method, path.split('?')[0])
        host, port = self.via if via else (self.host, self.port)
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            lang = next((v for k, v in (headers or {}).items() if k.lower() == 'accept-language'),
                        '')
            sent = path + (body.decode('utf-8', 'replace') if isinstance(body, bytes) else '')
            wrong = self.routes and self.routes.wrong_success(method, path, r.status)
            self.successes += 200 <= r.status < 300
            if wrong:
                self.success_problems.append(wrong)
            if via:
                self.openapi_requests += 1
                self.openapi_problems += ['%s %s -> %d: %s' % (method, path[:80], r.status, p)
                                          for p in openapi_violations(r.status, hdrs)]
            if method != 'HEAD':
                self.error_problems += ['%s %s: %s' % (method, path[:80], p) for p in
                                        error_problems(r.status, hdrs, data,
                                                       prefers_english(lang), sent)]
            return r.status, hdrs, data
        finally:
            conn.close()

    def terminate(self, timeout=30):
        """SIGTERM and wait; returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.terminate()
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc:
            self.log.close()

    def log_tail(self):
        try:
            with open(self.log_path, encoding='utf-8', errors='replace') as f:
                return f.read().splitlines()
        except OSError:
            return []
