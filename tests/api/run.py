#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Black-box API tests against the real xiangzhi server (STYLE.md §7).

Starts `xiangzhi serve` on a free loopback port with a fresh database (SQLite file
or a PostgreSQL URL), runs the data-driven cases in tests/api/cases/tNNNN-*.json
(request, expected status, expected headers, a golden subset of the JSON body)
and the scripted checks in checks.py (limits, stalled clients, shutdown), and
ends with the line "api(<backend>): N passed, M failed". Python stdlib only.
"""
import argparse
import glob
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402
from server import Server, free_port  # noqa: E402

SECURITY_HEADERS = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
}


def substitute(value, vars_):
    if isinstance(value, str):
        return re.sub(r'\$\{(\w+)\}', lambda m: str(vars_[m.group(1)]), value)
    if isinstance(value, list):
        return [substitute(v, vars_) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, vars_) for k, v in value.items()}
    return value


def matches(expected, actual, path='$'):
    """Golden subset match; returns a list of differences. Placeholders:
    "$int", "$string", "$any"; lists must match element by element."""
    if expected == '$any':
        return []
    if expected == '$int':
        return [] if isinstance(actual, int) and not isinstance(actual, bool) else [
            '%s: expected an integer, got %r' % (path, actual)]
    if expected == '$string':
        return [] if isinstance(actual, str) else ['%s: expected a string, got %r' % (path, actual)]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return ['%s: expected an object, got %r' % (path, actual)]
        out = []
        for k, v in expected.items():
            if k not in actual:
                out.append('%s.%s: missing' % (path, k))
            else:
                out += matches(v, actual[k], '%s.%s' % (path, k))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return ['%s: expected %r, got %r' % (path, expected, actual)]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += matches(e, a, '%s[%d]' % (path, i))
        return out
    return [] if expected == actual else ['%s: expected %r, got %r' % (path, expected, actual)]


def run_step(srv, step, vars_):
    step = substitute(step, vars_)
    headers = dict(step.get('headers', {}))
    if 'as' in step:
        headers = srv.as_user(step['as'], headers, csrf=step.get('csrf', True))
    body = None
    if 'json' in step:
        body = json.dumps(step['json'], ensure_ascii=False).encode()
        headers.setdefault('Content-Type', 'application/json')
    elif 'raw' in step:
        body = step['raw'].encode()
    status, hdrs, data = srv.request(step.get('method', 'GET'), step['path'], body, headers)
    problems = []
    if status != step['status']:
        problems.append('status %d, expected %d; body %s' % (status, step['status'], data[:300]))
    for k, v in SECURITY_HEADERS.items():
        if hdrs.get(k) != v:
            problems.append('header %s is %r' % (k, hdrs.get(k)))
    if 'content-security-policy' not in hdrs or "frame-ancestors 'none'" not in hdrs[
            'content-security-policy']:
        problems.append('no CSP with frame-ancestors')
    if not re.fullmatch(r'[0-9a-f]{16}', hdrs.get('x-request-id', '')):
        problems.append('no request id')
    for k, v in step.get('expect_headers', {}).items():
        if hdrs.get(k.lower()) != v:
            problems.append('header %s is %r, expected %r' % (k, hdrs.get(k.lower()), v))
    if 'expect' in step or 'capture' in step:
        try:
            doc = json.loads(data)
        except ValueError:
            return problems + ['body is not JSON: %r' % data[:200]]
        problems += matches(step.get('expect', {}), doc)
        if isinstance(doc, dict) and 'error' in doc:
            if doc['error'].get('request_id') != hdrs.get('x-request-id'):
                problems.append('error.request_id differs from X-Request-Id')
        for name, key in step.get('capture', {}).items():
            vars_[name] = doc.get(key)
    if 'expect_text' in step and step['expect_text'] not in data.decode('utf-8', 'replace'):
        problems.append('body lacks %r' % step['expect_text'])
    return problems


def run_cases(srv, report):
    for path in sorted(glob.glob(os.path.join(os.path.dirname(__file__), 'cases', 't*.json'))):
        with open(path, encoding='utf-8') as f:
            cases = json.load(f)
        family = os.path.basename(path)[:-5]
        for case in cases:
            vars_ = {}
            problems = []
            for step in case['steps']:
                problems = run_step(srv, step, vars_)
                if problems:
                    break
            report('%s: %s' % (family, case['name']), problems)


class RouteTable:
    """The server's route table (xiangzhi routes), to know which route a
    request went to."""

    def __init__(self, binary):
        self.routes = []
        for r in json.loads(subprocess.run([binary, 'routes'], capture_output=True,
                                           check=True).stdout):
            rx = re.sub(r'\\\{\w+\\\*\\\}', '.+', re.escape(r['path']))
            rx = re.sub(r'\\\{\w+\\\}', '[^/]+', rx)
            self.routes.append((r, re.compile('^%s$' % rx)))

    def find(self, method, path):
        path = path.split('?')[0]
        for r, rx in self.routes:
            if (r['method'] == method or (r['method'], method) == ('GET', 'HEAD')) and \
                    rx.match(path):
                return r
        return None

    def answers_bytes(self, method, path):
        """A route whose body or answer is bytes, not text (a photo, a CSV in
        GBK, a hash tile): Prism's proxy carries those as text, so they go to
        the server directly."""
        r = self.find(method, path)
        media = r['answer'].partition(' ')[2].split() if r else []
        return bool(r and (r['raw_type'] or any(
            m.startswith(('image/', 'application/')) and m != 'image/svg+xml' for m in media)))

    def wrong_success(self, method, path, status):
        """A 2xx other than the one the route declares, or None."""
        r = self.find(method, path)
        declared = r['answer'].split()[0] if r else None
        if 200 <= status < 300 and declared and str(status) != declared:
            return '%s %s answered %d; its route declares %s' % (method, path[:80], status,
                                                                 declared)
        return None


def start_prism(prism, srv, tmp):
    """Prism's validating proxy in front of the server, for docs/openapi.yaml;
    the checks' API requests (srv.request) go through it from here on."""
    doc = os.path.join(os.path.dirname(__file__), '..', '..', 'docs', 'openapi.yaml')
    port = free_port()
    log = open(os.path.join(tmp, 'prism.log'), 'w')
    proc = subprocess.Popen([prism, 'proxy', doc, 'http://%s:%d' % (srv.host, srv.port),
                             '-h', '127.0.0.1', '-p', str(port), '--errors', 'false'],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                srv.via = ('127.0.0.1', port)
                srv.direct = srv.routes.answers_bytes
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError('prism did not start; see %s' % log.name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True)
    ap.add_argument('--db', default='sqlite', help='"sqlite" or a postgresql:// URL')
    ap.add_argument('--only', default='', help='run only tests whose name contains this')
    ap.add_argument('--prism', default='', help="Prism's CLI: send the checks' requests through "
                    'its validating proxy for docs/openapi.yaml and fail on any violation')
    args = ap.parse_args()
    backend = 'pg' if args.db.startswith('postgres') else 'sqlite'
    passed = failed = 0

    def report(name, problems):
        nonlocal passed, failed
        if args.only and args.only not in name:
            return
        if problems:
            failed += 1
            print('FAIL %s\n     %s' % (name, '\n     '.join(problems)), flush=True)
        else:
            passed += 1
            print('ok   %s' % name, flush=True)

    with tempfile.TemporaryDirectory(prefix='xz-api-') as tmp:
        db = 'sqlite:%s/x.db' % tmp if backend == 'sqlite' else args.db
        site = os.path.join(tmp, 'site')
        checks.make_site(site)
        # A 2-s idle timeout for the stalled-clients check; through the proxy
        # (which skips the transport checks) a long one, so that the server
        # does not close a kept-alive socket just as the proxy reuses it.
        idle = '60' if args.prism else '2'
        srv = Server(args.bin, db, tmp, extra=['--timeout', idle, '--web', site])
        try:
            srv.init(demo=True)
            srv.witness = checks.make_witness(tmp)  # before start: serve reads tlog.witnesses
            srv.routes = RouteTable(args.bin)
            srv.start()
            proxy = start_prism(args.prism, srv, tmp) if args.prism else None
            if not proxy:  # (the cases check headers and bytes a proxy stands between)
                run_cases(srv, report)
            checks.run_all(srv, report, transport=not proxy)
            report('errors: every error answer the tests met is the JSON shape, in the language '
                   'asked for, with no address, path, SQL or library text',
                   srv.error_problems[:12])
            report('answers: every success is the status its route declares (%d seen)'
                   % srv.successes, srv.success_problems[:12])
            if proxy:
                report('openapi: %d requests through a validating proxy, every answer and every '
                       'accepted request as docs/openapi.yaml says' % srv.openapi_requests,
                       sorted(set(srv.openapi_problems))[:40])
        finally:
            if proxy:
                proxy.terminate()
                proxy.wait()
            srv.stop()
        log = srv.log_tail()
        for i, line in enumerate(log):
            if 'ERROR: LeakSanitizer' in line or 'ERROR: AddressSanitizer' in line:
                print('\n'.join(log[i:i + 60]))  # where it was allocated, for the reader
        for line in log:
            if 'AddressSanitizer' in line or 'runtime error' in line:
                failed += 1
                print('FAIL sanitizer report in server log: %s' % line)
            if ' rerun: ' in line:  # XIANGZHI_TEST_RERUN: a job answered otherwise run twice
                failed += 1
                print('FAIL %s' % line[:400])
    print('api(%s): %d passed, %d failed' % (backend, passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
