# SPDX-License-Identifier: Apache-2.0
"""The access-control matrix (issue #3): every route x every role x {own object,
another village of the same township, another township, nonexistent object}.

Expected statuses come from an independent restatement of DESIGN.md §6 below
(ROLE_PERMS and the scope rule), not from the server's own table, so a change to
either side shows up here. A route that the server has but this matrix does not
know fails the test."""
import json
import subprocess

# Which permissions each role holds (DESIGN.md §6, DOMAIN.md §1).
ROLE_PERMS = {
    'county_admin': {'household.read', 'household.write', 'person.reveal', 'audit.read',
                     'user.admin', 'region.write'},
    'township_staff': {'household.read', 'household.write', 'person.reveal'},
    'village_cadre': {'household.read', 'household.write', 'person.reveal'},
    'supervisor': {'household.read', 'audit.read'},
    'auditor': {'household.read', 'audit.read'},
    'villager': {'household.read'},
    'mediator': set(), 'party_member': set(), 'agent': set(), 'merchant': set(),
}
# Each module adds its own (tests/api/<module>/matrix.py: PERMS), in run().

NONE_ID = 999999999


def in_scope(scope, code):
    n = 6 if scope.endswith('000000') else 9 if scope.endswith('000') else 12
    return code[:n] == scope[:n]


class Who:
    def __init__(self, account):
        self.account = account
        self.name = account['username'] if account else 'anonymous'
        self.role = account['role'] if account else None
        self.perms = ROLE_PERMS.get(self.role, set())

    def sees(self, obj):
        if not obj or 'household.read' not in self.perms:
            return False
        if not in_scope(self.account['scope'], obj['village']):
            return False
        return self.role != 'villager' or obj['id'] == self.account['household_id']

    def place_ok(self, village, perm):
        """May act on a village as a whole (not one household)."""
        return (perm in self.perms and in_scope(self.account['scope'], village)
                and self.role != 'villager')


def village_sees(who, obj):
    """Something of a village as a whole: its villagers and whoever's scope holds it."""
    if not obj:
        return False
    if who.role == 'villager':
        return who.account['scope'] == obj['village']
    return in_scope(who.account['scope'], obj['village'])


def alert_sees(who, obj, alerts):
    """A claim's objection tells the village's cadres, its township's staff and
    its supervisors (points' flow.c)."""
    return bool(obj) and obj['id'] in alerts and who.role in (
        'village_cadre', 'township_staff', 'supervisor') and in_scope(who.account['scope'],
                                                                      obj['village'])


def gate(who, perm):
    """The route-level answer, or None when the object decides."""
    if who.account is None:
        return 401
    return None if perm in who.perms else 403


def self_rule(ok):
    """Any logged-in user, on their own account."""
    return lambda who, obj: 401 if who.account is None else ok


def object_rule(perm, ok_status):
    def rule(who, obj):
        return gate(who, perm) or (ok_status if who.sees(obj) else 404)
    return rule


class Matrix:
    def __init__(self, srv, modules=()):
        self.srv = srv
        self.n = 0
        self.modules = list(modules)  # each module's tests/api/<module>/matrix.py

    def call(self, who, method, path, body=None, logout=False):
        headers = {'Content-Type': 'application/json'} if body is not None else {}
        if isinstance(body, bytes):
            kind = ('text/plain' if path.startswith('/tlog/') else 'image/png'
                    if path.startswith('/api/v1/attachments') else 'text/csv')
            headers = {'Content-Type': kind + '; charset=utf-8'}
        if who.account:
            headers = self.srv.as_user(who.name, headers)
        if isinstance(body, bytes):
            data = body
        else:
            data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        st, _, raw = self.srv.request(method, path, data, headers)
        if logout and who.account:
            self.srv.login(who.name, fresh=True)  # keep a live session for what follows
        return st, raw

    def setup(self):
        admin = Who(self.srv.accounts['admin'])
        self.objects = {}
        for label, hid in (('own', 1), ('same_township', 2), ('other_township', 3)):
            st, raw = self.call(admin, 'GET', '/api/v1/households/%d' % hid)
            doc = json.loads(raw)
            self.objects[label] = {'id': hid, 'village': doc['village_code'],
                                   'person': doc['members'][0]['id'],
                                   'version': doc['version']}
        self.objects['none'] = None
        st, raw = self.call(admin, 'POST', '/api/v1/users', {
            'username': 'matrixdummy', 'display_name': '矩阵', 'password': 'matrix-pass-1',
            'roles': [{'role': 'auditor', 'scope': '410183000000'}]})
        self.dummy_user = json.loads(raw)['id']
        # A photo uploaded by the county into each object's village.
        import checks
        self.photos = {}
        for n, obj in enumerate(self.objects.values()):
            if obj:
                st, raw = self.call(admin, 'POST', '/api/v1/attachments?region=' + obj['village'],
                                    checks.tiny_png(1000 + n))
                self.photos[obj['id']] = json.loads(raw)['sha256']
        self.upload = checks.tiny_png(999)
        for mod in self.modules:
            mod.setup(self)
        # A leaf in the verifiable log and a checkpoint holding it.
        # (Its id as answered: a PostgreSQL sequence does not go back when a
        # batch is undone and run again, so the first probe need not be 1.)
        st, raw = self.call(admin, 'POST', '/api/v1/ops/probe', {'note': 'matrix'})
        self.probe_id = json.loads(raw)['id'] if st == 201 else NONE_ID
        self.call(admin, 'POST', '/api/v1/tlog/checkpoint', {})

    # Each entry: (method, path) -> function(who, obj) -> (status expected, request)
    def cases(self):
        o = self.objects
        hid = lambda obj: obj['id'] if obj else NONE_ID
        pid = lambda obj: obj['person'] if obj else NONE_ID
        village = lambda obj: obj['village'] if obj else '410183199299'

        def current(obj):
            """The household as it is now (updates by earlier callers bump it)."""
            if not obj:
                return {'version': 1, 'household_no': '1'}
            st, raw = self.call(Who(self.srv.accounts['admin']), 'GET',
                                '/api/v1/households/%d' % obj['id'])
            return json.loads(raw)

        def create_rule(who, obj):
            """A village out of scope is answered as one that does not exist."""
            g = gate(who, 'household.write')
            if g:
                return g
            return 201 if obj and who.place_ok(obj['village'], 'household.write') else 404

        def units_rule(who, obj):
            g = gate(who, 'household.read')
            if g:
                return g
            return 200 if obj and who.place_ok(obj['village'], 'household.read') else 404

        def admin_only(ok):
            return lambda who, obj: gate(who, 'user.admin') or (ok if obj else 404)

        seq = iter(range(1, 10 ** 6))
        import_code = iter(range(300, 400))  # new villages under 城关镇 (410183100)
        rows = self.core_cases(hid, pid, village, current, create_rule, units_rule, admin_only,
                               seq, import_code)
        for mod in self.modules:
            rows.update(mod.cases(self))
        rows.update(self.workflow_cases())
        return rows

    def workflow_cases(self):
        """Each workflow's transition routes, from the same table the server
        makes them from (`xiangzhi modules`): sent with a stale version and a
        reason, to a record in its first state, so whoever may take the step
        meets 409 (the version, or the state) and nothing changes between
        callers; whoever sees the record but may not is refused (403); anyone
        else is told it does not exist."""
        import modules
        rows = {}
        for mod, declared in zip(self.modules, modules.declared(self.srv.binary)):
            objects = mod.workflow_objects(self)
            for wf in declared['workflows']:
                ids = objects[wf['thing']]
                for step in wf['steps']:
                    key = ('POST', '/api/v1/%s/%s/{id}/%s' % (declared['name'], wf['thing'],
                                                            step['verb']))
                    if not step['perm'] or key in rows:
                        continue
                    rows[key] = self.step_row(declared['name'], wf['thing'], step, ids)
        return rows

    @staticmethod
    def step_row(module, thing, step, ids):
        def expect(who, obj):
            g = gate(who, step['perm'])
            if g:
                return g
            sees = village_sees(who, obj) if step['village_wide'] else who.sees(obj)
            return 409 if sees else 404
        def request(who, obj):
            body = {step['reason_field'] or 'note': '矩阵测试的理由'}
            if step['versioned']:
                body['version'] = 999
            if step['choice']:
                body[step['choice']] = True
            rid = ids.get(obj['id'], NONE_ID) if obj else NONE_ID
            return ('POST', '/api/v1/%s/%s/%d/%s' % (module, thing, rid, step['verb']), body)
        return expect, request

    def core_cases(self, hid, pid, village, current, create_rule, units_rule, admin_only, seq,
                   import_code):
        return {
            ('GET', '/healthz'): (lambda w, b: 200, lambda w, b: ('GET', '/healthz', None)),
            ('GET', '/readyz'): (lambda w, b: 200, lambda w, b: ('GET', '/readyz', None)),
            ('GET', '/metrics'): (lambda w, b: 200, lambda w, b: ('GET', '/metrics', None)),
            ('GET', '/api/v1/version'): (lambda w, b: 200,
                                         lambda w, b: ('GET', '/api/v1/version', None)),
            ('GET', '/api/v1/whoami'): (lambda w, b: 200,
                                        lambda w, b: ('GET', '/api/v1/whoami', None)),
            ('GET', '/api/v1/workflows'): (lambda w, b: 200,
                                           lambda w, b: ('GET', '/api/v1/workflows', None)),
            # The dashboard of an object's village: any logged-in caller whose
            # scope holds it (the figures shown depend on the permissions).
            ('GET', '/api/v1/dashboard'): (
                lambda w, b: 401 if w.account is None else
                200 if b and in_scope(w.account['scope'], b['village']) else 404,
                lambda w, b: ('GET', '/api/v1/dashboard?region=%s'
                              % (b['village'] if b else '410183199299'), None)),
            ('GET', '/api/v1/alerts'): (self_rule(200),
                                        lambda w, b: ('GET', '/api/v1/alerts', None)),
            ('GET', '/api/v1/alerts/unread'): (
                self_rule(200), lambda w, b: ('GET', '/api/v1/alerts/unread', None)),
            ('POST', '/api/v1/alerts/read'): (
                self_rule(200), lambda w, b: ('POST', '/api/v1/alerts/read', {})),
            ('POST', '/api/v1/alerts/{id}/read'): (
                lambda w, b: 401 if w.account is None else
                200 if alert_sees(w, b, getattr(self, 'alerts', {})) else 404,
                lambda w, b: ('POST', '/api/v1/alerts/%d/read'
                              % (getattr(self, 'alerts', {}).get(b['id'], NONE_ID) if b
                                 else NONE_ID), {})),
            ('POST', '/api/v1/ops/probe'): (lambda w, b: 201,
                                            lambda w, b: ('POST', '/api/v1/ops/probe', {})),
            # The verifiable log is public; only signing on demand is the operator's.
            ('GET', '/tlog/qr/{index}'): (
                lambda w, b: 200 if b else 404,
                lambda w, b: ('GET', '/tlog/qr/%d' % (0 if b else NONE_ID), None)),
            ('GET', '/tlog/checkpoint'): (lambda w, b: 200,
                                          lambda w, b: ('GET', '/tlog/checkpoint', None)),
            ('GET', '/tlog/vkey'): (lambda w, b: 200, lambda w, b: ('GET', '/tlog/vkey', None)),
            ('GET', '/tlog/tile/{path*}'): (
                lambda w, b: 200 if b else 404,
                lambda w, b: ('GET', '/tlog/tile/' + ('0/000.p/1' if b else '0/x999/000'), None)),
            ('GET', '/tlog/proof/inclusion'): (
                lambda w, b: 200 if b else 404,
                lambda w, b: ('GET', '/tlog/proof/inclusion?index=0&size=%d' % (1 if b else NONE_ID),
                              None)),
            ('GET', '/tlog/proof/consistency'): (
                lambda w, b: 200 if b else 404,
                lambda w, b: ('GET', '/tlog/proof/consistency?old=1&new=%d' % (1 if b else NONE_ID),
                              None)),
            ('GET', '/tlog/receipt/{index}'): (
                lambda w, b: 200 if b else 404,
                lambda w, b: ('GET', '/tlog/receipt/%d' % (0 if b else NONE_ID), None)),
            # Anyone may post; only a configured witness's valid cosignature counts.
            ('POST', '/tlog/cosignature'): (
                lambda w, b: 400, lambda w, b: ('POST', '/tlog/cosignature', b'not a note\n')),
            ('POST', '/api/v1/tlog/checkpoint'): (
                lambda w, b: 200, lambda w, b: ('POST', '/api/v1/tlog/checkpoint', {})),
            ('GET', '/api/v1/ops/probe/{id}'): (
                lambda w, b: 200 if b else 404,
                lambda w, b: ('GET', '/api/v1/ops/probe/%d' % (self.probe_id if b else NONE_ID),
                              None)),
            ('POST', '/api/v1/session'): (
                lambda w, b: 401,
                lambda w, b: ('POST', '/api/v1/session',
                              {'username': 'nobody', 'password': 'x'})),
            ('GET', '/api/v1/session'): (self_rule(200),
                                         lambda w, b: ('GET', '/api/v1/session', None)),
            ('DELETE', '/api/v1/session'): (self_rule(204),
                                            lambda w, b: ('DELETE', '/api/v1/session', None)),
            ('PUT', '/api/v1/session/password'): (
                self_rule(403),
                lambda w, b: ('PUT', '/api/v1/session/password',
                              {'old_password': 'not-the-password', 'new_password': 'whatever-9'})),
            ('POST', '/api/v1/users'): (
                lambda w, b: gate(w, 'user.admin') or 201,
                lambda w, b: ('POST', '/api/v1/users',
                              {'username': 'mx%d' % next(seq), 'display_name': '矩', 'password':
                               'matrix-pass-1', 'roles': [{'role': 'auditor',
                                                           'scope': '410183000000'}]})),
            ('GET', '/api/v1/users'): (lambda w, b: gate(w, 'user.admin') or 200,
                                       lambda w, b: ('GET', '/api/v1/users', None)),
            ('GET', '/api/v1/users/{id}'): (
                admin_only(200),
                lambda w, b: ('GET', '/api/v1/users/%d' % (self.dummy_user if b else NONE_ID),
                              None)),
            ('PUT', '/api/v1/users/{id}/password'): (
                admin_only(200),
                lambda w, b: ('PUT', '/api/v1/users/%d/password' % (self.dummy_user if b
                                                                     else NONE_ID),
                              {'password': 'matrix-pass-2'})),
            ('PUT', '/api/v1/users/{id}/status'): (
                admin_only(200),
                lambda w, b: ('PUT', '/api/v1/users/%d/status' % (self.dummy_user if b
                                                                   else NONE_ID),
                              {'status': 'active'})),
            ('POST', '/api/v1/tokens'): (self_rule(201),
                                         lambda w, b: ('POST', '/api/v1/tokens', {'name': 'm'})),
            ('DELETE', '/api/v1/tokens/{id}'): (
                self_rule(404),
                lambda w, b: ('DELETE', '/api/v1/tokens/%d' % NONE_ID, None)),
            ('GET', '/api/v1/audit'): (lambda w, b: gate(w, 'audit.read') or 200,
                                       lambda w, b: ('GET', '/api/v1/audit', None)),
            ('GET', '/api/v1/regions/{code}'): (
                lambda w, b: 200 if b else 404,
                lambda w, b: ('GET', '/api/v1/regions/%s' % village(b), None)),
            ('GET', '/api/v1/regions/{code}/units'): (
                units_rule,
                lambda w, b: ('GET', '/api/v1/regions/%s/units' % village(b), None)),
            ('POST', '/api/v1/regions/import'): (
                lambda w, b: gate(w, 'region.write') or 201,
                lambda w, b: ('POST', '/api/v1/regions/import',
                              {'csv': '代码,名称\n410183100%03d,矩阵村\n' % next(import_code)})),
            ('GET', '/api/v1/households'): (lambda w, b: gate(w, 'household.read') or 200,
                                            lambda w, b: ('GET', '/api/v1/households', None)),
            ('POST', '/api/v1/households/search'): (
                lambda w, b: gate(w, 'household.read') or 200,
                lambda w, b: ('POST', '/api/v1/households/search', {'name': '王'})),
            ('POST', '/api/v1/persons/search'): (
                lambda w, b: gate(w, 'household.read') or 200,
                lambda w, b: ('POST', '/api/v1/persons/search', {'name': '王'})),
            ('GET', '/api/v1/persons'): (lambda w, b: gate(w, 'household.read') or 200,
                                         lambda w, b: ('GET', '/api/v1/persons', None)),
            ('POST', '/api/v1/households'): (
                create_rule,
                lambda w, b: ('POST', '/api/v1/households',
                              {'village_code': village(b), 'household_no': 'M%d' % next(seq)})),
            ('POST', '/api/v1/households/import'): (
                lambda w, b: gate(w, 'household.write') or 202,
                lambda w, b: ('POST', '/api/v1/households/import',
                              ('村代码,户号,姓名,性别,出生日期\n%s,MX%d,矩阵导入,男,1990-01-01\n'
                               % (village(b), next(seq))).encode())),
            ('GET', '/api/v1/households/export'): (
                lambda w, b: gate(w, 'household.read') or 200,
                lambda w, b: ('GET', '/api/v1/households/export?format=csv&region=%s'
                              % village(b), None)),
            ('GET', '/api/v1/tasks/{id}'): (
                self_rule(404), lambda w, b: ('GET', '/api/v1/tasks/%d' % NONE_ID, None)),
            ('GET', '/api/v1/households/{id}'): (
                object_rule('household.read', 200),
                lambda w, b: ('GET', '/api/v1/households/%d' % hid(b), None)),
            ('PUT', '/api/v1/households/{id}'): (
                self.write_rule('household.write', 200),
                lambda w, b: ('PUT', '/api/v1/households/%d' % hid(b),
                              {'household_no': current(b)['household_no'],
                               'address': '矩阵测试', 'version': current(b)['version']})),
            ('POST', '/api/v1/households/{id}/move'): (
                self.write_rule('household.write', 400),
                lambda w, b: ('POST', '/api/v1/households/%d/move' % hid(b),
                              {'to_village': village(b), 'reason': '矩阵测试'})),
            ('POST', '/api/v1/households/{id}/persons'): (
                self.write_rule('household.write', 201),
                lambda w, b: ('POST', '/api/v1/households/%d/persons' % hid(b),
                              {'name': '矩阵', 'sex': 'F', 'birth_date': '2000-01-01'})),
            ('PUT', '/api/v1/persons/{id}'): (
                self.write_rule('household.write', 200),
                lambda w, b: ('PUT', '/api/v1/persons/%d' % pid(b),
                              {'name': '矩阵改名', 'relation': '户主',
                               'version': self.person_version(b)})),
            # Anyone logged in uploads; a photo is seen by its uploader (here the
            # county) and by staff reading households over its village.
            ('POST', '/api/v1/attachments'): (
                self_rule(201), lambda w, b: ('POST', '/api/v1/attachments', self.upload)),
            ('GET', '/api/v1/attachments/{sha256}'): (
                lambda w, b: 401 if w.account is None else 200 if b and (
                    w.role == 'county_admin' or w.place_ok(b['village'], 'household.read'))
                else 404,
                lambda w, b: ('GET', '/api/v1/attachments/%s'
                              % (self.photos[b['id']] if b else '0' * 64), None)),
            ('POST', '/api/v1/persons/{id}/reveal'): (
                self.write_rule('person.reveal', 200),
                lambda w, b: ('POST', '/api/v1/persons/%d/reveal' % pid(b),
                              {'field': 'id_number', 'purpose': '访问控制矩阵测试'})),
        }

    def person_version(self, obj):
        if not obj:
            return 1
        st, raw = self.call(Who(self.srv.accounts['admin']), 'GET',
                            '/api/v1/households/%d' % obj['id'])
        return [m for m in json.loads(raw)['members'] if m['id'] == obj['person']][0]['version']

    @staticmethod
    def write_rule(perm, ok):
        def rule(who, obj):
            g = gate(who, perm)
            if g:
                return g
            return ok if who.sees(obj) else 404
        return rule


def run(srv, report):
    import modules
    mods = modules.test_modules(srv.binary, 'matrix')
    for mod in mods:
        for role, perms in mod.PERMS.items():
            ROLE_PERMS[role] |= perms
    m = Matrix(srv, mods)
    m.setup()
    cases = m.cases()
    routes = json.loads(subprocess.run([srv.binary, 'routes'], capture_output=True,
                                       check=True).stdout)
    users = [Who(None)] + [Who(a) for a in srv.accounts.values()]
    missing = [(r['method'], r['path']) for r in routes if (r['method'], r['path']) not in cases]
    report('matrix: every route is in the access-control matrix',
           ['route %s %s is not in the matrix' % k for k in missing])
    # The session tells the pages which permissions the caller holds: exactly
    # the ones this restatement gives the caller's role.
    problems = []
    for who in users[1:]:
        st, raw = m.call(who, 'GET', '/api/v1/session')
        doc = json.loads(raw) if st == 200 else {}
        got = set(doc.get('permissions', [])) if st == 200 else None
        if got != who.perms:
            problems.append('%s: session lists %s, expected %s' % (who.name, got, sorted(who.perms)))
        for r in doc.get('roles', []):
            if set(r.get('permissions', [])) != ROLE_PERMS[r['role']]:
                problems.append('%s: role %s lists %s' % (who.name, r['role'], r.get('permissions')))
    report('matrix: the session lists the permissions of the caller\'s roles', problems)
    # Logging in is the same for every caller; repeated bad logins would only
    # trip the per-address throttle, so that row runs once, anonymously.
    once = {('POST', '/api/v1/session')}
    for key in sorted(cases, key=lambda k: (k[1], k[0])):
        expect, build = cases[key]
        problems = []
        for who in users[:1] if key in once else users:
            for label, obj in list(m.objects.items())[-1:] if key in once else m.objects.items():
                method, path, body = build(who, obj)
                want = expect(who, obj)
                got, raw = m.call(who, method, path, body,
                                  logout=key == ('DELETE', '/api/v1/session'))
                if got != want:
                    problems.append('%s on %s object: %d, expected %d (%s)'
                                    % (who.name, label, got, want, raw[:120]))
        report('matrix: %s %s x %d callers x 4 objects' % (key[0], key[1], len(users)),
               problems[:8])
    return m
