# SPDX-License-Identifier: Apache-2.0
"""Start, talk to and stop a real `xiangzhi serve` for the API tests."""
import http.client
import json
import os
import signal
import socket
import subprocess
import time


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
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
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
