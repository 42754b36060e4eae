"""Writes src/engine/signatures/pytorch-signatures.json: the signature of every callable the Python
layer offers, as PyTorch describes it. Run with Debian's python3-torch (the oracle):

    /usr/bin/python3 src/runner/child/python/gen_signatures.py

Two kinds of callables, as PyTorch itself has:
- "native": bound by PyTorch's C++ argument parser (torch.*, Tensor methods, torch._C._nn). The
  table keeps the parser's own signature strings, e.g.
  `sum(Tensor input, IntArrayRef[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor out=None)`,
  in the parser's order (the order it tries them). Which overloads are visible and their order
  come from the oracle's own "expected one of" messages; each is matched to the full string
  (defaults, `?` for None, `[1]` for an int list that takes a single int) that torchgen builds
  from the oracle's native_functions.yaml.
- "python": a Python function or class (nn modules, optimizers, schedulers, nn.functional,
  autograd...), bound by Python's own rules: its parameter list from inspect.signature.
Entries of pytorch2_overrides.py replace the oracle's where PyTorch 2.x differs (each says why)."""
import ast
import inspect
import json
import os
import re
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init
import torch.optim as optim
import torch.optim.lr_scheduler as lr_scheduler
import torch.autograd
from torchgen.api.python import signature as torchgen_signature
from torchgen.gen import parse_native_yaml
from torchgen.model import Variant

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pytorch2_overrides as OVERRIDES  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', '..', 'engine', 'signatures', 'pytorch-signatures.json')
# The same data for the Python layer, which reads no files outside its package.
PY_OUT = os.path.join(HERE, 'py', 'torch', '_pytorch_signatures.py')
NATIVE_YAML = os.path.join(os.path.dirname(__import__('torchgen').__file__), 'packaged', 'ATen', 'native')

# The parser's type names in its messages, by the C++ type of its signature strings (1.13's words).
TYPE_NAMES = {
    'Tensor': 'Tensor', 'Scalar': 'Number', 'int64_t': 'int', 'SymInt': 'SymInt', 'double': 'float',
    'complex': 'complex', 'TensorList': 'tuple of Tensors', 'c10::List<c10::optional<Tensor>>': 'tuple of Tensors',
    'IntArrayRef': 'tuple of ints', 'SymIntArrayRef': 'tuple of SymInts', 'ArrayRef<double>': 'tuple of floats',
    'Generator': 'torch.Generator', 'bool': 'bool', 'Storage': 'torch.Storage', 'PyObject*': 'object',
    'ScalarType': 'torch.dtype', 'Layout': 'torch.layout', 'MemoryFormat': 'torch.memory_format',
    'QScheme': 'torch.qscheme', 'Device': 'torch.device', 'Stream': 'Stream', 'std::string': 'str',
    'c10::string_view': 'str', 'Dimname': 'name', 'DimnameList': 'tuple of names', 'ScalarList': 'tuple of Scalars',
}

class o:  # noqa: N801 - the probe argument: its type name is one letter long, because the
    pass    # parser cuts its messages at 1023 characters and the options must fit


PROBE = o()


def parser_to_string(sig):
    """What the parser prints for one of its signature strings (FunctionSignature::toString)."""
    inner = sig[sig.index('(') + 1:sig.rindex(')')]
    parts = []
    for param in [p for p in inner.split(', ') if p]:
        if param == '*':
            parts.append('*')
            continue
        ctype, name = param.split(' ', 1)
        ctype = re.sub(r'\[\d*\]', '', ctype.rstrip('?')).rstrip('?')
        parts.append('%s %s' % (TYPE_NAMES[ctype], name.split('=')[0]))
    return '(' + ', '.join(parts) + ')'


def elicit(fn, *before):
    """The oracle's list of visible signatures for fn (as printed), or None when it has one
    signature (the parser then raises a specific error instead of listing its options)."""
    try:
        fn(*before, *([PROBE] * 40))
    except TypeError as e:
        message = str(e)
    except Exception:  # noqa: BLE001 - not parser-bound
        return None
    else:
        return None
    if ', but expected one of:\n' in message:
        lines = message.split(', but expected one of:\n', 1)[1].split('\n')
        return [line[3:] for line in lines if line.startswith(' * ')]
    if ', but expected (' in message:
        return [message.split(', but expected ', 1)[1]]
    return None


def parser_name_from_error(fn, *before):
    try:
        fn(*before, *([PROBE] * 40))
    except TypeError as e:
        m = re.match(r'(\w+)\(\)', str(e))
        return m.group(1) if m else None
    except Exception:  # noqa: BLE001
        return None
    return None


def takes_no_arguments(fn, *before):
    """A C method without the parser (METH_NOARGS): Python itself rejects any argument."""
    try:
        fn(*before, *([PROBE] * 40))
    except TypeError as e:
        return str(e).endswith('takes no arguments (40 given)')
    except Exception:  # noqa: BLE001
        return False
    return False


def load_torchgen():
    """name -> {'function': [strings], 'method': [strings]} from native_functions.yaml."""
    parsed = parse_native_yaml(os.path.join(NATIVE_YAML, 'native_functions.yaml'), os.path.join(NATIVE_YAML, 'tags.yaml'))
    out = {}
    for f in parsed.native_functions:
        name = str(f.func.name.name)
        entry = out.setdefault(name, {'function': [], 'method': [], 'nn': []})
        for method in (False, True):
            if method and Variant.method not in f.variants:
                continue
            if not method and Variant.function not in f.variants:
                continue
            try:
                s = torchgen_signature(f, method=method).signature_str()
            except Exception:  # noqa: BLE001 - a schema torchgen can't express in Python
                continue
            kind = 'method' if method else ('nn' if f.python_module == 'nn' else 'function')
            entry[kind].append(s)
    return out


def match(name, printed, candidates, key):
    """The full signature strings for the printed ones, in the printed (parser) order."""
    by_print = {}
    for s in candidates:
        by_print.setdefault(parser_to_string(s), s)
    out = []
    for p in printed:
        s = by_print.get(p)
        if s is None:
            return None  # a hand-written binding: the override list must give it
        out.append(s.replace(s[:s.index('(')], name, 1) if not s.startswith(name + '(') else s)
    return out


def single(name, candidates, fn, before):
    """A one-signature function: the native_functions.yaml overload its messages describe (the
    positional count of "takes N positional arguments", the type of position 1), grouped with
    its out= form as the parser groups them."""
    plain = [s for s in candidates if 'Tensor out=None' not in s and 'TensorList[' not in s.split('*')[-1]]
    limits = None
    try:
        fn(*before, *([PROBE] * 40))
    except TypeError as e:
        m = re.search(r'takes (?:from (\d+) to )?(\d+) positional', str(e))
        if m:
            limits = int(m.group(2))
    first = None
    plain = [s for s in plain if limits is None or fits_count(s, limits)]
    if len(plain) < 2:
        return grouped_with_out(plain, candidates)
    try:
        fn(*before, PROBE)  # only where needed: a call the parser accepts would run the op
    except TypeError as e:
        m = re.search(r"argument '(\w+)' \(position 1\) must be (.+), not o$", str(e))
        if m:
            first = '%s %s' % (m.group(2), m.group(1))
    except Exception:  # noqa: BLE001
        pass

    def fits(s):
        positional = positional_of(s)
        return first is None or (positional and positional[0] == first)

    return grouped_with_out([s for s in plain if fits(s)], candidates)


def positional_of(s):
    printed = parser_to_string(s)[1:-1].split(', ')
    return [p for p in (printed[:printed.index('*')] if '*' in printed else printed) if p]


def fits_count(s, limit):
    return len(positional_of(s)) == limit


def grouped_with_out(plain, candidates):
    if len(plain) != 1:
        return None
    grouped = [s for s in candidates if s != plain[0] and re.sub(r'(, \*)?, Tensor out=None', '', s) == plain[0]]
    return [grouped[0] if grouped else plain[0]]


def python_params(obj, drop_annotations=True):
    sig = inspect.signature(obj)
    params = []
    for p in sig.parameters.values():
        if drop_annotations:
            p = p.replace(annotation=inspect.Parameter.empty)
        if p.default is not inspect.Parameter.empty:
            try:
                ast.literal_eval(repr(p.default))
            except (ValueError, SyntaxError):
                return None  # a default that is not a literal: the override list must give it
        params.append(p)
    # str() of the whole signature keeps the `*` and `/` markers that the parameters alone lack.
    return str(sig.replace(parameters=params, return_annotation=inspect.Signature.empty))[1:-1]


def main():
    warnings.simplefilter('ignore')
    torchgen = load_torchgen()
    table = {}
    skipped = []

    def native(key, fn, namespace, before=()):
        if key in OVERRIDES.NATIVE:
            table[key] = {'native': OVERRIDES.NATIVE[key]['signatures']}
            return
        name = parser_name_from_error(fn, *before)
        if name is None:
            if takes_no_arguments(fn, *before):
                table[key] = {'native': ['%s()' % key.rsplit('.', 1)[1]], 'noargs': True}
            else:
                skipped.append(key)
            return
        printed = elicit(fn, *before)
        candidates = torchgen.get(name, {}).get(namespace, [])
        if namespace == 'function':
            candidates = candidates + torchgen.get(name, {}).get('nn', [])
        if printed is not None:
            sigs = match(name, printed, candidates, key)
            if sigs is None:
                skipped.append(key)
                return
        else:
            sigs = single(name, candidates, fn, before)
            if sigs is None:
                skipped.append(key)
                return
        table[key] = {'native': sigs}

    def python(key, obj, qualname):
        if key in OVERRIDES.PYTHON:
            table[key] = {'python': OVERRIDES.PYTHON[key]['params'], 'qualname': qualname}
            if OVERRIDES.PYTHON[key].get('pass_defaults'):
                table[key]['passDefaults'] = OVERRIDES.PYTHON[key]['pass_defaults']
            return
        try:
            params = python_params(obj)
        except (ValueError, TypeError):
            params = None
        if params is None:
            skipped.append(key)
            return
        table[key] = {'python': params, 'qualname': qualname}

    # torch.*
    for name in sorted(dir(torch)):
        if name.startswith('_'):
            continue
        fn = getattr(torch, name)
        if inspect.isclass(fn) or inspect.ismodule(fn) or not callable(fn):
            continue
        if type(fn).__name__ == 'builtin_function_or_method':
            native('torch.' + name, fn, 'function')
        elif inspect.isfunction(fn):
            python('torch.' + name, fn, fn.__name__)

    # Tensor methods (C++ and Python ones)
    sample = torch.zeros(1)
    for name in sorted(dir(torch.Tensor)):
        if name.startswith('_') and not (name.startswith('__') and name[2:-2] in {d[2:-2] for d in OVERRIDES.DUNDERS}):
            continue
        member = inspect.getattr_static(torch.Tensor, name)
        fn = getattr(torch.Tensor, name)
        if name in OVERRIDES.DUNDERS:
            target = 'Tensor.' + OVERRIDES.DUNDERS[name]
            table['Tensor.' + name] = {'operator': target}
            continue
        if type(member).__name__ == 'method_descriptor':
            native('Tensor.' + name, fn, 'method', (sample,))
        elif inspect.isfunction(member):
            python('Tensor.' + name, fn, 'Tensor.' + name)
    # the operators' targets, when their own names are private or absent
    for name, target in OVERRIDES.DUNDERS.items():
        if 'Tensor.' + target not in table and hasattr(torch.Tensor, target):
            native('Tensor.' + target, getattr(torch.Tensor, target), 'method', (sample,))

    # torch.nn.functional
    for name in sorted(dir(F)):
        fn = getattr(F, name)
        if name.startswith('_') or inspect.isclass(fn) or inspect.ismodule(fn) or not callable(fn):
            continue
        if getattr(fn, '__module__', None) not in ('torch.nn.functional', 'torch._C._nn', 'torch', None) and type(fn).__name__ != 'builtin_function_or_method':
            continue
        if type(fn).__name__ == 'builtin_function_or_method':
            native('torch.nn.functional.' + name, fn, 'function')
        elif inspect.isfunction(fn):
            python('torch.nn.functional.' + name, fn, fn.__name__)

    # torch.nn modules: constructor and forward
    for name in sorted(dir(nn)):
        cls = getattr(nn, name)
        if not (inspect.isclass(cls) and issubclass(cls, nn.Module)):
            continue
        python('torch.nn.' + name, cls.__init__, cls.__init__.__qualname__)
        if cls.forward is not nn.Module.forward:
            python('torch.nn.%s.forward' % name, cls.forward, name + '.forward')
    for name in sorted(vars(nn.Module)):
        member = vars(nn.Module)[name]
        if not name.startswith('_') and inspect.isfunction(member):
            python('torch.nn.Module.' + name, member, 'Module.' + name)

    # torch.nn.init
    for name in sorted(dir(torch.nn.init)):
        fn = getattr(torch.nn.init, name)
        if not name.startswith('_') and inspect.isfunction(fn) and fn.__module__ == 'torch.nn.init':
            python('torch.nn.init.' + name, fn, fn.__name__)

    # torch.optim: optimizers and the Optimizer methods
    for name in sorted(dir(optim)):
        cls = getattr(optim, name)
        if inspect.isclass(cls) and issubclass(cls, optim.Optimizer) and cls is not optim.Optimizer:
            python('torch.optim.' + name, cls.__init__, name + '.__init__')
            if cls.step is not optim.Optimizer.step:
                python('torch.optim.%s.step' % name, cls.step, name + '.step')
    for name in ('zero_grad', 'step', 'add_param_group', 'state_dict', 'load_state_dict'):
        python('torch.optim.Optimizer.' + name, getattr(optim.Optimizer, name), 'Optimizer.' + name)

    # torch.optim.lr_scheduler
    for name in sorted(dir(lr_scheduler)):
        cls = getattr(lr_scheduler, name)
        if inspect.isclass(cls) and cls.__module__ == lr_scheduler.__name__ and not name.startswith('_') and name != 'Optimizer':
            python('torch.optim.lr_scheduler.' + name, cls.__init__, name + '.__init__')
            for method in ('step', 'get_last_lr', 'state_dict', 'load_state_dict'):
                if hasattr(cls, method):
                    python('torch.optim.lr_scheduler.%s.%s' % (name, method), getattr(cls, method), '%s.%s' % (name, method))

    # torch.autograd
    for name in ('grad', 'backward'):
        python('torch.autograd.' + name, getattr(torch.autograd, name), name)

    # torch.utils.tensorboard.SummaryWriter (its module needs the tensorboard package: read the source)
    writer = summary_writer()
    if writer is not None:
        for method, (qualname, params) in writer.items():
            table['torch.utils.tensorboard.SummaryWriter' + ('' if method == '__init__' else '.' + method)] = {'python': params, 'qualname': qualname}

    out = {
        'about': 'PyTorch signatures of every callable the Python layer offers; written by src/runner/child/python/gen_signatures.py, do not edit.',
        'oracle': 'torch %s (Debian python3-torch), with the PyTorch 2.x differences of pytorch2_overrides.py' % torch.__version__,
        # The parser's words for each type in its messages, as PyTorch 2.x prints them.
        'typeNames': dict(TYPE_NAMES, **{k: v[1] for k, v in OVERRIDES.TYPE_NAMES_2X.items()}),
        'callables': dict(sorted(table.items())),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    text = json.dumps(out, indent=0)
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text + '\n')
    write_python_form(PY_OUT, text)
    print('%d callables written to %s; %d without a describable signature: %s'
          % (len(table), os.path.normpath(OUT), len(skipped), ' '.join(skipped)))


def write_python_form(path, text):
    assert "'''" not in text and not text.endswith('\\')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('"""Generated by gen_signatures.py from src/engine/signatures/pytorch-signatures.json; do not edit."""\n')
        f.write("TEXT = r'''" + text + "'''\n")


def summary_writer():
    """SummaryWriter's public methods, read from its source with ast: importing it needs the
    tensorboard package, which Debian's torch does not bring."""
    path = os.path.join(os.path.dirname(torch.__file__), 'utils', 'tensorboard', 'writer.py')
    if not os.path.exists(path):
        return None
    tree = ast.parse(open(path, encoding='utf-8').read())
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == 'SummaryWriter':
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and (not item.name.startswith('_') or item.name == '__init__'):
                    args = item.args
                    for d in args.defaults + args.kw_defaults:
                        if d is not None:
                            ast.literal_eval(d)
                    for a in args.args + args.kwonlyargs + ([args.vararg] if args.vararg else []) + ([args.kwarg] if args.kwarg else []):
                        a.annotation = None
                    out[item.name] = ('SummaryWriter.' + item.name, ast.unparse(args))
    return out


if __name__ == '__main__':
    main()
