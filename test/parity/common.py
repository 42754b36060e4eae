"""Shared helpers of the parity fixture generators (test/parity/gen_*.py).

Run the generators with an interpreter that has PyTorch 1.13 (`npm run parity:generate`, or
`/usr/bin/python3 test/parity/generate.py`). Every expected value comes from the real PyTorch.

Encoding used in every test/fixtures/parity-*.json file
-------------------------------------------------------
A tensor is {"dtype": "float32"|"float64"|"int64"|"bool", "shape": [...], "data": nested lists}.
Float values are written so that JavaScript reads back the identical number: float32 values as
their shortest float32 spelling (checked to survive parse-as-double-then-Math.fround), float64
values as Python's repr (which round-trips), and the non-finite values as the strings "nan",
"inf", "-inf". A 0-dim tensor has shape [] and a bare number as data.

A call (ops, broadcast, nn) is data that a generic driver replays:
  "call": "method"     -> args[0] is the tensor the method is called on: self.<op>(*args[1:])
  "call": "function"   -> torch.<op>(*args)
  "kwargs": {...}      -> PyTorch keyword arguments; the TypeScript engine takes them as one
                          trailing options object.
An argument is a JSON literal, a list of arguments, {"tensor": "<input name>"} (one of the
case's inputs) or {"number": "nan"|"inf"|"-inf"} (a non-finite Python float).
"""

import json
import math
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}
DTYPE_NAMES = {v: k for k, v in DTYPES.items()}

# ----------------------------------------------------------------------------------------------
# encoding
# ----------------------------------------------------------------------------------------------


def encode_float(x, dtype="float64"):
    """A Python float as a JSON value JavaScript parses back to the identical number."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if dtype == "float32":
        short = repr(np.float32(x))
        if not short.startswith("np.") and np.float32(float(short)) == np.float32(x):
            number = float(short)
            if number.is_integer() and not (number == 0 and math.copysign(1, number) < 0) and abs(number) < 2**53:
                return int(number)
            return number
    if x.is_integer() and not (x == 0 and math.copysign(1, x) < 0) and abs(x) < 2**53:
        return int(x)
    return x


def _encode_nested(v, dtype):
    if isinstance(v, list):
        return [_encode_nested(e, dtype) for e in v]
    if dtype == "bool":
        return bool(v)
    if dtype == "int64":
        return int(v)
    return encode_float(v, dtype)


def spec(t):
    """A tensor as {"dtype", "shape", "data"} (values only: no autograd metadata)."""
    if t is None:
        return None
    t = t.detach()
    dtype = DTYPE_NAMES[t.dtype]
    return {"dtype": dtype, "shape": list(t.shape), "data": _encode_nested(t.tolist(), dtype)}


def value(v):
    """Any result worth recording (tensor, number, list, tuple, dict, None) as JSON data."""
    if isinstance(v, torch.Tensor):
        return spec(v)
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return encode_float(v)
    if isinstance(v, (list, tuple)):
        return [value(e) for e in v]
    if isinstance(v, dict):
        return {str(k): value(e) for k, e in v.items()}
    raise TypeError("cannot encode {!r}".format(v))


def decode_number(v):
    if isinstance(v, str):
        return float(v)
    return v


def make_tensor(s, requires_grad=False):
    """The inverse of spec()."""
    data = s["data"]

    def dec(v):
        if isinstance(v, list):
            return [dec(e) for e in v]
        return decode_number(v)

    t = torch.tensor(dec(data), dtype=DTYPES[s["dtype"]]).reshape(s["shape"])
    if requires_grad:
        t.requires_grad_()
    return t


# ----------------------------------------------------------------------------------------------
# deterministic inputs
# ----------------------------------------------------------------------------------------------


class Inputs:
    """Seeded random inputs, rounded to their dtype; no value closer than `gap` to the points
    where a derivative is undefined is the caller's business (pass low/high/away)."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def randn(self, *shape, dtype="float32", scale=1.0, away=None):
        data = self.rng.standard_normal(shape) * scale
        if away is not None:  # push values at least `away` from 0
            data = np.where(np.abs(data) < away, np.sign(data + 1e-12) * (away + np.abs(data)), data)
        return torch.tensor(np.round(data, 4), dtype=DTYPES[dtype])

    def uniform(self, low, high, *shape, dtype="float32"):
        data = self.rng.uniform(low, high, shape)
        return torch.tensor(np.round(data, 4), dtype=DTYPES[dtype])

    def distinct(self, *shape, dtype="float32", scale=1.0):
        """Values without ties (for max/min/argmax and maximum/minimum)."""
        n = int(np.prod(shape)) if shape else 1
        data = (self.rng.permutation(n) - n / 2 + self.rng.uniform(0.05, 0.45, n)) * scale
        return torch.tensor(np.round(data, 4), dtype=DTYPES[dtype]).reshape(shape)

    def ints(self, low, high, *shape):
        return torch.tensor(self.rng.integers(low, high, shape), dtype=torch.int64)

    def mask(self, *shape):
        return torch.tensor(self.rng.uniform(0, 1, shape) < 0.4)


# ----------------------------------------------------------------------------------------------
# generic calls
# ----------------------------------------------------------------------------------------------


def resolve(arg, env):
    if isinstance(arg, dict):
        if "tensor" in arg:
            return env[arg["tensor"]]
        if "number" in arg:
            return float(arg["number"])
        raise ValueError(arg)
    if isinstance(arg, list):
        return [resolve(a, env) for a in arg]
    return arg


def tensor_arg(name):
    return {"tensor": name}


def invoke(call, op, args, kwargs, env, namespace=torch):
    args = [resolve(a, env) for a in args]
    kwargs = {k: resolve(v, env) for k, v in (kwargs or {}).items()}
    if call == "method":
        return getattr(args[0], op)(*args[1:], **kwargs)
    fn = namespace
    for part in op.split("."):
        fn = getattr(fn, part)
    return fn(*args, **kwargs)


def grad_fn_name(t):
    if isinstance(t, torch.Tensor) and t.grad_fn is not None:
        return type(t.grad_fn).__name__
    return None


def is_differentiable(t):
    return isinstance(t, torch.Tensor) and t.requires_grad and t.dtype in (torch.float32, torch.float64)


def describe_error(fn):
    """Runs fn, which must raise; returns {"type", "message"}."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever PyTorch raises
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("expected an error")


# ----------------------------------------------------------------------------------------------
# writing
# ----------------------------------------------------------------------------------------------


def write_fixture(area, cases, generator, extra=None):
    """Writes test/fixtures/parity-<area>.json: a header, then one case per line (diff-friendly)."""
    path = os.path.normpath(os.path.join(FIXTURES, "parity-{}.json".format(area)))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    names = [c.get("name") or c.get("id") for c in cases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AssertionError("duplicate case names in {}: {}".format(area, dupes))
    dumps = lambda v: json.dumps(v, separators=(",", ":"), allow_nan=False, ensure_ascii=False)  # noqa: E731
    lines = ["{", '"generator": {},'.format(dumps(generator)), '"torch_version": {},'.format(dumps(torch.__version__))]
    for k, v in (extra or {}).items():
        lines.append("{}: {},".format(dumps(k), dumps(v)))
    lines.append('"cases": [')
    lines.append(",\n".join(dumps(c) for c in cases))
    lines.append("]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    size = len(text.encode("utf-8"))
    print("wrote {} ({} cases, {:.1f} KB)".format(os.path.relpath(path), len(cases), size / 1024))
    if size > 400 * 1024:
        print("warning: {} is over 400 KB".format(path), file=sys.stderr)
    return path


# ----------------------------------------------------------------------------------------------
# generic op cases (ops, broadcast)
# ----------------------------------------------------------------------------------------------


def python_source(call, op, args, kwargs):
    def src(a):
        if isinstance(a, dict):
            return a["tensor"] if "tensor" in a else "float({!r})".format(a["number"])
        if isinstance(a, list):
            return "[" + ", ".join(src(e) for e in a) + "]"
        return repr(a)

    parts = [src(a) for a in (args[1:] if call == "method" else args)]
    parts += ["{}={}".format(k, src(v)) for k, v in (kwargs or {}).items()]
    head = "{}.{}".format(src(args[0]), op) if call == "method" else "torch.{}".format(op)
    return "{}({})".format(head, ", ".join(parts))


class OpCases:
    """Collects cases of the generic form: inputs + call → outputs (+ grads of the inputs that
    require grad, for one fixed random upstream gradient on the differentiable output)."""

    def __init__(self, seed):
        self.cases = []
        self.rng = np.random.default_rng(seed)
        self.group = None

    def upstream_like(self, t):
        data = np.round(self.rng.standard_normal(tuple(t.shape)), 4)
        return torch.tensor(data, dtype=t.dtype)

    def add(self, name, op, inputs, args, kwargs=None, call="method", note=None):
        """inputs: {name: tensor}; a floating tensor with requires_grad set is differentiated."""
        env = {}
        input_specs = {}
        for key, t in inputs.items():
            rg = bool(t.requires_grad)
            env[key] = t.detach().clone().requires_grad_(rg)
            s = spec(t)
            s["requires_grad"] = rg
            input_specs[key] = s
        result = invoke(call, op, args, kwargs, env)
        case = {
            "group": self.group,
            "name": name,
            "python": python_source(call, op, args, kwargs),
            "call": call,
            "op": op,
            "args": args,
        }
        if kwargs:
            case["kwargs"] = kwargs
        if note:
            case["note"] = note
        case["inputs"] = input_specs
        if isinstance(result, torch.Tensor):
            outs, case["returns"] = [result], "tensor"
        elif isinstance(result, tuple):
            outs, case["returns"] = list(result), "tuple"
            fields = getattr(type(result), "__match_args__", None)
            if fields:
                case["fields"] = list(fields)
        elif isinstance(result, list):
            outs, case["returns"] = result, "list"
        else:
            raise TypeError(type(result))
        out_specs = []
        for o in outs:
            s = spec(o)
            s["requires_grad"] = bool(o.requires_grad)
            s["grad_fn"] = grad_fn_name(o)
            out_specs.append(s)
        case["outputs"] = out_specs
        diff = [i for i, o in enumerate(outs) if is_differentiable(o)]
        if diff:
            i = diff[0]
            up = self.upstream_like(outs[i])
            torch.autograd.backward([outs[i]], [up])
            case["upstream"] = {"output": i, "grad": spec(up)}
            case["grads"] = {k: spec(env[k].grad) for k, s in input_specs.items() if s["requires_grad"]}
        self.cases.append(case)
        return case
