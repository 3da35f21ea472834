# SPDX-License-Identifier: Apache-2.0
"""Points' rows of the access matrix (tests/api/matrix.py) and what the
out-of-scope oracle (tests/api/oracle.py) needs to name points' objects: who
holds which points permission -- restated here from DESIGN.md §6 and DOMAIN.md
§2, not read from the server -- the objects each object village gets, the
expected status of every points route for every caller, and points' kinds of
object parameter."""
import json

from matrix import NONE_ID, Who, gate, in_scope, object_rule

PERMS = {
    'county_admin': {'points.read', 'points.manage', 'points.outlet'},
    'township_staff': {'points.read', 'points.review', 'points.manage', 'points.outlet'},
    'village_cadre': {'points.read', 'points.claim', 'points.review', 'points.manage',
                      'points.redeem', 'points.outlet'},
    'supervisor': {'points.read', 'points.object'},
    'auditor': {'points.read'},
    'villager': {'points.read', 'points.claim', 'points.object'},
    'merchant': {'points.redeem'},
}


def points_sees_village(who, obj):
    """A village's points board: its villagers and whoever's scope holds it."""
    if not obj:
        return False
    if who.role == 'villager':
        return who.account['scope'] == obj['village']
    return in_scope(who.account['scope'], obj['village'])


def once_rule(perm, ok, place=False):
    """A step that changes its object once: the first caller who may gets
    'ok', later ones 409. 'place': judged on the village, not the household."""
    done = set()
    def rule(who, obj):
        g = gate(who, perm)
        if g:
            return g
        seen = obj and (in_scope(who.account['scope'], obj['village']) and who.role != 'villager'
                        if place else who.sees(obj))
        if not seen:
            return 404
        if obj['id'] in done:
            return 409
        done.add(obj['id'])
        return ok
    return rule


def points_claim_rule(who, obj):
    """Entering a deduction: a cadre in scope may (201); a villager may not
    declare one for their own household (400) and sees no other (404)."""
    g = gate(who, 'points.claim')
    if g:
        return g
    if not who.sees(obj):
        return 404
    return 400 if who.role == 'villager' else 201


def setup(m):
    """Each object village's deduction item, a submitted claim for each object
    household (entered by its village's cadre), its cycle, an entry, its store,
    bank and goods, its scheme; the county template and one of its items."""
    admin = Who(m.srv.accounts['admin'])
    # Points: each object village's deduction item, and a submitted claim
    # for each object household, entered by its village's cadre.
    m.deduction, m.claims, m.cycle, m.entry = {}, {}, {}, {}
    cadres = {a['scope']: Who(a) for a in m.srv.accounts.values()
              if a['role'] == 'village_cadre'}
    for obj in m.objects.values():
        if not obj:
            continue
        st, raw = m.call(admin, 'GET', '/api/v1/points/villages/' + obj['village'])
        view = json.loads(raw)
        items = view['items']
        m.template_id = view['scheme']['template_id']
        m.cycle[obj['id']] = view['cycle']['id']
        st, raw = m.call(admin, 'GET', '/api/v1/points/households/%d' % obj['id'])
        m.entry[obj['id']] = next(e['id'] for e in json.loads(raw)['entries']
                                     if not e['redemption_id'] and not e['reversal_of'])
        m.deduction[obj['id']] = next(i['id'] for i in items if i['points'] < 0 and not i['veto'])
        st, raw = m.call(cadres[obj['village']], 'POST', '/api/v1/points/claims',
                            {'household_id': obj['id'], 'item_id': m.deduction[obj['id']],
                             'note': 'matrix'})
        m.claims[obj['id']] = json.loads(raw)['id']
    # Outlets: each object village's store and bank; the county template's items.
    m.store, m.bank, m.goods, m.scheme, m.statement = {}, {}, {}, {}, {}
    for obj in m.objects.values():
        if not obj:
            continue
        st, raw = m.call(admin, 'GET', '/api/v1/points/villages/%s/outlets' % obj['village'])
        outlets = json.loads(raw)['outlets']
        store = next(o for o in outlets if o['kind'] == 'store')
        m.store[obj['id']] = store
        m.goods[obj['id']] = store['goods'][0]['id']
        m.bank[obj['id']] = next(o['id'] for o in outlets if o['kind'] == 'bank')
        st, raw = m.call(admin, 'POST', '/api/v1/points/statements',
                         {'household_id': obj['id'], 'outlet_id': m.bank[obj['id']]})
        m.statement[obj['id']] = json.loads(raw)['id']
        st, raw = m.call(admin, 'GET', '/api/v1/points/villages/' + obj['village'])
        m.scheme[obj['id']] = json.loads(raw)['scheme']['id']
    m.merchant_of = {}  # the store's keeper's username, by object
    for a in m.srv.accounts.values():
        if a['role'] == 'merchant':
            st, raw = m.call(Who(a), 'GET', '/api/v1/session')
            uid = json.loads(raw)['user']['id']
            for k, store in m.store.items():
                if store['merchant_user_id'] == uid:
                    m.merchant_of[k] = a['username']
    st, raw = m.call(admin, 'GET', '/api/v1/points/schemes/%d' % m.template_id)
    m.template_item = json.loads(raw)['items'][0]['id']
    alerts_setup(m)


def alerts_setup(m):
    """An alert in each object village: a claim taken to 'objected' by a
    villager of the village (an account made for it), which tells the
    village's cadres, its township's staff and its supervisors."""
    admin = Who(m.srv.accounts['admin'])
    m.alerts = {}
    for obj in m.objects.values():
        if not obj:
            continue
        village, hid = obj['village'], obj['id']
        name = 'mxv%d' % hid
        m.call(admin, 'POST', '/api/v1/users', {
            'username': name, 'display_name': '矩阵村民', 'password': 'matrix-pass-1',
            'roles': [{'role': 'villager', 'scope': village, 'household_id': hid}]})
        villager = Who({'username': name, 'role': 'villager', 'scope': village,
                        'household_id': hid})
        m.srv.login(name, 'matrix-pass-1')  # a new account changes its first password
        m.call(villager, 'PUT', '/api/v1/session/password',
               {'old_password': 'matrix-pass-1', 'new_password': 'matrix-pass-2'})
        m.srv.login(name, 'matrix-pass-2', fresh=True)
        cadre = next(Who(a) for a in m.srv.accounts.values()
                     if a['role'] == 'village_cadre' and a['scope'] == village)
        st, raw = m.call(cadre, 'POST', '/api/v1/points/claims',
                         {'household_id': hid, 'item_id': m.deduction[hid], 'note': 'matrix'})
        k = json.loads(raw)
        for verb in ('review', 'approve'):
            st, raw = m.call(cadre, 'POST', '/api/v1/points/claims/%d/%s' % (k['id'], verb),
                             {'version': k['version'], 'accept': True})
            k = json.loads(raw)
        m.call(cadre, 'POST', '/api/v1/points/claims/%d/publicise' % k['id'], {})
        m.call(villager, 'POST', '/api/v1/points/claims/%d/object' % k['id'],
               {'reason': '矩阵异议'})
        township = next(Who(a) for a in m.srv.accounts.values()
                        if a['role'] == 'township_staff' and in_scope(a['scope'], village))
        st, raw = m.call(township, 'GET', '/api/v1/alerts?limit=200')
        m.alerts[hid] = next(a['id'] for a in json.loads(raw)['items']
                             if a['object_id'] == k['id'] and a['thing'] == 'claims')


def workflow_objects(m):
    """A record of each workflow in each object household: 'thing' -> {hid: id}."""
    return {'claims': m.claims}


def cases(m):
    """(method, path) -> (expected status(who, obj), request(who, obj))."""
    hid = lambda obj: obj['id'] if obj else NONE_ID
    village = lambda obj: obj['village'] if obj else '410183199299'
    return {
        # Points. A claim's steps are its workflow's rows: matrix.py makes
        # them from `xiangzhi modules`.
        ('GET', '/api/v1/points/villages/{code}'): (
            lambda w, b: gate(w, 'points.read') or (200 if points_sees_village(w, b) else 404),
            lambda w, b: ('GET', '/api/v1/points/villages/' + village(b), None)),
        ('POST', '/api/v1/points/villages/{code}/publicise'): (
            lambda w, b: gate(w, 'points.review') or (
                200 if b and in_scope(w.account['scope'], b['village']) else 404),
            lambda w, b: ('POST', '/api/v1/points/villages/%s/publicise' % village(b), {})),
        ('POST', '/api/v1/points/claims'): (
            points_claim_rule,
            lambda w, b: ('POST', '/api/v1/points/claims',
                          {'household_id': hid(b), 'item_id': m.deduction.get(hid(b), 1),
                           'note': 'matrix'})),
        ('GET', '/api/v1/points/claims/{id}'): (
            object_rule('points.read', 200),
            lambda w, b: ('GET', '/api/v1/points/claims/%d' % m.claims.get(hid(b), NONE_ID),
                          None)),
        ('GET', '/api/v1/points/households/{id}'): (
            object_rule('points.read', 200),
            lambda w, b: ('GET', '/api/v1/points/households/%d' % hid(b), None)),
        ('GET', '/api/v1/points/documents/statement/{id}'): (
            object_rule('points.read', 200),
            lambda w, b: ('GET', '/api/v1/points/documents/statement/%d'
                          % m.statement.get(hid(b), NONE_ID), None)),
        # Adopting makes a new version each time; closing, opening and
        # reversing succeed once per object, then meet the state (409).
        ('POST', '/api/v1/points/villages/{code}/adopt'): (
            lambda w, b: gate(w, 'points.manage') or (
                201 if b and in_scope(w.account['scope'], b['village']) else 404),
            lambda w, b: ('POST', '/api/v1/points/villages/%s/adopt' % village(b),
                          {'template_id': m.template_id or 1, 'decision': '矩阵决议',
                           'adopted_on': '2026-11-01'})),
        ('POST', '/api/v1/points/cycles/{id}/close'): (
            once_rule('points.manage', 200),
            lambda w, b: ('POST', '/api/v1/points/cycles/%d/close'
                          % m.cycle.get(hid(b), NONE_ID), {})),
        ('POST', '/api/v1/points/villages/{code}/cycles'): (
            once_rule('points.manage', 201, place=True),
            lambda w, b: ('POST', '/api/v1/points/villages/%s/cycles' % village(b),
                          {'day': '2027-02-15'})),
        ('POST', '/api/v1/points/entries/{id}/reverse'): (
            once_rule('points.review', 201),
            lambda w, b: ('POST', '/api/v1/points/entries/%d/reverse'
                          % m.entry.get(hid(b), NONE_ID), {'reason': '矩阵更正'})),
        ('GET', '/api/v1/points/me'): (
            lambda w, b: 401 if w.account is None else 200 if w.role == 'villager' else 404,
            lambda w, b: ('GET', '/api/v1/points/me', None)),
        ('GET', '/api/v1/points/me/claims'): (
            lambda w, b: 401 if w.account is None else 200 if w.role == 'villager' else 404,
            lambda w, b: ('GET', '/api/v1/points/me/claims', None)),
        ('GET', '/api/v1/points/me/redemptions'): (
            lambda w, b: 401 if w.account is None else 200 if w.role == 'villager' else 404,
            lambda w, b: ('GET', '/api/v1/points/me/redemptions', None)),
        ('POST', '/api/v1/points/me/paycode'): (
            lambda w, b: 401 if w.account is None else 201 if w.role == 'villager' else 404,
            lambda w, b: ('POST', '/api/v1/points/me/paycode', {})),
        ('GET', '/api/v1/points/villages/{code}/claims'): (
            lambda w, b: gate(w, 'points.read') or (200 if points_sees_village(w, b) else 404),
            lambda w, b: ('GET', '/api/v1/points/villages/%s/claims?state=submitted'
                          % village(b), None)),
        ('GET', '/api/v1/points/villages/{code}/board'): (
            lambda w, b: 200 if b else 404,
            lambda w, b: ('GET', '/api/v1/points/villages/%s/board' % village(b), None)),
        ('GET', '/api/v1/points/villages/{code}/honours'): (
            lambda w, b: 200 if b else 404,
            lambda w, b: ('GET', '/api/v1/points/villages/%s/honours' % village(b), None)),
        ('GET', '/api/v1/points/villages/{code}/outlets'): (
            lambda w, b: 401 if w.account is None else 200 if b and (
                ('points.read' in w.perms and points_sees_village(w, b)) or
                ('points.redeem' in w.perms and in_scope(w.account['scope'], b['village'])))
            else 404,
            lambda w, b: ('GET', '/api/v1/points/villages/%s/outlets' % village(b), None)),
        ('POST', '/api/v1/points/villages/{code}/outlets'): (
            lambda w, b: gate(w, 'points.outlet') or (
                201 if b and in_scope(w.account['scope'], b['village']) else 404),
            lambda w, b: ('POST', '/api/v1/points/villages/%s/outlets' % village(b),
                          {'kind': 'service', 'name': '矩阵服务点'})),
        ('GET', '/api/v1/points/outlets/mine'): (
            lambda w, b: gate(w, 'points.redeem') or 200,
            lambda w, b: ('GET', '/api/v1/points/outlets/mine', None)),
        ('POST', '/api/v1/points/outlets/{id}/goods'): (
            lambda w, b: gate(w, 'points.outlet') or (
                201 if b and in_scope(w.account['scope'], b['village']) else 404),
            lambda w, b: ('POST', '/api/v1/points/outlets/%d/goods'
                          % (m.store[b['id']]['id'] if b else NONE_ID),
                          {'name': '矩阵商品', 'points': 3, 'stock': 5})),
        ('GET', '/api/v1/points/outlets/{id}/redemptions'): (
            lambda w, b: 401 if w.account is None else 200 if b and (
                w.place_ok(b['village'], 'points.read') or
                m.merchant_of.get(b['id']) == w.name) else 404,
            lambda w, b: ('GET', '/api/v1/points/outlets/%d/redemptions'
                          % (m.store[b['id']]['id'] if b else NONE_ID), None)),
        ('PATCH', '/api/v1/points/goods/{id}'): (
            lambda w, b: gate(w, 'points.outlet') or (
                200 if b and in_scope(w.account['scope'], b['village']) else 404),
            lambda w, b: ('PATCH', '/api/v1/points/goods/%d'
                          % (m.goods[b['id']] if b else NONE_ID), {'restock': 1})),
        # An unknown pay code: whoever may redeem there meets 409, and nothing changes.
        ('POST', '/api/v1/points/redemptions'): (
            lambda w, b: gate(w, 'points.redeem') or (
                409 if b and in_scope(w.account['scope'], b['village']) and (
                    w.role == 'village_cadre' or
                    m.merchant_of.get(b['id']) == w.name)
                else 403 if b and in_scope(w.account['scope'], b['village']) else 404),
            lambda w, b: ('POST', '/api/v1/points/redemptions',
                          {'outlet_id': m.store[b['id']]['id'] if b else NONE_ID,
                           'goods_id': m.goods[b['id']] if b else NONE_ID,
                           'paycode': 'XZ000000000000000000'})),
        ('GET', '/api/v1/points/households/{id}/redemptions'): (
            object_rule('points.read', 200),
            lambda w, b: ('GET', '/api/v1/points/households/%d/redemptions' % hid(b), None)),
        ('POST', '/api/v1/points/statements'): (
            object_rule('points.read', 201),
            lambda w, b: ('POST', '/api/v1/points/statements',
                          {'household_id': hid(b),
                           'outlet_id': m.bank[b['id']] if b else NONE_ID})),
        ('GET', '/api/v1/points/reports'): (
            lambda w, b: gate(w, 'points.read') or (
                200 if b and w.place_ok(b['village'], 'points.read') else 404),
            lambda w, b: ('GET', '/api/v1/points/reports?region=%s&year=2026' % village(b),
                          None)),
        ('GET', '/api/v1/points/schemes'): (
            lambda w, b: gate(w, 'points.manage') or 200,
            lambda w, b: ('GET', '/api/v1/points/schemes', None)),
        ('GET', '/api/v1/points/schemes/{id}'): (
            lambda w, b: gate(w, 'points.read') or (200 if points_sees_village(w, b) else 404),
            lambda w, b: ('GET', '/api/v1/points/schemes/%d'
                          % (m.scheme[b['id']] if b else NONE_ID), None)),
        ('POST', '/api/v1/points/schemes/{id}/items'): (
            lambda w, b: gate(w, 'points.manage') or (
                (201 if w.role == 'county_admin' else 403) if b else 404),
            lambda w, b: ('POST', '/api/v1/points/schemes/%d/items'
                          % (m.template_id if b else NONE_ID),
                          {'category': 'mei', 'name': '矩阵项目', 'points': 1})),
        # Spreadsheets: an import answers a task (its rows here all refused,
        # so nothing changes); an export is the caller's rows or not found.
        ('POST', '/api/v1/points/sheets/items'): (
            lambda w, b: gate(w, 'points.manage') or 202,
            lambda w, b: ('POST', '/api/v1/points/sheets/items?scheme=%d'
                          % (m.template_id if b else NONE_ID),
                          '类别代码,名称,分值\nzzz,矩阵导入项目,1\n'.encode())),
        ('GET', '/api/v1/points/sheets/items'): (
            lambda w, b: gate(w, 'points.read') or (
                200 if b and 'points.manage' in w.perms else 404),
            lambda w, b: ('GET', '/api/v1/points/sheets/items?format=csv&scheme=%d'
                          % (m.template_id if b else NONE_ID), None)),
        ('GET', '/api/v1/points/sheets/items/template'): (
            lambda w, b: gate(w, 'points.manage') or 200,
            lambda w, b: ('GET', '/api/v1/points/sheets/items/template?format=xlsx', None)),
        ('POST', '/api/v1/points/sheets/claims'): (
            lambda w, b: gate(w, 'points.claim') or 202,
            lambda w, b: ('POST', '/api/v1/points/sheets/claims?village=' + village(b),
                          '户号,项目编码\n矩阵无此户,x01\n'.encode())),
        ('GET', '/api/v1/points/sheets/claims'): (
            lambda w, b: gate(w, 'points.read') or (200 if points_sees_village(w, b) else 404),
            lambda w, b: ('GET', '/api/v1/points/sheets/claims?village=' + village(b), None)),
        ('GET', '/api/v1/points/sheets/claims/template'): (
            lambda w, b: gate(w, 'points.claim') or 200,
            lambda w, b: ('GET', '/api/v1/points/sheets/claims/template', None)),
        ('PATCH', '/api/v1/points/items/{id}'): (
            lambda w, b: gate(w, 'points.manage') or (
                (200 if w.role == 'county_admin' else 403) if b else 404),
            lambda w, b: ('PATCH', '/api/v1/points/items/%d'
                          % (m.template_item if b else NONE_ID), {'cycle_cap': 12})),
    }


# The out-of-scope oracle: points' kinds of object parameter, and the value of
# each kind in an object set (its household's).
PATH_KINDS = {'claims': 'claim', 'cycles': 'cycle', 'entries': 'entry', 'outlets': 'outlet',
              'goods': 'goods', 'items': 'template_item', 'statement': 'statement'}
BODY_KINDS = {'item_id': 'item', 'outlet_id': 'outlet', 'goods_id': 'goods',
              'template_id': 'template'}
QUERY = {
    ('GET', '/api/v1/points/villages/{code}/claims'): ({'household_id': 'household'}, {}),
    ('GET', '/api/v1/points/villages/{code}/board'): ({'cycle_id': 'cycle'}, {}),
    ('GET', '/api/v1/points/reports'): ({'region': 'village'}, {'year': '2026'}),
    ('GET', '/api/v1/points/sheets/claims'): ({'village': 'village'}, {}),
    ('GET', '/api/v1/points/sheets/items'): ({'scheme': 'template'}, {}),
}
BODY_OWN = {('POST', '/api/v1/points/statements'): {'outlet_id': 'bank'}}
UNSCOPED = {'template', 'template_item'}


def path_kind(path, segment):
    """A village's scheme to read, or a county template to add items to."""
    if segment == 'schemes':
        return 'template' if path.endswith('/items') else 'scheme'
    return PATH_KINDS.get(segment)


def values(m, obj):
    hid = obj['id']
    return {'claim': m.claims[hid], 'cycle': m.cycle[hid], 'entry': m.entry[hid],
            'outlet': m.store[hid]['id'], 'bank': m.bank[hid], 'goods': m.goods[hid],
            'scheme': m.scheme[hid], 'item': m.deduction[hid], 'template': m.template_id,
            'statement': m.statement[hid]}
