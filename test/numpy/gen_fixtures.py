"""Writes test/numpy/fixtures/cases.json: what real NumPy gives for every case of cases.py, as
NumPy 2.x gives it. Run with Debian's NumPy (the oracle): /usr/bin/python3 test/numpy/gen_fixtures.py

The oracle is NumPy 1.24. Where NumPy 2.x differs (src/runner/child/python/numpy2_differences.py),
the record is rewritten: scalar reprs and type names by rule ('np.float64(3.0)', numpy.bool),
every other difference by an entry of numpy2_overrides.py, each with its reason.
`--check-numpy2 PYTHON` runs the cases under an interpreter with NumPy 2 too and lists every
case where the rewritten record and NumPy 2 disagree (run it when the cases or the differences
change; a NumPy 2 can be had with pip in a virtualenv); `--propose-overrides PYTHON` prints
those cases as entries for numpy2_overrides.py, to review and give their reasons."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import driver  # noqa: E402

OUT = os.path.join(HERE, 'fixtures', 'cases.json')

from numpy2_overrides import OVERRIDES  # noqa: E402


def _scalar_repr2(v):
    """NumPy 2's repr of a value holding NumPy scalars (NEP 51)."""
    if isinstance(v, np.bool_):
        return 'np.True_' if v else 'np.False_'
    if isinstance(v, np.generic):
        if isinstance(v, np.float32) and 1e6 <= abs(float(v)) < 1e16:
            raise ValueError('a float32 scalar past 1e6 prints differently in NumPy 2: give the case an override')
        return 'np.%s(%s)' % (type(v).__name__, str(v))
    if isinstance(v, tuple):
        inner = ', '.join(_scalar_repr2(x) for x in v)
        return '(%s,)' % inner if len(v) == 1 else '(%s)' % inner
    if isinstance(v, list):
        return '[%s]' % ', '.join(_scalar_repr2(x) for x in v)
    return repr(v)


def _has_scalar(v):
    if isinstance(v, np.generic):
        return True
    if isinstance(v, (tuple, list)):
        return any(_has_scalar(x) for x in v)
    return False


_DTYPE_CLASSES = {'float32': 'Float32DType', 'float64': 'Float64DType', 'int32': 'Int32DType', 'int64': 'Int64DType',
                  'bool': 'BoolDType', 'bool_': 'BoolDType'}


def _rewrite_types(rec):
    """NumPy 2 calls the boolean scalar type numpy.bool and gives each dtype its own class
    (numpy.dtypes.Float32DType, which 1.24 printed as numpy.dtype[float32])."""
    if rec.get('type') == 'numpy.bool_':
        rec['type'] = 'numpy.bool'
    if rec.get('type', '').startswith('numpy.dtype['):
        rec['type'] = 'numpy.dtypes.' + _DTYPE_CLASSES[rec['type'][len('numpy.dtype['):-1]]
    if rec.get('repr') == "<class 'numpy.bool_'>":
        rec['repr'] = rec['str'] = "<class 'numpy.bool'>"
    for item in rec.get('items', []):
        _rewrite_types(item)


def _as_numpy2(rec, value):
    if 'error' not in rec and _has_scalar(value):
        rec['repr'] = _scalar_repr2(value)
        if isinstance(value, (tuple, list)):
            rec['str'] = rec['repr']
            for item, v in zip(rec.get('items', []), value):
                if isinstance(v, np.generic):
                    item['repr'] = _scalar_repr2(v)
    if 'items' in rec:
        for item, v in zip(rec['items'], value):
            if isinstance(v, np.generic):
                item['repr'] = _scalar_repr2(v)
    _rewrite_types(rec)
    return rec


def records():
    out = {}
    work = tempfile.mkdtemp(prefix='agl-numpy-fixtures-')
    os.chdir(work)
    for key, group, code in driver.cases():
        if group.get('fresh_seed'):
            np.random.seed(0)
        rec, value = driver.run_case(code, np)
        try:
            rec = _as_numpy2(rec, value)
        except ValueError as e:
            rec['unrewritable'] = str(e)
        override = OVERRIDES.get(code)
        if override is not None:
            rec = dict(override['record'])
            rec['why'] = override['why']
        rec['code'] = code
        out[key] = rec
    return out


def check_numpy2(python, recs, propose=False):
    """Runs driver.py under `python` (with NumPy 2) and lists the disagreements (with `propose`,
    as override entries to review and give their reason)."""
    proc = subprocess.run([python, os.path.join(HERE, 'driver.py')], capture_output=True, text=True, check=True)
    closeness = {key: group.get('compare') == 'close' for key, group, _ in driver.cases()}
    bad = 0
    for line in proc.stdout.splitlines():
        if not line.startswith('{'):
            continue
        got = json.loads(line)
        if 'key' not in got:
            continue  # the header (numpy version, int32)
        want = recs[got['key']]
        keys = ('type', 'repr', 'str', 'dtype', 'shape', 'values', 'error', 'warnings', 'items')
        compared = keys
        if closeness[got['key']]:
            compared = ('type', 'dtype', 'shape', 'error', 'warnings')
            if not _close(want.get('values'), got.get('values')):
                compared += ('values',)
        diff = {k: (want.get(k), got.get(k)) for k in compared if want.get(k) != got.get(k)}
        if diff and propose:
            bad += 1
            record = {k: got[k] for k in keys if k in got}
            print('    %r: {\n        \'why\': \'\',\n        \'record\': %r,\n    },' % (want['code'], record))
        elif diff:
            bad += 1
            print('%s %s' % (got['key'], want['code']))
            for k, (w, g) in diff.items():
                print('   %s: fixture %r\n   %s  numpy2 %r' % (k, w, ' ' * len(k), g))
    print('%d case(s) differ from %s' % (bad, python))
    return bad


def _close(a, b):
    """Values equal but for a few units in the last place (what the 'close' groups allow)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 4e-16 * max(abs(a), abs(b)) * 4 or a == b
    return a == b


def main():
    recs = records()
    for flag in ('--check-numpy2', '--propose-overrides'):
        if flag in sys.argv:
            python = sys.argv[sys.argv.index(flag) + 1]
            sys.exit(1 if check_numpy2(python, recs, flag == '--propose-overrides') else 0)
    groups = [{'name': g['name'], 'compare': g.get('compare', 'exact'), 'needs': g.get('needs'),
               'keys': ['%d.%d' % (i, j) for j in range(len(g['cases']))]} for i, g in enumerate(driver.GROUPS)]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump({'numpy': np.__version__, 'groups': groups, 'cases': recs}, f, indent=1, sort_keys=True)
        f.write('\n')
    print('wrote %s: %d cases in %d groups' % (OUT, len(recs), len(groups)))


if __name__ == '__main__':
    main()
