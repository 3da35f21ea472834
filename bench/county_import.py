#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# bench/county_import.py -- import a whole county through the API and time it.
#
# Writes the sheets a county's cadres would upload -- one row per person, the
# Chinese headers of the household import, UTF-8 -- for HOUSEHOLDS new
# households spread over the demo county's villages, split into FILES files
# (a file holds at most 200,000 rows; 115,000 households are ~400,000 people,
# so 新密 takes three, one per group of townships). Then, as `admin`, it POSTs
# each file to /api/v1/households/import and polls the task until it is done,
# and prints one key=value line: households, persons, files, seconds per file,
# total seconds, households per second. Every ID number is checksum-valid and
# obviously fictitious (born 1935-2009 in 410185, so never one of the
# demo county's own); phone numbers are in the
# 170 range. Exits 1 if an import does not finish as 'done' with every row.
#
#   county_import.py --url URL --accounts DATA/demo-accounts.json --villages CODE,...
#                    [--households 115000] [--files 3] [--workdir DIR]
import argparse
import datetime
import http.client
import json
import os
import sys
import time
import urllib.parse

SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
GIVEN = ['建国', '秀英', '玉梅', '国强', '桂兰', '志刚', '春花', '德明', '丽娟', '海涛',
         '红霞', '永生', '晓燕', '文军', '淑珍', '振华']
ROLES = [('户主', 0), ('配偶', 1), ('子女', 2), ('子女', 3)]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
BIRTH0 = datetime.date(1935, 1, 1)
DAYS = (datetime.date(2009, 12, 31) - BIRTH0).days


def id_number(k):
    """The k-th fictitious number: a birth date and a 3-digit sequence, never repeated."""
    birth = BIRTH0 + datetime.timedelta(days=k % DAYS)
    body = '410185%s%03d' % (birth.strftime('%Y%m%d'), 600 + k // DAYS)
    return body + '10X98765432'[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def write_files(workdir, villages, households, files):
    paths, counts, person, persons = [], [], 0, 0
    per_file = (households + files - 1) // files
    for f in range(files):
        path = os.path.join(workdir, 'county-%d.csv' % (f + 1))
        with open(path, 'w', encoding='utf-8') as out:
            out.write('村代码,户号,地址,姓名,与户主关系,身份证号,手机号\n')
            for h in range(f * per_file, min(households, (f + 1) * per_file)):
                village = villages[h % len(villages)]
                size = 2 + h % 3  # 2-4 people
                for m in range(size):
                    relation, _ = ROLES[m]
                    name = SURNAMES[(h + m) % len(SURNAMES)] + GIVEN[(h * 7 + m) % len(GIVEN)]
                    phone = '170%08d' % h if m == 0 else ''
                    address = '%d 组 %d 号' % (h % 12 + 1, h // 12 % 500 + 1) if m == 0 else ''
                    out.write('%s,IMP-%06d,%s,%s,%s,%s,%s\n' % (village, h, address, name, relation,
                                                               id_number(person), phone))
                    person += 1
                persons += size
        paths.append(path)
        counts.append(min(households, (f + 1) * per_file) - f * per_file)
    return paths, counts, persons


def call(url, method, path, body=None, headers=None, timeout=600):
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def login(url, accounts):
    with open(accounts, encoding='utf-8') as f:
        pw = next(a['password'] for a in json.load(f) if a['username'] == 'admin')
    st, hdrs, body = call(url, 'POST', '/api/v1/session',
                          json.dumps({'username': 'admin', 'password': pw}).encode(),
                          {'Content-Type': 'application/json'})
    if st != 201:
        sys.exit('county_import: login failed: %d %r' % (st, body[:200]))
    return {'Cookie': hdrs['set-cookie'].split(';')[0], 'X-CSRF-Token': json.loads(body)['csrf_token']}


def import_file(url, auth, path):
    with open(path, 'rb') as f:
        data = f.read()
    t0 = time.monotonic()
    st, _, body = call(url, 'POST', '/api/v1/households/import', data,
                       dict(auth, **{'Content-Type': 'text/csv; charset=utf-8'}))
    if st != 202:
        sys.exit('county_import: %s: %d %r' % (path, st, body[:300]))
    task = json.loads(body)['task_id']
    while True:
        st, _, body = call(url, 'GET', '/api/v1/tasks/%d' % task, headers=auth)
        doc = json.loads(body)
        if doc.get('state') in ('done', 'failed'):
            return time.monotonic() - t0, doc, len(data)
        time.sleep(0.2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--url', required=True)
    ap.add_argument('--accounts', required=True)
    ap.add_argument('--villages', required=True)
    ap.add_argument('--households', type=int, default=115000)
    ap.add_argument('--files', type=int, default=3)
    ap.add_argument('--workdir', default='.')
    a = ap.parse_args()
    paths, counts, persons = write_files(a.workdir, a.villages.split(','), a.households, a.files)
    auth = login(a.url, a.accounts)
    times, failed, total_bytes = [], False, 0
    for path, count in zip(paths, counts):
        secs, doc, size = import_file(a.url, auth, path)
        times.append(secs)
        total_bytes += size
        if doc.get('state') != 'done' or doc['result'].get('households') != count:
            failed = True
            print('county_import: %s: %s' % (path, json.dumps(doc, ensure_ascii=False)[:500]),
                  file=sys.stderr)
        else:
            got = doc['result']['households']
            print('# %s: %.1f s, %d households, %.1f MiB' % (os.path.basename(path), secs, got,
                                                            size / 1048576), file=sys.stderr)
    total = sum(times)
    print('households=%d persons=%d files=%d mib=%.1f seconds_per_file=%s total_s=%.1f '
          'households_per_s=%.0f ok=%s' % (a.households, persons, len(paths), total_bytes / 1048576,
                                           ','.join('%.1f' % t for t in times), total,
                                           a.households / total if total else 0,
                                           'no' if failed else 'yes'))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
