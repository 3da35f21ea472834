# SPDX-License-Identifier: Apache-2.0
"""The module list as the API tests see it: `xiangzhi modules`, and each
module's test files beside it in tests/api/<module>/ (checks.py: CHECKS;
matrix.py: its rows of the access matrix and the oracle)."""
import functools
import importlib.util
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


@functools.lru_cache(maxsize=None)
def declared(binary):
    """What each module declares, in the list's order."""
    return json.loads(subprocess.run([binary, 'modules'], capture_output=True, check=True).stdout)


def test_modules(binary, part):
    """Each module's tests/api/<module>/<part>.py, loaded; a module without
    one fails loudly: every module brings its own tests."""
    out = []
    for m in declared(binary):
        path = os.path.join(HERE, m['name'], part + '.py')
        if not os.path.exists(path):
            raise RuntimeError('module %s has no %s' % (m['name'], os.path.relpath(path, HERE)))
        spec = importlib.util.spec_from_file_location('%s_%s' % (m['name'], part), path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out.append(mod)
    return out
