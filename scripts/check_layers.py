#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# scripts/check_layers.py -- the layering of DESIGN.md §2, from the #include
# lines themselves: every dependency points down, the packages of the domain
# depend on each other without a circle, and no module reaches into another
# (a module is src/domain/<m>/ and src/api/<m>/, named in src/modules.txt).
# Prints each breach and exits 1 if there is any.   usage: check_layers.py [ROOT]
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
SRC = os.path.join(ROOT, 'src')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([a-z_]+)?/?', re.M)

# Floor -> the floors it must not include. The floors, bottom up: core;
# store and tlog; domain; http; api; cli.
FORBIDDEN = {
    'core': {'store', 'tlog', 'domain', 'http', 'api', 'cli'},
    'store': {'tlog', 'domain', 'http', 'api', 'cli'},
    'tlog': {'domain', 'http', 'api', 'cli'},
    'domain': {'http', 'api', 'cli'},
    'http': {'store', 'tlog', 'domain', 'api', 'cli'},
    'api': {'store', 'cli'},
}


def modules():
    with open(os.path.join(SRC, 'modules.txt'), encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip() and not line.startswith('#')]


def includes():
    """(file, floor, package or None, included floor, included package or None)."""
    for dirpath, _, files in os.walk(SRC):
        for name in files:
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, SRC).split(os.sep)
            floor = rel[0]
            package = rel[1] if len(rel) > 2 else None
            with open(path, encoding='utf-8') as f:
                for m in INCLUDE.finditer(f.read()):
                    target_package = m.group(2)
                    # "domain/exec.h" names a file, not a package
                    yield (os.path.join(*rel), floor, package, m.group(1),
                           target_package if target_package and not target_package.endswith('_h')
                           else None)


def cycle(graph):
    """A circle in the package graph as a list of names, or None."""
    state = {}

    def visit(node, path):
        state[node] = 'open'
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 'open':
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 'done'
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


def main():
    mods = set(modules())
    problems = []
    graph = {}
    for path, floor, package, to_floor, to_package in includes():
        if to_floor in FORBIDDEN.get(floor, ()):
            problems.append('%s: %s includes %s/ (dependencies point down)' % (path, floor, to_floor))
        if floor == to_floor and package and to_package and package != to_package:
            if to_package in mods and package in mods:
                problems.append('%s: module %s reaches into module %s' % (path, package, to_package))
            elif to_package in mods and floor == 'domain':
                problems.append('%s: %s/%s (core) depends on module %s' % (path, floor, package,
                                                                           to_package))
            if floor == 'domain':
                graph.setdefault(package, set()).add(to_package)
        if floor == 'api' and package is None and to_floor == 'api' and to_package in mods:
            problems.append('%s: the API core includes module %s' % (path, to_package))
    circle = cycle(graph)
    if circle:
        problems.append('domain packages depend on each other in a circle: %s' % ' -> '.join(circle))
    for p in problems:
        print(p)
    print('layers: %d domain packages, %d modules, %d problems'
          % (len(graph), len(mods), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
