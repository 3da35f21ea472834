# SPDX-License-Identifier: Apache-2.0
"""Scripted API checks that a data file cannot express: limits enforced on raw
sockets, stalled clients, concurrent writes, refusal of unsafe databases and a
clean shutdown that loses no acknowledged write. Each check calls
report(name, problems) with a list of problems (empty = passed)."""
import base64
import http.client
import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse


def raw(srv, data, timeout=10):
    """Send raw bytes and return (status, body bytes) of the first response."""
    with socket.create_connection(('127.0.0.1', srv.port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        buf = b''
        try:
            while b'\r\n\r\n' not in buf:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
            head, _, rest = buf.partition(b'\r\n\r\n')
            m = re.search(rb'content-length:\s*(\d+)', head, re.I)
            while m and len(rest) < int(m.group(1)):
                chunk = s.recv(65536)
                if not chunk:
                    break
                rest += chunk
        except (ConnectionResetError, socket.timeout):
            head, rest = buf, b''
    m = re.match(rb'HTTP/1\.[01] (\d{3})', buf)
    return (int(m.group(1)) if m else 0), rest


def post_head(path, extra):
    return ('POST %s HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n%s\r\n'
            % (path, extra)).encode()


def error_code(body):
    try:
        return json.loads(body)['error']['code']
    except (ValueError, KeyError, TypeError):
        return None


def expect(status, body, want_status, want_code):
    problems = []
    if status != want_status:
        problems.append('status %d, expected %d (%r)' % (status, want_status, body[:200]))
    elif want_code and error_code(body) != want_code:
        problems.append('error code %r, expected %r' % (error_code(body), want_code))
    return problems


def check_body_limits(srv, report):
    # Content-Length over the limit: answered at once, the body is never read.
    st, body = raw(srv, post_head('/api/v1/ops/probe', 'Content-Length: 5000000\r\n'))
    report('limits: declared oversize body is 413 before reading it',
           expect(st, body, 413, 'too_large'))
    # Chunked body over the limit: counted while streaming.
    chunk = b'x' * 65536
    data = post_head('/api/v1/ops/probe', 'Transfer-Encoding: chunked\r\n')
    data += (b'%x\r\n' % len(chunk) + chunk + b'\r\n') * 20 + b'0\r\n\r\n'
    st, body = raw(srv, data)
    report('limits: streamed oversize body is 413', expect(st, body, 413, 'too_large'))
    deep = b'{"note":' + b'[' * 100 + b']' * 100 + b'}'
    st, body = raw(srv, post_head('/api/v1/ops/probe', 'Content-Length: %d\r\n' % len(deep)) + deep)
    report('limits: nesting deeper than the limit is 413', expect(st, body, 413, 'too_large'))
    long_s = b'{"note":"' + b'a' * 70000 + b'"}'
    st, body = raw(srv, post_head('/api/v1/ops/probe', 'Content-Length: %d\r\n' % len(long_s))
                   + long_s)
    report('limits: a string over 64 KiB is 413', expect(st, body, 413, 'too_large'))
    bad = b'{"note":"\xff\xfe"}'
    st, body = raw(srv, post_head('/api/v1/ops/probe', 'Content-Length: %d\r\n' % len(bad)) + bad)
    report('limits: invalid UTF-8 is 400', expect(st, body, 400, 'malformed'))


def check_error_text_is_valid_utf8(srv, report):
    """A long Chinese unknown key ends up in the error's field and message, which
    are cut to fit: the reply must still be valid UTF-8 JSON."""
    key = 'a' + '键' * 100
    body = json.dumps({key: 1}, ensure_ascii=False).encode()
    problems = []
    for lang in ('zh-CN', 'en'):
        st, _, data = srv.request('POST', '/api/v1/ops/probe', body,
                                  {'Content-Type': 'application/json', 'Accept-Language': lang})
        try:
            doc = json.loads(data.decode('utf-8'))
            if st != 400 or doc['error']['code'] != 'unknown_field':
                problems.append('%d %r' % (st, doc))
            elif not key.startswith(doc['error']['field']):
                problems.append('field %r is not a prefix of the key' % doc['error']['field'])
        except (UnicodeDecodeError, ValueError) as e:
            problems.append('%s reply is not valid UTF-8 JSON: %s' % (lang, e))
    report('errors: long non-ASCII field names are cut on character boundaries', problems)


def check_header_limits(srv, report):
    for size in (7000, 9000, 12000):
        big = 'X-Filler: %s\r\n' % ('a' * size)
        st, body = raw(srv, ('GET /healthz HTTP/1.1\r\nHost: t\r\n%s\r\n' % big).encode())
        want = (200, None) if size < 8000 else (431, 'header_too_large')
        report('limits: a %d-byte header is %d' % (size, want[0]),
               expect(st, body, want[0], want[1]))
    # Within what libmicrohttpd holds for a request head (a 16 KiB pool per
    # connection) every refusal is ours, in the JSON shape of docs/openapi.yaml.
    st, body = raw(srv, ('GET /api/v1/version?q=%s HTTP/1.1\r\nHost: t\r\n\r\n'
                         % ('a' * 9000)).encode())
    report('limits: a 9 KB request address is a JSON 414', expect(st, body, 414, 'uri_too_long'))
    many = ''.join('X-H%d: v\r\n' % i for i in range(120))
    st, body = raw(srv, ('GET /healthz HTTP/1.1\r\nHost: t\r\n%s\r\n' % many).encode())
    report('limits: 120 header lines are a JSON 431', expect(st, body, 431, 'header_too_large'))
    for lang, want in (('en', 'the request has over 100 header lines'), ('zh-CN', '请求头超过 100 行')):
        st, body = raw(srv, ('GET /healthz HTTP/1.1\r\nHost: t\r\nAccept-Language: %s\r\n%s\r\n'
                             % (lang, many)).encode())
        msg = json.loads(body)['error']['message'] if st == 431 else None
        report('limits: the 431 speaks %s' % lang, [] if msg == want else ['%d %r' % (st, body)])
    huge = ''.join('X-F%d: %s\r\n' % (i, 'b' * 8000) for i in range(40))
    st, body = raw(srv, ('GET /healthz HTTP/1.1\r\nHost: t\r\n%s\r\n' % huge).encode())
    problems = [] if st in (413, 431) else ['status %d for 320 KB of headers' % st]
    if srv.request('GET', '/healthz')[0] != 200:
        problems.append('server not answering after huge headers')
    report('limits: 320 KB of headers is refused and the server lives', problems)


def access_log_lines(srv, rids, seconds=6):
    """The access-log lines of these request ids, once the server has flushed
    them (each I/O thread writes its buffer at its first request after a second)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        time.sleep(0.3)
        for _ in range(8):
            srv.request('GET', '/healthz')
        lines = [line for line in srv.log_tail() if any('rid=%s ' % r in line for r in rids)]
        if len(lines) == len(rids):
            return lines
    return [line for line in srv.log_tail() if any('rid=%s ' % r in line for r in rids)]


def raw_response(srv, data):
    """(status, request id, body) of one raw request."""
    with socket.create_connection(('127.0.0.1', srv.port), timeout=10) as s:
        s.sendall(data)
        buf = b''
        while b'\r\n\r\n' not in buf:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        head, _, rest = buf.partition(b'\r\n\r\n')
        m = re.search(rb'content-length:\s*(\d+)', head, re.I)
        while m and len(rest) < int(m.group(1)):
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
    st = re.match(rb'HTTP/1\.[01] (\d{3})', head)
    rid = re.search(rb'x-request-id:\s*([0-9a-f]+)', head, re.I)
    return (int(st.group(1)) if st else 0), (rid.group(1).decode() if rid else ''), rest


def check_control_characters_in_paths(srv, report):
    """A target whose decoding holds NUL or another control character is a 400
    before any route sees it (\"/households/1%00\" once reached household 1),
    and the access log records what was asked for, escaped."""
    cookie, _ = srv.login('admin')
    asked = ['/api/v1/households/1%00', '/api/v1/households/1%00/../../../users',
             '/healthz%00.php', '/index.html%00.txt', '/healthz?x=%0A', '/api/v1/households/1%0d%0aX: y',
             '/healthz%7f']
    problems, rids = [], {}
    for target in asked:
        st, rid, body = raw_response(srv, ('GET %s HTTP/1.1\r\nHost: t\r\nCookie: %s\r\n\r\n'
                                           % (target, cookie)).encode())
        problems += ['%s: %s' % (target, p) for p in expect(st, body, 400, 'invalid')]
        if st == 400 and json.loads(body)['error']['field'] != 'path':
            problems.append('%s: the error names %r' % (target, json.loads(body)['error']['field']))
        rids[rid] = target
    # A raw NUL inside the target, and a literal "%00" (encoded as %2500), which is fine.
    st, rid, body = raw_response(srv, b'GET /healthz\x00.php HTTP/1.1\r\nHost: t\r\n\r\n')
    problems += ['raw NUL: %s' % p for p in expect(st, body, 400, 'invalid')]
    st, _, _ = raw_response(srv, b'GET /healthz?x=%2500 HTTP/1.1\r\nHost: t\r\n\r\n')
    if st != 200:
        problems.append('an encoded percent sign (%%2500) is %d, not 200' % st)
    report('paths: a control character in the target is a 400 naming the path', problems)
    lines = access_log_lines(srv, list(rids))
    problems = []
    for rid, target in rids.items():
        path = target.split('?')[0].replace(' ', '%20')
        want = '"GET %s" 400 ' % path
        got = [line for line in lines if 'rid=%s ' % rid in line]
        if not got or want not in got[0]:
            problems.append('%s: logged as %r' % (target, got[0] if got else None))
    report('paths: the access log records the target as asked for, escaped', problems)


def check_stalled_clients(srv, report):
    """Clients that stop mid-request must not hold threads, and are dropped
    after the idle timeout (the suite runs the server with --timeout 2)."""
    socks = []
    for _ in range(50):
        s = socket.create_connection(('127.0.0.1', srv.port), timeout=10)
        s.sendall(b'GET /healthz HTTP/1.1\r\nHost: t\r\n')  # never finished
        socks.append(s)
    problems = []
    for _ in range(20):
        if srv.request('GET', '/healthz', timeout=5)[0] != 200:
            problems.append('healthz failed while 50 clients stall')
            break
    time.sleep(3.5)
    closed = 0
    for s in socks:
        s.settimeout(2)
        try:
            closed += s.recv(1) == b''
        except (ConnectionResetError, socket.timeout):
            closed += 1
        s.close()
    if closed != len(socks):
        problems.append('%d of %d stalled connections still open after the timeout'
                        % (len(socks) - closed, len(socks)))
    report('slow clients: stalled connections time out without blocking others', problems)


def check_request_ids(srv, report):
    ids = {srv.request('GET', '/healthz')[1].get('x-request-id') for _ in range(50)}
    report('request ids are unique', [] if len(ids) == 50 else ['%d distinct of 50' % len(ids)])


def post_probe(srv, note, timeout=10):
    st, _, body = srv.request('POST', '/api/v1/ops/probe', json.dumps({'note': note}).encode(),
                              {'Content-Type': 'application/json'}, timeout=timeout)
    return st, (json.loads(body) if st == 201 else None)


def writer_reruns(srv):
    st, _, raw = srv.request('GET', '/metrics')
    m = re.search(rb'^xiangzhi_writer_reruns_total (\d+)', raw, re.M)
    return int(m.group(1)) if m else -1


def check_rerun_jobs_start_afresh(srv, report):
    """A batch in which one job fails runs again, job by job; a job that had
    already changed a household must then do the same change again, not trip
    over its own first attempt (409). Valid updates race with updates that fail
    inside the writer (a household number already used), until a batch reran."""
    problems = []
    ids = [201, 221, 241, 261, 281, 301]  # households of village V1 (cun1's)
    taken = None
    for round_no in range(8):
        before = writer_reruns(srv)
        docs = {}
        for hid in ids:
            st, _, raw = srv.request('GET', '/api/v1/households/%d' % hid, headers=srv.as_user('cun1'))
            docs[hid] = json.loads(raw)
        taken = docs[ids[0]]['household_no']
        results, lock = [], threading.Lock()

        def valid(hid):
            d = docs[hid]
            st, _, doc = jpost(srv, '/api/v1/households/%d' % hid,
                               {'household_no': d['household_no'], 'address': '重跑 %d' % round_no,
                                'version': d['version']}, srv.as_user('cun1'), method='PUT')
            with lock:
                results.append((hid, st, doc))

        def failing(hid):
            d = docs[hid]
            jpost(srv, '/api/v1/households/%d' % hid,
                  {'household_no': taken, 'address': 'x', 'version': d['version']},
                  srv.as_user('cun1'), method='PUT')

        threads = [threading.Thread(target=valid, args=(h,)) for h in ids[1:]]
        threads += [threading.Thread(target=failing, args=(ids[1 + i % 5],)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        bad = [(hid, st, doc) for hid, st, doc in results
               if st != 200 and not (st == 409 and doc.get('error', {}).get('field') == 'household_no')]
        # A valid update may lose to... nothing: the failing ones never change a row.
        problems += ['household %d: %d %r' % (hid, st, doc.get('error')) for hid, st, doc in bad]
        if problems or writer_reruns(srv) > before:
            break
    else:
        problems.append('no batch was ever rerun: the check did not exercise what it tests')
    report('writes: a job rerun after a batch-mate failed starts from its request', problems)


def check_concurrent_writes(srv, report):
    results, lock = [], threading.Lock()

    def worker(n):
        for i in range(25):
            st, doc = post_probe(srv, 'c%d-%d' % (n, i))
            with lock:
                results.append((st, doc))
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    problems = ['status %d' % st for st, _ in results if st != 201][:5]
    ids = {doc['id'] for st, doc in results if st == 201}
    if len(ids) != 400:
        problems.append('%d distinct ids for 400 writes' % len(ids))
    for st, doc in results[:: 40]:
        got = srv.request('GET', '/api/v1/ops/probe/%d' % doc['id'])
        if got[0] != 200 or json.loads(got[2])['note'] != doc['note']:
            problems.append('probe %d not read back' % doc['id'])
    report('writes: 400 concurrent writes all acknowledged and stored', problems)


def check_shutdown_drains(srv, report):
    """SIGTERM during a stream of writes: the server exits 0, and every write it
    acknowledged is there after a restart."""
    acked, stop, lock = [], threading.Event(), threading.Lock()

    def worker(n):
        i = 0
        while not stop.is_set():
            try:
                st, doc = post_probe(srv, 'shutdown %d-%d' % (n, i), timeout=5)
            except OSError:
                return
            if st == 201:
                with lock:
                    acked.append(doc)
            elif st != 503:
                return
            i += 1
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    code = srv.terminate()
    stop.set()
    for t in threads:
        t.join()
    problems = [] if code == 0 else ['exit code %d after SIGTERM' % code]
    srv.start()
    missing = [d['id'] for d in acked
               if srv.request('GET', '/api/v1/ops/probe/%d' % d['id'])[0] != 200]
    # Signed at start: every leaf is in the checkpoint from the first request on.
    st, _, note = srv.request('GET', '/tlog/checkpoint')
    lines = note.decode('utf-8', 'replace').split('\n')
    size = int(lines[1]) if st == 200 and len(lines) > 2 and lines[1].isdigit() else -1
    last = max((d['tlog_index'] for d in acked), default=-1)
    if size <= last:
        problems.append('checkpoint after restart: %d %r, size %d, last acknowledged leaf %d'
                        % (st, note[:40], size, last))
    if not acked:
        problems.append('no write was acknowledged before shutdown')
    if missing:
        problems.append('%d acknowledged writes lost: %s' % (len(missing), missing[:5]))
    report('shutdown: SIGTERM finishes in-flight writes (%d acknowledged), all in the checkpoint '
           'signed at restart' % len(acked), problems)


def check_unsafe_databases(srv, report):
    """serve refuses a database that cannot be durable, and one that is newer."""
    problems = []
    with tempfile.TemporaryDirectory(prefix='xz-unsafe-') as tmp:
        r = subprocess.run([srv.binary, 'serve', '--db', 'sqlite::memory:', '--data', tmp,
                            '--listen', '127.0.0.1:0'], capture_output=True, timeout=20)
        if r.returncode == 0 or b'WAL' not in r.stderr:
            problems.append('in-memory SQLite accepted: %r' % r.stderr[-200:])
        if srv.db.startswith('sqlite:'):
            db = 'sqlite:%s/new.db' % tmp
            subprocess.run([srv.binary, 'init', '--db', db, '--data', tmp], check=True,
                           capture_output=True)
            subprocess.run(['sqlite3', db[7:], "INSERT INTO xz_migrations VALUES "
                            "('core', 999, 'future', 0)"], check=True)
            for cmd in ('serve', 'migrate'):
                r = subprocess.run([srv.binary, cmd, '--db', db, '--data', tmp,
                                    '--listen', '127.0.0.1:0'], capture_output=True, timeout=20)
                if r.returncode == 0 or 'newer' not in r.stderr.decode('utf-8', 'replace'):
                    problems.append('%s accepted a newer schema: %r' % (cmd, r.stderr[-200:]))
    report('refuses unsafe or newer databases', problems)


def check_remote_ops_forbidden(srv, report):
    """Operator routes answer only callers on the machine itself: a second server
    listening on all addresses, called through a non-loopback address, must
    refuse /metrics and the write probe with 403 but serve /healthz."""
    addrs = [a for a in subprocess.run(['hostname', '-I'], capture_output=True, text=True)
             .stdout.split() if ':' not in a and not a.startswith('127.')]
    if not addrs:
        report('ops routes: skipped, this machine has no non-loopback address', [])
        return
    from server import Server
    with tempfile.TemporaryDirectory(prefix='xz-remote-') as tmp:
        other = Server(srv.binary, 'sqlite:%s/r.db' % tmp, tmp, listen_host='0.0.0.0')
        other.init()
        other.start()
        other.host = addrs[0]
        try:
            problems = []
            for method, path, want in (('GET', '/healthz', 200), ('GET', '/metrics', 403),
                                       ('POST', '/api/v1/ops/probe', 403)):
                st, _, body = other.request(method, path, b'{}' if method == 'POST' else None,
                                            {'Content-Type': 'application/json'})
                if st != want:
                    problems.append('%s %s from %s: %d, expected %d' % (method, path, addrs[0],
                                                                         st, want))
        finally:
            other.stop()
    report('ops routes refuse callers from other machines', problems)


def check_queue_full(srv, report):
    """A server with a one-slot write queue, flooded by 64 clients at once, must
    answer the overflow with 503, Retry-After and the JSON 'busy' error -- and
    store every write it acknowledged."""
    from server import Server
    with tempfile.TemporaryDirectory(prefix='xz-busy-') as tmp:
        small = Server(srv.binary, 'sqlite:%s/b.db' % tmp, tmp,
                       extra=['--queue-max', '1', '--batch-max', '1'])
        small.init()
        small.start()
        results, lock, go = [], threading.Lock(), threading.Barrier(64)

        def worker(n):
            go.wait()
            for i in range(5):
                st, hdrs, body = small.request('POST', '/api/v1/ops/probe',
                                               json.dumps({'note': 'b%d' % n}).encode(),
                                               {'Content-Type': 'application/json'})
                with lock:
                    results.append((st, hdrs, body))
        try:
            threads = [threading.Thread(target=worker, args=(n,)) for n in range(64)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            problems = []
            busy = [r for r in results if r[0] == 503]
            ok = [json.loads(r[2])['id'] for r in results if r[0] == 201]
            if sorted({r[0] for r in results}) != [201, 503]:
                problems.append('statuses %s, expected both 201 and 503'
                                % sorted({r[0] for r in results}))
            for st, hdrs, body in busy[:10]:
                if hdrs.get('retry-after') != '1' or error_code(body) != 'busy':
                    problems.append('503 without Retry-After or busy code: %r %r'
                                    % (hdrs.get('retry-after'), body[:100]))
            for i in ok[::10]:
                if small.request('GET', '/api/v1/ops/probe/%d' % i)[0] != 200:
                    problems.append('acknowledged probe %d missing' % i)
        finally:
            small.stop()
    report('writer: a full queue answers 503 + Retry-After (%d of %d refused)'
           % (len(busy), len(results)), problems)


def jpost(srv, path, doc, headers=None, method='POST'):
    h = {'Content-Type': 'application/json'}
    h.update(headers or {})
    st, hdrs, body = srv.request(method, path, json.dumps(doc).encode(), h)
    return st, hdrs, (json.loads(body) if body else None)


def login_raw(srv, username, password):
    return jpost(srv, '/api/v1/session', {'username': username, 'password': password})


def cookie_headers(hdrs, doc):
    return {'Cookie': hdrs['set-cookie'].split(';')[0], 'X-CSRF-Token': doc['csrf_token']}


def check_session_lifecycle(srv, report):
    """Cookie flags, logout, idle and absolute expiry."""
    problems = []
    pw = srv.accounts['tiaojie1']['password']
    st, hdrs, doc = login_raw(srv, 'tiaojie1', pw)
    cookie = hdrs.get('set-cookie', '')
    for flag in ('HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=43200'):
        if flag not in cookie:
            problems.append('cookie lacks %s: %r' % (flag, cookie))
    h = cookie_headers(hdrs, doc)
    if srv.request('GET', '/api/v1/session', headers=h)[0] != 200:
        problems.append('fresh session refused')

    def whoami(headers):
        st, _, body = srv.request('GET', '/api/v1/whoami', headers=headers)
        session = json.loads(body).get('session', 'absent') if st == 200 else 'status %d' % st
        return session['user']['username'] if isinstance(session, dict) else session
    if whoami(h) != 'tiaojie1':
        problems.append('whoami with a session: %r' % whoami(h))
    st = srv.request('DELETE', '/api/v1/session', headers=h)[0]
    if st != 204 or srv.request('GET', '/api/v1/session', headers=h)[0] != 401:
        problems.append('logout did not end the session (%d)' % st)
    for headers in (h, {}, {'Cookie': 'xz_session=short'}, {'Authorization': 'Bearer ' + 'x' * 43}):
        if whoami(headers) is not None:
            problems.append('whoami without a live session %r: %r' % (headers, whoami(headers)))
    for column, label in (('last_seen_at', 'idle 30 min'), ('expires_at', '12 h limit')):
        st, hdrs, doc = login_raw(srv, 'tiaojie1', pw)
        h = cookie_headers(hdrs, doc)
        value = '0' if column == 'last_seen_at' else '1'
        srv.sql("UPDATE sessions SET %s = %s WHERE user_id ="
                " (SELECT id FROM users WHERE username = 'tiaojie1')" % (column, value))
        if srv.request('GET', '/api/v1/session', headers=h)[0] != 401:
            problems.append('session past its %s still accepted' % label)
    uid = doc['user']['id']
    st, _, raw = srv.request('GET', '/api/v1/audit?object_type=user&object_id=%d' % uid,
                             headers=srv.as_user('admin'))
    logins = [e for e in json.loads(raw).get('items', []) if e.get('action') == 'session.login']
    if st != 200 or not logins or logins[0].get('username') != 'tiaojie1':
        problems.append('the audit log does not name who logged in: %r' % logins[:1])
    report('sessions: cookie flags, logout, idle and absolute expiry', problems)


def check_login_lock(srv, report):
    """Five wrong passwords lock the account, even for the right one."""
    problems = []
    for i in range(5):
        st = login_raw(srv, 'daiban1', 'wrong-password-%d' % i)[0]
        if st != 401:
            problems.append('attempt %d: %d' % (i + 1, st))
    st, _, doc = login_raw(srv, 'daiban1', srv.accounts['daiban1']['password'])
    if st != 429 or doc['error']['code'] != 'too_many_requests':
        problems.append('locked account: %d %r' % (st, doc))
    audit = srv.request('GET', '/api/v1/audit?object_type=user', headers=srv.as_user('admin'))
    if b'"denied"' not in audit[2]:
        problems.append('failed logins not in the audit log')
    report('login throttling: 5 failures lock the account', problems)


def check_login_by_phone(srv, report):
    """An account with a phone logs in by that number in any common spelling."""
    problems = []
    st, _, doc = jpost(srv, '/api/v1/users', {
        'username': 'phoneuser', 'display_name': '手机登录', 'phone': '13912345670',
        'password': 'phone-pass-1', 'roles': [{'role': 'auditor', 'scope': '410183000000'}]},
        srv.as_user('admin'))
    if st != 201:
        problems.append('create: %d %r' % (st, doc))
    for spelling in ('13912345670', '+86 139 1234 5670', '139-1234-5670'):
        st, _, doc = login_raw(srv, spelling, 'phone-pass-1')
        if st != 201 or doc['user']['username'] != 'phoneuser':
            problems.append('login as %r: %d' % (spelling, st))
    report('accounts: log in by phone number', problems)


def check_api_tokens(srv, report):
    problems = []
    st, _, doc = jpost(srv, '/api/v1/tokens', {'name': '对接系统', 'days': 30},
                       srv.as_user('zhen1'))
    if st != 201 or len(doc.get('token', '')) != 43:
        report('api tokens', ['create: %d %r' % (st, doc)])
        return
    bearer = {'Authorization': 'Bearer ' + doc['token']}
    st, _, who = srv.request('GET', '/api/v1/session', headers=bearer)
    if st != 200 or json.loads(who)['via_token'] is not True:
        problems.append('token not accepted: %d' % st)
    st, _, _ = jpost(srv, '/api/v1/tokens', {'name': 'second'}, bearer)
    if st != 201:
        problems.append('token write without CSRF refused: %d' % st)
    st = srv.request('DELETE', '/api/v1/tokens/%d' % doc['id'], headers=srv.as_user('zhen1'))[0]
    if st != 204 or srv.request('GET', '/api/v1/session', headers=bearer)[0] != 401:
        problems.append('revoked token still works (%d)' % st)
    if srv.request('DELETE', '/api/v1/tokens/%d' % doc['id'],
                   headers=srv.as_user('cun1'))[0] != 404:
        problems.append("another user's token could be touched")
    report('API tokens: bearer works without CSRF, revoke ends it', problems)


def check_first_password(srv, report):
    """A user made by the admin must change the initial password before anything else;
    disabling a user ends their sessions."""
    problems = []
    st, _, doc = jpost(srv, '/api/v1/users', {
        'username': 'firsttimer', 'display_name': '新人', 'password': 'initial-pass-2',
        'roles': [{'role': 'supervisor', 'scope': '410183100201'}]}, srv.as_user('admin'))
    uid = doc['id'] if st == 201 else 0
    st, hdrs, doc = login_raw(srv, 'firsttimer', 'initial-pass-2')
    h = cookie_headers(hdrs, doc)
    if srv.request('GET', '/api/v1/audit', headers=h)[0] != 403:
        problems.append('must-change account reached the audit log')
    st, _, _ = jpost(srv, '/api/v1/session/password',
                     {'old_password': 'wrong-old-1', 'new_password': 'brand-new-pass'}, h, 'PUT')
    if st != 403:
        problems.append('wrong old password accepted: %d' % st)
    st, _, _ = jpost(srv, '/api/v1/session/password',
                     {'old_password': 'initial-pass-2', 'new_password': 'brand-new-pass'}, h,
                     'PUT')
    if st != 200 or srv.request('GET', '/api/v1/audit', headers=h)[0] != 200:
        problems.append('password change did not free the account (%d)' % st)
    st, _, _ = jpost(srv, '/api/v1/users/%d/status' % uid, {'status': 'disabled'},
                     srv.as_user('admin'), 'PUT')
    st2, _, raw = srv.request('GET', '/api/v1/audit?object_type=user&object_id=%d' % uid,
                              headers=srv.as_user('admin'))
    regions = {e['action']: e['region_code'] for e in json.loads(raw)['items']}
    if regions.get('user.status') != '410183100201' or regions.get('user.create') != '410183100201':
        problems.append('account changes not filed under the account\'s own scope: %r' % regions)
    if st != 200 or srv.request('GET', '/api/v1/session', headers=h)[0] != 401:
        problems.append('disabling did not end the session (%d)' % st)
    if login_raw(srv, 'firsttimer', 'brand-new-pass')[0] != 401:
        problems.append('a disabled user logged in')
    report('accounts: first password change, disable ends sessions', problems)


def check_audit_append_only(srv, report):
    problems = []
    for stmt in ("UPDATE audit_log SET action = 'x'", 'DELETE FROM audit_log'):
        try:
            srv.sql(stmt)
            problems.append('%s succeeded' % stmt)
        except subprocess.CalledProcessError:
            pass
    report('audit log: the database refuses UPDATE and DELETE', problems)


def check_no_plain_phone_in_db(srv, report):
    """The phone given to a user (13800138000 in t0400) is stored only hashed."""
    if not srv.db.startswith('sqlite:'):
        report('no plain phone number in the database file (SQLite file check)', [])
        return
    problems = []
    for suffix in ('', '-wal'):
        try:
            with open(srv.db[7:] + suffix, 'rb') as f:
                if b'13800138000' in f.read():
                    problems.append('plain phone number in %s' % (srv.db[7:] + suffix))
        except FileNotFoundError:
            pass
    report('no plain phone number in the database file', problems)


def check_sensitive_values(srv, report):
    """Reveal a few real ID numbers and phones (audited, with purpose), then make
    sure those plain values appear in no list, detail, log line or database file."""
    problems, secrets = [], []
    purpose = '核对低保申请人身份(测试)'
    for hid in (1, 21, 61, 81):
        st, _, raw = srv.request('GET', '/api/v1/households/%d' % hid,
                                 headers=srv.as_user('admin'))
        for m in json.loads(raw)['members'][:2]:
            for field in ('id_number', 'phone'):
                if field == 'phone' and not m['phone']:
                    continue
                st, _, doc = jpost(srv, '/api/v1/persons/%d/reveal' % m['id'],
                                   {'field': field, 'purpose': purpose}, srv.as_user('admin'))
                if st != 200 or len(doc['value']) not in (11, 18):
                    problems.append('reveal %s of %d: %d %r' % (field, m['id'], st, doc))
                    continue
                secrets.append(doc['value'].encode())
                if doc['value'][:6] != m[field][:3 if field == 'phone' else 6][:6] and \
                        field == 'id_number' and m['id_number'][:6] != doc['value'][:6]:
                    problems.append('mask and value disagree for %d' % m['id'])
    st, _, raw = srv.request('GET', '/api/v1/audit?object_type=person', headers=srv.as_user('jiandu1'))
    mine = [e for e in json.loads(raw)['items'] if e['action'].startswith('person.reveal')
            and e['purpose'] == purpose and e['username'] == 'admin'
            and e['role'] == 'county_admin' and e['result'] == 'ok']
    if len(mine) != len(secrets):
        problems.append('the village committee sees %d of %d reveals with their purpose'
                        % (len(mine), len(secrets)))
    seen = []
    for path in ('/api/v1/households?limit=200', '/api/v1/households/1', '/api/v1/households/21',
                 '/api/v1/audit?limit=200'):
        seen.append(srv.request('GET', path, headers=srv.as_user('admin'))[2])
    seen.append(jpost(srv, '/api/v1/households/search', {'name': '王'}, srv.as_user('admin'))[2]
                and b'')
    blobs = {'API responses': b''.join(x if isinstance(x, bytes) else b'' for x in seen)}
    with open(srv.log_path, 'rb') as f:
        blobs['server log'] = f.read()
    if srv.db.startswith('sqlite:'):
        for suffix in ('', '-wal'):
            try:
                with open(srv.db[7:] + suffix, 'rb') as f:
                    blobs['database file' + suffix] = f.read()
            except FileNotFoundError:
                pass
    for where, blob in blobs.items():
        leaked = [x.decode() for x in secrets if x in blob]
        if leaked:
            problems.append('%d plain values in the %s, e.g. %s...' % (len(leaked), where,
                                                                      leaked[0][:6]))
    if len(secrets) < 8:
        problems.append('only %d values revealed' % len(secrets))
    report('sensitive values: revealed only with a purpose, audited, and nowhere in plain '
           '(%d values checked)' % len(secrets), problems)


def persons_page(srv, who, query):
    st, _, raw = srv.request('GET', '/api/v1/persons?' + query, headers=srv.as_user(who))
    return json.loads(raw) if st == 200 else {'items': [], 'next_after': 0}


def check_lists_stay_in_scope(srv, report):
    """What a list shows follows the caller's scope."""
    problems = []
    for who, prefix in (('cun1', '410183100200'), ('zhen1', '410183100'), ('cun3', '410183101200')):
        st, _, raw = srv.request('GET', '/api/v1/households?limit=200', headers=srv.as_user(who))
        items = json.loads(raw)['items']
        outside = [h['id'] for h in items if not h['village_code'].startswith(prefix)]
        if st != 200 or not items or outside:
            problems.append('%s sees %d households, %d outside %s' % (who, len(items),
                                                                   len(outside), prefix))
        st, _, raw = srv.request('GET', '/api/v1/persons?limit=200', headers=srv.as_user(who))
        items = json.loads(raw)['items']
        outside = [p['id'] for p in items if not p['village_code'].startswith(prefix)]
        if st != 200 or not items or outside or any(not p.get('household_no') for p in items):
            problems.append('%s sees %d persons, %d outside %s' % (who, len(items), len(outside), prefix))
    own = srv.accounts['cunmin1']['household_id']
    st, _, raw = srv.request('GET', '/api/v1/households', headers=srv.as_user('cunmin1'))
    ids = [h['id'] for h in json.loads(raw)['items']]
    if ids != [own]:
        problems.append('a villager sees households %s' % ids[:5])
    st, _, raw = srv.request('GET', '/api/v1/persons', headers=srv.as_user('cunmin1'))
    homes = {p['household_id'] for p in json.loads(raw)['items']}
    if homes != {own}:
        problems.append('a villager sees persons of households %s' % sorted(homes)[:5])
    # Persons page by id, with a name prefix, masked.
    first = persons_page(srv, 'zhen1', 'limit=5')
    second = persons_page(srv, 'zhen1', 'limit=5&after=%d' % first['next_after'])
    ids = [p['id'] for p in first['items'] + second['items']]
    if len(ids) != 10 or ids != sorted(set(ids)):
        problems.append('persons do not page by id: %s' % ids)
    name = first['items'][0]['name']
    named = persons_page(srv, 'zhen1', 'limit=200&name=' + urllib.parse.quote(name[0]))['items']
    if not named or any(not p['name'].startswith(name[0]) for p in named):
        problems.append('persons by name prefix %s: %s' % (name[0], [p['name'] for p in named][:5]))
    if any(re.fullmatch(r'\d{17}[\dX]', p['id_number']) for p in named):
        problems.append('a persons list shows a plain ID number')
    st, _, doc = jpost(srv, '/api/v1/households/search', {'id_number': '11010519491231002X'},
                       srv.as_user('cun3'))
    if st != 200 or doc['items']:
        problems.append('search by ID crossed villages: %r' % doc)
    for who, found in (('cun3', 0), ('cun1', 1)):
        st, _, doc = jpost(srv, '/api/v1/persons/search', {'id_number': '410183195501010019'},
                           srv.as_user(who))
        if st != 200 or len(doc['items']) != found:
            problems.append('persons search by ID as %s: %d %r' % (who, st, doc))
    report('lists and searches stay inside the caller\'s scope', problems)


XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


def make_xlsx(rows, date_cells=()):
    """An .xlsx workbook of 'rows' (lists of str or int) written with zipfile,
    as another program than libxlsxwriter would: text inline, numbers as
    numbers, and (row, column) in 'date_cells' as Excel date serials in a
    date format; a blank row 1, so the header is row 2."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    def col(i):
        return chr(ord('A') + i)
    lines = []
    for r, row in enumerate(rows, start=2):
        cells = []
        for c, v in enumerate(row):
            ref = '%s%d' % (col(c), r)
            if (r - 2, c) in date_cells:
                cells.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, v))
            elif isinstance(v, int):
                cells.append('<c r="%s"><v>%d</v></c>' % (ref, v))
            elif v != '':
                cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v)))
        lines.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
    ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
    rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    parts = {
        '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        'xl/workbook.xml': '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="户" sheetId="1" '
        'r:id="rId7"/></sheets></workbook>' % (ns, rel),
        'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId7" Type="%s/worksheet" '
        'Target="worksheets/data.xml"/></Relationships>' % rel,
        'xl/styles.xml': '<styleSheet xmlns="%s"><numFmts count="1"><numFmt numFmtId="170" '
        'formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="170"/></cellXfs></styleSheet>' % ns,
        'xl/worksheets/data.xml': '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>'
        % (ns, ''.join(lines)),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    return out.getvalue()


def upload(srv, who, data, charset='utf-8', kind='text/csv'):
    h = srv.as_user(who, {'Content-Type': kind if kind == XLSX_TYPE
                          else '%s; charset=%s' % (kind, charset)})
    st, _, body = srv.request('POST', '/api/v1/households/import', data, h)
    return st, json.loads(body)


def wait_task(srv, who, task_id, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        st, _, body = srv.request('GET', '/api/v1/tasks/%d' % task_id, headers=srv.as_user(who))
        doc = json.loads(body)
        if doc.get('state') != 'running':
            return doc
        time.sleep(0.1)
    return {'state': 'timeout'}


IMPORT_CSV = (
    '村代码,户号,地址,姓名,与户主关系,身份证号,性别,出生日期,手机号\n'
    '410183100200,IMP-1,王庄村 1 号,导入甲,户主,410183198001010016,,,13700000001\n'
    '410183100200,IMP-1,,导入乙,配偶,,女,1982-03-04,\n'
    '410183100200,IMP-2,王庄村 2 号,导入丙,户主,410183197512120036,,,\n'
    '410183100200,IMP-3,王庄村 3 号,导入丁,户主,,男,1969-7-8,13700000002\n')


def households_named(srv, who, name):
    st, _, doc = jpost(srv, '/api/v1/households/search', {'name': name}, srv.as_user(who))
    return doc['items'] if st == 200 else None


def check_import(srv, report):
    problems = []
    st, doc = upload(srv, 'cun1', IMPORT_CSV.encode('utf-8'))
    result = wait_task(srv, 'cun1', doc.get('task_id', 0)) if st == 202 else {}
    if st != 202 or result.get('state') != 'done' or result['result']['households'] != 3:
        problems.append('UTF-8 import: %d %r' % (st, result))
    if len(households_named(srv, 'cun1', '导入') or []) != 3:
        problems.append('imported households not found')
    gbk = IMPORT_CSV.replace('IMP-', 'GBK-').replace('导入', '国标').replace(
        '410183198001010016', '410183198101010013').replace(
        '410183197512120036', '410183197612120033').encode('gb18030')
    st, doc = upload(srv, 'cun1', gbk, 'utf-8')
    result = wait_task(srv, 'cun1', doc.get('task_id', 0)) if st == 202 else {}
    if result.get('state') != 'failed' or result['result']['error']['field'] != 'charset':
        problems.append('GBK declared as UTF-8 was not refused clearly: %r' % result)
    st, doc = upload(srv, 'cun1', gbk, 'gbk')
    result = wait_task(srv, 'cun1', doc.get('task_id', 0)) if st == 202 else {}
    if result.get('state') != 'done' or len(households_named(srv, 'cun1', '国标') or []) != 3:
        problems.append('GBK import: %r' % result)
    if result.get('state') == 'done' and result['progress']['done'] < 1:
        problems.append('no progress reported: %r' % result['progress'])
    # An Excel workbook: an ID number kept as text, a village code and a phone as
    # numbers, birth dates as date cells (Excel's day 31,203 is 1985-06-05).
    book = make_xlsx([['村代码', '户号', '姓名', '与户主关系', '身份证号', '出生日期', '手机号', '性别'],
                      [410183100200, 'XLS-1', '表格甲', '户主', '410183198506050013', 31203,
                       13700000003],
                      [410183100200, 'XLS-1', '表格乙', '子女', '', 31204, '', '女']],
                     date_cells={(1, 5), (2, 5)})
    st, doc = upload(srv, 'cun1', book, kind=XLSX_TYPE)
    result = wait_task(srv, 'cun1', doc.get('task_id', 0)) if st == 202 else {}
    found = households_named(srv, 'cun1', '表格') or []
    if result.get('state') != 'done' or len(found) != 1:
        problems.append('.xlsx import: %d %r' % (st, result))
    else:
        st, _, body = srv.request('GET', '/api/v1/households/%d' % found[0]['id'],
                                  headers=srv.as_user('cun1'))
        births = sorted(m['birth_date'] for m in json.loads(body)['members'])
        if births != ['1985-06-05', '1985-06-06']:
            problems.append('.xlsx dates read as %r' % births)
    broken = make_xlsx([['户号', '姓名'], ['XLS-2', '缺村']])
    st, doc = upload(srv, 'cun1', broken, kind=XLSX_TYPE)
    result = wait_task(srv, 'cun1', doc.get('task_id', 0)) if st == 202 else {}
    cols = [p_['column'] for p_ in result.get('result', {}).get('report', {}).get('problems', [])]
    if result.get('state') != 'failed' or cols != ['村代码']:
        problems.append('.xlsx without its village column: %r' % result)
    st, doc = upload(srv, 'cun1', book[:len(book) // 2], kind=XLSX_TYPE)
    result = wait_task(srv, 'cun1', doc.get('task_id', 0)) if st == 202 else {}
    if result.get('state') != 'failed' or 'Excel' not in json.dumps(result, ensure_ascii=False):
        problems.append('a damaged .xlsx: %r' % result)
    report('import: UTF-8 and GBK files, GBK mislabelled as UTF-8, and Excel workbooks', problems)


def check_import_all_or_nothing(srv, report):
    problems = []
    broken = ('村代码,户号,姓名,身份证号,性别,出生日期\n'
              '410183100200,BAD-1,坏行甲,410183198001010011,,\n'      # check digit
              '4101831002,BAD-2,坏行乙,,男,1990-01-01\n'              # village code
              '410183100200,BAD-3,,,女,1990-01-01\n'                  # name missing
              '410183100200,BAD-4,好行,,男,1990-01-01\n')
    st, doc = upload(srv, 'cun1', broken.encode())
    result = wait_task(srv, 'cun1', doc.get('task_id', 0)) if st == 202 else {}
    rows = sorted({p['row'] for p in result.get('result', {}).get('report', {}).get('problems', [])})
    if result.get('state') != 'failed' or rows != [2, 3, 4]:
        problems.append('broken rows reported as %r (%s)' % (rows, result.get('state')))
    if households_named(srv, 'cun1', '好行'):
        problems.append('a valid row of a rejected file was imported')
    other = ('村代码,户号,姓名,性别,出生日期\n410183100200,OK-9,本村人,男,1990-01-01\n'
             '410183101200,OK-9,外乡人,男,1990-01-01\n')
    st, doc = upload(srv, 'cun1', other.encode())
    result = wait_task(srv, 'cun1', doc.get('task_id', 0)) if st == 202 else {}
    if result.get('state') != 'failed' or households_named(srv, 'cun1', '本村人'):
        problems.append('a village outside the scope did not stop the whole file: %r'
                        % result.get('state'))
    report('import: all rows or none, with a row-by-row report', problems)


def check_export(srv, report):
    problems = []
    st, hdrs, body = srv.request('GET', '/api/v1/households/export?format=csv',
                                 headers=srv.as_user('cun1'))
    text = body.decode('utf-8-sig', 'replace')
    if st != 200 or not body.startswith(b'\xef\xbb\xbf') or 'attachment' not in hdrs.get(
            'content-disposition', ''):
        problems.append('CSV export: %d %r' % (st, body[:80]))
    for plain in ('410183198001010016', '13700000001'):
        if plain in text:
            problems.append('plain %s... in the export' % plain[:6])
    if '410183********0016' not in text or '137****0001' not in text:
        problems.append('masked values missing from the export')
    if '410183101200' in text:
        problems.append('the export crossed into another township')
    st, hdrs, body = srv.request('GET', '/api/v1/households/export?format=xlsx',
                                 headers=srv.as_user('cun1'))
    if st != 200 or not body.startswith(b'PK\x03\x04') or len(body) < 2000:
        problems.append('XLSX export: %d, %d bytes' % (st, len(body)))
    report('export: CSV and .xlsx, masked, inside the scope', problems)


def id_number(area, birth, seq):
    """A checksum-valid 18-digit number (GB 11643) for tests."""
    body = '%s%s%03d' % (area, birth, seq)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + '10X98765432'[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def check_members_never_stale(srv, report):
    """A household read shows its members as they are now, however they changed:
    through the API, or by SQL straight on the database (the rendering of the
    members is kept between requests, keyed by a count the database keeps)."""
    problems = []
    path = '/api/v1/households/61'

    def members():
        st, _, raw = srv.request('GET', path, headers=srv.as_user('cun1'))
        return json.loads(raw)['members'] if st == 200 else None

    before = members()
    if not before or members() != before:
        problems.append('two reads differ or fail: %r' % before)
        report('households: members never stale', problems)
        return
    pid = before[0]['id']
    st, _, doc = jpost(srv, '/api/v1/persons/%d' % pid, {'name': '改过名', 'version': before[0]['version']},
                       srv.as_user('cun1'), method='PUT')
    if st != 200 or [m['name'] for m in members() if m['id'] == pid] != ['改过名']:
        problems.append('a change through the API is not shown (%d)' % st)
    st, _, doc = jpost(srv, path + '/persons', {'name': '新成员', 'relation': '子女',
                                                'id_number': id_number('110105', '20100704', 731)},
                       srv.as_user('cun1'))
    now = members()
    if st != 201 or len(now) != len(before) + 1 or now[-1]['name'] != '新成员':
        problems.append('an added member is not shown (%d, %d members)' % (st, len(now or [])))
    srv.sql("UPDATE persons SET name = '库里改' WHERE id = %d" % pid)
    if [m['name'] for m in members() if m['id'] == pid] != ['库里改']:
        problems.append('a change made by SQL is not shown')
    st, _, raw = srv.request('GET', path, headers=srv.as_user('cun1'))
    cur = json.loads(raw)
    st, _, doc = jpost(srv, path, {'household_no': cur['household_no'], 'address': '缓存路 1 号',
                                   'version': cur['version']}, srv.as_user('cun1'), method='PUT')
    if st != 200 or doc.get('members') != members():
        problems.append('an update answers other members than a read (%d)' % st)
    report('households: members never stale (API, SQL, update)', problems)


def make_site(root):
    """A small built front end for the static-file checks: three apps, a hashed
    asset with its .gz twin, and things that must never be served (a hidden
    file, a symlink out of the site)."""
    import gzip
    for d in ('app', 'console', 'assets'):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    files = {'index.html': '<!doctype html><title>门户</title>',
             'app/index.html': '<!doctype html><title>手机</title>',
             'console/index.html': '<!doctype html><title>桌面</title>',
             'assets/main-4f2a9c.js': 'export const hello = "你好";\n' * 40,
             'assets/main-4f2a9c.css': 'body { margin: 0 }\n',
             'assets/logo-77aa00.png': '\x89PNG fake',
             '.env': 'SECRET=1'}
    for name, text in files.items():
        with open(os.path.join(root, name), 'w', encoding='utf-8') as f:
            f.write(text)
    with gzip.open(os.path.join(root, 'assets/main-4f2a9c.js.gz'), 'wt', encoding='utf-8') as f:
        f.write(files['assets/main-4f2a9c.js'])
    outside = os.path.join(os.path.dirname(root), 'outside.txt')
    with open(outside, 'w') as f:
        f.write('outside the site')
    os.symlink(outside, os.path.join(root, 'assets', 'escape.txt'))


def check_static_site(srv, report):
    """The web front end's files: types, gzip, caching, deep links, no escape."""
    problems = []

    def get(path, headers=None, method='GET'):
        conn = http.client.HTTPConnection(srv.host, srv.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            conn.endheaders()
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    for path, title in (('/', '门户'), ('/app/', '手机'), ('/app/households/12', '手机'),
                        ('/console', '桌面'), ('/console/audit?page=2', '桌面'), ('/about', '门户')):
        st, h, body = get(path)
        if st != 200 or title not in body.decode('utf-8', 'replace') or \
                not h.get('content-type', '').startswith('text/html') or h.get('cache-control') != 'no-cache':
            problems.append('%s: %d %s %r' % (path, st, h.get('cache-control'), body[:60]))
    st, h, body = get('/assets/main-4f2a9c.js')
    if st != 200 or h.get('content-type') != 'text/javascript; charset=utf-8' or \
            'immutable' not in h.get('cache-control', '') or 'content-encoding' in h:
        problems.append('asset without gzip: %d %r' % (st, h))
    st, h, zbody = get('/assets/main-4f2a9c.js', {'Accept-Encoding': 'br, gzip;q=0.8'})
    if st != 200 or h.get('content-encoding') != 'gzip' or h.get('vary') != 'Accept-Encoding' or \
            len(zbody) >= len(body):
        problems.append('asset with gzip: %d %r' % (st, h))
    st, h, _ = get('/assets/main-4f2a9c.js', {'Accept-Encoding': 'gzip;q=0'})
    if h.get('content-encoding'):
        problems.append('gzip sent to a client that refused it (q=0)')
    st, h, _ = get('/assets/main-4f2a9c.css')
    if h.get('content-type') != 'text/css; charset=utf-8':
        problems.append('css type %r' % h.get('content-type'))
    st, h, body = get('/assets/main-4f2a9c.js', method='HEAD')
    if st != 200 or body or h.get('content-length') in (None, '0'):
        problems.append('HEAD: %d, %d body bytes, length %r' % (st, len(body), h.get('content-length')))
    st, h, _ = get('/app/')
    st2, _, body = get('/app/', {'If-None-Match': h.get('etag', '')})
    if not h.get('etag') or st2 != 304 or body:
        problems.append('revalidation: etag %r gave %d' % (h.get('etag'), st2))
    for path in ('/assets/missing-123.js', '/favicon.ico', '/.env', '/assets/escape.txt',
                 '/app/../../outside.txt', '/%2e%2e/outside.txt', '/assets/%2e%2e/.env',
                 '/app/%2e%2e/%2e%2e/outside.txt', '/api/v1/no-such-route'):
        st, h, body = get(path)
        if st != 404 or b'outside the site' in body or b'SECRET' in body or \
                not h.get('content-type', '').startswith('application/json'):
            problems.append('%s was not a JSON 404: %d %r' % (path, st, body[:60]))
    st, h, _ = get('/app/', method='POST')
    if st not in (404, 405):
        problems.append('POST to a page: %d' % st)
    report('web front end: types, gzip, caching, deep links, no way out of the site', problems)


def check_query_parameters(srv, report):
    """A route's declared query parameters are checked before it runs: a bad
    one is a 400 naming it, in the caller's language; others are ignored."""
    problems = []
    who = srv.as_user('admin')
    for path, field in (('/api/v1/households?limit=abc', 'limit'),
                        ('/api/v1/households?limit=0', 'limit'),
                        ('/api/v1/households?limit=201', 'limit'),
                        ('/api/v1/persons?after=-3', 'after'),
                        ('/api/v1/households/export?format=pdf', 'format'),
                        ('/tlog/proof/inclusion?size=3', 'index'),
                        ('/tlog/proof/consistency?old=1&new=x', 'new'),
                        ('/api/v1/points/villages/410183100200/claims?state=lost', 'state'),
                        ('/api/v1/points/reports?region=4101', 'region'),
                        ('/api/v1/alerts?unread=2', 'unread')):
        for lang in ('zh-CN', 'en'):
            st, _, body = srv.request('GET', path, headers=dict(who, **{'Accept-Language': lang}))
            err = json.loads(body).get('error', {}) if body.startswith(b'{') else {}
            msg = err.get('message', '')
            if st != 400 or err.get('field') != field or field not in msg or \
                    (lang == 'en') == bool(re.search(r'[\u4e00-\u9fff]', msg)):
                problems.append('%s (%s): %d %r' % (path, lang, st, err))
    st, _, _ = srv.request('GET', '/api/v1/households?limit=5&try=2&zzz=%ff', headers=who)
    if st != 200:
        problems.append('undeclared parameters are not ignored: %d' % st)
    report('query parameters: checked before the handler, a bad one named (400)', problems)


def check_dynamic_answers(srv, report):
    """Answers from handlers: gzip when asked for and worth it, an ETag and a
    304 for cacheable ones, never either for errors or private answers."""
    import gzip
    problems = []

    def get(path, headers=None, method='GET', who=None):
        conn = http.client.HTTPConnection(srv.host, srv.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in dict(who or {}, **(headers or {})).items():
                conn.putheader(k, v)
            conn.endheaders()
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    st, h, plain = get('/api/v1/workflows')
    st2, h2, packed = get('/api/v1/workflows', {'Accept-Encoding': 'gzip, deflate'})
    if st != 200 or 'content-encoding' in h or h.get('vary') != 'Accept-Encoding':
        problems.append('plain: %d %r' % (st, h))
    if st2 != 200 or h2.get('content-encoding') != 'gzip' or int(h2.get('content-length', 0)) != len(packed):
        problems.append('gzipped: %d %r' % (st2, h2))
    elif gzip.decompress(packed) != plain or len(packed) * 2 > len(plain):
        problems.append('gzip body: %d bytes for %d, same text %s'
                        % (len(packed), len(plain), gzip.decompress(packed) == plain))
    _, h3, _ = get('/api/v1/workflows', {'Accept-Encoding': 'gzip;q=0'})
    if 'content-encoding' in h3:
        problems.append('gzip sent to a client that refused it')
    tag = h.get('etag', '')
    if not tag.startswith('W/"') or h2.get('etag') != tag:
        problems.append('etag %r plain, %r gzipped' % (tag, h2.get('etag')))
    for headers in ({'If-None-Match': tag}, {'If-None-Match': '"x", ' + tag[2:]},
                    {'If-None-Match': tag, 'Accept-Encoding': 'gzip'}):
        st, h4, body = get('/api/v1/workflows', headers)
        if st != 304 or body or h4.get('etag') != tag:
            problems.append('revalidation %r: %d, %d bytes' % (headers, st, len(body)))
    st, _, body = get('/api/v1/workflows', {'If-None-Match': 'W/"0000"'})
    if st != 200 or body != plain:
        problems.append('stale tag answered %d' % st)
    st, h5, body = get('/api/v1/no-such-thing', {'Accept-Encoding': 'gzip'})
    if st != 404 or 'etag' in h5 or 'content-encoding' in h5:
        problems.append('error answer: %d %r' % (st, h5))
    who = srv.as_user('admin', csrf=False)
    st, h6, body = get('/api/v1/audit?limit=100', {'Accept-Encoding': 'gzip'}, who=who)
    if st != 200 or 'etag' in h6 or h6.get('cache-control') != 'no-store' or \
            (len(body) > 1024 and h6.get('content-encoding') != 'gzip'):
        problems.append('private answer: %d %r' % (st, h6))
    report('dynamic answers: gzip when asked, ETag and 304 when cacheable, neither for errors', problems)


def check_verifiable_log(srv, report):
    """The log as a stranger checks it: an independent verifier (tlogverify.py,
    hashlib and openssl) over the checkpoint, tiles, bundles, proofs, receipts."""
    import tlogverify as tv
    from concurrent.futures import ThreadPoolExecutor
    problems = []
    def probe(i):
        st, _, body = srv.request('POST', '/api/v1/ops/probe',
                                  json.dumps({'note': 'log %d' % i}).encode(),
                                  {'Content-Type': 'application/json'})
        return json.loads(body) if st == 201 else None
    with ThreadPoolExecutor(8) as pool:
        probes = [p for p in pool.map(probe, range(300)) if p]
    st, hdrs, note = srv.request('POST', '/api/v1/tlog/checkpoint', b'{}',
                                 {'Content-Type': 'application/json'})
    vkey = srv.request('GET', '/tlog/vkey')[2].decode()
    text = tv.open_note(note, vkey) if st == 200 else None
    if len(probes) != 300 or text is None:
        report('verifiable log: probes logged and a checkpoint signed', ['%d probes, checkpoint %d %r'
                                                                       % (len(probes), st, note[:80])])
        return
    origin, size, root = tv.parse_checkpoint(text)
    if origin != vkey.split('+')[0] or size < 300:
        problems.append('checkpoint origin %r size %d' % (origin, size))
    # Every leaf from the entry bundles, checked against the level-0 tiles.
    entries = []
    for n in range((size + 255) // 256):
        width = min(256, size - n * 256)
        suffix = '%03d' % n + ('' if width == 256 else '.p/%d' % width)
        st1, h1, bundle = srv.request('GET', '/tlog/tile/entries/' + suffix)
        st2, h2, tile = srv.request('GET', '/tlog/tile/0/' + suffix)
        got = tv.split_bundle(bundle)
        if (st1, st2) != (200, 200) or len(got) != width or \
                b''.join(tv.leaf_hash(e) for e in got) != tile:
            problems.append('tile %s: %d %d, %d entries' % (suffix, st1, st2, len(got)))
        if 'immutable' not in h2.get('cache-control', '') or \
                h2.get('content-type') != 'application/octet-stream':
            problems.append('tile headers %r' % h2)
        entries += got
    again = srv.request('GET', '/tlog/tile/0/000')  # a full tile, now from memory
    if again[0] != 200 or again[2] != b''.join(tv.leaf_hash(e) for e in entries[:256]):
        problems.append('a full tile served a second time differs')
    leaves = [tv.leaf_hash(e) for e in entries]
    if tv.mth(leaves) != root:
        problems.append('the checkpoint root is not the root of the served entries')
    if size >= 256:
        st, _, tile = srv.request('GET', '/tlog/tile/1/000.p/%d' % (size // 256))
        if tile[:32] != tv.mth(leaves[:256]):
            problems.append('level-1 tile is not the hash of the first 256 leaves')
    for p in probes[:20]:
        if ('ref probe/%d\n' % p['id']).encode() not in entries[p['tlog_index']]:
            problems.append('probe %d: its leaf %d is not its own' % (p['id'], p['tlog_index']))
        if b'log ' in entries[p['tlog_index']]:
            problems.append('a leaf carries the record itself')
    for i in sorted({0, 1, 255, 256, size // 2, size - 1}):
        st, _, body = srv.request('GET', '/tlog/proof/inclusion?index=%d&size=%d' % (i, size))
        doc = json.loads(body)
        proof = [base64.b64decode(x) for x in doc.get('proof', [])]
        if st != 200 or not tv.verify_inclusion(i, size, leaves[i], proof, root):
            problems.append('inclusion proof of %d in %d does not verify' % (i, size))
    for old in sorted({1, 7, 256, size - 1}):
        st, _, body = srv.request('GET', '/tlog/proof/consistency?old=%d&new=%d' % (old, size))
        proof = [base64.b64decode(x) for x in json.loads(body).get('proof', [])]
        if st != 200 or not tv.verify_consistency(old, size, tv.mth(leaves[:old]), root, proof):
            problems.append('consistency proof %d -> %d does not verify' % (old, size))
    for i in (0, size - 1):
        st, hdrs, body = srv.request('GET', '/tlog/receipt/%d' % i)
        extra, index, proof, rnote = tv.parse_receipt(body)
        rtext = tv.open_note(rnote, vkey)
        ok = rtext is not None and extra == entries[i] and index == i
        if ok:
            _, rsize, rroot = tv.parse_checkpoint(rtext)
            ok = tv.verify_inclusion(i, rsize, tv.leaf_hash(extra), proof, rroot)
        if st != 200 or not ok or not hdrs.get('content-type', '').startswith('text/plain'):
            problems.append('receipt %d does not verify (%d)' % (i, st))
    st, hdrs, body = srv.request('GET', '/tlog/checkpoint')
    if st != 200 or 'max-age=2' not in hdrs.get('cache-control', '') or \
            tv.open_note(body, vkey) is None:
        problems.append('GET /tlog/checkpoint: %d %r' % (st, hdrs.get('cache-control')))
    for path, want in (('/tlog/proof/inclusion?index=-1&size=3', 400),
                       ('/tlog/proof/inclusion?index=01&size=3', 400),
                       ('/tlog/proof/inclusion?index=3&size=3', 400),
                       ('/tlog/proof/inclusion?index=0&size=%d' % (size + 10 ** 6), 404),
                       ('/tlog/proof/consistency?old=0&new=3', 400),
                       ('/tlog/proof/consistency?old=5&new=3', 400),
                       ('/tlog/receipt/%d' % (size + 10 ** 6), 404), ('/tlog/receipt/x', 400),
                       ('/tlog/tile/0/0', 404), ('/tlog/tile/0/x000/001', 404),
                       ('/tlog/tile/0/../000', 404), ('/tlog/tile/99/000', 404)):
        st, _, body = srv.request('GET', path)
        if st != want or b'"error"' not in body:
            problems.append('%s: %d, expected %d' % (path, st, want))
    report('verifiable log: checkpoint, tiles, bundles, proofs and receipts check independently',
           problems)


def make_witness(data):
    """A witness for the log (C2SP tlog-cosignature, Ed25519 via openssl):
    its verifier key goes into DATA/tlog.witnesses; returns what cosign() needs."""
    import hashlib
    pem = os.path.join(data, 'witness.pem')
    subprocess.run(['openssl', 'genpkey', '-algorithm', 'ed25519', '-out', pem], check=True,
                   capture_output=True)
    der = subprocess.run(['openssl', 'pkey', '-in', pem, '-pubout', '-outform', 'DER'], check=True,
                         capture_output=True).stdout
    name, pub = 'witness.example/w1', der[-32:]
    keyid = hashlib.sha256(name.encode() + b'\n\x04' + pub).digest()[:4]
    with open(os.path.join(data, 'tlog.witnesses'), 'w') as f:
        f.write('# the test witness\n%s+%s+%s\n' % (name, keyid.hex(),
                                                    base64.b64encode(b'\x04' + pub).decode()))
    return {'name': name, 'pem': pem, 'pub': pub, 'keyid': keyid}


def make_witness_key_only():
    """Another witness's verifier key (that cosigned nothing)."""
    import hashlib
    pub = os.urandom(32)
    name = 'witness.example/w9'
    keyid = hashlib.sha256(name.encode() + b'\n\x04' + pub).digest()[:4]
    return '%s+%s+%s' % (name, keyid.hex(), base64.b64encode(b'\x04' + pub).decode())


def cosign(witness, text, when):
    """The witness's signature line over checkpoint 'text' at time 'when'."""
    with tempfile.TemporaryDirectory() as d:
        msg, sig = os.path.join(d, 'msg'), os.path.join(d, 'sig')
        with open(msg, 'wb') as f:
            f.write(b'cosignature/v1\ntime %d\n' % when + text)
        subprocess.run(['openssl', 'pkeyutl', '-sign', '-inkey', witness['pem'], '-rawin', '-in', msg,
                        '-out', sig], check=True, capture_output=True)
        with open(sig, 'rb') as f:
            blob = witness['keyid'] + when.to_bytes(8, 'big') + f.read()
    return ('\u2014 %s %s\n' % (witness['name'], base64.b64encode(blob).decode())).encode()


def check_witness_cosignatures(srv, report):
    """A configured witness posts its cosignature; the checkpoint and receipts
    then carry it, and it verifies independently (openssl). Anything else --
    another key, another text, a size the log never signed -- is refused."""
    import tlogverify as tv
    problems = []
    post = lambda body: srv.request('POST', '/tlog/cosignature', body,
                                    {'Content-Type': 'text/plain; charset=utf-8'})
    srv.request('POST', '/api/v1/ops/probe', b'{"note":"witnessed"}', {'Content-Type': 'application/json'})
    note = srv.request('POST', '/api/v1/tlog/checkpoint', b'{}', {'Content-Type': 'application/json'})[2]
    text = note[:note.rindex(b'\n\n') + 1]
    when = int(time.time())
    line = cosign(srv.witness, text, when)
    st, _, body = post(text + b'\n' + line)
    if st != 200 or json.loads(body).get('accepted') != [srv.witness['name']]:
        problems.append('cosignature refused: %d %r' % (st, body[:200]))
    st, _, served = srv.request('GET', '/tlog/checkpoint')
    if line not in served or tv.open_note(served, srv.request('GET', '/tlog/vkey')[2].decode()) is None:
        problems.append('the checkpoint is not served with the cosignature')
    else:  # the line, as served, verifies on its own
        blob = base64.b64decode(line.decode().split(' ')[-1])
        msg = b'cosignature/v1\ntime %d\n' % int.from_bytes(blob[4:12], 'big') + text
        if not tv.ed25519_ok(srv.witness['pub'], msg, blob[12:]):
            problems.append('the served cosignature does not verify')
    size = int(text.split(b'\n')[1])
    receipt = srv.request('GET', '/tlog/receipt/%d' % (size - 1))[2]
    if line not in receipt:
        problems.append('the receipt does not carry the cosignature')
    wkey = open(os.path.join(srv.data, 'tlog.witnesses')).read().split('\n')[1]
    with tempfile.NamedTemporaryFile(suffix='.tlog-proof') as f:
        f.write(receipt)
        f.flush()
        r = subprocess.run([srv.binary, 'verify', 'receipt', f.name, '--data', srv.data,
                            '--witness', wkey], capture_output=True, text=True)
        if r.returncode != 0 or 'witness.example/w1' not in r.stdout:
            problems.append('verify receipt --witness: %d %s' % (r.returncode, r.stdout[-200:]))
        other = make_witness_key_only()
        r = subprocess.run([srv.binary, 'verify', 'receipt', f.name, '--data', srv.data,
                            '--witness', other], capture_output=True, text=True)
        if r.returncode != 1:
            problems.append('verify receipt with a witness that did not cosign: %d' % r.returncode)
    bad_text = text.replace(b'\n%d\n' % size, b'\n%d\n' % (size + 1000))
    for label, body, want in (
            ('garbage', b'garbage', 400),
            ('another checkpoint text', bad_text + b'\n' + cosign(srv.witness, bad_text, when), 404),
            ('a changed root', text[:-5] + b'AAAA\n' + b'\n' + line, 400),
            ('an unknown witness', text + b'\n' + line.replace(b'w1 ', b'w2 '), 400)):
        st, _, _ = post(body)
        if st != want:
            problems.append('%s: %d, expected %d' % (label, st, want))
    report('witnesses: a configured witness cosigns; the checkpoint and receipts carry it', problems)


def check_verify_command(srv, report):
    """`xiangzhi verify` on what a villager or an auditor holds: a receipt, two
    checkpoints and a consistency proof; and on the server: the whole log and
    the records, which catch a record changed behind the log's back."""
    problems = []
    def run(*args):
        r = subprocess.run([srv.binary, 'verify'] + list(args) + ['--data', srv.data, '--db', srv.db],
                           capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr
    def sign():
        return srv.request('POST', '/api/v1/tlog/checkpoint', b'{}',
                           {'Content-Type': 'application/json'})[2]
    srv.request('POST', '/api/v1/ops/probe', b'{"note":"cli"}', {'Content-Type': 'application/json'})
    old = sign()
    old_receipt = srv.request('GET', '/tlog/receipt/%d' % (int(old.split(b'\n')[1]) - 1))[2]
    for i in range(3):
        srv.request('POST', '/api/v1/ops/probe', b'{"note":"cli %d"}' % i,
                    {'Content-Type': 'application/json'})
    new = sign()
    size = lambda note: int(note.split(b'\n')[1])
    with tempfile.TemporaryDirectory() as d:
        files = {name: os.path.join(d, name)
                 for name in ('receipt', 'old', 'new', 'proof', 'bad', 'old_receipt')}
        data = {'receipt': srv.request('GET', '/tlog/receipt/%d' % (size(new) - 1))[2], 'old': old,
                'new': new, 'proof': srv.request('GET', '/tlog/proof/consistency?old=%d&new=%d'
                                                 % (size(old), size(new)))[2],
                'old_receipt': old_receipt}
        for name, body in data.items():
            with open(files[name], 'wb') as f:
                f.write(body)
        rc, out = run('receipt', files['receipt'])
        if rc != 0 or 'cli 2' in out or '✓' not in out:
            problems.append('verify receipt: %d %s' % (rc, out[-300:]))
        rc, out = run('consistency', files['old'], files['new'], files['proof'])
        if rc != 0:
            problems.append('verify consistency: %d %s' % (rc, out[-300:]))
        for extra, want in ((['--checkpoint', files['old']], 0),
                            (['--checkpoint', files['new'], '--proof', files['proof']], 0),
                            (['--checkpoint', files['new']], 1)):
            rc, out = run('receipt', files['old_receipt'], *extra)
            if rc != want:
                problems.append('verify receipt %s: %d, expected %d' % (' '.join(extra[:1] + extra[2:3]),
                                                                       rc, want))
        rc, out = run('consistency', files['new'], files['old'], files['proof'])
        if rc != 1:
            problems.append('verify consistency, swapped: %d' % rc)
        with open(files['bad'], 'wb') as f:  # another entry's text under this receipt's proof
            f.write(data['receipt'].replace(b'index %d' % (size(new) - 1), b'index %d' % (size(new) - 2)))
        rc, out = run('receipt', files['bad'])
        if rc != 1:
            problems.append('verify receipt with the wrong index: %d' % rc)
        rc, out = run('receipt', files['receipt'], '--vkey',
                      'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k')
        if rc != 1:
            problems.append('verify receipt with another key: %d' % rc)
    rc, out = run('log')
    if rc != 0 or '✓' not in out:
        problems.append('verify log: %d %s' % (rc, out[-300:]))
    srv.sql("UPDATE ops_probe SET note = 'changed' WHERE id = (SELECT MIN(id) FROM ops_probe"
            " WHERE tlog_index IS NOT NULL)")
    rc, out = run('log')
    if rc != 1 or 'differs' not in out:
        problems.append('verify log after a probe changed: %d %s' % (rc, out[-300:]))
    report('verify: receipts, consistency, the whole log and its records, from the command', problems)


def check_accounts_stay_in_scope(srv, report):
    """A county admin lists, reads and manages only accounts of the county."""
    problems = []
    srv.sql("INSERT INTO regions (code, parent_code, level, name, created_at, updated_at)"
            " SELECT '410184000000', parent_code, 3, '邻县', 0, 0 FROM regions"
            " WHERE code = '410183000000'")
    srv.sql("INSERT INTO users (username, display_name, password_hash, password_changed_at,"
            " created_at, updated_at) VALUES ('neighbour', '邻县管理员', 'x', 0, 0, 0)")
    srv.sql("INSERT INTO user_roles (user_id, role, scope_code) SELECT id, 'county_admin',"
            " '410184000000' FROM users WHERE username = 'neighbour'")
    seen, after = [], 0
    while True:
        st, _, raw = srv.request('GET', '/api/v1/users?limit=3&after=%d' % after,
                                 headers=srv.as_user('admin'))
        items = json.loads(raw)['items'] if st == 200 else []
        seen += [u['username'] for u in items]
        if len(items) < 3:
            break
        after = items[-1]['id']
    if 'neighbour' in seen or 'admin' not in seen or len(seen) != len(set(seen)):
        problems.append('admin lists %s' % seen)
    if len(seen) < len(srv.accounts):
        problems.append('admin lists %d accounts of the county, expected %d or more'
                        % (len(seen), len(srv.accounts)))
    report('accounts: an admin sees only the accounts of the county', problems)


ATTACH_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'attach')


def attach_file(name):
    with open(os.path.join(ATTACH_DATA, name), 'rb') as f:
        return f.read()


def tiny_png(seed):
    """A valid 1x1 RGB PNG whose colour (and so hash) depends on 'seed'."""
    import struct
    import zlib

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data)))
    pixel = bytes([seed % 256, (seed >> 8) % 256, (seed >> 16) % 256])
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(b'\0' + pixel)) + chunk(b'IEND', b''))


def attach_post(srv, who, data, kind='image/jpeg', query=''):
    headers = {'Content-Type': kind} if kind else {}
    if who:
        headers = srv.as_user(who, headers)
    st, hdrs, body = srv.request('POST', '/api/v1/attachments' + query, data, headers)
    try:
        doc = json.loads(body)
    except ValueError:
        doc = {}
    return st, hdrs, doc


def attach_get(srv, who, sha):
    headers = srv.as_user(who) if who else {}
    return srv.request('GET', '/api/v1/attachments/' + sha, None, headers)


def check_attachments(srv, report):
    """Evidence photos: metadata (GPS above all) never served, the type judged
    by content, the limits, one file for the same photo twice, and the scope."""
    import hashlib
    problems = []
    photo, clean = attach_file('gps.jpg'), attach_file('gps.clean.jpg')
    want = hashlib.sha256(clean).hexdigest()
    st, hdrs, doc = attach_post(srv, 'cunmin1', photo)
    if st != 201 or doc != {'sha256': want, 'mime': 'image/jpeg', 'bytes': len(clean),
                            'width': 8, 'height': 16}:
        problems.append('villager upload: %d %r' % (st, doc))
    if hdrs.get('location') != '/api/v1/attachments/' + want:
        problems.append('Location %r' % hdrs.get('location'))
    st, hdrs, body = attach_get(srv, 'cunmin1', want)
    if st != 200 or body != clean:
        problems.append('served back: %d, %d bytes' % (st, len(body)))
    for secret in (b'GPS', b'TestCam', b'Zhengzhou', b'<script>', b'PK\x03\x04', b'2024:05'):
        if secret in body:
            problems.append('%r is served' % secret)
    for k, v in (('content-type', 'image/jpeg'), ('x-content-type-options', 'nosniff'),
                 ('cache-control', 'private, max-age=31536000, immutable'),
                 ('content-disposition', 'inline')):
        if hdrs.get(k) != v:
            problems.append('%s: %r' % (k, hdrs.get(k)))
    # Who sees the villager's photo: its uploader and staff over its village.
    for who, status in (('cun1', 200), ('zhen1', 200), ('admin', 200), ('auditor', 200),
                        ('jiandu1', 200), ('cun2', 404), ('cun3', 404), ('zhen2', 404),
                        ('jiandu3', 404), ('cunmin3', 404), ('dangyuan1', 404), (None, 401)):
        st, _, body = attach_get(srv, who, want)
        if st != status:
            problems.append('%s reads the photo: %d, expected %d' % (who, st, status))
    report('attachments: a villager\'s photo is served without its GPS, within scope', problems)

    problems = []
    png, png_clean = attach_file('gps.png'), attach_file('gps.clean.png')
    st, _, doc = attach_post(srv, 'cun1', png, 'image/png')
    if st != 201 or doc.get('sha256') != hashlib.sha256(png_clean).hexdigest() or doc.get(
            'mime') != 'image/png' or (doc.get('width'), doc.get('height')) != (5, 3):
        problems.append('cadre PNG upload: %d %r' % (st, doc))
    st, _, body = attach_get(srv, 'cun1', doc.get('sha256', 'x'))
    if st != 200 or body != png_clean or b'eXIf' in body or b'tEXt' in body:
        problems.append('PNG served back: %d %r' % (st, body[:60]))
    if attach_get(srv, 'cunmin1', doc.get('sha256', 'x'))[0] != 404:
        problems.append('a villager reads a cadre\'s upload')
    # A JPEG claiming to be a PNG is a JPEG; the same bytes twice are one file.
    def stored():
        top = os.path.join(srv.data, 'attachments')
        return sorted(os.path.join(os.path.basename(d), f) for d, _, fs in os.walk(top)
                      for f in fs)
    before = stored()
    st, _, doc = attach_post(srv, 'cun1', photo, 'image/png')
    if st != 201 or doc.get('mime') != 'image/jpeg' or doc.get('sha256') != want:
        problems.append('a JPEG sent as image/png: %d %r' % (st, doc))
    if stored() != before or '%s/%s' % (want[:2], want[2:]) not in before:
        problems.append('files on disk: %r, then %r' % (before, stored()))
    if any('.tmp' in f for f in before):
        problems.append('a temporary file was left: %r' % before)
    st, _, doc = attach_post(srv, 'zhen1', attach_file('other.jpg'), 'image/jpeg',
                             '?region=' + srv.accounts['cun2']['scope'])
    if st != 201 or attach_get(srv, 'cun2', doc.get('sha256', 'x'))[0] != 200 or attach_get(
            srv, 'cun1', doc.get('sha256', 'x'))[0] != 404:
        problems.append('township upload for a village: %d %r' % (st, doc))
    report('attachments: type by content, one file per content, upload into a village', problems)

    problems = []
    big = photo + b'\0' * (5 * 1024 * 1024 + 1 - len(photo))
    refusals = (
        ('over 5 MiB', 'cunmin1', big, 'image/jpeg', '', 413, 'too_large'),
        ('HTML as image/png', 'cunmin1', b'<html><script>alert(1)</script></html>', 'image/png',
         '', 415, 'unsupported_media_type'),
        ('a GIF', 'cunmin1', b'GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'image/gif', '', 415,
         'unsupported_media_type'),
        ('text/plain', 'cunmin1', photo, 'text/plain', '', 415, 'unsupported_media_type'),
        ('no Content-Type', 'cunmin1', photo, None, '', 415, 'unsupported_media_type'),
        ('a truncated JPEG', 'cunmin1', photo[:300], 'image/jpeg', '', 400, 'invalid'),
        ('a PNG with a bad CRC', 'cunmin1', png[:42] + bytes([png[42] ^ 1]) + png[43:],
         'image/png', '', 400, 'invalid'),
        ('an empty body', 'cunmin1', b'', 'image/jpeg', '', 415, 'unsupported_media_type'),
        ('a region outside the scope', 'cunmin1', photo, 'image/jpeg',
         '?region=' + srv.accounts['cunmin3']['scope'], 403, 'forbidden'),
        ('anonymous', None, photo, 'image/jpeg', '', 401, 'unauthenticated'),
    )
    for name, who, data, kind, query, status, code in refusals:
        st, _, doc = attach_post(srv, who, data, kind, query)
        got = doc.get('error', {}).get('code') if isinstance(doc, dict) else None
        if st != status or got != code:
            problems.append('%s: %d %r, expected %d %s' % (name, st, got, status, code))
    for sha in ('0' * 64, 'A' * 64, '../../keys/master.key', want[:63]):
        st, _, _ = attach_get(srv, 'admin', urllib.parse.quote(sha, safe=''))
        if st != 404:
            problems.append('GET %s: %d' % (sha, st))
    report('attachments: 413, 415 and 400 for what is not a photo; 404 for no such hash', problems)


def check_access_matrix(srv, report):
    import matrix
    import oracle
    oracle.run(matrix.run(srv, report), report)


def module_checks(srv):
    """Each module's own checks (tests/api/<module>/checks.py: CHECKS), in the
    order of the module list."""
    import modules
    return [c for m in modules.test_modules(srv.binary, 'checks') for c in m.CHECKS]


# Checks of the transport rather than the API's meaning: limits, malformed
# bytes, headers, load, signals, the database file. Not replayed through the
# validating proxy (run.py --prism), which would stand between them and the
# server.
TRANSPORT = {'check_body_limits', 'check_error_text_is_valid_utf8', 'check_header_limits',
             'check_control_characters_in_paths', 'check_request_ids', 'check_concurrent_writes',
             'check_queue_full', 'check_stalled_clients', 'check_unsafe_databases',
             'check_remote_ops_forbidden', 'check_rerun_jobs_start_afresh',
             'check_audit_append_only', 'check_no_plain_phone_in_db', 'check_static_site',
             'check_dynamic_answers', 'check_shutdown_drains'}


def run_all(srv, report, transport=True):
    for check in [check_body_limits, check_error_text_is_valid_utf8, check_header_limits,
                  check_control_characters_in_paths, check_request_ids,
                  check_concurrent_writes, check_queue_full, check_stalled_clients, check_unsafe_databases,
                  check_remote_ops_forbidden, check_access_matrix, check_sensitive_values,
                  check_lists_stay_in_scope, check_members_never_stale, check_rerun_jobs_start_afresh,
                  check_import, check_import_all_or_nothing,
                  check_export, check_session_lifecycle, check_login_lock,
                  check_login_by_phone, check_api_tokens, check_first_password, check_audit_append_only,
                  check_no_plain_phone_in_db, check_static_site, check_dynamic_answers,
                  check_query_parameters, check_verifiable_log,
                  check_verify_command, check_witness_cosignatures,
                  check_accounts_stay_in_scope, check_attachments] + module_checks(srv) + [
                  check_shutdown_drains]:
        if not transport and check.__name__ in TRANSPORT:
            continue
        try:
            check(srv, report)
        except Exception as e:  # a crash of the check is a failure, not an abort
            report(check.__name__, ['raised %r' % e])
