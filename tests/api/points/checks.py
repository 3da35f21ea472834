# SPDX-License-Identifier: Apache-2.0
"""Points over HTTP (issue #6), run by tests/api/run.py after core's checks:
claims through every step, spending, statements, the board, reports, the
template editor, and 64 concurrent redemptions of the last 10 in stock."""
import json
import subprocess

from checks import jpost


def check_points_api(srv, report):
    """Points through HTTP: a villager declares, the cadres review and approve,
    the board is posted, the supervisor objects, the re-review upholds: final,
    in the balance, the ledger and the log; the forbidden steps answer 409, the
    scorer's own household 409, other villages 404."""
    import tlogverify as tv
    problems = []
    def post(who, path, doc):
        st, _, body = jpost(srv, path, doc, srv.as_user(who))
        return st, body or {}
    def get(who, path):
        st, _, raw = srv.request('GET', path, headers=srv.as_user(who))
        return st, json.loads(raw) if raw else {}
    village = srv.accounts['cun1']['scope']
    st, v = get('cunmin1', '/api/v1/points/villages/' + village)
    if st != 200 or len(v.get('items', [])) < 45 or not v.get('cycle'):  # the matrix adds some
        report('points over HTTP', ['village scheme: %d %r' % (st, str(v)[:200])])
        return
    before = get('cunmin1', '/api/v1/points/me')[1].get('balance', 0)
    claim = None
    for it in v['items']:  # the first item this household has room for
        if it['points'] > 0 and not it['evidence_required']:
            st, body = post('cunmin1', '/api/v1/points/claims', {'household_id': 1, 'item_id': it['id']})
            if st == 201:
                claim, item = body, it
                break
    if not claim or claim['state'] != 'submitted' or claim['source'] != 'self':
        report('points over HTTP', ['no claim could be declared: %r' % claim])
        return
    path = '/api/v1/points/claims/%d/' % claim['id']
    steps = (
        ('cun1', 'approve', {'version': claim['version'], 'accept': True}, 409),  # not reviewed yet
        ('cunmin1', 'review', {'version': claim['version'], 'accept': True}, 403),
        ('cun3', 'review', {'version': claim['version'], 'accept': True}, 404),  # another village
        ('cun1', 'review', {'version': claim['version'] + 5, 'accept': True}, 409),  # stale
        ('cun1', 'review', {'version': claim['version'], 'accept': True, 'note': '属实'}, 200),
        ('cun1', 'review', {'version': claim['version'] + 1, 'accept': True}, 409),  # twice
        ('cun1', 'approve', {'version': claim['version'] + 1, 'accept': False}, 400),  # no reason
        ('cun1', 'approve', {'version': claim['version'] + 1, 'accept': True, 'note': '同意'}, 200),
    )
    for who, step, doc, want in steps:
        st, body = post(who, path + step, doc)
        if st != want:
            problems.append('%s %s: %d, expected %d (%r)' % (who, step, st, want, str(body)[:160]))
    st, body = post('cun1', '/api/v1/points/villages/%s/publicise' % village, {})
    if st != 200 or body.get('publicised', 0) < 1:
        problems.append('publicise: %d %r' % (st, body))
    for who, doc, want in (('cunmin3', {'reason': '不属实'}, 404), ('auditor', {'reason': '不属实'}, 403),
                           ('jiandu1', {'reason': '家里并不和睦'}, 200),
                           ('jiandu1', {'reason': '再提一次'}, 409)):
        st, body = post(who, path + 'object', doc)
        if st != want:
            problems.append('%s object: %d, expected %d' % (who, st, want))
    st, c = get('cun1', path[:-1])
    steps = [(h['from'], h['to']) for h in c.get('history', [])]
    if steps[-1:] != [('publicised', 'objected')] or c['history'][-1]['note'] != '家里并不和睦':
        problems.append('the claim\'s history does not end with the objection and its reason: %r'
                        % c.get('history'))
    srv.sql("UPDATE users SET household_id = 1 WHERE username = 'cun1'")  # the cadre lives there
    st, body = post('cun1', path + 'rereview', {'version': c['version'], 'uphold': True, 'note': '核实'})
    if st != 409 or 'own' not in json.dumps(body) and '本人' not in json.dumps(body, ensure_ascii=False):
        problems.append('the scorer re-reviewing their own household: %d %r' % (st, body))
    srv.sql("UPDATE users SET household_id = NULL WHERE username = 'cun1'")
    st, body = post('cun1', path + 'rereview', {'version': c['version'], 'uphold': True, 'note': '经核实属实'})
    if st != 200 or body.get('state') != 'final' or not body.get('entry_id'):
        problems.append('re-review: %d %r' % (st, body))
    st, me = get('cunmin1', '/api/v1/points/me')
    entry = next((e for e in me.get('entries', []) if e['claim_id'] == claim['id']), None)
    if st != 200 or me.get('balance') != before + item['points'] or not entry:
        problems.append('balance %r, expected %d + %d' % (me.get('balance'), before, item['points']))
    else:  # its leaf: a receipt that verifies on its own, naming the entry, no name in it
        srv.request('POST', '/api/v1/tlog/checkpoint', b'{}', {'Content-Type': 'application/json'})
        receipt = srv.request('GET', '/tlog/receipt/%d' % entry['tlog_index'])[2]
        extra, index, proof, note = tv.parse_receipt(receipt)
        vkey = srv.request('GET', '/tlog/vkey')[2].decode()
        text = tv.open_note(note, vkey)
        ok = text is not None and b'kind points.final\nref points/entry/%d\n' % entry['id'] in extra
        if ok:
            _, size, root = tv.parse_checkpoint(text)
            ok = tv.verify_inclusion(index, size, tv.leaf_hash(extra), proof, root)
        if not ok:
            problems.append('the entry\'s receipt does not verify')
    for who, path2, want in (('cunmin3', '/api/v1/points/households/1', 404),
                             ('cun3', '/api/v1/points/claims/%d' % claim['id'], 404),
                             ('cun1', '/api/v1/points/me', 404)):
        if get(who, path2)[0] != want:
            problems.append('%s %s: expected %d' % (who, path2, want))
    r = subprocess.run([srv.binary, 'verify', 'points', '--data', srv.data, '--db', srv.db],
                       capture_output=True, text=True)
    if r.returncode != 0:
        problems.append('verify points: %d %s' % (r.returncode, r.stdout[-200:]))
    report('points over HTTP: every step, the forbidden ones, own household, scope, ledger and log',
           problems)


def check_points_shop(srv, report):
    """Spending points over HTTP: a villager's one-time pay code taken by the
    store's merchant (once), not enough points (409) unless cash tops up, a
    merchant's discount on a bill, a merchant at someone else's outlet (403),
    the redemption's receipt in the log, the QR code of a receipt, a bank
    statement that is itself a leaf, the public board and honours (names and
    points only), the reports, and the template editor (a village's own
    scheme is never edited in place)."""
    import tlogverify as tv
    problems = []
    def post(who, path, doc, method='POST'):
        st, _, body = jpost(srv, path, doc, srv.as_user(who) if who else None, method=method)
        return st, body or {}
    def get(who, path):
        st, _, raw = srv.request('GET', path, headers=srv.as_user(who) if who else {})
        return st, json.loads(raw) if raw and raw[:1] in (b'{', b'[') else raw
    village = srv.accounts['cun1']['scope']
    st, doc = get('cun1', '/api/v1/points/villages/%s/outlets' % village)
    outlets = {}  # the first of each kind: the demo's
    for o in doc.get('outlets', []) if st == 200 else []:
        outlets.setdefault(o['kind'], o)
    if not {'store', 'service', 'merchant', 'bank'} <= set(outlets):
        report('points shop over HTTP', ['outlets: %d %r' % (st, str(doc)[:200])])
        return
    store, bank = outlets['store'], outlets['bank']
    towel = min(store['goods'], key=lambda g: g['points'])
    before = get('cunmin1', '/api/v1/points/me')[1]['balance']
    st, code = post('cunmin1', '/api/v1/points/me/paycode', {})
    if st != 201 or not code.get('code', '').startswith('XZ') or '<svg' not in code.get('svg', ''):
        problems.append('pay code: %d %r' % (st, str(code)[:120]))
    take = {'outlet_id': store['id'], 'goods_id': towel['id'], 'paycode': code.get('code')}
    st, r = post('shanghu1', '/api/v1/points/redemptions', take)
    if st != 201 or r.get('points') != towel['points'] or r.get('balance') != before - towel['points']:
        problems.append('redeem with a pay code: %d %r' % (st, str(r)[:200]))
    st, again = post('shanghu1', '/api/v1/points/redemptions', take)
    if st != 409 or again.get('error', {}).get('field') != 'paycode':
        problems.append('the same pay code twice: %d %r' % (st, again))
    st, body = post('shanghu1', '/api/v1/points/redemptions',
                    {'outlet_id': outlets['service']['id'], 'household_id': 1,
                     'goods_id': outlets['service']['goods'][0]['id']})
    if st != 403:
        problems.append('a merchant at an outlet not theirs: %d %r' % (st, body))
    st, body = post('shanghu1', '/api/v1/points/redemptions',
                    {'outlet_id': store['id'], 'goods_id': towel['id'], 'household_id': 1})
    if st != 400 or body.get('error', {}).get('field') != 'paycode':
        problems.append('a merchant naming a household without its pay code: %d %r' % (st, body))
    # Not enough points: refused, then cash covers the rest (the cadre at the store).
    balances = {}
    for hid in range(1, 60):
        st, doc = get('cun1', '/api/v1/points/households/%d' % hid)
        if st == 200 and doc['balance'] > 0:
            balances[hid] = doc['balance']
    poorest = min(balances, key=balances.get) if balances else 1
    balance = balances.get(poorest, 0)
    st, dear = post('cun1', '/api/v1/points/outlets/%d/goods' % store['id'],
                    {'name': '电饭锅', 'points': balance + 7, 'stock': 3, 'unit': '个'})
    for cash, want in ((False, 409), (True, 201)):
        st, body = post('cun1', '/api/v1/points/redemptions',
                        {'outlet_id': store['id'], 'goods_id': dear.get('id', 0),
                         'household_id': poorest, 'allow_cash': cash})
        if st != want or (cash and (body.get('balance') != 0 or body.get('cash_fen') != 700)):
            problems.append('allow_cash=%s: %d %r' % (cash, st, str(body)[:200]))
        if not cash and body.get('error', {}).get('field') != 'points':
            problems.append('not enough points names the field: %r' % body)
    # A household of the outlet's village (household 1, cunmin1's): 12 points off the bill,
    # unless its balance is short of them.
    st, body = post('cun1', '/api/v1/points/redemptions',
                    {'outlet_id': outlets['merchant']['id'], 'household_id': 1, 'amount_fen': 12345})
    if (st, body.get('points')) != (201, 12) and (
            st != 409 or body.get('error', {}).get('field') != 'points'):
        problems.append('a merchant discount of 10%% on ¥123.45: %d %r' % (st, body))
    st, mine = get('cunmin1', '/api/v1/points/me/redemptions')
    if st != 200 or not mine.get('redemptions'):
        problems.append('my redemptions: %d %r' % (st, str(mine)[:200]))
    # The redemption's leaf, its receipt and the receipt's QR code.
    srv.request('POST', '/api/v1/tlog/checkpoint', b'{}', {'Content-Type': 'application/json'})
    if r.get('tlog_index') is not None:
        receipt = srv.request('GET', '/tlog/receipt/%d' % r['tlog_index'])[2]
        extra = tv.parse_receipt(receipt)[0]
        if b'kind points.redeem\nref points/redemption/%d\n' % r['id'] not in extra:
            problems.append('the redemption\'s leaf: %r' % extra[:200])
        st, hdrs, svg = srv.request('GET', '/tlog/qr/%d' % r['tlog_index'])
        if st != 200 or not svg.startswith(b'<svg') or 'svg' not in hdrs.get('content-type', ''):
            problems.append('receipt QR: %d %r' % (st, svg[:60]))
    # A statement for the bank: a leaf of its own, no name in it.
    st, stmt = post('cunmin1', '/api/v1/points/statements', {'outlet_id': bank['id']})
    if st != 201 or stmt.get('balance') != get('cunmin1', '/api/v1/points/me')[1]['balance'] or \
            stmt.get('redeemed', 0) < towel['points']:
        problems.append('statement: %d %r' % (st, str(stmt)[:200]))
    else:
        srv.request('POST', '/api/v1/tlog/checkpoint', b'{}', {'Content-Type': 'application/json'})
        extra = tv.parse_receipt(srv.request('GET', '/tlog/receipt/%d' % stmt['tlog_index'])[2])[0]
        if b'kind points.statement' not in extra or stmt['household_name'].encode() in extra:
            problems.append('the statement\'s leaf: %r' % extra[:200])
        # ...and as a paper: its fields, the entries it covers, its leaf's fingerprint.
        st, doc = get('cunmin1', '/api/v1/points/documents/statement/%d' % stmt['id'])
        leaf = tv.leaf_hash(tv.parse_receipt(
            srv.request('GET', '/tlog/receipt/%d' % stmt['tlog_index'])[2])[0]).hex()
        want = '-'.join(leaf[i:i + 4].upper() for i in range(0, 16, 4))
        fields = {f['label']: f['value'] for f in doc.get('fields', [])} if st == 200 else {}
        if st != 200 or doc['tlog_index'] != stmt['tlog_index'] or doc['fingerprint'] != want or \
                fields.get('积分余额') != str(stmt['balance']) or \
                fields.get('家庭') != stmt['household_name'] or \
                doc['columns'] != ['日期', '事由', '积分'] or len(doc['rows']) != min(stmt['entries_count'], 200):
            problems.append('statement as a paper: %d %r (fingerprint should be %s)'
                            % (st, str(doc)[:300], want))
        st, doc = get('cunmin3', '/api/v1/points/documents/statement/%d' % stmt['id'])
        if st != 404:
            problems.append('another household\'s statement as a paper: %d' % st)
    st, body = post('cunmin1', '/api/v1/points/statements', {'outlet_id': store['id']})
    if st != 400:
        problems.append('a statement for a store, not a bank: %d' % st)
    # The board and honours, public: names and points, nothing personal.
    st, board = get(None, '/api/v1/points/villages/%s/board' % village)
    text = json.dumps(board, ensure_ascii=False)
    if st != 200 or not board.get('households') or not board.get('red') or any(
            k in text for k in ('id_number', 'phone', 'address')):
        problems.append('board: %d %r' % (st, text[:200]))
    st, honours = get(None, '/api/v1/points/villages/%s/honours' % village)
    if st != 200 or 'families' not in honours or 'courtyards' not in honours:
        problems.append('honours: %d %r' % (st, honours))
    township = village[:9] + '000'
    st, rep = get('zhen1', '/api/v1/points/reports?region=' + township)
    if st != 200 or not any(v['awarded'] > 0 and v['redeemed'] > 0 for v in rep.get('villages', [])) \
            or len(rep.get('months', [])) != 12 or len(rep.get('categories', [])) < 1:
        problems.append('report: %d %r' % (st, str(rep)[:200]))
    if get('cun3', '/api/v1/points/reports?region=' + township)[0] != 404:
        problems.append('a cadre of another township reads this township\'s report')
    # The template editor.
    st, view = get('admin', '/api/v1/points/villages/' + village)
    tpl = view['scheme']['template_id']
    st, item = post('admin', '/api/v1/points/schemes/%d/items' % tpl,
                    {'category': 'mei', 'name': '房前屋后种花种树', 'points': 2, 'cycle_cap': 6})
    if st != 201 or item.get('category') != 'mei':
        problems.append('add a template item: %d %r' % (st, item))
    st, item = post('admin', '/api/v1/points/items/%d' % item.get('id', 0), {'points': 3},
                    method='PATCH')
    if st != 200 or item.get('points') != 3:
        problems.append('change a template item: %d %r' % (st, item))
    st, body = post('admin', '/api/v1/points/items/%d' % view['items'][0]['id'], {'points': 3},
                    method='PATCH')
    if st != 409:
        problems.append('a village scheme edited in place: %d %r' % (st, body))
    r = subprocess.run([srv.binary, 'verify', 'points', '--data', srv.data, '--db', srv.db],
                       capture_output=True, text=True)
    if r.returncode != 0:
        problems.append('verify points: %d %s' % (r.returncode, r.stdout[-200:]))
    report('points shop over HTTP: pay codes, cash top-up, discounts, receipts, statements, '
           'board, honours, reports, templates', problems)


def check_last_items_in_stock(srv, report):
    """64 concurrent redemptions of the last 10 items in stock: exactly 10
    succeed, the rest are refused for the stock, no balance goes below zero
    and the ledger invariant holds."""
    import concurrent.futures
    problems = []
    village = srv.accounts['cun1']['scope']
    headers = srv.as_user('cun1', {'Content-Type': 'application/json'})
    st, _, raw = srv.request('GET', '/api/v1/points/villages/%s/outlets' % village, headers=headers)
    store = next(o for o in json.loads(raw)['outlets'] if o['kind'] == 'store')
    st, _, raw = srv.request('POST', '/api/v1/points/outlets/%d/goods' % store['id'],
                             json.dumps({'name': '最后十件', 'points': 1, 'stock': 10}).encode(),
                             headers)
    goods = json.loads(raw)
    balance = {}
    for hid in range(1, 300):
        st, _, raw = srv.request('GET', '/api/v1/points/households/%d' % hid, headers=headers)
        if st == 200 and json.loads(raw)['balance'] > 0:
            balance[hid] = json.loads(raw)['balance']
    rich = sorted(balance)
    # Round robin over the households with points: they can pay for more than 10.
    counts = {h: len(range(i, 64, len(rich))) for i, h in enumerate(rich)}
    if sum(min(balance[h], counts[h]) for h in rich) < 10:
        report('64 concurrent redemptions of the last 10 in stock', ['too few points: %r' % balance])
        return
    def redeem(n):
        body = json.dumps({'outlet_id': store['id'], 'goods_id': goods['id'],
                           'household_id': rich[n % len(rich)]}).encode()
        st, _, raw = srv.request('POST', '/api/v1/points/redemptions', body, headers)
        return st, json.loads(raw) if raw else {}
    with concurrent.futures.ThreadPoolExecutor(64) as pool:
        results = list(pool.map(redeem, range(64)))
    ok = sum(1 for st, _ in results if st == 201)
    refused = [b for st, b in results
               if st == 409 and b.get('error', {}).get('field') in ('stock', 'points')]
    if ok != 10 or len(refused) != 54:
        problems.append('%d succeeded, %d refused for the stock or points; statuses %r'
                        % (ok, len(refused), sorted({st for st, _ in results})))
    st, _, raw = srv.request('GET', '/api/v1/points/villages/%s/outlets' % village, headers=headers)
    left = [g for o in json.loads(raw)['outlets'] for g in o['goods'] if g['id'] == goods['id']]
    if not left or left[0]['stock'] != 0:
        problems.append('stock left: %r' % left)
    for hid in rich:
        st, _, raw = srv.request('GET', '/api/v1/points/households/%d' % hid, headers=headers)
        if json.loads(raw)['balance'] < 0:
            problems.append('household %d below zero' % hid)
    r = subprocess.run([srv.binary, 'verify', 'points', '--data', srv.data, '--db', srv.db],
                       capture_output=True, text=True)
    if r.returncode != 0:
        problems.append('verify points: %d %s' % (r.returncode, r.stdout[-200:]))
    report('64 concurrent redemptions of the last 10 in stock: exactly 10, none below zero',
           problems)


def _sheet_upload(srv, who, path, data, kind='text/csv', charset='utf-8'):
    from checks import XLSX_TYPE, wait_task
    ctype = kind if kind == XLSX_TYPE else '%s; charset=%s' % (kind, charset)
    st, _, body = srv.request('POST', path, data, srv.as_user(who, {'Content-Type': ctype}))
    doc = json.loads(body) if body else {}
    return st, (wait_task(srv, who, doc.get('task_id', 0)) if st == 202 else doc)


def _csv_rows(raw):
    import csv
    import io
    return list(csv.reader(io.StringIO(raw.decode('utf-8-sig'))))


def _csv(rows):
    return ('\n'.join(','.join(r) for r in rows) + '\n').encode('utf-8')


def _problems(result):
    return [(p['row'], p['column']) for p in result.get('result', {}).get('report', {}).get('problems', [])]


def check_points_sheets(srv, report):
    """A module's spreadsheets (issue #13, item 7): the county exports its
    template's items, edits them and imports them back (a changed item, a new
    one); a file with bad rows is refused with each row and column named and
    nothing written; a cadre enters claims in bulk from CSV (UTF-8, GBK) and
    .xlsx; exports as CSV and .xlsx; templates; another village's sheet is
    not found."""
    from checks import XLSX_TYPE, make_xlsx
    problems = []
    def get(who, path):
        st, hdrs, raw = srv.request('GET', path, headers=srv.as_user(who))
        return st, hdrs, raw
    village = srv.accounts['cun1']['scope']
    st, _, raw = get('admin', '/api/v1/points/villages/' + village)
    view = json.loads(raw)
    tpl = view['scheme']['template_id']
    items_path = '/api/v1/points/sheets/items?scheme=%d' % tpl
    st, hdrs, raw = get('admin', items_path + '&format=csv')
    rows = _csv_rows(raw) if st == 200 else []
    head = ['类别代码', '类别', '编码', '名称', '分值', '每期上限', '需佐证', '一票否决']
    if st != 200 or not hdrs.get('content-type', '').startswith('text/csv') or \
            not rows or rows[0] != head or len(rows) < 46:
        problems.append('items export: %d %r' % (st, rows[:2]))
        report('points sheets', problems)
        return
    st, hdrs, book = get('admin', items_path + '&format=xlsx')
    if st != 200 or book[:2] != b'PK' or 'items.xlsx' not in hdrs.get('content-disposition', ''):
        problems.append('items export as .xlsx: %d %r' % (st, book[:40]))
    st, _, raw = get('admin', '/api/v1/points/sheets/items/template?format=csv')
    if st != 200 or _csv_rows(raw) != [[t for t in head if t != '类别']]:
        problems.append('items template: %d %r' % (st, raw[:200]))
    # Edit in "Excel": one item's points changed, a new item added.
    changed = list(rows[1])
    changed[4] = str(int(changed[4]) + 1 if int(changed[4]) != -1 else -2)
    new = ['mei', '', '', '表格导入的新项目', '2', '3', '否', '否']
    st, result = _sheet_upload(srv, 'admin', items_path, _csv([head, changed, new]))
    if st != 202 or result.get('state') != 'done' or result['result'].get('imported') != 2:
        problems.append('items import: %d %r' % (st, result))
    st, _, raw = get('admin', items_path + '&format=csv')
    after = {r[2]: r for r in _csv_rows(raw)[1:]}
    if after.get(changed[2], [None] * 5)[4] != changed[4] or \
            not any(r[3] == '表格导入的新项目' and r[0] == 'mei' for r in after.values()):
        problems.append('items after the import: %r' % after.get(changed[2]))
    bad = [head, ['zzz', '', '', '没有的类别', '2', '', '', ''],
           ['mei', '', '', '分值不是数', 'abc', '', '', ''],
           ['mei', '', 'nope99', '不存在的编码', '2', '', '', ''],
           ['mei', '', '', '需佐证乱填', '2', '', '也许', ''],
           ['mei', '', '', '本该导入的好行', '2', '', '', '']]
    st, result = _sheet_upload(srv, 'admin', items_path, _csv(bad))
    if result.get('state') != 'failed' or _problems(result) != [
            (2, '类别代码'), (3, '分值'), (4, '编码'), (5, '需佐证')]:
        problems.append('bad items rows reported as %r (%s)' % (_problems(result), result.get('state')))
    st, _, raw = get('admin', items_path + '&format=csv')
    if '本该导入的好行' in raw.decode():
        problems.append('a good row of a refused file was imported')
    st, result = _sheet_upload(srv, 'cun1', items_path, _csv([head, new]))
    if result.get('state') != 'failed':
        problems.append('a village cadre changed the county template: %r' % result)
    # Claims, entered in bulk by the village's cadre.
    st, _, raw = get('cun1', '/api/v1/households?region=%s&limit=50' % village)
    households = [h['household_no'] for h in json.loads(raw)['items'] if h['id'] != 1][:3]
    item = next(it for it in view['items'] if it['points'] > 0 and not it['evidence_required']
                and it['cycle_cap'] == 0)
    claims_path = '/api/v1/points/sheets/claims?village=' + village
    st, _, raw = get('cun1', claims_path)
    before = len(_csv_rows(raw)) if st == 200 else -1
    chead = ['户号', '项目编码', '说明']
    bad = [chead, ['没有这户', item['code'], ''], [households[0], 'nope99', ''],
           [households[0], item['code'], '好行']]
    st, result = _sheet_upload(srv, 'cun1', claims_path, _csv(bad))
    if result.get('state') != 'failed' or _problems(result) != [(2, '户号'), (3, '项目编码')]:
        problems.append('bad claim rows reported as %r (%s)' % (_problems(result), result))
    good = [chead, [households[0], item['code'], '表格申报甲'], [households[1], item['code'], '表格申报乙']]
    st, result = _sheet_upload(srv, 'cun1', claims_path, ('\n'.join(','.join(r) for r in good) + '\n')
                               .encode('gb18030'), charset='gbk')
    if result.get('state') != 'done' or result['result'].get('imported') != 2:
        problems.append('claims import (GBK): %r' % result)
    book = make_xlsx([['户号', '项目编码', '备注'], [households[2], item['code'], '表格申报丙']])
    st, result = _sheet_upload(srv, 'cun1', claims_path, book, kind=XLSX_TYPE)
    if result.get('state') != 'done' or result['result'].get('imported') != 1:
        problems.append('claims import (.xlsx): %r' % result)
    st, _, raw = get('cun1', claims_path + '&format=csv')
    rows = _csv_rows(raw) if st == 200 else []
    mine = [r for r in rows if r[5].startswith('表格申报')]
    if len(rows) != before + 3 or len(mine) != 3 or any(r[6] != '已申报' or r[2] != item['code'] for r in mine):
        problems.append('claims export after the import: %d rows (before %d) %r' % (len(rows), before, mine))
    if get('cun3', claims_path)[0] != 404:
        problems.append('another village\'s claims sheet was not 404')
    st, result = _sheet_upload(srv, 'cun3', claims_path, _csv(good))
    if result.get('state') != 'failed' or result.get('result', {}).get('report', {}).get('imported'):
        problems.append('claims imported into another village: %r' % result)
    st, _, raw = get('cun1', '/api/v1/points/sheets/claims/template?format=xlsx')
    if st != 200 or raw[:2] != b'PK':
        problems.append('claims template as .xlsx: %d' % st)
    report('points sheets: items exported, edited and imported back; claims in bulk (CSV UTF-8/GBK,'
           ' .xlsx); bad rows named, nothing written; exports, templates, scope', problems)


def check_points_dashboard(srv, report):
    """Points' figures on the dashboard reconcile with its report: the year's
    households, points awarded and redeemed under the township equal the
    report's sums by village; a region outside the caller's scope is not
    found; a villager sees no points figures of the village."""
    import time
    problems = []
    def get(who, path):
        st, _, raw = srv.request('GET', path, headers=srv.as_user(who) if who else {})
        return st, json.loads(raw) if raw else {}
    village = srv.accounts['cun1']['scope']
    township = village[:9] + '000'
    year = time.gmtime(time.time() + 8 * 3600).tm_year
    st, dash = get('zhen1', '/api/v1/dashboard?region=%s&year=%d' % (township, year))
    st2, rep = get('zhen1', '/api/v1/points/reports?region=%s&year=%d' % (township, year))
    tiles = {t['name']: t['value'] for t in dash.get('tiles', []) if t['module'] == 'points'}
    if st != 200 or st2 != 200 or set(tiles) != {'households', 'awarded', 'redeemed', 'open_claims'}:
        problems.append('dashboard: %d %r / report %d' % (st, dash, st2))
    else:
        sums = {k: sum(v[k] for v in rep['villages']) for k in ('participating', 'awarded', 'redeemed')}
        if (tiles['households'], tiles['awarded'], tiles['redeemed']) != \
                (sums['participating'], sums['awarded'], sums['redeemed']) or tiles['awarded'] <= 0:
            problems.append('dashboard %r does not reconcile with the report %r' % (tiles, sums))
        if dash['name'] == '' or dash['year'] != year:
            problems.append('dashboard head: %r' % {k: dash[k] for k in ('region', 'name', 'year')})
    st, mine = get('zhen1', '/api/v1/dashboard')
    if st != 200 or mine.get('region') != srv.accounts['zhen1']['scope']:
        problems.append('dashboard of the caller\'s own scope: %d %r' % (st, mine))
    if get('cun3', '/api/v1/dashboard?region=' + village)[0] != 404:
        problems.append('a cadre of another township reads this village\'s dashboard')
    if get('zhen1', '/api/v1/dashboard?region=410183999999')[0] != 404:
        problems.append('a region that does not exist is not 404')
    st, own = get('cunmin1', '/api/v1/dashboard?region=' + village)
    if st != 200 or any(t['module'] == 'points' for t in own.get('tiles', [])):
        problems.append('a villager\'s dashboard: %d %r' % (st, own))
    if get(None, '/api/v1/dashboard')[0] != 401:
        problems.append('the dashboard answered without a login')
    report('dashboard: points figures reconcile with the points report; scope; a villager; no login',
           problems)


CHECKS = [check_points_api, check_points_shop, check_last_items_in_stock, check_points_sheets,
          check_points_dashboard]
