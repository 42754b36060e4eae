"""The signature conformance suite's cases, generated from the signature table: for every
supported callable (in src/engine/signatures/pytorch-signatures.json and in the engine), each
overload called positionally, by keyword, mixed, with its optional parameters positionally,
with an unknown keyword and with a wrong type. One module for both sides: gen_conformance.py
builds the cases and runs them under real PyTorch (the fixture); conformance_driver.py runs
them under our `torch`. Arguments come from the samples below, chosen by parameter name and
type (the table says both), so that the calls are meaningful for the op."""
import math

# Sample tensors by name: shape, dtype, data.
TENSORS = {
    'x': ([2, 3], 'float32', [0.5, -1.25, 2.0, 3.5, -0.75, 1.5]),
    'y': ([2, 3], 'float32', [1.5, 0.25, -2.0, 0.5, 2.25, -1.0]),
    'm32': ([3, 2], 'float32', [1.0, -0.5, 0.25, 2.0, -1.5, 0.75]),
    'v3': ([3], 'float32', [1.0, -2.0, 0.5]),
    'v3b': ([3], 'float32', [0.25, 1.5, -1.0]),
    'v4': ([4], 'float32', [0.1, -0.2, 0.3, -0.4]),
    'w43': ([4, 3], 'float32', [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, -1.0, 1.1, 1.2]),
    'b3': ([2, 2, 3], 'float32', [0.5, 1.0, -1.5, 2.0, 0.25, -0.5, 1.25, -2.0, 0.75, 1.0, -0.25, 0.5]),
    'b32': ([2, 3, 2], 'float32', [1.0, 0.5, -0.5, 1.5, 2.0, -1.0, 0.25, 0.75, -1.25, 1.0, 0.5, -0.5]),
    'sq': ([2, 2], 'float32', [1.0, 2.0, 3.0, 4.0]),
    'mask': ([2, 3], 'bool', [True, False, True, False, False, True]),
    'idx': ([2, 3], 'int64', [0, 2, 1, 1, 0, 2]),
    'idx2': ([2], 'int64', [0, 2]),
    'cls': ([2], 'int64', [0, 2]),
    'p': ([2, 3], 'float32', [0.2, 0.7, 0.5, 0.9, 0.1, 0.4]),
    'q': ([2, 3], 'float32', [0.0, 1.0, 1.0, 0.0, 0.5, 1.0]),
    'w3': ([3], 'float32', [1.0, 2.0, 0.5]),
    'i23': ([2, 3], 'int64', [1, -2, 3, 0, 5, -1]),
}

# Per op: the sample of a parameter where the general choice wouldn't fit the op.
BY_OP = {
    'mm': {'mat2': 't:m32'}, 'matmul': {'other': 't:m32'}, 'mv': {'vec': 't:v3'},
    'dot': {'self': 't:v3', 'input': 't:v3', 'tensor': 't:v3b', 'other': 't:v3b'},
    'bmm': {'self': 't:b3', 'input': 't:b3', 'mat2': 't:b32'},
    'addmm': {'input': 't:sq', 'mat1': 't:x', 'mat2': 't:m32'},
    'gather': {'index': 't:idx'}, 'scatter_add': {'index': 't:idx', 'src': 't:y'}, 'index_select': {'index': 't:idx2'},
    'where': {'condition': 't:mask'}, 'masked_fill': {'mask': 't:mask'}, 'masked_fill_': {'mask': 't:mask'},
    'linear': {'weight': 't:w43', 'bias': 't:v4'},
    'cross_entropy': {'target': 't:cls', 'weight': 't:w3'}, 'nll_loss': {'target': 't:cls', 'weight': 't:w3'},
    'binary_cross_entropy': {'input': 't:p', 'target': 't:q'}, 'binary_cross_entropy_with_logits': {'target': 't:q', 'pos_weight': 't:w3'},
    'narrow': {'dim': 1, 'start': 0, 'length': 2}, 'select': {'dim': 1, 'index': 1},
    'view': {'size': [3, 2]}, 'reshape': {'shape': [3, 2]}, 'expand': {'size': [2, 3]}, 'permute': {'dims': [1, 0]},
    'unbind': {'dim': 0}, 'split': {'split_size': 1, 'dim': 0}, 'chunk': {'chunks': 2, 'dim': 1},
    'arange': {'start': 1, 'end': 5, 'step': 0.5}, 'linspace': {'start': 0, 'end': 1, 'steps': 5},
    'full': {'size': [2, 3], 'fill_value': 7}, 'full_like': {'fill_value': 2}, 'eye': {'n': 3, 'm': 2},
    'randint': {'low': 0, 'high': 10, 'size': [3]}, 'randperm': {'n': 5}, 'scalar_tensor': {'s': 3.5},
    'clamp_min': {'min': -0.5}, 'clamp_max': {'max': 0.5}, 'squeeze': {'dim': 0},
    'cross_entropy_loss': {}, 'Linear': {'in_features': 3, 'out_features': 4},
    'CrossEntropyLoss': {'weight': 't:w3'}, 'NLLLoss': {'weight': 't:w3'}, 'BCELoss': {'weight': 't:w3'},
    'BCEWithLogitsLoss': {'weight': 't:w3', 'pos_weight': 't:w3'},
    'StepLR': {'step_size': 2}, 'MultiStepLR': {'milestones': [1, 2]}, 'ExponentialLR': {'gamma': 0.5},
    'CosineAnnealingLR': {'T_max': 4, 'eta_min': 0.1}, 'OneCycleLR': {'max_lr': 1.0, 'total_steps': 5},
    'LinearLR': {'start_factor': 0.5, 'total_iters': 2}, 'ConstantLR': {'factor': 0.5, 'total_iters': 2},
    'PolynomialLR': {'total_iters': 3, 'power': 2.0}, 'ReduceLROnPlateau': {'factor': 0.5, 'patience': 0, 'mode': 'min'},
    'LambdaLR': {'lr_lambda': 'fn:halving'}, 'MultiplicativeLR': {'lr_lambda': 'fn:halving'},
    'kaiming_uniform_': {'nonlinearity': 'relu', 'mode': 'fan_in'}, 'kaiming_normal_': {'nonlinearity': 'relu', 'mode': 'fan_out'},
    'calculate_gain': {'nonlinearity': 'leaky_relu', 'param': 0.2},
}

# By parameter name, then by type: the general samples.
BY_NAME = {
    'input': 't:x', 'self': 't:x', 'other': 't:y', 'tensor1': 't:y', 'tensor2': 't:p', 'end': 't:y', 'target': 't:y',
    'tensors': ['t:x', 't:y'], 'tensor': 't:x', 'weight': 't:w43', 'params': 'params', 'optimizer': 'optimizer',
    'dim': 1, 'dim0': 0, 'dim1': 1, 'start_dim': 0, 'end_dim': -1, 'index': 1, 'start': 0, 'length': 1,
    'keepdim': True, 'unbiased': False, 'inplace': False, 'alpha': 2, 'value': 0.5, 'exponent': 2, 'mean': 0.5,
    'std': 2.0, 'from': -1.0, 'to': 1.0, 'rtol': 1e-5, 'atol': 1e-8, 'equal_nan': False, 'negative_slope': 0.1,
    'min': -0.5, 'max': 0.5, 'rounding_mode': 'floor', 'reduction': 'sum', 'dtype': 'dtype:float64',
    'data': [[1.0, 2.0], [3.0, 4.0]], 'size': [2, 3], 'p': 2, 'lr': 0.3, 'momentum': 0.9, 'dampening': 0.0,
    'weight_decay': 0.1, 'nesterov': False, 'betas': ('tuple', [0.8, 0.99]), 'eps': 1e-6, 'amsgrad': True,
    'gamma': 0.5, 'ignore_index': 1, 'label_smoothing': 0.1, 'bias': False, 'a': -1.0, 'b': 1.0, 'val': 0.5,
    'gain': 2.0, 'mode': 'fan_in', 'nonlinearity': 'relu', 'requires_grad': True, 'device': 'cpu',
    'in_features': 3, 'out_features': 4, 'set_to_none': False, 'pos_weight': 't:w3', 'lambd': 1e-4,
    'rho': 0.8, 'lr_decay': 0.01, 'initial_accumulator_value': 0.1, 'alphas': None, 'etas': ('tuple', [0.4, 1.3]),
    'step_sizes': ('tuple', [1e-5, 10.0]), 'centered': True, 'maximize': True, 'momentum_decay': 0.005, 't0': 100.0,
    'max_iter': 3, 'history_size': 5, 'tolerance_grad': 1e-6, 'tolerance_change': 1e-8, 'line_search_fn': None,
}
BY_TYPE = {'Tensor': 't:y', 'Scalar': 2, 'double': 0.5, 'int64_t': 1, 'SymInt': 1, 'bool': True, 'IntArrayRef': [1], 'SymIntArrayRef': [2, 3]}

# Parameters whose values need what the samples don't give (devices, generators, output tensors...).
SKIP_PARAMS = {'out', 'names', 'layout', 'pin_memory', 'memory_format', 'generator', 'non_blocking', 'copy', 'size_average',
               'reduce', 'foreach', 'capturable', 'differentiable', 'fused', 'last_epoch', 'verbose', '_stacklevel',
               'sparse', 'grad_outputs', 'retain_graph', 'create_graph', 'only_inputs', 'allow_unused', 'is_grads_batched',
               'correction', 'device', 'requires_grad', 'keep_vars', 'destination', 'prefix', 'recurse', 'remove_duplicate',
               'assign', 'strict', 'closure', 'epoch', 'metrics', 'cycle_momentum', 'three_phase', 'anneal_strategy',
               'div_factor', 'final_div_factor', 'pct_start', 'base_momentum', 'max_momentum', 'epochs', 'steps_per_epoch',
               'threshold', 'threshold_mode', 'cooldown', 'min_lr', 'end_factor', 'dtype_', 'param'}
SKIP_TYPES = {'Generator', 'Layout', 'MemoryFormat', 'Storage', 'Stream', 'QScheme', 'Dimname', 'DimnameList',
              'TensorList', 'c10::List<c10::optional<Tensor>>', 'ArrayRef<double>', 'ScalarList', 'Device'}

# Callables the suite leaves to other tests (autograd, files, hooks, printing state).
SKIP_CALLABLES = {
    'Tensor.backward', 'Tensor.register_hook', 'Tensor.retain_grad', 'Tensor.index_put_', 'Tensor.values', 'Tensor.tolist',
    'Tensor.requires_grad_', 'Tensor.detach_', 'torch.autograd.backward', 'torch.autograd.grad', 'torch.load', 'torch.save',
    'torch.set_printoptions', 'torch.seed', 'torch.initial_seed', 'torch.manual_seed', 'Tensor.storage_offset', 'Tensor.stride',
    'Tensor.element_size', 'torch.utils.tensorboard.SummaryWriter', 'torch.nn.Module', 'torch.nn.Sequential', 'torch.empty',
    'torch.empty_like', 'Tensor.type', 'Tensor.to', 'torch.get_default_dtype', 'torch.is_grad_enabled', 'torch.is_tensor',
    'torch.optim.SparseAdam', 'torch.optim.LBFGS',
}


def supported(table, engine_calls):
    """The table's callables the engine has and this suite calls."""
    out = []
    for key in sorted(table):
        if key not in engine_calls or key in SKIP_CALLABLES:
            continue
        if key.startswith(('torch.nn.Module.', 'torch.optim.Optimizer.', 'torch.utils.')) or key.endswith(('.forward', '.step')):
            continue
        if key.startswith('torch.optim.lr_scheduler.') and key.count('.') > 3:
            continue
        if key.startswith('torch.nn.') and not key.startswith(('torch.nn.functional.', 'torch.nn.init.')) and key.count('.') > 2:
            continue
        out.append(key)
    return out


# ------------------------------------------------------------------ the cases

def _sample(op, name, ptype):
    if name in BY_OP.get(op, {}):
        return True, BY_OP[op][name]
    if name in BY_NAME:
        return True, BY_NAME[name]
    if ptype in BY_TYPE:
        return True, BY_TYPE[ptype]
    return False, None


def native_params(sig_text):
    """(name, ctype, optional, kwonly) of one parser signature string."""
    inner = sig_text[sig_text.index('(') + 1:sig_text.rindex(')')]
    out = []
    kwonly = False
    for part in inner.split(', ') if inner else ():
        if part == '*':
            kwonly = True
            continue
        ctype, rest = part.split(' ', 1)
        ctype = ctype.replace('?', '').split('[')[0]
        name, eq, _ = rest.partition('=')
        out.append((name, ctype, bool(eq), kwonly))
    return out


def python_params(text):
    """(name, None, optional, kwonly) of a Python parameter list (self, *args and **kwargs left out)."""
    import ast
    fn = ast.parse('def f(%s): pass' % text).body[0].args
    positional = fn.posonlyargs + fn.args
    first_default = len(positional) - len(fn.defaults)
    out = [(a.arg, None, i >= first_default, False) for i, a in enumerate(positional) if a.arg != 'self']
    out += [(a.arg, None, d is not None, True) for a, d in zip(fn.kwonlyargs, fn.kw_defaults)]
    return out


def cases_for(key, entry):
    """The call forms of one callable."""
    op = key.rsplit('.', 1)[1]
    if key.startswith('Tensor.'):
        target, where = 'method', op
    elif key.startswith('torch.optim.lr_scheduler.'):
        target, where = 'scheduler', key
    elif key.startswith('torch.optim.'):
        target, where = 'optimizer', key
    elif key.startswith('torch.nn.') and op[:1].isupper():
        target, where = 'module', key
    else:
        target, where = 'function', key
    if 'native' in entry:
        overloads = [native_params(s) for s in entry['native']]
    elif 'python' in entry:
        if '*args' in entry['python'] or '**' in entry['python']:
            return []
        overloads = [python_params(entry['python'])]
    else:
        return []
    out = []
    seen = set()
    for n, params in enumerate(overloads):
        values = {}
        usable = True
        for name, ctype, optional, kwonly in params:
            if name in SKIP_PARAMS or (ctype in SKIP_TYPES and name not in BY_OP.get(op, {}) and name not in ('tensors',)):
                if not optional:
                    usable = False
                continue
            ok, v = _sample(op, name, ctype)
            if ok:
                values[name] = v
            elif not optional:
                usable = False
        if not usable:
            continue
        required = [(p[0], p[3]) for p in params if not p[2] and p[0] in values]
        optional = [(p[0], p[3]) for p in params if p[2] and p[0] in values]
        first_positional = [nm for nm, kw in required if not kw]

        def add(form, args, kwargs):
            sig = repr((args, sorted(kwargs.items())))
            if sig in seen:
                return
            seen.add(sig)
            out.append({'key': key, 'form': form, 'overload': n, 'target': target, 'where': where,
                        'self': BY_OP.get(op, {}).get('self', 't:x'), 'args': args, 'kwargs': kwargs})

        add('positional', [values[nm] for nm, kw in required if not kw], {nm: values[nm] for nm, kw in required if kw})
        add('keyword', [], {nm: values[nm] for nm, _ in required})
        if first_positional:
            add('mixed', [values[first_positional[0]]], {nm: values[nm] for nm, _ in required + optional if nm != first_positional[0]})
        # PyTorch's positional order: optional parameters given positionally stop at the first
        # one without a sample (a later one can't be reached positionally past it).
        positional_optional = []
        for name, ctype, opt, kwonly in params:
            if not opt or kwonly:
                continue
            if name not in values:
                break
            positional_optional.append(name)
        if positional_optional:
            add('optional positionally', [values[nm] for nm, kw in required if not kw] + [values[nm] for nm in positional_optional],
                {nm: values[nm] for nm, kw in required + optional if kw})
        add('unknown keyword', [values[nm] for nm, kw in required if not kw], dict({nm: values[nm] for nm, kw in required if kw}, bogus=1))
        # A wrong type is the parser's to reject; a Python-defined callable checks no types when
        # binding (its error comes from deep inside PyTorch's implementation, not its signature).
        if first_positional and 'native' in entry:
            wrong = [values[nm] for nm, kw in required if not kw]
            wrong[0] = 'not a value'
            add('wrong type', wrong, {nm: values[nm] for nm, kw in required if kw})
    return out


# ------------------------------------------------------------------ running a case

def halving(epoch):
    return 0.5 ** epoch


def decode(torch, v):
    if isinstance(v, str):
        if v.startswith('t:'):
            shape, dtype, data = TENSORS[v[2:]]
            return torch.tensor(data, dtype=getattr(torch, dtype)).reshape(shape)
        if v.startswith('dtype:'):
            return getattr(torch, v[6:])
        if v == 'fn:halving':
            return halving
        if v == 'params':
            return [decode(torch, 't:x').requires_grad_()]
        if v == 'optimizer':
            return torch.optim.SGD([decode(torch, 't:x').requires_grad_()], lr=1.0, momentum=0.9)
        return v
    if isinstance(v, tuple) and len(v) == 2 and v[0] == 'tuple':
        return tuple(decode(torch, e) for e in v[1])
    if isinstance(v, list):
        if len(v) == 2 and v[0] == 'tuple' and isinstance(v[1], list):
            return tuple(decode(torch, e) for e in v[1])
        return [decode(torch, e) for e in v]
    return v


def encode(torch, value):
    if isinstance(value, torch.Tensor):
        return {'tensor': spec(value)}
    if type(value).__module__ == 'torch.return_types':
        return {'pair': [spec(value[0]), spec(value[1])], 'type': type(value).__module__ + '.' + type(value).__name__}
    if isinstance(value, torch.Size):
        return {'size': list(value)}
    if isinstance(value, (list, tuple)):
        return {'list': [encode(torch, e) for e in value]}
    if isinstance(value, float):
        return {'float': number(value)}
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return {'value': value}
    if isinstance(value, torch.dtype):
        return {'dtype': str(value)}
    return {'repr': repr(value)}


def number(x):
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def spec(t):
    name = str(t.dtype).replace('torch.', '')
    flat = []

    def walk(e):
        if isinstance(e, list):
            for x in e:
                walk(x)
        else:
            flat.append(bool(e) if name == 'bool' else int(e) if name == 'int64' else number(float(e)))
    walk(t.detach().tolist())
    return {'dtype': name, 'shape': list(t.shape), 'data': flat}


def call(fn, args, kwargs):
    """fn(*args, k=v...) with keyword syntax, as a learner writes it (CPython words some errors
    differently for f(**kwargs))."""
    source = 'fn(*args%s)' % ''.join(', %s=kwargs[%r]' % (k, k) for k in kwargs)
    return eval(source, {'fn': fn, 'args': args, 'kwargs': kwargs})  # noqa: S307 - keyword names from our own cases


def run_case(torch, case):
    """What a case gives: {'result': ...} or {'error': type, 'message': ...}."""
    torch.manual_seed(0)
    try:
        args = [decode(torch, a) for a in case['args']]
        kwargs = {k: decode(torch, v) for k, v in case['kwargs'].items()}
        target = case['target']
        if target == 'method':
            self = decode(torch, case['self'])
            out = call(getattr(self, case['where']), args, kwargs)
            return {'result': encode(torch, out)}
        fn = torch
        for part in case['where'].split('.')[1:]:
            fn = getattr(fn, part)
        out = call(fn, args, kwargs)
        if target == 'module':
            return {'result': {'repr': repr(out)}}
        if target == 'optimizer':
            return {'result': {'groups': [{k: encode(torch, v) for k, v in g.items() if k != 'params'} for g in out.param_groups]}}
        if target == 'scheduler':
            opt = out.optimizer
            lrs = []
            for step in range(3):
                opt.step()
                if case['where'].endswith('ReduceLROnPlateau'):
                    out.step(1.0)
                else:
                    out.step()
                lrs.append([number(g['lr']) for g in opt.param_groups])
            return {'result': {'lrs': lrs}}
        return {'result': encode(torch, out)}
    except Exception as e:  # noqa: BLE001 - the error is the result
        return {'error': type(e).__name__, 'message': str(e)}
