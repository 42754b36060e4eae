"""Writes test/fixtures/parity-ops.json: forward values, grad_fn names and gradients of every op.

Each case is a generic call (see common.py); the gradient is for one fixed random upstream
gradient on the (first) differentiable output. Inputs keep away from the points where a
derivative is undefined, except in the cases that are about those points (named so).
"""

import torch

from common import Inputs, OpCases, tensor_arg as T, write_fixture

GEN = "test/parity/gen_ops.py"


def main():
    inp = Inputs(2024)
    c = OpCases(7)

    def rg(t):
        return t.requires_grad_()

    # ------------------------------------------------------------------ binary arithmetic
    c.group = "binary arithmetic"
    for op in ("add", "sub", "mul", "div"):
        a = rg(inp.randn(2, 3))
        b = rg(inp.randn(2, 3, away=0.3) if op == "div" else inp.randn(2, 3))
        c.add("{} of two tensors (method)".format(op), op, {"a": a, "b": b}, [T("a"), T("b")])
        c.add("torch.{} of two tensors (function)".format(op), op, {"a": a, "b": b}, [T("a"), T("b")], call="function")
    a, b = rg(inp.randn(4)), rg(inp.randn(4))
    c.add("add with alpha multiplies the second operand", "add", {"a": a, "b": b}, [T("a"), T("b")], {"alpha": 2})
    c.add("sub with alpha multiplies the second operand", "sub", {"a": a, "b": b}, [T("a"), T("b")], {"alpha": 0.5})
    x = rg(inp.randn(3))
    c.add("a tensor times itself sends both gradients to the same input", "mul", {"x": x}, [T("x"), T("x")])
    c.add("0-dim tensors", "mul", {"a": rg(inp.randn()), "b": rg(inp.randn())}, [T("a"), T("b")])

    c.group = "scalar operands"
    x = rg(inp.randn(2, 3))
    c.add("tensor + 2.5", "add", {"x": x}, [T("x"), 2.5])
    c.add("tensor - 1.5", "sub", {"x": x}, [T("x"), 1.5])
    c.add("2.5 - tensor (rsub)", "rsub", {"x": x}, [T("x"), 2.5], call="function", note="Python's 2.5 - x calls torch.rsub(x, 2.5)")
    c.add("torch.sub(2.5, tensor) with the scalar first", "sub", {"x": x}, [2.5, T("x")], call="function")
    c.add("tensor * 2", "mul", {"x": x}, [T("x"), 2])
    c.add("tensor / 3", "div", {"x": x}, [T("x"), 3])
    c.add("tensor + True treats the bool as 1", "add", {"x": x}, [T("x"), True])
    c.add("torch.add(2.5, tensor) with the scalar first", "add", {"x": x}, [2.5, T("x")], call="function")

    c.group = "pow"
    base = rg(inp.uniform(0.5, 2.0, 2, 3))
    for e in (2, 0.5, -1, 3, 2.5, 0, 1):
        c.add("pow with scalar exponent {}".format(e), "pow", {"x": base}, [T("x"), e])
    neg = rg(inp.randn(4, away=0.2))
    c.add("pow 2 of negative values", "pow", {"x": neg}, [T("x"), 2])
    c.add("pow 3 of negative values", "pow", {"x": neg}, [T("x"), 3])
    c.add("pow with a tensor exponent", "pow", {"x": base, "e": rg(inp.randn(2, 3))}, [T("x"), T("e")])
    c.add("torch.pow with a tensor exponent (function)", "pow", {"x": base, "e": rg(inp.randn(2, 3))}, [T("x"), T("e")], call="function")
    c.add("scalar base with a tensor exponent (2 ** x)", "pow", {"e": rg(inp.randn(4))}, [2.0, T("e")], call="function")
    c.add("pow 2 at zero has zero gradient", "pow", {"x": rg(torch.tensor([0.0, 1.5, -2.0]))}, [T("x"), 2])
    c.add("pow 0 gives ones and zero gradient", "pow", {"x": rg(torch.tensor([0.0, 1.5, -2.0]))}, [T("x"), 0])

    # ------------------------------------------------------------------ unary
    c.group = "unary"
    unary = {
        "neg": inp.randn(2, 3),
        "exp": inp.randn(2, 3),
        "log": inp.uniform(0.2, 5.0, 2, 3),
        "sqrt": inp.uniform(0.2, 5.0, 2, 3),
        "abs": inp.randn(2, 3, away=0.1),
        "sin": inp.randn(2, 3, scale=2),
        "cos": inp.randn(2, 3, scale=2),
        "tanh": inp.randn(2, 3),
        "sigmoid": inp.randn(2, 3, scale=2),
        "relu": inp.randn(2, 3, away=0.1),
    }
    for op, data in unary.items():
        c.add("{} (method)".format(op), op, {"x": rg(data)}, [T("x")])
        c.add("torch.{} (function)".format(op), op, {"x": rg(data)}, [T("x")], call="function")
    c.add("exp of a 0-dim tensor", "exp", {"x": rg(inp.randn())}, [T("x")])
    c.add("log of a 3-d tensor", "log", {"x": rg(inp.uniform(0.1, 3, 2, 2, 2))}, [T("x")])
    c.add("relu at exactly zero has zero gradient", "relu", {"x": rg(torch.tensor([-1.0, 0.0, 2.0]))}, [T("x")])
    c.add("abs at exactly zero has zero gradient", "abs", {"x": rg(torch.tensor([-1.0, 0.0, 2.0]))}, [T("x")])
    c.add("sqrt of zero is 0 with an infinite gradient", "sqrt", {"x": rg(torch.tensor([0.0, 4.0]))}, [T("x")])
    c.add("log of zero and negative values gives -inf and nan", "log", {"x": torch.tensor([0.0, -1.0, 1.0])}, [T("x")])
    c.add("exp overflows to inf in float32", "exp", {"x": torch.tensor([88.0, 89.0, -104.0])}, [T("x")])
    c.add("sigmoid of large magnitudes saturates", "sigmoid", {"x": rg(torch.tensor([-30.0, 0.0, 30.0]))}, [T("x")])
    c.add("tanh of large magnitudes saturates", "tanh", {"x": rg(torch.tensor([-20.0, 0.0, 20.0]))}, [T("x")])
    c.add("exp in float64", "exp", {"x": rg(inp.randn(4, dtype="float64"))}, [T("x")])
    c.add("sin in float64", "sin", {"x": rg(inp.randn(4, dtype="float64"))}, [T("x")])

    # ------------------------------------------------------------------ clamp, maximum, minimum, where
    c.group = "clamp"
    x = rg(inp.randn(2, 4, away=0.05))
    c.add("clamp with min only", "clamp", {"x": x}, [T("x")], {"min": -0.3})
    c.add("clamp with max only", "clamp", {"x": x}, [T("x")], {"max": 0.4})
    c.add("clamp with min and max (positional)", "clamp", {"x": x}, [T("x"), -0.5, 0.5])
    c.add("clamp with min and max (keywords)", "clamp", {"x": x}, [T("x")], {"min": -0.5, "max": 0.5})
    c.add("torch.clamp (function)", "clamp", {"x": x}, [T("x"), -0.5, 0.5], call="function")
    c.add("clamp passes the gradient at the boundaries (inclusive)", "clamp", {"x": rg(torch.tensor([-2.0, -1.0, 0.5, 1.0, 2.0]))}, [T("x"), -1.0, 1.0])
    c.add("clamp with min greater than max gives max", "clamp", {"x": rg(torch.tensor([-2.0, 0.5, 2.0]))}, [T("x"), 1.0, 0.0])

    c.group = "maximum and minimum"
    a, b = rg(inp.distinct(2, 3)), rg(inp.distinct(2, 3))
    c.add("torch.maximum", "maximum", {"a": a, "b": b}, [T("a"), T("b")], call="function")
    c.add("torch.minimum", "minimum", {"a": a, "b": b}, [T("a"), T("b")], call="function")
    c.add("maximum (method)", "maximum", {"a": a, "b": b}, [T("a"), T("b")])
    ta, tb = rg(torch.tensor([1.0, 2.0, 3.0])), rg(torch.tensor([1.0, 5.0, 0.0]))
    c.add("maximum with ties splits the gradient in half", "maximum", {"a": ta, "b": tb}, [T("a"), T("b")], call="function")
    c.add("minimum with ties splits the gradient in half", "minimum", {"a": ta, "b": tb}, [T("a"), T("b")], call="function")

    c.group = "where"
    cond = inp.mask(2, 3)
    c.add("torch.where picks from the first tensor where the condition holds", "where", {"cond": cond, "a": rg(inp.randn(2, 3)), "b": rg(inp.randn(2, 3))}, [T("cond"), T("a"), T("b")], call="function")
    c.add("where as a method (self where cond, else other)", "where", {"a": rg(inp.randn(2, 3)), "cond": cond, "b": rg(inp.randn(2, 3))}, [T("a"), T("cond"), T("b")])
    c.add("torch.where with a scalar other", "where", {"cond": cond, "a": rg(inp.randn(2, 3))}, [T("cond"), T("a"), 0.0], call="function")

    # ------------------------------------------------------------------ comparisons
    c.group = "comparisons"
    a = rg(torch.tensor([[1.0, 2.0, 3.0], [4.0, -1.0, 0.5]]))
    b = torch.tensor([[1.0, 3.0, 2.0], [4.0, 0.0, 0.5]])
    for op in ("eq", "ne", "lt", "le", "gt", "ge"):
        c.add("{} of two tensors gives bool without grad".format(op), op, {"a": a, "b": b}, [T("a"), T("b")])
        c.add("{} with a scalar".format(op), op, {"a": a}, [T("a"), 2.0])
        c.add("torch.{} (function)".format(op), op, {"a": a, "b": b}, [T("a"), T("b")], call="function")
    c.add("comparing int64 with a float scalar", "gt", {"a": torch.tensor([1, 2, 3])}, [T("a"), 1.5])
    c.add("eq of bool tensors", "eq", {"a": torch.tensor([True, False, True]), "b": torch.tensor([True, True, False])}, [T("a"), T("b")])

    # ------------------------------------------------------------------ reductions
    c.group = "sum and mean"
    x2 = rg(inp.randn(3, 4))
    x3 = rg(inp.randn(2, 3, 4))
    for op in ("sum", "mean"):
        c.add("{} of all elements".format(op), op, {"x": x2}, [T("x")])
        c.add("{} over dim 0".format(op), op, {"x": x2}, [T("x"), 0])
        c.add("{} over dim 1".format(op), op, {"x": x2}, [T("x"), 1])
        c.add("{} over dim -1 (negative dim)".format(op), op, {"x": x2}, [T("x"), -1])
        c.add("{} over dim 1 with keepdim".format(op), op, {"x": x2}, [T("x"), 1, True])
        c.add("{} over dim 1 with keepdim (keywords)".format(op), op, {"x": x2}, [T("x")], {"dim": 1, "keepdim": True})
        c.add("{} over dim 1 of a 3-d tensor".format(op), op, {"x": x3}, [T("x"), 1])
        c.add("{} over dims (0, 2) of a 3-d tensor".format(op), op, {"x": x3}, [T("x"), [0, 2]])
        c.add("{} over dims (-1, 0) with keepdim".format(op), op, {"x": x3}, [T("x"), [-1, 0], True])
        c.add("torch.{} over dim 0 (function)".format(op), op, {"x": x2}, [T("x"), 0], call="function")
        c.add("{} of a 0-dim tensor".format(op), op, {"x": rg(inp.randn())}, [T("x")])
    c.add("sum of an int64 tensor stays int64", "sum", {"x": torch.tensor([[1, 2], [3, 4]])}, [T("x")])
    c.add("sum of a bool tensor counts (int64)", "sum", {"x": torch.tensor([True, False, True])}, [T("x")])
    c.add("sum of an int64 tensor over dim 0", "sum", {"x": torch.tensor([[1, 2], [3, 4]])}, [T("x"), 0])
    c.add("sum in float64", "sum", {"x": rg(inp.randn(5, dtype="float64"))}, [T("x")])
    c.add("mean in float64 over dim 0", "mean", {"x": rg(inp.randn(3, 2, dtype="float64"))}, [T("x"), 0])
    c.add("sum of an empty tensor is 0", "sum", {"x": rg(torch.zeros(0))}, [T("x")])
    big = rg(torch.arange(1000, dtype=torch.float32).mul(0.001).add(1000.0))
    c.add("sum of 1000 large float32 values", "sum", {"x": big}, [T("x")])
    c.add("mean of 1000 large float32 values", "mean", {"x": big}, [T("x")])

    c.group = "max and min"
    xd = rg(inp.distinct(3, 4))
    xd3 = rg(inp.distinct(2, 3, 4))
    for op in ("max", "min"):
        c.add("{} of all elements".format(op), op, {"x": xd}, [T("x")])
        c.add("{} over dim 1 returns values and indices".format(op), op, {"x": xd}, [T("x"), 1])
        c.add("{} over dim 0 returns values and indices".format(op), op, {"x": xd}, [T("x"), 0])
        c.add("{} over dim -1 with keepdim".format(op), op, {"x": xd}, [T("x"), -1, True])
        c.add("{} over dim 1 with keepdim (keywords)".format(op), op, {"x": xd}, [T("x")], {"dim": 1, "keepdim": True})
        c.add("{} over dim 1 of a 3-d tensor".format(op), op, {"x": xd3}, [T("x"), 1])
        c.add("torch.{} over dim 1 (function)".format(op), op, {"x": xd}, [T("x"), 1], call="function")
        c.add("torch.{} of two tensors is elementwise".format(op), op, {"a": rg(inp.distinct(2, 3)), "b": rg(inp.distinct(2, 3))}, [T("a"), T("b")], call="function")
    ties = rg(torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]))
    c.add("max of all elements with ties shares the gradient evenly", "max", {"x": ties}, [T("x")])
    c.add("min of all elements with ties shares the gradient evenly", "min", {"x": rg(torch.tensor([[1.0, 3.0, 1.0], [2.0, 1.0, 4.0]]))}, [T("x")])
    c.add("max of an int64 tensor", "max", {"x": torch.tensor([[3, 9, 2], [7, 1, 8]])}, [T("x")])
    c.add("max over dim of an int64 tensor", "max", {"x": torch.tensor([[3, 9, 2], [7, 1, 8]])}, [T("x"), 1])

    c.group = "argmax and argmin"
    for op in ("argmax", "argmin"):
        c.add("{} of all elements (flattened index)".format(op), op, {"x": xd}, [T("x")])
        c.add("{} over dim 1".format(op), op, {"x": xd}, [T("x"), 1])
        c.add("{} over dim 0".format(op), op, {"x": xd}, [T("x"), 0])
        c.add("{} over dim -1 with keepdim".format(op), op, {"x": xd}, [T("x"), -1, True])
        c.add("{} over dim 1 (keywords)".format(op), op, {"x": xd}, [T("x")], {"dim": 1, "keepdim": False})
        c.add("torch.{} over dim 2 of a 3-d tensor".format(op), op, {"x": xd3}, [T("x"), 2], call="function")
    c.add("argmax with ties returns the first maximal index", "argmax", {"x": torch.tensor([[1.0, 3.0, 3.0], [5.0, 5.0, 0.0]])}, [T("x"), 1])
    c.add("argmin with ties returns the first minimal index", "argmin", {"x": torch.tensor([2.0, 0.0, 1.0, 0.0])}, [T("x")])

    # ------------------------------------------------------------------ matmul
    c.group = "matrix products"
    c.add("matmul of two vectors is a dot product (0-dim)", "matmul", {"a": rg(inp.randn(4)), "b": rg(inp.randn(4))}, [T("a"), T("b")])
    c.add("matmul of a matrix and a vector", "matmul", {"a": rg(inp.randn(3, 4)), "b": rg(inp.randn(4))}, [T("a"), T("b")])
    c.add("matmul of a vector and a matrix", "matmul", {"a": rg(inp.randn(3)), "b": rg(inp.randn(3, 4))}, [T("a"), T("b")])
    c.add("matmul of two matrices", "matmul", {"a": rg(inp.randn(2, 3)), "b": rg(inp.randn(3, 4))}, [T("a"), T("b")])
    c.add("torch.matmul of two matrices (function)", "matmul", {"a": rg(inp.randn(2, 3)), "b": rg(inp.randn(3, 4))}, [T("a"), T("b")], call="function")
    c.add("batched matmul of two 3-d tensors", "matmul", {"a": rg(inp.randn(2, 2, 3)), "b": rg(inp.randn(2, 3, 4))}, [T("a"), T("b")])
    c.add("batched matmul of a 3-d tensor and a matrix", "matmul", {"a": rg(inp.randn(2, 2, 3)), "b": rg(inp.randn(3, 4))}, [T("a"), T("b")])
    c.add("batched matmul of a matrix and a 3-d tensor", "matmul", {"a": rg(inp.randn(2, 3)), "b": rg(inp.randn(2, 3, 4))}, [T("a"), T("b")])
    c.add("batched matmul broadcasting batch dims [2,1,2,3] @ [3,3,2]", "matmul", {"a": rg(inp.randn(2, 1, 2, 3)), "b": rg(inp.randn(3, 3, 2))}, [T("a"), T("b")])
    c.add("batched matmul of a 3-d tensor and a vector", "matmul", {"a": rg(inp.randn(2, 3, 4)), "b": rg(inp.randn(4))}, [T("a"), T("b")])
    c.add("batched matmul of a vector and a 3-d tensor", "matmul", {"a": rg(inp.randn(3)), "b": rg(inp.randn(2, 3, 4))}, [T("a"), T("b")])
    c.add("torch.mm of two matrices", "mm", {"a": rg(inp.randn(2, 3)), "b": rg(inp.randn(3, 2))}, [T("a"), T("b")], call="function")
    c.add("mm (method)", "mm", {"a": rg(inp.randn(3, 1)), "b": rg(inp.randn(1, 3))}, [T("a"), T("b")])
    c.add("matmul in float64", "matmul", {"a": rg(inp.randn(2, 3, dtype="float64")), "b": rg(inp.randn(3, 2, dtype="float64"))}, [T("a"), T("b")])
    c.add("matmul of int64 matrices stays int64", "matmul", {"a": torch.tensor([[1, 2], [3, 4]]), "b": torch.tensor([[5, 6], [7, 8]])}, [T("a"), T("b")])
    c.add("matmul with a long inner dimension", "matmul", {"a": rg(inp.randn(2, 64)), "b": rg(inp.randn(64, 2))}, [T("a"), T("b")])

    # ------------------------------------------------------------------ shape ops
    c.group = "transpose and permute"
    m = rg(inp.randn(2, 3))
    t3 = rg(inp.randn(2, 3, 4))
    c.add("t of a matrix", "t", {"x": m}, [T("x")])
    c.add("torch.t (function)", "t", {"x": m}, [T("x")], call="function")
    c.add("t of a vector is the vector", "t", {"x": rg(inp.randn(3))}, [T("x")])
    c.add("transpose(0, 1) of a matrix", "transpose", {"x": m}, [T("x"), 0, 1])
    c.add("transpose(-1, -3) of a 3-d tensor", "transpose", {"x": t3}, [T("x"), -1, -3])
    c.add("torch.transpose (function)", "transpose", {"x": t3}, [T("x"), 1, 2], call="function")
    c.add("permute(2, 0, 1)", "permute", {"x": t3}, [T("x"), 2, 0, 1])
    c.add("permute with a list of dims", "permute", {"x": t3}, [T("x"), [1, 2, 0]])
    c.add("permute with negative dims", "permute", {"x": t3}, [T("x"), -1, -2, -3])
    c.add("torch.permute (function)", "permute", {"x": t3}, [T("x"), [2, 1, 0]], call="function")

    c.group = "reshape, view and flatten"
    c.add("reshape(3, 2)", "reshape", {"x": m}, [T("x"), 3, 2])
    c.add("reshape with a list", "reshape", {"x": m}, [T("x"), [6]])
    c.add("reshape with -1", "reshape", {"x": t3}, [T("x"), -1, 4])
    c.add("reshape to a 0-dim tensor", "reshape", {"x": rg(inp.randn(1))}, [T("x"), []])
    c.add("torch.reshape (function)", "reshape", {"x": t3}, [T("x"), [4, -1]], call="function")
    c.add("view(6)", "view", {"x": m}, [T("x"), 6])
    c.add("view(-1, 2)", "view", {"x": t3}, [T("x"), -1, 2])
    c.add("view with a list", "view", {"x": t3}, [T("x"), [2, 12]])
    c.add("flatten() of a 3-d tensor", "flatten", {"x": t3}, [T("x")])
    c.add("flatten(1)", "flatten", {"x": t3}, [T("x"), 1])
    c.add("flatten(0, 1)", "flatten", {"x": t3}, [T("x"), 0, 1])
    c.add("flatten with start_dim and end_dim keywords", "flatten", {"x": rg(inp.randn(2, 2, 2, 2))}, [T("x")], {"start_dim": 1, "end_dim": -2})
    c.add("torch.flatten (function)", "flatten", {"x": t3}, [T("x"), 1], call="function")
    c.add("flatten of a 0-dim tensor gives one element", "flatten", {"x": rg(inp.randn())}, [T("x")])

    c.group = "squeeze, unsqueeze and expand"
    s = rg(inp.randn(1, 3, 1, 2))
    c.add("squeeze() removes all size-1 dims", "squeeze", {"x": s}, [T("x")])
    c.add("squeeze(0)", "squeeze", {"x": s}, [T("x"), 0])
    c.add("squeeze(-2)", "squeeze", {"x": s}, [T("x"), -2])
    c.add("squeeze of a dim that is not 1 is a no-op", "squeeze", {"x": s}, [T("x"), 1])
    c.add("torch.squeeze (function)", "squeeze", {"x": s}, [T("x"), 2], call="function")
    c.add("unsqueeze(0)", "unsqueeze", {"x": m}, [T("x"), 0])
    c.add("unsqueeze(-1)", "unsqueeze", {"x": m}, [T("x"), -1])
    c.add("unsqueeze(1)", "unsqueeze", {"x": m}, [T("x"), 1])
    c.add("torch.unsqueeze (function)", "unsqueeze", {"x": m}, [T("x"), 2], call="function")
    col = rg(inp.randn(3, 1))
    c.add("expand(3, 4) of a column", "expand", {"x": col}, [T("x"), 3, 4])
    c.add("expand with a new leading dim", "expand", {"x": col}, [T("x"), 2, 3, 4])
    c.add("expand with -1 keeps a dim", "expand", {"x": col}, [T("x"), -1, 5])
    c.add("expand with a list", "expand", {"x": col}, [T("x"), [2, 3, 2]])
    c.add("expand of a 0-dim tensor", "expand", {"x": rg(inp.randn())}, [T("x"), 2, 2])

    c.group = "cat and stack"
    a, b = rg(inp.randn(2, 3)), rg(inp.randn(2, 3))
    c.add("cat along dim 0", "cat", {"a": a, "b": rg(inp.randn(1, 3))}, [[T("a"), T("b")], 0], call="function")
    c.add("cat along dim 1", "cat", {"a": a, "b": rg(inp.randn(2, 2))}, [[T("a"), T("b")], 1], call="function")
    c.add("cat along dim -1", "cat", {"a": a, "b": b}, [[T("a"), T("b")], -1], call="function")
    c.add("cat defaults to dim 0", "cat", {"a": a, "b": b}, [[T("a"), T("b")]], call="function")
    c.add("cat of three tensors", "cat", {"a": rg(inp.randn(2)), "b": rg(inp.randn(3)), "c": rg(inp.randn(1))}, [[T("a"), T("b"), T("c")]], call="function")
    c.add("cat where one input does not require grad", "cat", {"a": a, "b": inp.randn(2, 3)}, [[T("a"), T("b")], 0], call="function")
    c.add("cat with dim keyword", "cat", {"a": a, "b": b}, [[T("a"), T("b")]], {"dim": 1}, call="function")
    c.add("stack along dim 0", "stack", {"a": a, "b": b}, [[T("a"), T("b")], 0], call="function")
    c.add("stack along dim 1", "stack", {"a": a, "b": b}, [[T("a"), T("b")], 1], call="function")
    c.add("stack along dim -1 (new last dim)", "stack", {"a": a, "b": b}, [[T("a"), T("b")], -1], call="function")
    c.add("stack defaults to dim 0", "stack", {"a": a, "b": b, "c": rg(inp.randn(2, 3))}, [[T("a"), T("b"), T("c")]], call="function")
    c.add("stack of 0-dim tensors", "stack", {"a": rg(inp.randn()), "b": rg(inp.randn())}, [[T("a"), T("b")]], call="function")

    c.group = "indexing ops"
    x = rg(inp.randn(4, 3))
    c.add("index_select rows", "index_select", {"x": x, "idx": torch.tensor([2, 0])}, [T("x"), 0, T("idx")])
    c.add("index_select columns with repeats accumulates the gradient", "index_select", {"x": x, "idx": torch.tensor([1, 1, 0, 2, 1])}, [T("x"), 1, T("idx")])
    c.add("torch.index_select (function)", "index_select", {"x": x, "idx": torch.tensor([3, 1])}, [T("x"), 0, T("idx")], call="function")
    c.add("gather along dim 1", "gather", {"x": x, "idx": torch.tensor([[0, 0], [1, 0], [2, 2], [1, 1]])}, [T("x"), 1, T("idx")])
    c.add("gather along dim 0", "gather", {"x": x, "idx": torch.tensor([[3, 0, 1], [0, 0, 2]])}, [T("x"), 0, T("idx")])
    c.add("torch.gather (function)", "gather", {"x": x, "idx": torch.tensor([[2], [0], [1], [2]])}, [T("x"), 1, T("idx")], call="function")
    c.add("gather along dim -1", "gather", {"x": x, "idx": torch.tensor([[2, 1, 0], [0, 1, 2], [1, 1, 1], [0, 0, 0]])}, [T("x"), -1, T("idx")])
    mask = torch.tensor([[True, False, False], [False, True, True], [False, False, False], [True, True, True]])
    c.add("masked_fill with 0 stops the gradient where masked", "masked_fill", {"x": x, "mask": mask}, [T("x"), T("mask"), 0.0])
    c.add("masked_fill with -inf", "masked_fill", {"x": x, "mask": mask}, [T("x"), T("mask"), {"number": "-inf"}])
    c.add("masked_fill with a broadcast mask", "masked_fill", {"x": x, "mask": torch.tensor([True, False, True])}, [T("x"), T("mask"), 2.5])
    c.add("torch.masked_fill (function)", "masked_fill", {"x": x, "mask": mask}, [T("x"), T("mask"), -1.0], call="function")

    c.group = "type promotion"
    ints = torch.tensor([[1, 2, 3], [4, 5, -6]])
    f32 = rg(inp.randn(2, 3))
    c.add("int64 tensor * 0.5 is float32", "mul", {"i": ints}, [T("i"), 0.5])
    c.add("int64 tensor + 2 stays int64", "add", {"i": ints}, [T("i"), 2])
    c.add("int64 tensor / int64 tensor is true division in float32", "div", {"i": ints, "j": torch.tensor([[2, 4, 2], [3, 2, 4]])}, [T("i"), T("j")])
    c.add("int64 tensor / 2 is float32", "div", {"i": ints}, [T("i"), 2])
    c.add("float32 + float64 tensors is float64 (grad keeps each dtype)", "add", {"a": f32, "b": rg(inp.randn(2, 3, dtype="float64"))}, [T("a"), T("b")])
    c.add("float32 * float64 tensors is float64 (grad keeps each dtype)", "mul", {"a": f32, "b": rg(inp.randn(2, 3, dtype="float64"))}, [T("a"), T("b")])
    c.add("int64 + float32 tensor is float32", "add", {"i": ints, "a": f32}, [T("i"), T("a")])
    c.add("float32 tensor * 0-dim float64 tensor stays float32", "mul", {"a": f32, "s": rg(torch.tensor(1.5, dtype=torch.float64))}, [T("a"), T("s")])
    c.add("int64 tensor * 0-dim float64 tensor is float64", "mul", {"i": ints, "s": torch.tensor(1.5, dtype=torch.float64)}, [T("i"), T("s")])
    c.add("0-dim float32 + float64 vector is float64", "add", {"s": rg(torch.tensor(0.25)), "b": rg(inp.randn(3, dtype="float64"))}, [T("s"), T("b")])
    c.add("bool tensor + 1 is int64", "add", {"m": torch.tensor([True, False, True])}, [T("m"), 1])
    c.add("bool tensor * 1.5 is float32", "mul", {"m": torch.tensor([True, False, True])}, [T("m"), 1.5])
    c.add("float64 tensor + 2.5 stays float64", "add", {"d": rg(inp.randn(3, dtype="float64"))}, [T("d"), 2.5])
    c.add("int64 tensor ** 2 stays int64", "pow", {"i": ints}, [T("i"), 2])
    c.add("int64 tensor ** 0.5 is float32", "pow", {"i": torch.tensor([1, 4, 9])}, [T("i"), 0.5])
    c.add("torch.where of float32 and float64 is float64", "where", {"cond": torch.tensor([True, False]), "a": rg(inp.randn(2)), "b": rg(inp.randn(2, dtype="float64"))}, [T("cond"), T("a"), T("b")], call="function")
    c.add("maximum of int64 and float32 is float32", "maximum", {"i": torch.tensor([1, -2, 3]), "a": rg(torch.tensor([0.5, 0.5, 3.5]))}, [T("i"), T("a")], call="function")
    c.add("cat of float32 and float64 is float64", "cat", {"a": rg(inp.randn(2)), "b": rg(inp.randn(2, dtype="float64"))}, [[T("a"), T("b")]], call="function")
    c.add("exp of an int64 tensor is float32", "exp", {"i": torch.tensor([0, 1, 2])}, [T("i")])
    c.add("mean of a float64 tensor stays float64", "mean", {"d": rg(inp.randn(3, dtype="float64"))}, [T("d")])

    c.group = "float32 arithmetic"
    c.add("0.1 + 0.2 in float32", "add", {"a": torch.tensor([0.1]), "b": torch.tensor([0.2])}, [T("a"), T("b")])
    c.add("1 / 3 in float32", "div", {"a": torch.tensor([1.0, 2.0]), "b": torch.tensor([3.0, 3.0])}, [T("a"), T("b")])
    c.add("large plus small loses the small in float32", "add", {"a": torch.tensor([16777216.0, 1e8])}, [T("a"), 1.0])
    c.add("0.1 + 0.2 in float64", "add", {"a": torch.tensor([0.1], dtype=torch.float64), "b": torch.tensor([0.2], dtype=torch.float64)}, [T("a"), T("b")])
    c.add("float32 scalar operand is rounded to float32", "mul", {"a": torch.tensor([3.0, 7.0])}, [T("a"), 0.1])
    c.add("division by zero gives inf and nan", "div", {"a": torch.tensor([1.0, -1.0, 0.0])}, [T("a"), 0.0])

    write_fixture("ops", c.cases, GEN)


if __name__ == "__main__":
    main()
