"""The differential test's programs: small random chains of the ops the Python layer supports,
with random shapes, dtypes and argument forms (method or torch function, positional or keyword
arguments, Python int/float/bool operands). One module for both sides: gen_differential.py
draws the programs (seeded) and runs them under real PyTorch to write the fixture;
differential_driver.py runs the same programs under our `torch` and prints what it got.

A program is JSON: its input tensors and a list of steps. Each step applies one op to the
current tensor (and maybe a second input), as one of several call forms; the result becomes
the current tensor. What is compared: every step's result (dtype, shape, values), or the
class of the error that ended the program."""
import math
import random

DTYPES = ('float32', 'float64', 'int64', 'bool')

# name: (kind, extra) — how a step calls the op
UNARY = ('neg', 'abs', 'exp', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'square', 'sign', 'reciprocal', 'sqrt', 'log')
BINARY = ('add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge')
OPERATORS = {'add': '+', 'sub': '-', 'mul': '*', 'div': '/', 'pow': '**'}
REDUCTIONS = ('sum', 'mean', 'std', 'var', 'max', 'min', 'argmax', 'argmin', 'any', 'all')
SHAPE_OPS = ('transpose', 'unsqueeze', 'squeeze', 'flatten', 'reshape', 't', 'permute', 'chunk', 'clamp', 'softmax', 'matmul')


def draw_program(rng):
    """One random program (a dict that json can hold)."""
    rank = rng.choice((0, 1, 1, 2, 2, 2, 3))
    shape = [rng.randint(1, 4) for _ in range(rank)]
    dtype = rng.choice(DTYPES + ('float32', 'float32'))
    inputs = [_tensor(rng, shape, dtype)]
    if rng.random() < 0.5:
        other_shape = list(shape)
        if other_shape and rng.random() < 0.3:
            other_shape[rng.randrange(len(other_shape))] = 1  # broadcasts
        inputs.append(_tensor(rng, other_shape, rng.choice(DTYPES + ('float32',) * 3)))
    steps = [_step(rng, len(inputs)) for _ in range(rng.randint(1, 4))]
    return {'inputs': inputs, 'steps': steps}


def _tensor(rng, shape, dtype):
    n = 1
    for s in shape:
        n *= s
    if dtype == 'bool':
        data = [rng.random() < 0.5 for _ in range(n)]
    elif dtype == 'int64':
        data = [rng.randint(-4, 5) for _ in range(n)]
    else:
        data = [round(rng.uniform(-3, 3), 3) for _ in range(n)]
    return {'shape': shape, 'dtype': dtype, 'data': data}


def _scalar(rng):
    kind = rng.choice(('int', 'float', 'float_integral', 'bool'))
    if kind == 'int':
        return {'int': rng.randint(-3, 3)}
    if kind == 'float':
        return {'float': round(rng.uniform(-2, 2), 2)}
    if kind == 'float_integral':
        return {'float': float(rng.randint(-3, 3))}
    return {'bool': rng.random() < 0.5}


def _step(rng, n_inputs):
    family = rng.choice(('unary', 'binary', 'binary', 'reduction', 'reduction', 'shape', 'shape'))
    form = rng.choice(('method', 'function'))
    if family == 'unary':
        return {'op': rng.choice(UNARY), 'form': form}
    if family == 'binary':
        op = rng.choice(BINARY)
        other = {'input': 1} if n_inputs > 1 and rng.random() < 0.6 else _scalar(rng)
        if op in ('maximum', 'minimum') and 'input' not in other:
            other = {'input': 1} if n_inputs > 1 else {'input': 0}
        style = rng.choice(('positional', 'keyword', 'operator' if op in OPERATORS and form == 'method' else 'positional'))
        return {'op': op, 'form': form, 'other': other, 'style': style}
    if family == 'reduction':
        op = rng.choice(REDUCTIONS)
        step = {'op': op, 'form': form, 'style': rng.choice(('positional', 'keyword'))}
        if rng.random() < 0.6:
            step['dim'] = _dim(rng)
            if rng.random() < 0.5:
                step['keepdim'] = rng.random() < 0.5
        if op in ('std', 'var') and rng.random() < 0.4:
            step['unbiased'] = rng.random() < 0.5
        return step
    op = rng.choice(SHAPE_OPS)
    step = {'op': op, 'form': form, 'style': rng.choice(('positional', 'keyword'))}
    if op in ('transpose',):
        step['dim0'], step['dim1'] = _dim(rng), _dim(rng)
    elif op in ('unsqueeze', 'squeeze', 'softmax'):
        step['dim'] = _dim(rng)
    elif op == 'flatten':
        step['start_dim'] = rng.randint(0, 1)
    elif op == 'reshape':
        step['shape'] = [-1]
    elif op == 'permute':
        step['reverse'] = True
    elif op == 'chunk':
        step['chunks'], step['dim'] = rng.randint(1, 3), _dim(rng)
    elif op == 'clamp':
        step['min'], step['max'] = rng.choice((None, -1, -0.5)), rng.choice((None, 1, 2.0))
    elif op == 'matmul':
        step['with'] = rng.randrange(n_inputs)
    return step


def _dim(rng):
    """Mostly a dim every rank ≥ 1 has; now and then one out of range (an IndexError to match)."""
    return rng.choice((0, -1, 0, -1, 1, 1, -2, 2))


# ------------------------------------------------------------------ running a program

def make(torch, spec):
    dtype = getattr(torch, spec['dtype'])
    flat = spec['data']
    if not spec['shape']:
        return torch.tensor(flat[0], dtype=dtype)
    t = torch.tensor(flat, dtype=dtype)
    return t.reshape(spec['shape'])


def scalar(v):
    return v.get('int', v.get('float', v.get('bool')))


def apply(torch, x, inputs, step):
    op, form, style = step['op'], step['form'], step.get('style', 'positional')
    kw = style == 'keyword'
    if op in UNARY:
        return getattr(x, op)() if form == 'method' else getattr(torch, op)(x)
    if op in BINARY:
        other = inputs[step['other']['input']] if 'input' in step['other'] else scalar(step['other'])
        if style == 'operator':
            return eval('x %s other' % OPERATORS[op], {'x': x, 'other': other})  # noqa: S307 - our own operator table
        name = 'exponent' if op == 'pow' else 'other'
        if form == 'method':
            return getattr(x, op)(**{name: other}) if kw else getattr(x, op)(other)
        return getattr(torch, op)(x, **{name: other}) if kw else getattr(torch, op)(x, other)
    if op in REDUCTIONS:
        args, kwargs = [], {}
        for name in ('dim', 'unbiased', 'keepdim'):
            if name in step:
                if kw:
                    kwargs[name] = step[name]
                else:
                    args.append(step[name])
        if not kw and 'unbiased' in step and 'dim' not in step:
            args = [step['unbiased']]
        if not kw and 'keepdim' in step and 'unbiased' not in step and op in ('std', 'var'):
            args = [step['dim'], True, step['keepdim']] if 'dim' in step else args
        out = getattr(x, op)(*args, **kwargs) if form == 'method' else getattr(torch, op)(x, *args, **kwargs)
        return out
    if op == 'transpose':
        a = {'dim0': step['dim0'], 'dim1': step['dim1']}
    elif op in ('unsqueeze', 'squeeze', 'softmax'):
        a = {'dim': step['dim']}
    elif op == 'flatten':
        a = {'start_dim': step['start_dim']}
    elif op == 'reshape':
        a = {'shape': step['shape']}
    elif op == 'permute':
        a = {'dims': list(range(x.dim()))[::-1]}
    elif op == 'chunk':
        a = {'chunks': step['chunks'], 'dim': step['dim']}
    elif op == 'clamp':
        a = {'min': step['min'], 'max': step['max']}
    elif op == 'matmul':
        a = {'other': inputs[step['with']]}
    else:
        a = {}
    if op == 't':
        return x.t() if form == 'method' else torch.t(x)
    if form == 'method':
        out = getattr(x, op)(**a) if kw else getattr(x, op)(*a.values())
    else:
        out = getattr(torch, op)(x, **a) if kw else getattr(torch, op)(x, *a.values())
    if op == 'chunk':
        out = out[0]
    return out


def result_of(value):
    """What a step produced, for comparing: tensors (the values of a max(dim) pair) as spec."""
    if hasattr(value, 'values') and hasattr(value, 'indices') and type(value).__name__ in ('max', 'min'):
        return {'pair': [spec(value.values), spec(value.indices)], 'repr_head': repr(value).split('\n')[0]}
    return spec(value)


def spec(t):
    name = str(t.dtype).replace('torch.', '')
    return {'dtype': name, 'shape': list(t.shape), 'data': _flat(t.tolist(), name)}


def _flat(v, dtype):
    out = []

    def walk(e):
        if isinstance(e, list):
            for x in e:
                walk(x)
        elif dtype == 'bool':
            out.append(bool(e))
        elif dtype == 'int64':
            out.append(int(e))
        else:
            f = float(e)
            out.append('nan' if math.isnan(f) else ('inf' if f == math.inf else ('-inf' if f == -math.inf else f)))
    walk(v)
    return out


def run_program(torch, program):
    """{'steps': [result...], 'error': {'type': ...} or None}"""
    results = []
    try:
        inputs = [make(torch, s) for s in program['inputs']]
        x = inputs[0]
        for step in program['steps']:
            x = apply(torch, x, inputs, step)
            results.append(result_of(x))
            if not hasattr(x, 'dim'):
                x = x.values if hasattr(x, 'values') else x
        return {'steps': results, 'error': None}
    except Exception as e:  # noqa: BLE001 - the error is the result
        return {'steps': results, 'error': {'type': type(e).__name__}}


def programs(seed, count):
    rng = random.Random(seed)
    return [draw_program(rng) for _ in range(count)]
