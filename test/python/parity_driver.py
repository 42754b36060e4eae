"""The parity fixtures (test/fixtures/parity-*.json, written by PyTorch 1.13) replayed through the
Python path: this file runs as a learner's script under the runner (Pyodide + the `torch` layer
over the engine) and prints one JSON line per case with what our `torch` produced. The
autograd and errors cases run their recorded Python source verbatim, with the scope their
generators gave it; the call cases (ops, broadcast, nn) are replayed the way
test/parity/common.py's invoke() made them; the optimizers and schedulers are built and stepped
through `torch.optim` as test/parity/gen_optim.py and gen_schedulers.py stepped them.
test/python/parity.test.ts compares the lines with the fixtures, under the same tolerance as the
TypeScript parity tests. All areas share one process: the engine hands every warning to Python's
`warnings` module, whose filters decide what each case sees."""
import json
import math
import os
import re
import sys
import warnings

import torch

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures')
DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'int64': torch.int64, 'bool': torch.bool}


def load(area):
    with open(os.path.join(FIXTURES, 'parity-%s.json' % area), encoding='utf-8') as f:
        return json.load(f)


# ------------------------------------------------------------------ encoding (common.py's spec)

def number(x):
    x = float(x)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def nested(v, dtype):
    if isinstance(v, list):
        return [nested(e, dtype) for e in v]
    if dtype == 'bool':
        return bool(v)
    if dtype == 'int64':
        return int(v)
    return number(v)


def spec(t):
    if t is None:
        return None
    name = repr(t.dtype).replace('torch.', '')
    out = {'dtype': name, 'shape': list(t.shape), 'data': nested(t.detach().tolist(), name)}
    out['requires_grad'] = t.requires_grad
    out['grad_fn'] = None if t.grad_fn is None else type(t.grad_fn).__name__
    return out


def value(v):
    if isinstance(v, torch.Tensor):
        return spec(v)
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return number(v)
    if isinstance(v, (list, tuple)):
        return [value(e) for e in v]
    if isinstance(v, dict):
        return {str(k): value(e) for k, e in v.items()}
    return 'unencodable %s' % type(v).__name__


def error(e):
    return {'type': type(e).__name__, 'message': str(e)}


def emit(area, key, **fields):
    sys.stdout.write(json.dumps({'area': area, 'key': key, **fields}, allow_nan=False) + '\n')


# ------------------------------------------------------------------ decoding and calls

def decode(v):
    if isinstance(v, list):
        return [decode(e) for e in v]
    return float(v) if isinstance(v, str) else v


def make(s, requires_grad=None):
    shape = s['shape']
    if 0 in shape:
        t = torch.zeros(*shape, dtype=DTYPES[s['dtype']]) if shape else torch.zeros((), dtype=DTYPES[s['dtype']])
    else:
        t = torch.tensor(decode(s['data']), dtype=DTYPES[s['dtype']])
    if s.get('requires_grad') if requires_grad is None else requires_grad:
        t.requires_grad_()
    return t


def resolve(arg, env):
    if isinstance(arg, dict):
        if 'tensor' in arg:
            return env[arg['tensor']]
        return float(arg['number'])
    if isinstance(arg, list):
        return [resolve(a, env) for a in arg]
    return arg


def invoke(c, env):
    args = [resolve(a, env) for a in c['args']]
    kwargs = {k: resolve(v, env) for k, v in (c.get('kwargs') or {}).items()}
    if c['call'] == 'method':
        return getattr(args[0], c['op'])(*args[1:], **kwargs)
    fn = torch
    for part in c['op'].split('.'):
        fn = getattr(fn, part)
    return fn(*args, **kwargs)


def outputs_of(result, c):
    if c['returns'] == 'tensor':
        return [result]
    if c.get('fields'):
        return [getattr(result, f) for f in c['fields']]
    return list(result)


def run_call(area, key, c, call):
    """Forward (outputs with requires_grad and grad_fn), then backward with the recorded
    upstream gradient and the inputs' (and parameters') gradients."""
    out = {}
    try:
        env = {k: make(s) for k, s in c['inputs'].items()}
        outs = outputs_of(call(env), c)
        out['outputs'] = [spec(o) if isinstance(o, torch.Tensor) else value(o) for o in outs]
        if c.get('upstream'):
            outs[c['upstream']['output']].backward(make(c['upstream']['grad'], False))
            out['grads'] = {name: spec(env[name].grad) for name in (c.get('grads') or {})}
    except Exception as e:  # noqa: BLE001 - reported, the test names the case
        out['error'] = error(e)
    emit(area, key, **out)
    return out


# ------------------------------------------------------------------ the areas

def call_areas():
    """ops and broadcast"""
    for area in ('ops', 'broadcast'):
        for i, c in enumerate(load(area)['cases']):
            run_call(area, i, c, lambda env, c=c: invoke(c, env))


def nn_cases():
    for i, c in enumerate(load('nn')['cases']):
        if c['kind'] == 'call':
            run_call('nn', i, c, lambda env, c=c: invoke(c, env))
        elif c['kind'] == 'module':
            holder = {}

            def call(env, c=c):
                args = [resolve(a, env) for a in c['module_args']]
                kwargs = {k: resolve(v, env) for k, v in c['module_kwargs'].items()}
                module = getattr(torch.nn, c['module'])(*args, **kwargs)
                with torch.no_grad():
                    for name, s in (c.get('parameters') or {}).items():
                        getattr(module, name).copy_(make(s, False))
                holder['module'] = module
                return module(*[resolve(a, env) for a in c['args']])

            out = run_call('nn', '%d:module' % i, c, call)
            if 'module' in holder and 'error' not in out and c.get('parameter_grads'):
                grads = {name: spec(getattr(holder['module'], name).grad) for name in c['parameter_grads']}
                emit('nn', '%d:parameter_grads' % i, grads=grads)


def strip_triggered(message):
    return re.sub(r" \(Triggered internally at .*\)$", "", message, flags=re.S)


def graph(fn):
    if fn is None:
        return None
    return {'name': type(fn).__name__, 'next': [[graph(f), nr] for f, nr in fn.next_functions]}


def tensor_meta(t):
    return {'requires_grad': t.requires_grad, 'is_leaf': t.is_leaf, 'grad_fn': None if t.grad_fn is None else type(t.grad_fn).__name__}


def autograd_cases():
    fixture = load('autograd')
    for c in fixture['cases']:
        expected = {}
        scope = {'torch': torch, 'T_C': fixture['t_c'], 'T_U': fixture['t_u'], 'graph': graph, 'tensor_meta': tensor_meta,
                 'warnings': warnings, 'strip_triggered': strip_triggered, 'expected': expected}
        try:
            exec(c['python'], scope)  # noqa: S102 - the fixture's own script
            emit('autograd', c['id'], expected=value(expected))
        except Exception as e:  # noqa: BLE001
            emit('autograd', c['id'], error=error(e))


def error_cases():
    for c in load('errors')['cases']:
        expected = {}
        scope = {'torch': torch, 'expected': expected}
        raised = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            try:
                exec(c['python'], scope)  # noqa: S102 - the fixture's own script
            except Exception as e:  # noqa: BLE001 - what was raised is the result
                raised = error(e)
        seen = [{'category': w.category.__name__, 'message': strip_triggered(str(w.message))} for w in caught]
        emit('errors', c['id'], raised=raised, warnings=seen, expected=value(expected))


def optim_problem(problem):
    """The optim fixture's parameters and loss (test/parity/gen_optim.py's docstring defines it)."""
    params = [torch.tensor(v, requires_grad=True) for v in problem['initial']]
    target = [torch.tensor(v) for v in problem['target']]
    weight = [torch.tensor(v) for v in problem['weight']]

    def loss_fn():
        loss = None
        for p, t, w in zip(params, target, weight):
            term = ((p - t) ** 2 * w).sum() + p.sin().sum()
            loss = term if loss is None else loss + term
        return loss

    return params, loss_fn


def optim_cases():
    """Each optimizer through `torch.optim`, stepped as the generator stepped it: the loss before
    each step (LBFGS: what step(closure) returned too), the parameters after it, and the final
    state_dict()."""
    fixture = load('optim')
    for i, c in enumerate(fixture['cases']):
        out = {}
        params, loss_fn = optim_problem(fixture['problem'])
        try:
            arg = params
            if c.get('param_groups_spec'):
                arg = [{**g, 'params': [params[k] for k in g['params']]} for g in c['param_groups_spec']]
            opt = getattr(torch.optim, c['optimizer'])(arg, **c['kwargs'])
            if c.get('error'):
                loss_fn().backward()
                try:
                    opt.step()
                    out['raised'] = None
                except Exception as e:  # noqa: BLE001 - what was raised is the result
                    out['raised'] = error(e)
                emit('optim', i, **out)
                continue

            def closure():
                opt.zero_grad()
                loss = loss_fn()
                loss.backward()
                return loss

            out.update(losses=[], step_returns=[], params=[])
            for _ in range(c.get('steps') or fixture['steps']):
                if c['optimizer'] == 'LBFGS':
                    with torch.no_grad():
                        out['losses'].append(number(loss_fn()))
                    out['step_returns'].append(number(opt.step(closure)))
                else:
                    out['losses'].append(number(closure()))
                    opt.step()
                out['params'].append([spec(p) for p in params])
            state = opt.state_dict()
            out['state'] = value(state['state'])
            out['param_groups'] = value(state['param_groups'])
        except Exception as e:  # noqa: BLE001 - reported, the test names the case
            out['error'] = error(e)
        emit('optim', i, **out)


LR_LAMBDAS = {'0.95 ** epoch': lambda epoch: 0.95 ** epoch, '1 / (1 + epoch)': lambda epoch: 1 / (1 + epoch)}


def momentum_of(opt):
    return [g['betas'][0] if 'betas' in g else g.get('momentum') for g in opt.param_groups]


def scheduler_cases():
    """Each scheduler through `torch.optim.lr_scheduler`: every group's lr (and momentum) after
    construction and after each { optimizer.step(); scheduler.step() }, and get_last_lr()."""
    fixture = load('schedulers')
    for i, c in enumerate(fixture['cases']):
        out = {}
        try:
            if c.get('group_lrs'):
                params = [{'params': [torch.zeros(2, requires_grad=True)], 'lr': lr} for lr in c['group_lrs']]
            else:
                params = [torch.zeros(2, requires_grad=True)]
            opt = getattr(torch.optim, c['optimizer']['name'])(params, **c['optimizer']['kwargs'])
            kwargs = dict(c['kwargs'])
            if 'lr_lambda' in kwargs:
                kwargs['lr_lambda'] = LR_LAMBDAS[kwargs['lr_lambda']]
            sched = getattr(torch.optim.lr_scheduler, c['scheduler'])(opt, **kwargs)
            plateau = c['scheduler'] == 'ReduceLROnPlateau'
            out.update(lrs=[[g['lr'] for g in opt.param_groups]], last_lrs=[], momentum=[momentum_of(opt)])
            for step in range(fixture['steps']):
                opt.step()
                if c.get('metrics'):
                    sched.step(c['metrics'][step])
                else:
                    sched.step()
                out['lrs'].append([g['lr'] for g in opt.param_groups])
                if not plateau:
                    out['last_lrs'].append(sched.get_last_lr())
                out['momentum'].append(momentum_of(opt))
            out = value(out)
        except Exception as e:  # noqa: BLE001 - reported, the test names the case
            out = {'error': error(e)}
        emit('schedulers', i, **out)


AREAS = {'ops': call_areas, 'nn': nn_cases, 'autograd': autograd_cases, 'errors': error_cases,
         'optim': optim_cases, 'schedulers': scheduler_cases}


def main(areas):
    for area in areas:
        AREAS[area]()


if __name__ == '__main__':
    main(sys.argv[1:] or list(AREAS))
