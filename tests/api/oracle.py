# SPDX-License-Identifier: Apache-2.0
"""Out of scope looks exactly like nothing (issue #12): a property of every route.

For every route of `xiangzhi routes` and every parameter of it that names an
object or a place -- a path parameter, an id or region field of the body, an id
or region in the query -- and for every caller, the answer to a request naming
an object the caller may not see must be the answer to the same request naming
one that does not exist: the same status, error code, field and message, in
Chinese and in English (request ids aside). Otherwise the difference tells the
caller what exists in other villages.

Every other parameter of the request is a valid one of the caller's own scope,
so that the one varied is what the server judges. A route parameter this file
cannot resolve to a kind of object fails the test: a new module declares its
parameters here (or in the route table) as it arrives.

The objects are the access matrix's (matrix.py): three households, each of a
village (own; same township; other township) with its person, claim, cycle,
ledger entry, store, bank, goods, scheme and photo.
"""
import json
import re

from matrix import NONE_ID, Who, in_scope

NONE_VILLAGE = '410183199299'
NONE_SHA = '0' * 64

# Kinds without a place: the whole county sees them alike (or they are the
# caller's own), so there is nothing out of scope to compare.
UNSCOPED = {'user', 'token', 'task', 'probe', 'tlog', 'tile'}

# Core's: a path parameter's kind by the segment before it ('{code}' is always
# a village), a body field's kind by its name, and the query parameters that
# name objects or places (with the other query parameters a route needs). Each
# module adds its own (tests/api/<module>/matrix.py: PATH_KINDS, BODY_KINDS,
# QUERY, BODY_OWN, UNSCOPED, path_kind, values).
PATH_KINDS = {
    'households': 'household', 'persons': 'person', 'attachments': 'attachment', 'users': 'user',
    'alerts': 'alert',
    'tokens': 'token', 'tasks': 'task', 'probe': 'probe', 'receipt': 'tlog', 'qr': 'tlog',
    'tile': 'tile',
}
BODY_KINDS = {
    'household_id': 'household', 'village_code': 'village', 'to_village': 'village',
    'region': 'village', 'group_id': 'group',
}
QUERY = {
    ('GET', '/api/v1/households'): ({'region': 'village'}, {}),
    ('GET', '/api/v1/persons'): ({'region': 'village'}, {}),
    ('GET', '/api/v1/dashboard'): ({'region': 'village'}, {}),
    ('GET', '/api/v1/households/export'): ({'region': 'village'}, {'format': 'csv'}),
    ('POST', '/api/v1/attachments'): ({'region': 'village'}, {}),
}
# Valid values of the other required body fields.
FIELD_DEFAULTS = {
    'version': 1, 'accept': True, 'uphold': True, 'note': '存在性检查', 'reason': '存在性检查原因',
    'decision': '存在性检查决议', 'adopted_on': '2026-11-01', 'day': '2027-02-15',
    'kind': 'service', 'name': '存在性检查', 'points': 1, 'stock': 1, 'category': 'mei',
    'restock': 1, 'quantity': 1, 'purpose': '存在性检查的目的', 'field': 'id_number',
    'household_no': 'ORACLE', 'relation': '户主', 'status': 'active', 'amount_fen': 100,
}
# Routes whose body needs a particular object of the caller's own scope.
BODY_OWN = {}
MODULES = []


def path_params(path):
    """[(name, kind)] of a route pattern's parameters."""
    out = []
    for m in re.finditer(r'/([^/{}]+)/\{(\w+)\*?\}', path):
        seg, name = m.group(1), m.group(2)
        kind = 'village' if name == 'code' else PATH_KINDS.get(seg)
        for mod in MODULES:
            kind = mod.path_kind(path, seg) or kind
        out.append((name, kind))
    return out


class Oracle:
    def __init__(self, m):
        self.m, self.srv = m, m.srv
        self.sets = {label: obj for label, obj in m.objects.items() if obj}
        self.admin = Who(self.srv.accounts['admin'])
        self.groups = {}
        for obj in self.sets.values():
            st, raw = m.call(self.admin, 'GET', '/api/v1/regions/%s/units' % obj['village'])
            self.groups[obj['id']] = next(u['id'] for u in json.loads(raw)['items']
                                          if u['kind'] == 'group')

    def version(self, route, own):
        """The current version of the object a versioned change names."""
        if route['path'].startswith('/api/v1/persons/'):
            return self.m.person_version(own)
        st, raw = self.m.call(self.admin, 'GET', '/api/v1/households/%d' % own['id'])
        return json.loads(raw)['version']

    def value(self, kind, obj):
        """The id (or code) of an object of 'kind' in object set 'obj'; None = nonexistent."""
        m = self.m
        if obj is None:
            return {'village': NONE_VILLAGE, 'attachment': NONE_SHA}.get(kind, NONE_ID)
        hid = obj['id']
        values = {'household': hid, 'person': obj['person'], 'village': obj['village'],
                  'attachment': m.photos[hid], 'group': self.groups[hid],
                  'alert': getattr(m, 'alerts', {}).get(hid, NONE_ID)}
        for mod in MODULES:
            values.update(mod.values(m, obj))
        return values[kind]

    def own_set(self, who):
        for obj in self.sets.values():
            if in_scope(who.account['scope'], obj['village']) and (
                    who.role != 'villager' or obj['id'] == who.account['household_id']):
                return obj
        return None

    def foreign_sets(self, who):
        """Object sets the caller may not see at all."""
        out = []
        for label, obj in self.sets.items():
            if who.account and in_scope(who.account['scope'], obj['village']) and (
                    who.role != 'villager' or obj['id'] == who.account['household_id']):
                continue
            out.append((label, obj))
        return out

    def params(self, route):
        """[(where, name, kind)] of the route's object and place parameters."""
        key = (route['method'], route['path'])
        out = [('path', n, k) for n, k in path_params(route['path'])]
        for f in route.get('body') or []:
            if f['name'] in BODY_KINDS:
                out.append(('body', f['name'], BODY_KINDS[f['name']]))
            elif f['name'].endswith('_id'):
                out.append(('body', f['name'], None))
        out += [('query', n, k) for n, k in QUERY.get(key, ({}, {}))[0].items()]
        return out

    def request(self, route, own, where, name, value):
        """The route's request with every parameter of 'own' but (where, name) = value."""
        key = (route['method'], route['path'])
        own_kinds = BODY_OWN.get(key, {})
        path = route['path']
        for n, k in path_params(path):
            v = value if (where, name) == ('path', n) else self.value(k, own)
            path = re.sub(r'\{%s\*?\}' % n, str(v), path)
        query = dict(QUERY.get(key, ({}, {}))[1])
        for n, k in QUERY.get(key, ({}, {}))[0].items():
            query[n] = value if (where, name) == ('query', n) else self.value(k, own)
        if query:
            path += '?' + '&'.join('%s=%s' % kv for kv in query.items())
        body = None
        if route.get('body') is not None and route['method'] != 'GET':
            body = {}
            for f in route['body']:
                n = f['name']
                if (where, name) == ('body', n):
                    body[n] = value
                elif n in BODY_KINDS:
                    body[n] = self.value(own_kinds.get(n, BODY_KINDS[n]), own)
                elif n == 'version' and route['method'] == 'PUT':
                    body[n] = self.version(route, own)
                elif f['required']:
                    body[n] = FIELD_DEFAULTS.get(n, 'x')
        if route.get('raw_type'):
            body = b'\x89PNG' if route['raw_type'].startswith('image') else b'x'
        return path, body

    def answer(self, who, method, path, body, lang):
        headers = {'Accept-Language': lang}
        if isinstance(body, bytes):
            headers['Content-Type'] = 'image/png'
            data = body
        elif body is not None:
            headers['Content-Type'] = 'application/json'
            data = json.dumps(body, ensure_ascii=False).encode()
        else:
            data = None
        if who.account:
            headers = self.srv.as_user(who.name, headers)
        st, _, raw = self.srv.request(method, path, data, headers)
        try:
            doc = json.loads(raw)
        except ValueError:
            return st, raw[:80]
        if isinstance(doc, dict) and isinstance(doc.get('error'), dict):
            doc['error'].pop('request_id', None)
        return st, doc


def run(m, report):
    import subprocess
    for mod in m.modules:  # each module's kinds of object parameter
        PATH_KINDS.update(mod.PATH_KINDS)
        BODY_KINDS.update(mod.BODY_KINDS)
        QUERY.update(mod.QUERY)
        BODY_OWN.update(mod.BODY_OWN)
        UNSCOPED.update(mod.UNSCOPED)
        MODULES.append(mod)
    o = Oracle(m)
    routes = json.loads(subprocess.run([m.srv.binary, 'routes'], capture_output=True,
                                       check=True).stdout)
    users = [Who(a) for a in m.srv.accounts.values()]
    unknown, checked = [], 0
    for route in routes:
        params = o.params(route)
        unknown += ['%s %s: %s %s' % (route['method'], route['path'], w, n)
                    for w, n, k in params if k is None]
        scoped = [(w, n, k) for w, n, k in params if k and k not in UNSCOPED]
        if not scoped or route['perm'] == 'public':
            continue
        problems = []
        for who in users:
            own = o.own_set(who)
            if own is None:
                continue
            for where, name, kind in scoped:
                none_req = o.request(route, own, where, name, o.value(kind, None))
                for label, obj in o.foreign_sets(who):
                    req = o.request(route, own, where, name, o.value(kind, obj))
                    for lang in ('zh-CN', 'en'):
                        got = o.answer(who, route['method'], req[0], req[1], lang)
                        want = o.answer(who, route['method'], none_req[0], none_req[1], lang)
                        checked += 1
                        if got != want:
                            problems.append('%s, %s %s of village %s: %s; nonexistent: %s'
                                            % (who.name, where, name, obj['village'],
                                               str(got)[:160], str(want)[:160]))
        report('oracle: %s %s: out of scope is answered as nonexistent'
               % (route['method'], route['path']), problems[:6])
    report('oracle: every object parameter of every route has a known kind', unknown)
    report('oracle: compared answers (at least 1000)',
           [] if checked >= 1000 else ['only %d comparisons' % checked])
