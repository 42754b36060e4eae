"""Fixture for test/engine/unary-ops.test.ts: PyTorch's unary elementwise ops, in PyTorch 1.13.

Run with an interpreter that has PyTorch (`/usr/bin/python3 test/engine/gen_unary_ops.py`);
writes test/fixtures/unary-ops.json. It covers PyTorch's unary ops broadly, including ones the
engine does not have yet: an op added to the engine's table (src/engine/ops/unary.ts) finds its
expected values here. Per op: the backward node's name, the dtype an int64 input gives, and for
float32 and float64 inputs (inside the op's domain) the result and the gradient for an upstream
gradient g, i.e. d/dx of (op(x) * g).sum().
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))

import torch  # noqa: E402
from common import Inputs, spec  # noqa: E402

# name: (low, high) of the inputs, away from points where the derivative is undefined.
OPS = {
    "neg": (-2, 2),
    "exp": (-2, 2),
    "expm1": (-2, 2),
    "exp2": (-2, 2),
    "log": (0.1, 3),
    "log1p": (-0.9, 3),
    "log2": (0.1, 3),
    "log10": (0.1, 3),
    "sqrt": (0.1, 3),
    "rsqrt": (0.1, 3),
    "abs": (0.1, 2),
    "sin": (-3, 3),
    "cos": (-3, 3),
    "tan": (-1.2, 1.2),
    "asin": (-0.9, 0.9),
    "acos": (-0.9, 0.9),
    "atan": (-3, 3),
    "sinh": (-2, 2),
    "cosh": (-2, 2),
    "tanh": (-3, 3),
    "sigmoid": (-4, 4),
    "relu": (0.1, 2),
    "reciprocal": (0.2, 3),
    "sign": (0.1, 2),
    "erf": (-2, 2),
    "floor": (-3, 3),
    "ceil": (-3, 3),
    "round": (-3, 3),
    "trunc": (-3, 3),
    "frac": (-3, 3),
}


def case(name, low, high, inputs):
    out = {"node": None, "int_dtype": None}
    try:
        out["int_dtype"] = str(getattr(torch.tensor([1, 2]), name)().dtype).replace("torch.", "")
    except RuntimeError:
        pass
    for dtype in ("float32", "float64"):
        x = inputs.uniform(low, high, 2, 3, dtype=dtype)
        # The negative half of the domain too, where the op has one (abs, relu, sign, reciprocal).
        if name in ("abs", "relu", "sign", "reciprocal"):
            x = x * torch.tensor([[1, -1, 1], [-1, 1, -1]], dtype=x.dtype)
        g = inputs.uniform(-1, 1, 2, 3, dtype=dtype)
        xr = x.clone().requires_grad_()
        y = getattr(xr, name)()
        out["node"] = y.grad_fn.name() if y.grad_fn is not None else None
        (y * g).sum().backward()
        out[dtype] = {"x": spec(x), "g": spec(g), "y": spec(y), "grad": spec(xr.grad)}
    return out


def main():
    inputs = Inputs(20240)
    ops = {name: case(name, low, high, inputs) for name, (low, high) in OPS.items()}
    fixture = {"generator": "test/engine/gen_unary_ops.py", "torch_version": torch.__version__, "ops": ops}
    with open(os.path.join(HERE, "..", "fixtures", "unary-ops.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
