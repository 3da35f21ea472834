#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/crash/pg_stop.py -- PostgreSQL stopped at once under writers (issue #12).

A throw-away PostgreSQL cluster of its own holds a demo county; `xiangzhi serve`
runs on it while 12 keep-alive clients enter points claims and, in between,
review claims with a stale version (409: the writer then runs the batch again
one job at a time). Three times the database is stopped with
`pg_ctl stop -m immediate` and started again a moment later. What must hold:

  - every answer is 2xx, 4xx, or 503 with Retry-After: never a 500;
  - no answer, in Chinese or English, carries the database's address, a
    library's words or SQL (the operator's log has them, with request ids);
  - every claim acknowledged (201) is there once the database is back;
  - the server lives through it and answers again without a restart.

    python3 tests/crash/pg_stop.py --bin build/xiangzhi [--stops 3]

Prints what it saw and "pg-stop: N passed, M failed". Python 3 stdlib only.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import HTTP_TIMEOUT, Server, SetupError  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PGCLUSTER = os.path.join(ROOT, 'scripts', 'pgcluster.sh')
# What an answer must never carry: the database's address, libpq's or the
# server's own words, SQL, a path.
LEAKS = re.compile(r'127\.0\.0\.1|port \d|connection to server|server closed|PostgreSQL|libpq|'
                   r'SELECT|INSERT|UPDATE |relation |/tmp/|SQLSTATE|terminating', re.I)


def pgcluster(*args):
    return subprocess.run([PGCLUSTER] + list(args), check=True, capture_output=True,
                          text=True).stdout.strip()


class Client(threading.Thread):
    """Claims, and stale reviews among them, until told to stop."""

    def __init__(self, port, session, ctx, stop, lang):
        super().__init__(daemon=True)
        self.port, self.session, self.ctx, self.stop, self.lang = port, session, ctx, stop, lang
        self.acked, self.answers, self.problems = [], {}, []
        self.conn = None

    def call(self, method, path, doc):
        cookie, csrf = self.session
        headers = {'Content-Type': 'application/json', 'Cookie': cookie, 'X-CSRF-Token': csrf,
                   'Accept-Language': self.lang}
        if self.conn is None:
            self.conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=HTTP_TIMEOUT)
        try:
            self.conn.request(method, path, body=json.dumps(doc).encode(), headers=headers)
            r = self.conn.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        except (OSError, http.client.HTTPException) as e:
            self.conn.close()
            self.conn = None
            self.problems.append('%s %s: the connection failed: %r' % (method, path, e))
            return 0, {}, b''

    def judge(self, what, st, headers, body):
        self.answers[st] = self.answers.get(st, 0) + 1
        if st == 0:
            return
        if st >= 500 and not (st == 503 and headers.get('retry-after')):
            self.problems.append('%s: %d %s' % (what, st, body[:200]))
        text = body.decode('utf-8', 'replace')
        if st >= 400 and LEAKS.search(text):
            self.problems.append('%s: the answer leaks: %s' % (what, text[:200]))

    def run(self):
        c, n = self.ctx, 0
        while not self.stop.is_set():
            n += 1
            if n % 3 == 0 and self.acked:  # a stale version: 409, the batch runs again
                path = '/api/v1/points/claims/%d/review' % random.choice(self.acked)
                st, h, body = self.call('POST', path, {'version': 999, 'accept': True})
                self.judge('stale review', st, h, body)
                continue
            st, h, body = self.call('POST', '/api/v1/points/claims',
                                    {'household_id': random.choice(c['households']),
                                     'item_id': random.choice(c['items'])})
            self.judge('claim', st, h, body)
            if st == 201:
                self.acked.append(json.loads(body)['id'])
            elif st in (0, 503):
                time.sleep(0.05)
        if self.conn:
            self.conn.close()


def login(port, accounts, who):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=HTTP_TIMEOUT)
    conn.request('POST', '/api/v1/session', body=json.dumps(
        {'username': who, 'password': accounts[who]['password']}).encode(),
        headers={'Content-Type': 'application/json'})
    r = conn.getresponse()
    doc = json.loads(r.read())
    cookie = r.getheader('Set-Cookie').split(';')[0]
    conn.close()
    return cookie, doc['csrf_token']


def get(port, session, path):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=HTTP_TIMEOUT)
    try:
        conn.request('GET', path, headers={'Cookie': session[0]})
        r = conn.getresponse()
        return r.status, r.read()
    except (OSError, http.client.HTTPException):
        return 0, b''
    finally:
        conn.close()


def context(port, session, village):
    st, raw = get(port, session, '/api/v1/points/villages/' + village)
    items = [i['id'] for i in json.loads(raw)['items']
             if i['points'] > 0 and not i['evidence_required'] and not i['veto']]
    st, raw = get(port, session, '/api/v1/households?region=%s&limit=100' % village)
    households = [h['id'] for h in json.loads(raw)['items']]
    if not items or not households:
        raise SetupError('no items or households in %s' % village)
    return {'items': items, 'households': households}


def back_up(port, session, seconds=30):
    """Wait until a read that needs the database answers 200 again."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get(port, session, '/api/v1/session')[0] == 200:
            return True
        time.sleep(0.2)
    return False


def run(args, report):
    pgdir = tempfile.mkdtemp(prefix='xz-pgstop-', dir='/tmp')
    os.rmdir(pgdir)  # pgcluster.sh makes it
    data = tempfile.mkdtemp(prefix='xz-pgstop-data-')
    server = None
    try:
        url = pgcluster('start', pgdir)
        subprocess.run([args.bin, 'demo', '--db', url, '--data', data], check=True,
                       capture_output=True)
        with open(os.path.join(data, 'demo-accounts.json'), encoding='utf-8') as f:
            accounts = {a['username']: a for a in json.load(f)}
        args.data = data
        server = Server(args, url, os.path.join(data, 'serve.log'))
        server.start()
        session = login(server.port, accounts, 'cun1')
        ctx = context(server.port, session, accounts['cun1']['scope'])
        stop = threading.Event()
        clients = [Client(server.port, session, ctx, stop, ('zh-CN', 'en')[i % 2])
                   for i in range(12)]
        for c in clients:
            c.start()
        time.sleep(2)
        for i in range(args.stops):
            pgcluster('crash', pgdir)
            time.sleep(random.uniform(0.8, 1.6))
            pgcluster('restart', pgdir)
            time.sleep(random.uniform(1.5, 2.5))
        stop.set()
        for c in clients:
            c.join(HTTP_TIMEOUT + 5)
        answers, acked, problems = {}, [], []
        for c in clients:
            for st, n in c.answers.items():
                answers[st] = answers.get(st, 0) + n
            acked += c.acked
            problems += c.problems
        print('answers by status: %s; %d claims acknowledged'
              % (', '.join('%d: %d' % kv for kv in sorted(answers.items())), len(acked)),
              flush=True)
        report('every answer is 2xx, 4xx or 503 with Retry-After, and none leaks',
               problems[:10] + (['the stops met no write (no 503)'] if not answers.get(503)
                                else []) + (['no stale review was refused (no 409)']
                                            if not answers.get(409) else []))
        alive = server.proc.poll() is None and back_up(server.port, session)
        report('the server lives and answers again without a restart',
               [] if alive else ['no 200 within 30 s of the last restart'])
        lost = [k for k in acked if get(server.port, session, '/api/v1/points/claims/%d' % k)[0]
                != 200]
        report('every acknowledged claim is there after the stops',
               ['LOST claim %d' % k for k in lost[:20]] + ([] if acked else ['none acknowledged']))
        with open(server.log_path, encoding='utf-8', errors='replace') as f:
            log = f.read()
        said = re.findall(r'rid=[0-9a-f]{16}.*PostgreSQL', log) or re.findall(
            r'[0-9a-f]{16}.*PostgreSQL', log)
        report("the operator's log has the database's words with request ids",
               [] if said else ['no such line in %s' % server.log_path])
        status = server.terminate()
        report('the server stops cleanly after', [] if status == 0 else ['exit %s' % status])
        server = None
    except (SetupError, subprocess.CalledProcessError, OSError, KeyError, ValueError) as e:
        report('setup', ['%r %s' % (e, getattr(e, 'stderr', '') or '')])
    finally:
        if server:
            server.kill()
        subprocess.run([PGCLUSTER, 'stop', pgdir], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--bin', required=True)
    ap.add_argument('--stops', type=int, default=3)
    args = ap.parse_args(argv)
    args.bin = os.path.abspath(args.bin)
    passed = failed = 0

    def report(name, problems):
        nonlocal passed, failed
        print('%s %s' % ('ok  ' if not problems else 'FAIL', name), flush=True)
        for p in problems:
            print('     ' + p, flush=True)
        passed += not problems
        failed += bool(problems)

    run(args, report)
    print('pg-stop: %d passed, %d failed' % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
