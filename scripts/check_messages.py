#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/check_messages.py -- every error message the C sources write, in both
languages (issue #12).

An error is written where it happens, twice: err_set(e, code, field, zh, en, args...)
formats both texts with the same arguments in the same order, so each text must
convert exactly the arguments given, of the same types in the same order; the
English text must hold no Chinese; the Chinese text must hold some. The same
holds for err_set_text, api_fail and the import report's sheet_problem, which
take finished texts. A message that is a variable (not a literal) is checked
where its literal is written.

    scripts/check_messages.py [SRC_DIR]      default: src
Prints each problem as FILE:LINE: what, then "messages: N checked, M problems";
exits 1 when there is a problem.
"""
import os
import re
import sys

# name -> (index of the Chinese text, index of the English one, formats?)
CALLS = {
    'err_set': (3, 4, True),
    'err_set_text': (3, 4, False),
    'api_fail': (4, 5, False),
    'sheet_problem': (3, 4, False),
    'points_not_found': (1, 2, False),
    'points_one': (6, 7, False),
}
CJK = re.compile('[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]')
# printf conversions: flags, width, precision, length, conversion ("%%" is none).
SPEC = re.compile(r'%(?:%|[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(hh|h|ll|l|j|z|t|L)?([diouxXeEfgGcspn]))')
INTTYPES = {'PRId64': 'lld', 'PRIu64': 'llu', 'PRIx64': 'llx'}


def strip_comments(text):
    """Comments out, strings and line numbers kept (comments become spaces)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def split_args(text, start):
    """The arguments of the call whose '(' is at 'start': (list, end index)."""
    args, depth, i, cur = [], 0, start + 1, []
    while i < len(text):
        c = text[i]
        if c in '"\'':
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            if depth == 0:
                args.append(''.join(cur).strip())
                return args, i
            depth -= 1
        elif c == ',' and depth == 0:
            args.append(''.join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    return None, i


def literal(arg):
    """The text of an argument made of string literals and PRI macros, or None."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|(PRI[diux]64)|(\S)', arg)
    if not parts or any(p[2] for p in parts):
        return None
    text = ''
    for s, macro, _ in parts:
        text += s if not macro else INTTYPES[macro]
    return text


def conversions(fmt):
    return [(m.group(1) or '') + m.group(2) for m in SPEC.finditer(fmt) if m.group(2)]


def normalise(conv):
    """Types that take the same argument: %d and %i, %x and %u."""
    return re.sub(r'[iuxX]$', 'd', conv)


def check_call(name, args, where, problems):
    zi, ei, formats = CALLS[name]
    if len(args) <= ei:
        return 0
    zh, en = literal(args[zi]), literal(args[ei])
    checked = 0
    if en is not None:
        checked += 1
        if CJK.search(en):
            problems.append('%s: the English text of %s holds Chinese: "%s"' % (where, name, en))
        if not en.strip():
            problems.append('%s: the English text of %s is empty' % (where, name))
    if zh is not None:
        checked += 1
        if not CJK.search(zh):
            problems.append('%s: the Chinese text of %s holds no Chinese: "%s"' % (where, name, zh))
    if formats and zh is not None and en is not None:
        rest = len(args) - ei - 1
        cz, ce = conversions(zh), conversions(en)
        if len(cz) != rest or len(ce) != rest:
            problems.append('%s: %d arguments, but the Chinese text converts %d and the English %d'
                            % (where, rest, len(cz), len(ce)))
        elif [normalise(c) for c in cz] != [normalise(c) for c in ce]:
            problems.append('%s: the two texts convert %s and %s' % (where, cz, ce))
    return checked


def check_file(path, problems):
    with open(path, encoding='utf-8') as f:
        text = strip_comments(f.read())
    checked = 0
    for m in re.finditer(r'\b(%s)\s*\(' % '|'.join(CALLS), text):
        args, _ = split_args(text, m.end() - 1)
        if args is None:
            continue
        where = '%s:%d' % (path, text.count('\n', 0, m.start()) + 1)
        checked += check_call(m.group(1), args, where, problems)
    return checked


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else 'src'
    problems, checked = [], 0
    for d, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith('.c'):
                checked += check_file(os.path.join(d, name), problems)
    for p in problems:
        print(p)
    print('messages: %d checked, %d problems' % (checked, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
