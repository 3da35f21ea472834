#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/crash/points_crash.py -- kill -9 during a stream of points claims and
redemptions (issue #6).

One demo county on SQLite shared by every round. Each round starts
`xiangzhi serve`, and clients take claims of village 0 all the way to final
(a cadre enters, reviews and approves, posts the board, the supervisor
objects, the re-review upholds: a ledger entry and a log leaf) while others
redeem goods at the village store for its households; the server is SIGKILLed
at a random moment with requests in flight. A second server is then started on
the same files and every acknowledged final claim and redemption must be in
the ledger with its entry, and every entry's leaf in the log; the server must
stop cleanly, and `xiangzhi verify points` and `xiangzhi verify log` must pass.

    python3 tests/crash/points_crash.py --bin build/xiangzhi --rounds 8

Prints one line per round and finally "points-crash: N passed, M failed".
Python 3 standard library only.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import HTTP_TIMEOUT, Server, SetupError  # noqa: E402


class Client(threading.Thread):
    """A logged-in keep-alive client running one kind of stream until the kill."""

    def __init__(self, port, accounts, kind, ctx, killed):
        super().__init__(daemon=True)
        self.port, self.accounts, self.kind, self.ctx, self.killed = port, accounts, kind, ctx, killed
        self.sessions = {}
        self.acked = []  # ('claim', claim id, entry id) or ('redemption', id, entry id)
        self.sent = 0
        self.errors = []
        self.conn = None

    def call(self, who, method, path, doc=None):
        headers = {'Content-Type': 'application/json'}
        if who:
            cookie, csrf = self.sessions[who]
            headers.update({'Cookie': cookie, 'X-CSRF-Token': csrf})
        self.sent += 1
        self.conn.request(method, path, body=json.dumps(doc).encode() if doc is not None else None,
                          headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        return resp.status, resp.getheaders(), json.loads(data) if data else {}

    def login(self, who):
        st, headers, body = self.call(None, 'POST', '/api/v1/session',
                                      {'username': who, 'password': self.accounts[who]['password']})
        if st != 201:
            raise RuntimeError('login %s: %d %r' % (who, st, body))
        cookie = dict((k.lower(), v) for k, v in headers)['set-cookie'].split(';')[0]
        self.sessions[who] = (cookie, body['csrf_token'])

    def run(self):
        self.conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=HTTP_TIMEOUT)
        try:
            for who in ('cun1', 'jiandu1'):
                self.login(who)
            while True:
                self.claim_to_final() if self.kind == 'claims' else self.redeem()
        except (OSError, http.client.HTTPException, ValueError) as e:
            if not self.killed.is_set():
                self.errors.append('%s client: %r while the server was running' % (self.kind, e))
        except RuntimeError as e:
            self.errors.append(str(e))
        finally:
            self.conn.close()

    def claim_to_final(self):
        c = self.ctx
        household = random.choice(c['households'])
        st, _, k = self.call('cun1', 'POST', '/api/v1/points/claims',
                             {'household_id': household, 'item_id': random.choice(c['items'])})
        if st == 409:  # a cap reached: another one
            return
        self.expect(st, 201, 'claim', k)
        for step, doc in (('review', {'accept': True, 'note': '属实'}),
                          ('approve', {'accept': True, 'note': '同意'})):
            st, _, k = self.call('cun1', 'POST', '/api/v1/points/claims/%d/%s' % (k['id'], step),
                                 dict(doc, version=k['version']))
            self.expect(st, 200, step, k)
        st, _, body = self.call('cun1', 'POST', '/api/v1/points/villages/%s/publicise' % c['village'], {})
        self.expect(st, 200, 'publicise', body)
        st, _, body = self.call('jiandu1', 'POST', '/api/v1/points/claims/%d/object' % k['id'],
                                {'reason': '请再核实'})
        if st == 409:  # another client's posting already took it; it is publicised all the same
            return
        self.expect(st, 200, 'object', body)
        st, _, k = self.call('cun1', 'POST', '/api/v1/points/claims/%d/rereview' % k['id'],
                             {'version': body['version'], 'uphold': True, 'note': '核实无误'})
        self.expect(st, 200, 'rereview', k)
        self.acked.append(('claim', k['id'], k['entry_id']))

    def redeem(self):
        c = self.ctx
        st, _, r = self.call('cun1', 'POST', '/api/v1/points/redemptions',
                             {'outlet_id': c['store'], 'goods_id': c['goods'],
                              'household_id': random.choice(c['households'])})
        if st == 409:  # not enough points
            return
        self.expect(st, 201, 'redeem', r)
        self.acked.append(('redemption', r['id'], r['entry_id']))

    def expect(self, st, want, what, body):
        if st != want:
            raise RuntimeError('%s: HTTP %d %r' % (what, st, str(body)[:200]))


def prepare(args, db_url, accounts):
    """The village, its households, claimable items, and the store with plenty of stock."""
    server = Server(args, db_url, os.path.join(args.data, 'serve-setup.log'))
    server.start()
    try:
        c = Client(server.port, accounts, 'setup', {}, threading.Event())
        c.conn = http.client.HTTPConnection('127.0.0.1', server.port, timeout=HTTP_TIMEOUT)
        c.login('cun1')
        village = accounts['cun1']['scope']
        st, _, v = c.call('cun1', 'GET', '/api/v1/points/villages/' + village)
        items = [i['id'] for i in v['items'] if i['points'] > 0 and not i['evidence_required']]
        st, _, o = c.call('cun1', 'GET', '/api/v1/points/villages/%s/outlets' % village)
        store = next(x for x in o['outlets'] if x['kind'] == 'store')
        st, _, g = c.call('cun1', 'POST', '/api/v1/points/outlets/%d/goods' % store['id'],
                          {'name': '压力测试毛巾', 'points': 1, 'stock': 1000000})
        c.conn.close()
    finally:
        server.terminate()
    with sqlite3.connect(args.db_path) as db:
        households = [r[0] for r in db.execute(
            'SELECT id FROM households WHERE village_code = ? ORDER BY id LIMIT 100', (village,))]
    return {'village': village, 'items': items, 'store': store['id'], 'goods': g['id'],
            'households': households}


def check(args, acked):
    """Every acknowledged claim final with its entry, every redemption with its
    entry, every entry's leaf in the log."""
    problems = []
    with sqlite3.connect(args.db_path) as db:
        for kind, oid, entry in acked:
            if kind == 'claim':
                row = db.execute('SELECT state, entry_id FROM point_claims WHERE id = ?',
                                 (oid,)).fetchone()
                if not row or row != ('final', entry):
                    problems.append('LOST final claim %d (entry %d): %r' % (oid, entry, row))
            else:
                row = db.execute('SELECT id FROM point_entries WHERE redemption_id = ?',
                                 (oid,)).fetchone()
                if not row or row[0] != entry:
                    problems.append('LOST redemption %d (entry %d): %r' % (oid, entry, row))
            leaf = db.execute('SELECT t.idx FROM point_entries e JOIN tlog_entries t'
                              ' ON t.idx = e.tlog_index WHERE e.id = ?', (entry,)).fetchone()
            if not leaf:
                problems.append('entry %d has no leaf in the log' % entry)
    for what in ('points', 'log'):
        res = subprocess.run([args.bin, 'verify', what, '--data', args.data, '--db',
                              'sqlite:' + args.db_path], capture_output=True, text=True)
        if res.returncode != 0:
            problems.append('xiangzhi verify %s exited %d: %s'
                            % (what, res.returncode, (res.stdout + res.stderr)[-300:]))
    return problems


def one_round(args, db_url, accounts, ctx, rnd, earlier):
    problems = []
    log = os.path.join(args.data, 'serve-%02d.log' % rnd)
    victim = Server(args, db_url, log)
    victim.start()
    killed = threading.Event()
    clients = [Client(victim.port, accounts, kind, ctx, killed)
               for kind in ('claims', 'claims', 'claims', 'redemptions', 'redemptions')]
    for c in clients:
        c.start()
    delay = random.uniform(args.min_delay, args.max_delay)
    time.sleep(delay)
    if victim.proc.poll() is not None:
        problems.append('the server died on its own (exit %s)' % victim.proc.returncode)
    killed.set()
    victim.kill()
    acked, sent = [], 0
    for c in clients:
        c.join(HTTP_TIMEOUT + 5)
        acked += c.acked
        sent += c.sent
        problems += c.errors
    checker = Server(args, db_url, log)
    checker.start()
    status = checker.terminate()
    if status != 0:
        problems.append('the second server exited %s after SIGTERM, not 0' % status)
    problems += check(args, acked + earlier)
    claims = sum(1 for a in acked if a[0] == 'claim')
    if not claims or claims == len(acked):
        problems.append('the round needs both final claims and redemptions (%d of %d claims)'
                        % (claims, len(acked)))
    print('round %2d: killed after %.2fs; %d requests, %d final claims and %d redemptions '
          'acknowledged; %s' % (rnd, delay, sent, claims, len(acked) - claims,
                                'ok' if not problems else 'FAILED'), flush=True)
    for p in problems[:20]:
        print('    ' + p, flush=True)
    return acked, not problems


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--bin', required=True)
    ap.add_argument('--rounds', type=int, default=8)
    ap.add_argument('--min-delay', type=float, default=2.5)  # after the logins (argon2id)
    ap.add_argument('--max-delay', type=float, default=4.5)
    ap.add_argument('--data', help='data directory (default: a new temporary one)')
    args = ap.parse_args(argv)
    args.bin = os.path.abspath(args.bin)
    temp = args.data is None
    args.data = args.data or tempfile.mkdtemp(prefix='xz-points-crash-')
    args.db_path = os.path.join(args.data, 'xiangzhi.db')
    db_url = 'sqlite:' + args.db_path
    passed = failed = 0
    try:
        subprocess.run([args.bin, 'demo', '--db', db_url, '--data', args.data],
                       check=True, capture_output=True)
        with open(os.path.join(args.data, 'demo-accounts.json'), encoding='utf-8') as f:
            accounts = {a['username']: a for a in json.load(f)}
        ctx = prepare(args, db_url, accounts)
    except (SetupError, subprocess.CalledProcessError, OSError, KeyError) as e:
        print('points-crash: setup error: %r' % (e,), flush=True)
        print('points-crash: 0 passed, 1 failed', flush=True)
        return 2
    earlier = []
    for rnd in range(1, args.rounds + 1):
        try:
            acked, ok = one_round(args, db_url, accounts, ctx, rnd, earlier)
        except SetupError as e:  # a database the kill left unusable
            print('round %2d: FAILED: %s' % (rnd, e), flush=True)
            failed += 1
            break
        earlier += acked
        passed += ok
        failed += not ok
    print('points-crash: %d passed, %d failed' % (passed, failed), flush=True)
    if temp and failed == 0:
        shutil.rmtree(args.data, ignore_errors=True)
    elif failed:
        print('points-crash: data kept in %s' % args.data, flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
