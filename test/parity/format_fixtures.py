"""Writes test/fixtures/format.json: how PyTorch prints tensors and how Python prints numbers.

Run with an interpreter that has PyTorch 1.13:  /usr/bin/python3 test/parity/format_fixtures.py

Every expected string comes from the real thing: repr() of a tensor built with torch, repr() of a
float, and the % operator. Values are stored so that JavaScript reads back the identical number:
float32 values as their shortest float32 spelling (checked to survive the parse-as-double-then-
round path that Math.fround takes), other floats as Python's repr (which round-trips), and the
non-finite values as the strings "nan", "inf", "-inf". Tensors too big to list are stored as a
pattern: value[i] = ((i * mul) % mod + offset) / div, computed in doubles on both sides.
"""

import json
import math
import os
import random

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "format.json")

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}

tensor_cases = []
repr_cases = []
format_cases = []


# ----------------------------------------------------------------------------------------------
# encoding helpers
# ----------------------------------------------------------------------------------------------


def encode_float(x, dtype):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if dtype == "float32":
        short = repr(np.float32(x))
        if not short.startswith("np.") and np.float32(float(short)) == np.float32(x):
            number = float(short)
            # keep ints short too: 3.0 -> 3 (but -0.0 must stay a float)
            if number.is_integer() and not (number == 0 and math.copysign(1, number) < 0) and abs(number) < 2**53:
                return int(number)
            return number
    if x.is_integer() and not (x == 0 and math.copysign(1, x) < 0) and abs(x) < 2**53:
        return int(x)
    return x


def encode_values(t, dtype):
    flat = t.detach().reshape(-1).tolist()
    if dtype == "bool":
        return [1 if v else 0 for v in flat]
    if dtype == "int64":
        return flat
    return [encode_float(v, dtype) for v in flat]


def pattern_values(p):
    return [((i * p["mul"]) % p["mod"] + p["offset"]) / p["div"] for i in range(p["count"])]


def autograd_suffixes(t):
    if t.grad_fn is not None:
        return ["grad_fn=<{}>".format(type(t.grad_fn).__name__)]
    if t.requires_grad:
        return ["requires_grad=True"]
    return []


def set_options(options):
    torch.set_printoptions(profile="default")
    torch.set_printoptions(**options)


def record(group, name, t, options=None, pattern=None):
    """Records repr(t) under the given print options."""
    options = options or {}
    dtype = next(k for k, v in DTYPES.items() if v == t.dtype)
    set_options(options)
    expected = repr(t)
    set_options({})
    case = {
        "group": group,
        "name": name,
        "dtype": dtype,
        "shape": list(t.shape),
        "suffixes": autograd_suffixes(t),
    }
    if pattern is not None:
        case["pattern"] = pattern
    else:
        case["values"] = encode_values(t, dtype)
    if options:
        case["options"] = options
    case["expected"] = expected
    tensor_cases.append(case)


def tensor(values, dtype="float32", shape=None, requires_grad=False):
    t = torch.tensor(values, dtype=DTYPES[dtype])
    if shape is not None:
        t = t.reshape(shape)
    if requires_grad:
        t.requires_grad_()
    return t


def pattern_tensor(pattern, dtype, shape):
    return torch.tensor(pattern_values(pattern), dtype=DTYPES[dtype]).reshape(shape)


nan, inf = float("nan"), float("inf")
rng = np.random.default_rng(1913)
torch.manual_seed(1913)


def randn(*shape, scale=1.0, dtype="float32"):
    data = rng.standard_normal(shape) * scale
    return torch.tensor(data, dtype=DTYPES[dtype])


# ----------------------------------------------------------------------------------------------
# tensors
# ----------------------------------------------------------------------------------------------

G = "the examples from the book"
record(G, "fixed point aligned to the widest element", tensor([4517.2969, 82.6]))
record(G, "requires_grad suffix", tensor([5.3671, -17.3012], requires_grad=True))
record(G, "grad_fn suffix on a 0-dim result", tensor([2.9276], requires_grad=True).mean())
record(G, "scientific with requires_grad", tensor([9.5483e-01, -8.26e-04], requires_grad=True))
record(G, "int64 vector", tensor([9, 0, 10, 3, 4, 2, 7, 8, 5], "int64"))
record(G, "integer-valued floats", tensor([1.0, 2.0]))
record(G, "empty with size", torch.empty(0, 3))
x = tensor([1.5, -2.25, 3.0], requires_grad=True)
record(G, "MulBackward0", x * 2)
record(G, "AddBackward0", x + 1)
record(G, "SumBackward0", (x * x).sum())
record(G, "PowBackward0", x**2)
record(G, "linear model output", torch.nn.functional.linear(randn(4, 3), randn(2, 3).requires_grad_()))
record(G, "temperature data", tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]))
record(G, "unknown data", tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]))
record(G, "parameters after training", tensor([5.3671, -17.3012], requires_grad=True))
record(G, "a loss value", tensor(1763.8846))
record(G, "a loss value with grad_fn", tensor([80.3643], requires_grad=True).mean())
record(G, "gradient of the parameters", tensor([4517.2969, 82.6000]))
record(G, "shuffled indices", tensor(torch.randperm(12).tolist(), "int64"))

G = "integer-valued floats print with a trailing dot"
record(G, "small integers", tensor([1.0, 2.0, 3.0]))
record(G, "negative integers", tensor([-1.0, 100.0, 3.0]))
record(G, "zero among integers", tensor([0.0, 1.0, 1000.0]))
record(G, "ratio just at 1000 stays plain", tensor([1.0, 1000.0]))
record(G, "ratio above 1000 switches to scientific", tensor([1.0, 1001.0]))
record(G, "largest at 1e8 stays plain", tensor([1e8, 2e7]))
record(G, "largest above 1e8 switches to scientific", tensor([2e8, 1e8]))
record(G, "0-dim integral value", tensor(3.0))
record(G, "0-dim large integral value", tensor(123456789.0))
record(G, "float64 integers", tensor([1.0, -7.0, 12.0], "float64"))
record(G, "integers in a matrix", tensor([[1.0, -20.0], [300.0, 4.0]]))
record(G, "one non-integer breaks integer mode", tensor([1.0, 2.0, 2.5]))
record(G, "large float32 integers", tensor([16777216.0, 3.0, 12345.0]))

G = "fixed point uses precision decimals"
record(G, "values between 0.1 and 100", tensor([0.1, 1.5, 99.99]))
record(G, "negative values widen the column", tensor([-0.5, 0.25, 0.125]))
record(G, "smallest at 1e-4 stays fixed", tensor([1e-4, 0.05]))
record(G, "rounding up to the next integer", tensor([0.99999, 1.5]))
record(G, "rounding carries into the integer part", tensor([9.99996, -0.5]))
record(G, "0-dim fraction", tensor(0.3333333))
record(G, "0-dim negative fraction", tensor(-2.5))
record(G, "float64 keeps its own digits", tensor([0.1, 0.2, 0.30000000000000004], "float64"))

G = "scientific notation"
record(G, "smallest below 1e-4", tensor([5e-5, 0.5]))
record(G, "largest above 1e8", tensor([1.5e8, 2.0]))
record(G, "ratio above 1000", tensor([0.001, 1.5]))
record(G, "tiny values only", tensor([1e-8, 2e-9, -3e-10]))
record(G, "huge values only", tensor([1e20, -3e25]))
record(G, "three-digit exponents in float64", tensor([1e-300, 1.5e200], "float64"))
record(G, "float32 extremes", tensor([3.4028234663852886e38, 1.401298464324817e-45]))
record(G, "subnormal float32", tensor([1e-40, 1.0]))
record(G, "0-dim tiny", tensor(1.25e-7))
record(G, "0-dim huge", tensor(-6.02e23))
record(G, "negative values are padded", tensor([1e-5, -1e5, 3.0]))
record(G, "mantissa rounds up to 10", tensor([9.99996e-5, 1.0]))
record(G, "matrix in scientific", tensor([[1e-6, 2.0], [3e4, -4e-3]]))

G = "zeros, nan and infinities"
record(G, "all zeros", tensor([0.0, 0.0, 0.0]))
record(G, "0-dim zero", tensor(0.0))
record(G, "nan alone", tensor([nan]))
record(G, "0-dim nan", tensor(nan))
record(G, "nan and infinities", tensor([nan, inf, -inf]))
record(G, "0-dim infinity", tensor(-inf))
record(G, "nan beside integers", tensor([1.0, nan]))
record(G, "infinity beside integers", tensor([10.0, inf, -inf, 2.0]))
record(G, "nan beside fractions", tensor([1.5, nan, -2.25]))
record(G, "infinity in scientific", tensor([1e-5, inf, nan]))
record(G, "zero in scientific", tensor([0.0, 1e-5, 1e5]))
record(G, "zero beside fractions", tensor([0.0, 0.5]))
record(G, "zeros and nan in float64", tensor([0.0, nan], "float64"))
record(G, "nan in a matrix", tensor([[nan, 1.0], [2.0, inf]]))

G = "negative zero keeps its sign"
record(G, "vector of signed zeros", tensor([0.0, -0.0]))
record(G, "0-dim negative zero", tensor(-0.0))
record(G, "negative zero beside fractions", tensor([-0.0, 1.5]))
record(G, "negative zero in scientific", tensor([-0.0, 1e-5]))
record(G, "negative zero beside integers", tensor([-0.0, 3.0]))
record(G, "tiny negative rounds to -0.0000", tensor([-1e-5, 1.0]), {"sci_mode": False})
record(G, "negative zero in float64", tensor([-0.0, 2.5], "float64"))

G = "exact ties round half to even"
record(G, "fifth decimal five rounds to even", tensor([1.03125, 0.15625, 2.40625, 1.09375]))
record(G, "ties at precision 2", tensor([0.125, 0.375, 0.625, 0.875]), {"precision": 2})
record(G, "ties at precision 0", tensor([0.5, 1.5, 2.5, 3.25]), {"precision": 0})
record(G, "ties in scientific", tensor([103125.0, 1.0]), {"sci_mode": True})
record(G, "ties in scientific float64", tensor([1.03125e-9, 2.40625e-9], "float64"))
record(G, "values just below a tie", tensor([1.0000499, 2.0000501]))
record(G, "float32 values whose doubles differ from their decimals", tensor([0.1, 0.7, 1.1, 2.675]))

G = "int64 tensors"
record(G, "0-dim int", tensor(7, "int64"))
record(G, "0-dim negative int", tensor(-42, "int64"))
record(G, "ints aligned to the widest", tensor([1, -10, 100, -1000], "int64"))
record(G, "large ints", tensor([2**53 - 1, -(2**40), 0], "int64"))
record(G, "int matrix", tensor([[1, 2, 3], [40, 50, 60]], "int64"))
record(G, "argsort result", tensor([3, 1, 2], "int64").argsort())
record(G, "long int vector wraps", tensor(list(range(-20, 40)), "int64"))

G = "bool tensors"
record(G, "0-dim true", tensor(True, "bool"))
record(G, "0-dim false", tensor(False, "bool"))
record(G, "true pads to the width of false", tensor([True, False, True], "bool"))
record(G, "all true", tensor([True, True], "bool"))
record(G, "bool matrix", tensor([[True, False], [False, False]], "bool"))
record(G, "comparison result", tensor([1.0, 2.0, 3.0]) > 1.5)
record(G, "long bool vector wraps", tensor([i % 3 == 0 for i in range(30)], "bool"))

G = "float64 shows its dtype"
record(G, "float64 vector", tensor([1.5, 2.5], "float64"))
record(G, "0-dim float64", tensor(3.14159265358979, "float64"))
record(G, "dtype comes before requires_grad", tensor([1.0, 2.0], "float64", requires_grad=True))
record(G, "dtype comes before grad_fn", tensor([1.0, 2.0], "float64", requires_grad=True) * 3)
record(G, "float64 matrix", randn(3, 3, dtype="float64"))
record(G, "float64 scientific", tensor([1e-10, 1.0], "float64"))

G = "empty tensors"
record(G, "1-d empty has no size", torch.empty(0))
record(G, "size of a 2-d empty", torch.empty(0, 3))
record(G, "size with a zero last dim", torch.empty(2, 0))
record(G, "3-d empty", torch.empty(1, 0, 2))
record(G, "empty int64 shows dtype", torch.empty(0, dtype=torch.int64))
record(G, "empty bool shows dtype", torch.empty(0, 2, dtype=torch.bool))
record(G, "empty float64 shows dtype", torch.empty(3, 0, dtype=torch.float64))
record(G, "empty with requires_grad", torch.empty(0, 4, requires_grad=True))
record(G, "empty int64 1-d", torch.empty(0, dtype=torch.int64))

G = "nested brackets and indentation"
record(G, "matrix", randn(3, 4))
record(G, "column vector", randn(4, 1))
record(G, "row vector", randn(1, 5))
record(G, "3-d tensor has blank lines between blocks", randn(2, 3, 2))
record(G, "4-d tensor has two blank lines", randn(2, 2, 2, 2))
record(G, "size-1 dimensions", randn(1, 1, 3))
record(G, "5-d tensor", tensor(list(range(32)), "int64", [2, 2, 2, 2, 2]))
record(G, "0-dim inside nothing", tensor(1.5))
record(G, "matrix with requires_grad", randn(2, 3).requires_grad_())
record(G, "3-d with grad_fn", randn(2, 2, 2).requires_grad_() * 2)

G = "lines wrap at the line width"
record(G, "float vector wraps after 8 elements", randn(20))
record(G, "int vector wraps", tensor(list(range(100)), "int64"))
record(G, "wide matrix rows wrap with deeper indent", randn(3, 15))
record(G, "3-d rows wrap", randn(2, 2, 12))
record(G, "scientific vector wraps", randn(14, scale=1e-6))
record(G, "bool vector wraps", tensor([True] * 20, "bool"))
for n in (6, 7, 8, 9, 16, 17):
    record(G, "{} fixed-point elements".format(n), randn(n))
for n in (11, 12, 13, 24, 25):
    record(G, "{} two-digit ints".format(n), tensor([(i * 7) % 23 - 11 for i in range(n)], "int64"))
record(G, "narrow line width", randn(6), {"linewidth": 30})
record(G, "wide line width", randn(30), {"linewidth": 160})
record(G, "line width smaller than one element", randn(3), {"linewidth": 5})
record(G, "wrapping inside deep nesting with narrow width", randn(2, 2, 5), {"linewidth": 40})

G = "summarization with ellipsis"
P = {"count": 1001, "mul": 1, "mod": 1001, "offset": 0, "div": 1}
record(G, "1001 ints are summarized", pattern_tensor(P, "int64", [1001]), pattern=P)
P = {"count": 1000, "mul": 1, "mod": 1000, "offset": 0, "div": 1}
record(G, "1000 ints are not summarized", pattern_tensor(P, "int64", [1000]), pattern=P)
P = {"count": 2000, "mul": 7919, "mod": 2000, "offset": -1000, "div": 37}
record(G, "2000 floats", pattern_tensor(P, "float32", [2000]), pattern=P)
record(G, "2000 floats in a 40x50 matrix", pattern_tensor(P, "float32", [40, 50]), pattern=P)
record(G, "2000 floats in 10x10x20", pattern_tensor(P, "float32", [10, 10, 20]), pattern=P)
record(G, "2000 floats with a short middle dim", pattern_tensor(P, "float32", [100, 4, 5]), pattern=P)
record(G, "2000 floats in 2x1000 keeps both rows", pattern_tensor(P, "float32", [2, 1000]), pattern=P)
record(G, "2000 floats in 1000x2", pattern_tensor(P, "float32", [1000, 2]), pattern=P)
record(G, "summarized float64 with dtype", pattern_tensor(P, "float64", [2000]), pattern=P)
record(G, "summarized with requires_grad", pattern_tensor(P, "float32", [2000]).requires_grad_(), pattern=P)
P = {"count": 1200, "mul": 1, "mod": 1200, "offset": 0, "div": 1}
record(G, "width measured on the shown elements only", pattern_tensor(P, "float32", [1200]), pattern=P)
P = {"count": 1500, "mul": 104729, "mod": 1500, "offset": 0, "div": 1e7}
record(G, "scientific decided on the shown elements only", pattern_tensor(P, "float32", [1500]), pattern=P)
P = {"count": 1024, "mul": 1, "mod": 2, "offset": 0, "div": 1}
record(G, "summarized bool", pattern_tensor(P, "bool", [1024]), pattern=P)
record(G, "4-d summarized", pattern_tensor(P, "int64", [4, 4, 8, 8]), pattern=P)
record(G, "threshold option", randn(10), {"threshold": 5})
record(G, "threshold equal to numel does not summarize", randn(10), {"threshold": 10})
record(G, "edgeitems option", randn(20), {"threshold": 5, "edgeitems": 2})
record(G, "edgeitems one in a matrix", randn(5, 5), {"threshold": 5, "edgeitems": 1})
record(G, "dimension of exactly twice edgeitems is kept", randn(6, 7), {"threshold": 5})
record(G, "summarized rows still wrap", randn(8, 30), {"threshold": 100, "edgeitems": 5})
record(G, "ellipsis widens wrapped rows", tensor(list(range(40)), "int64"), {"threshold": 10, "edgeitems": 10})
record(G, "short profile summarizes with 2 edge items", torch.arange(2000.0).reshape(2000), {"profile": "short"}, pattern={"count": 2000, "mul": 1, "mod": 2000, "offset": 0, "div": 1})
P = {"count": 1100, "mul": 1, "mod": 1100, "offset": 0, "div": 3}
record(G, "full profile never summarizes", pattern_tensor(P, "float32", [1100]), {"profile": "full"}, pattern=P)

G = "suffixes move to a new line when they would overflow"
for n in range(5, 10):
    record(G, "requires_grad after {} elements".format(n), randn(n).requires_grad_())
for n in range(5, 10):
    record(G, "grad_fn after {} elements".format(n), randn(n).requires_grad_() * 2)
record(G, "long grad_fn name", randn(4).requires_grad_().log_softmax(0))
record(G, "suffix after a wrapped vector", randn(12).requires_grad_())
record(G, "suffix after a matrix", randn(3, 7).requires_grad_())
record(G, "dtype and grad_fn both wrap", randn(9, dtype="float64").requires_grad_() * 2)
record(G, "dtype fits but grad_fn wraps", randn(6, dtype="float64").requires_grad_() + 1)
for width in (20, 30, 37, 38, 39, 40, 41):
    record(G, "line width {}".format(width), tensor([1.5, -2.5], requires_grad=True), {"linewidth": width})
for n in (9, 10, 11, 12):
    record(G, "int vector of {} with dtype-free suffix".format(n), tensor(list(range(n)), "float32", requires_grad=True) * 1)
record(G, "empty tensor suffixes wrap", torch.empty(0, 3, dtype=torch.float64, requires_grad=True), {"linewidth": 40})

G = "print options"
record(G, "precision 2", randn(5), {"precision": 2})
record(G, "precision 6", randn(5), {"precision": 6})
record(G, "precision 0", tensor([1.25, -3.75, 10.5]), {"precision": 0})
record(G, "precision 8 in float64", randn(4, dtype="float64"), {"precision": 8})
record(G, "precision 2 scientific", tensor([1e-6, 3.0]), {"precision": 2})
record(G, "precision 0 scientific", tensor([1e-6, 3.0]), {"precision": 0})
record(G, "sci_mode forced on", tensor([1.5, 2.5]), {"sci_mode": True})
record(G, "sci_mode forced on integers", tensor([1.0, 20.0]), {"sci_mode": True})
record(G, "sci_mode forced off tiny values", tensor([1e-6, 3.0]), {"sci_mode": False})
record(G, "sci_mode forced off huge values", tensor([1e10, 3.5]), {"sci_mode": False})
record(G, "sci_mode forced off huge integers", tensor([1e10, 3.0]), {"sci_mode": False})
record(G, "sci_mode has no effect with only zeros", tensor([0.0, nan]), {"sci_mode": True})
record(G, "sci_mode forced on 0-dim", tensor(0.5), {"sci_mode": True})
record(G, "short profile", randn(5), {"profile": "short"})
record(G, "short profile with precision override", randn(5), {"profile": "short", "precision": 3})
record(G, "linewidth 40", randn(12), {"linewidth": 40})
record(G, "linewidth 120 matrix", randn(3, 14), {"linewidth": 120})

G = "random values over many magnitudes"
shapes = [(5,), (3, 2), (7,), (2, 2, 2), (4,), (1, 6)]
i = 0
for exp in range(-12, 13):
    for dtype in ("float32", "float64"):
        shape = shapes[i % len(shapes)]
        i += 1
        record(G, "{} randn x 1e{} shape {}".format(dtype, exp, list(shape)), randn(*shape, scale=10.0**exp, dtype=dtype))
for k in range(24):
    n = 3 + k % 5
    exps = rng.integers(-9, 10, size=n)
    data = rng.standard_normal(n) * 10.0 ** exps
    dtype = "float32" if k % 3 else "float64"
    record(G, "mixed magnitudes {}".format(k), torch.tensor(data, dtype=DTYPES[dtype]))
for k in range(12):
    n = 3 + k % 4
    data = rng.integers(-(10 ** (k % 9 + 1)), 10 ** (k % 9 + 1), size=n).astype(float)
    record(G, "integral floats up to 1e{}".format(k % 9 + 1), torch.tensor(data, dtype=torch.float32))
for k in range(10):
    data = rng.uniform(-1, 1, size=4) * 10.0 ** rng.integers(-3, 6)
    record(G, "0-dim random {}".format(k), torch.tensor(data[0], dtype=torch.float32))
for k in range(6):
    record(G, "random int64 {}".format(k), torch.tensor(rng.integers(-(10 ** (2 * k + 1)), 10 ** (2 * k + 1), size=6)))
set_options({})

# ----------------------------------------------------------------------------------------------
# repr(float)
# ----------------------------------------------------------------------------------------------


def encode_number(x):
    if isinstance(x, bool) or not isinstance(x, float):
        return x
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def add_repr(group, x):
    repr_cases.append({"group": group, "value": encode_number(x), "expected": repr(x)})


for x in [90.34750366210938, 1e-05, 1.0, 0.0, -0.0, inf, -inf, nan, 0.1, 0.30000000000000004, 2.5, -3.75]:
    add_repr("special and familiar values", x)
for x in [1e16, 1e15, 9999999999999998.0, 1.5e16, 123456789012345680.0, 0.0001, 0.00012, 1e-4 * 0.99, 1e22, 1e21, 1e-7]:
    add_repr("switch between positional and exponent form", x)
for x in [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 2.0**53, 2.0**-20, 1 / 3]:
    add_repr("extremes", x)
for k in range(60):
    x = float(rng.standard_normal() * 10.0 ** rng.integers(-30, 30))
    add_repr("random doubles", x)
for k in range(40):
    x = float(np.float32(rng.standard_normal() * 10.0 ** rng.integers(-8, 8)))
    add_repr("float32 values seen as doubles", x)

# ----------------------------------------------------------------------------------------------
# the % operator
# ----------------------------------------------------------------------------------------------


def encode_arg(a):
    if isinstance(a, float) and not math.isfinite(a):
        return {"float": encode_number(a)}
    return a


def add_format(group, fmt, *args):
    format_cases.append({"group": group, "fmt": fmt, "args": [encode_arg(a) for a in args], "expected": fmt % args})


G = "printf conversions"
add_format(G, "Epoch %d, Loss %f", 500, 7.860115)
add_format(G, "Epoch %d, Training loss %.4f, Validation loss %.4f", 1000, 3.5672, 3.1230449676513672)
add_format(G, "%d%%", 42)
add_format(G, "%d", 2.7)
add_format(G, "%d", -2.7)
add_format(G, "%d", True)
add_format(G, "%i|%5d|%-5d|%05d|%+d|% d", 3, 42, 42, -42, 7, 7)
add_format(G, "%f|%f|%f", 0.1, -1.5, 1e20)
add_format(G, "%.2f|%.0f|%.0f|%.0f|%#.0f", 0.125, 0.5, 1.5, 2.5, 2.5)
add_format(G, "%8.3f|%-8.3f|%08.3f|%+.3f", 3.14159, 3.14159, -3.14159, 3.14159)
add_format(G, "%e|%e|%E|%.2e|%.0e", 12345.678, 0.0, 1e-300, -0.000123456, 15.0)
add_format(G, "%g|%g|%g|%g|%g|%g", 100000.0, 1000000.0, 1e-4, 1e-5, 0.5, 123.456)
add_format(G, "%g|%.3g|%.10g|%G|%#g|%g", 1e-10, 3.14159, 1 / 3, 1e-10, 2.0, 0.0)
add_format(G, "%s|%s|%s|%s", "text", 0.1, 42, True)
add_format(G, "%s|%s|%s", 1e-05, 1e16, -0.5)
add_format(G, "%r|%r|%r", "quote's", "plain", 2.5)
add_format(G, "%.3s|%5s|%-5s|", "abcdef", "ab", "ab")
add_format(G, "%x|%X|%o|%#x", 255, 255, 8, 255)
add_format(G, "%f|%e|%g|%5.1f|%05f", nan, inf, -inf, inf, -inf)
add_format(G, "%f|%.1f", -0.0, -0.04)
add_format(G, "%*d|%-*d|%.*f", 5, 42, 5, 42, 2, 3.14159)
for k in range(40):
    x = float(rng.standard_normal() * 10.0 ** rng.integers(-12, 12))
    add_format("random values through %f %e %g", "%f|%.4f|%e|%.3e|%g|%.8g", x, x, x, x, x, x)

fixture = {
    "generator": "test/parity/format_fixtures.py",
    "torch_version": torch.__version__,
    "tensor_cases": tensor_cases,
    "repr_cases": repr_cases,
    "format_cases": format_cases,
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
# one case per line, so that a regenerated fixture diffs case by case
with open(OUT, "w") as f:
    f.write("{\n")
    f.write('"generator": {},\n'.format(json.dumps(fixture["generator"])))
    f.write('"torch_version": {},\n'.format(json.dumps(fixture["torch_version"])))
    keys = ["tensor_cases", "repr_cases", "format_cases"]
    for k, key in enumerate(keys):
        f.write('"{}": [\n'.format(key))
        lines = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in fixture[key]]
        f.write(",\n".join(lines))
        f.write("\n]{}\n".format("," if k < len(keys) - 1 else ""))
    f.write("}\n")
json.load(open(OUT))
print("wrote {} tensor, {} repr and {} format cases to {} ({} bytes)".format(
    len(tensor_cases), len(repr_cases), len(format_cases), os.path.relpath(OUT), os.path.getsize(OUT)))
