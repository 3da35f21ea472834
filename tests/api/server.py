# SPDX-License-Identifier: Apache-2.0
"""Start, talk to and stop a real `xiangzhi serve` for the API tests."""
import http.client
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

    def init(self):
        subprocess.run([self.binary, 'init', '--db', self.db, '--data', self.data],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self.log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(
            [self.binary, 'serve', '--db', self.db, '--data', self.data,
             '--listen', '%s:%d' % (self.listen_host, self.port), '--access-log', '-']
            + self.extra,
            stdout=self.log, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if self.request('GET', '/healthz')[0] == 200:
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
