#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Render docs/openapi.yaml from what the server itself declares, so the document
# cannot drift from the code: the route table (`xiangzhi routes`: methods, paths,
# permissions, request bodies with their kinds, ranges and values, query
# parameters, the success status and what it carries) and the answers' schemas
# beside the code (src/api/schemas.json and src/api/<module>/schemas.json, for the
# modules of src/modules.txt). The test suite regenerates it and fails on any
# difference, lints it (Redocly) and replays the API checks through a validating
# proxy (Prism) that holds every request and answer to it.
#   usage: scripts/openapi.py BIN > docs/openapi.yaml
import json
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
PERMS = {
    'public': 'Anyone, no login.',
    'ops': 'The operator: callers on the server itself (loopback).',
    'self': 'Any logged-in user, on their own account.',
}
FORMATS = {
    'region': {'type': 'string', 'pattern': '^[0-9]{12}$',
               'description': 'a 12-digit region code (GB/T 2260 and the statistics codes)'},
    'date': {'type': 'string', 'format': 'date'},
    'sha256': {'type': 'string', 'pattern': '^[0-9a-f]{64}$'},
    'ms': {'type': 'integer', 'format': 'int64', 'description': 'milliseconds since 1970 (UTC)'},
}
# Path parameters, by name: what the server accepts in them.
PATH_PARAMS = {
    'id': {'type': 'integer', 'format': 'int64', 'minimum': 1},
    'index': {'type': 'integer', 'format': 'int64', 'minimum': 0},
    'code': {'type': 'string', 'pattern': '^[0-9]{12}$'},
    'sha256': {'type': 'string', 'pattern': '^[0-9a-f]{64}$'},
}
TILE_DEPTHS = range(2, 8)  # /tlog/tile/{path*}: C2SP tile paths have 2 to 7 segments


def modules():
    with open(os.path.join(ROOT, 'src', 'modules.txt'), encoding='utf-8') as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith('#')]


def load_schemas():
    files = [os.path.join(ROOT, 'src', 'api', 'schemas.json')] + \
        [os.path.join(ROOT, 'src', 'api', m, 'schemas.json') for m in modules()]
    out = {}
    for path in files:
        if not os.path.exists(path):
            continue
        with open(path, encoding='utf-8') as f:
            for name, value in json.load(f).items():
                if name == '#':
                    continue
                if name in out:
                    sys.exit('openapi: schema %s defined twice (%s)' % (name, path))
                out[name] = value
    return out


def nullable(schema):
    """The schema, or null (OpenAPI 3.1: JSON Schema's own way)."""
    if 'type' not in schema:
        return {'oneOf': [schema, {'type': 'null'}]}
    out = dict(schema, type=[schema['type'], 'null'])
    if 'enum' in out:
        out['enum'] = out['enum'] + [None]
    return out


def expand(v):
    """The shorthand of src/api/schemas.json as an OpenAPI 3.1 schema object."""
    if isinstance(v, list):
        return {'type': 'array', 'items': expand(v[0])}
    if isinstance(v, dict):
        if 'oneOf' in v:
            return {'oneOf': [expand(x) for x in v['oneOf']]}
        props, required = {}, []
        for key, sub in v.items():
            name = key[:-1] if key.endswith('?') else key
            props[name] = expand(sub)
            if not key.endswith('?'):
                required.append(name)
        out = {'type': 'object', 'additionalProperties': False, 'properties': props}
        if required:
            out['required'] = required
        return out
    null = v.endswith('?')
    text = v[:-1] if null else v
    if text.startswith('enum'):
        kind, values = text.split(':', 1)
        out = {'type': 'string', 'enum': values.split('|')}
        null = null or kind == 'enum?'
    elif text.startswith('#'):
        out = {'$ref': '#/components/schemas/' + text[1:]}
    elif text == 'any':
        out = {}
    elif ':' in text:
        base, fmt = text.split(':', 1)
        out = dict(FORMATS[fmt])
        if out['type'] != base:
            sys.exit('openapi: %s is not a %s' % (fmt, base))
    else:
        out = {'type': text}
        if text == 'integer':
            out['format'] = 'int64'
    return nullable(out) if null else out


def field_schema(f):
    kind = f['kind']
    out = {'type': kind}
    if kind == 'string':
        if f['min']:
            out['minLength'] = f['min']
        if f['max']:
            out['maxLength'] = f['max']
        if f.get('values') is not None:
            out['enum'] = f['values']
    elif kind == 'integer':
        out['format'] = 'int64'
        out['minimum'] = f['min']
        if f['max']:
            out['maximum'] = f['max']
    elif kind == 'array':
        out['items'] = {}
    elif kind == 'object':
        out['additionalProperties'] = True
    return out


def request_body(r):
    if r.get('raw_type'):
        types = ['image/jpeg', 'image/png', 'image/webp'] if r['raw_type'] == 'image/*' \
            else r['raw_type'].split()
        return {'required': True,
                'content': {t: {'schema': {'type': 'string', 'format': 'binary'}} for t in types}}
    if r['method'] in ('GET', 'DELETE') or not r['body'] and r['method'] not in ('POST',
                                                                                'PUT', 'PATCH'):
        return None
    schema = {'type': 'object', 'additionalProperties': False,
              'properties': {f['name']: field_schema(f) for f in r['body']}}
    required = [f['name'] for f in r['body'] if f['required']]
    if required:
        schema['required'] = required
    # A write that takes no input accepts no body or {}.
    return {'required': bool(required), 'content': {'application/json': {'schema': schema}}}


def success(r):
    status, _, what = r['answer'].partition(' ')
    resp = {'description': 'OK' if status == '200' else
            {'201': 'Created', '202': 'Accepted: the job goes on', '204': 'Done, no content'}.get(
                status, status)}
    if not what:
        return status, resp
    if '/' in what:
        resp['content'] = {t: {'schema': {'type': 'string'} if t.startswith('text/') or
                               t == 'image/svg+xml' else {'type': 'string', 'format': 'binary'}}
                           for t in what.split()}
    else:
        resp['content'] = {'application/json': {'schema': {'$ref': '#/components/schemas/' + what}}}
    return status, resp


def errors(r, params):
    err = {'$ref': '#/components/responses/Error'}
    out = {'400': err}
    if r['perm'] not in ('public', 'ops'):
        out['401'] = err
    if r['perm'] not in ('public', 'self'):
        out['403'] = err
    if params:
        out['404'] = err
    if r['method'] != 'GET':
        out['409'] = err
    out['4XX'] = err
    out['5XX'] = err
    return out


def operation_id(method, path):
    words = [w.strip('{}*') for w in path.strip('/').split('/') if w not in ('api', 'v1')]
    return method.lower() + ''.join(w[:1].upper() + w[1:].replace('_', '')
                                    for w in re.split(r'[^A-Za-z0-9_]+', '_'.join(words)) if w)


def operation(r, path, params):
    op = {'operationId': operation_id(r['method'], path), 'summary': r['summary'],
          'x-permission': r['perm']}
    if r['perm'] in ('public', 'ops'):
        op['security'] = []
    else:
        op['security'] = [{'session': []}, {'token': []}]
    plist = [{'name': p, 'in': 'path', 'required': True,
              'schema': PATH_PARAMS.get(p, {'type': 'string'})} for p in params]
    plist += [{'name': f['name'], 'in': 'query', 'required': f['required'],
               'schema': field_schema(f)} for f in r.get('query') or []]
    if plist:
        op['parameters'] = plist
    body = request_body(r)
    if body:
        op['requestBody'] = body
    status, resp = success(r)
    op['responses'] = dict({status: resp}, **errors(r, params))
    return op


def paths_of(r):
    """(path template, its parameters) as OpenAPI can say them: a {name*} that
    takes the rest of the path becomes one template per depth."""
    m = re.search(r'\{(\w+)\*\}$', r['path'])
    if not m:
        return [(r['path'], re.findall(r'\{(\w+)\}', r['path']))]
    head = r['path'][:m.start()]
    out = []
    for depth in TILE_DEPTHS:
        names = ['%s%d' % (m.group(1), i) for i in range(1, depth + 1)]
        out.append((head + '/'.join('{%s}' % n for n in names),
                    re.findall(r'\{(\w+)\}', head) + names))
    return out


def document(routes, schemas):
    doc = {
        'openapi': '3.1.0',
        'info': {
            'title': 'xiangzhi (乡治) API', 'version': '1',
            'license': {'name': 'Apache-2.0',
                        'url': 'https://www.apache.org/licenses/LICENSE-2.0'},
            'description': '\n'.join([
                'County rural-governance platform. Errors are always',
                '{"error":{"code","message","field","request_id"}}, the message in zh-CN or',
                'en by Accept-Language. Cookie-authenticated writes need X-CSRF-Token.',
                'Permissions (x-permission): ' + '; '.join('%s: %s' % kv for kv in PERMS.items()),
                "Others are held by roles as DESIGN.md §6 says; objects are checked against",
                "the caller's region scope; one out of scope answers as one that does not exist.",
                'Generated by scripts/openapi.py from the route table and src/api/**/schemas.json.'])},
        'servers': [{'url': '/', 'description': 'the server this document came with'}],
        'paths': {},
        'components': {
            'securitySchemes': {
                'session': {'type': 'apiKey', 'in': 'cookie', 'name': 'xz_session'},
                'token': {'type': 'http', 'scheme': 'bearer'}},
            'responses': {'Error': {
                'description': "An error, in the request's language",
                'content': {'application/json': {'schema': {
                    '$ref': '#/components/schemas/Error'}}}}},
            'schemas': {'Error': {
                'type': 'object', 'required': ['error'],
                'properties': {
                    'error': {'type': 'object', 'additionalProperties': False,
                              'required': ['code', 'message', 'field', 'request_id'],
                              'properties': {k: {'type': 'string'} for k in
                                             ('code', 'message', 'field', 'request_id')}},
                    'report': {'description': "an import's row-by-row report"}}}}}}
    for name in sorted(schemas):
        doc['components']['schemas'][name] = expand(schemas[name])
    for r in routes:
        for path, params in paths_of(r):
            item = doc['paths'].setdefault(path, {})
            item[r['method'].lower()] = operation(r, path, params)
    doc['paths'] = dict(sorted(doc['paths'].items()))
    return doc


def yaml(v, indent=0):
    """YAML of plain data (block style; strings always quoted as JSON)."""
    pad = '  ' * indent
    if isinstance(v, dict):
        if not v:
            return ['%s{}' % pad]
        out = []
        for k, x in v.items():
            key = k if re.match(r'^[A-Za-z_$][A-Za-z0-9_./$-]*$', k) else json.dumps(k)
            if isinstance(x, (dict, list)) and x:
                out.append('%s%s:' % (pad, key))
                out += yaml(x, indent + 1)
            else:
                out.append('%s%s: %s' % (pad, key, scalar(x)))
        return out
    if isinstance(v, list):
        out = []
        for x in v:
            if isinstance(x, (dict, list)) and x:
                sub = yaml(x, indent + 1)
                out.append('%s- %s' % (pad, sub[0].lstrip()))
                out += sub[1:]
            else:
                out.append('%s- %s' % (pad, scalar(x)))
        return out
    return ['%s%s' % (pad, scalar(v))]


def scalar(x):
    if isinstance(x, bool):
        return 'true' if x else 'false'
    if x is None:
        return 'null'
    if isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, dict):
        return '{}'
    if isinstance(x, list):
        return '[]'
    return json.dumps(x, ensure_ascii=False)


def main():
    routes = json.loads(subprocess.run([sys.argv[1], 'routes'], capture_output=True,
                                       check=True).stdout)
    doc = document(routes, load_schemas())
    names = set(doc['components']['schemas'])
    for r in routes:
        what = r['answer'].partition(' ')[2]
        if what and '/' not in what and what not in names:
            sys.exit('openapi: %s %s answers %s, which no schemas.json defines'
                     % (r['method'], r['path'], what))
    print('# Generated by scripts/openapi.py from the route table (xiangzhi routes) and the')
    print('# schemas beside the code (src/api/**/schemas.json). Do not edit: regenerate.')
    print('\n'.join(yaml(doc)))


if __name__ == '__main__':
    main()
