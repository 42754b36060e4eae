"""Runs the cases of cases.py with a `numpy` and prints one JSON line per case: what the last
expression gave (type, repr, str, dtype, shape, values) or raised (class and message), and the
warnings on the way. The same script runs under real NumPy (gen_fixtures.py, the oracle) and
under Autograd Lab (numpy.test.ts, as a learner's script through the runner)."""
import ast
import json
import math
import os
import sys
import tempfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from cases import GROUPS  # noqa: E402

DEFAULT_PRINT = dict(edgeitems=3, threshold=1000, floatmode='maxprec', precision=8, suppress=False, linewidth=75,
                     nanstr='nan', infstr='inf', sign='-')


def encode(x):
    """Values as JSON: floats that JSON lacks as strings."""
    if isinstance(x, float):
        if math.isnan(x):
            return 'nan'
        if math.isinf(x):
            return 'inf' if x > 0 else '-inf'
        return x
    if isinstance(x, (list, tuple)):
        return [encode(v) for v in x]
    return x


def type_name(v):
    tp = type(v)
    return '%s.%s' % (tp.__module__, tp.__qualname__)


def describe(v, np):
    rec = {'type': type_name(v), 'repr': repr(v), 'str': str(v)}
    if isinstance(v, np.ndarray):
        rec['dtype'] = str(v.dtype)
        rec['shape'] = list(v.shape)
        rec['values'] = encode(v.tolist())
    elif isinstance(v, np.generic):
        rec['dtype'] = str(v.dtype)
        rec['values'] = encode(v.item())
    elif isinstance(v, (tuple, list)) and any(isinstance(x, (np.ndarray, np.generic)) for x in v):
        rec['items'] = [describe(x, np) for x in v]
    elif isinstance(v, (int, float, bool)) or v is None:
        rec['values'] = encode(v)
    return rec


def run_case(code, np):
    """(record, live value) of one case: its statements run, its last expression evaluated."""
    tree = ast.parse(code, '<case>', 'exec')
    body, last = tree.body, None
    if body and isinstance(body[-1], ast.Expr):
        body, last = body[:-1], body[-1]
    ns = {'np': np}
    value = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            exec(compile(ast.Module(body=body, type_ignores=[]), '<case>', 'exec'), ns)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), '<case>', 'eval'), ns)
            rec = describe(value, np)
        except Exception as e:  # noqa: BLE001 - the error is what the case records
            rec = {'error': [type(e).__name__, str(e)]}
            value = None
        finally:
            np.set_printoptions(**DEFAULT_PRINT)
            np.seterr(all='warn', under='ignore')
    rec['warnings'] = [[w.category.__name__, str(w.message)] for w in caught]
    return rec, value


def cases():
    """(key, group, code) of every case."""
    for g, group in enumerate(GROUPS):
        for i, code in enumerate(group['cases']):
            yield '%d.%d' % (g, i), group, code


def has_int32(np):
    """Whether this numpy has int32 arrays (Autograd Lab's need the engine's int32 tensors)."""
    try:
        np.zeros(1, dtype=np.int32)
        return True
    except NotImplementedError:
        return False


def main():
    import numpy as np
    work = tempfile.mkdtemp(prefix='agl-numpy-cases-')
    os.chdir(work)
    print(json.dumps({'numpy': np.__version__, 'int32': has_int32(np)}))
    for key, group, code in cases():
        if group.get('fresh_seed'):
            np.random.seed(0)
        rec, _ = run_case(code, np)
        rec['key'] = key
        rec['code'] = code
        print(json.dumps(rec))
    sys.stdout.flush()


if __name__ == '__main__':
    main()
