"""Writes test/fixtures/parity-broadcast.json: binary ops over broadcasting shape pairs.

The gradient of each input comes back summed over the broadcast dims, at the input's own shape.
Same generic call format as parity-ops.json (see common.py).
"""

from common import Inputs, OpCases, tensor_arg as T, write_fixture

GEN = "test/parity/gen_broadcast.py"

PAIRS = [
    ([3, 1], [1, 4]),
    ([2, 3, 4], [4]),
    ([], [5]),
    ([5, 1, 3], [4, 1]),
    ([2, 1], [2, 3]),
    ([1], [3, 3]),
    ([4, 1, 1], [3, 2]),
    ([2, 3], [3]),
    ([3], [2, 1]),
    ([1, 1], [2, 2]),
    ([2, 1, 4], [1, 3, 1]),
    ([3, 4], []),
]


def fmt(shape):
    return "[" + ",".join(str(s) for s in shape) + "]"


def main():
    inp = Inputs(99)
    c = OpCases(98)
    for sa, sb in PAIRS:
        c.group = "{} with {}".format(fmt(sa), fmt(sb))
        a = inp.randn(*sa).requires_grad_()
        b = inp.randn(*sb).requires_grad_()
        b_nonzero = inp.randn(*sb, away=0.4).requires_grad_()
        a_pos = inp.uniform(0.5, 2.0, *sa).requires_grad_()
        a_distinct = inp.distinct(*sa).requires_grad_()
        b_distinct = inp.distinct(*sb, scale=1.03).requires_grad_()
        for op in ("add", "sub", "mul"):
            c.add("{} {} with {}".format(op, fmt(sa), fmt(sb)), op, {"a": a, "b": b}, [T("a"), T("b")])
        c.add("div {} by {}".format(fmt(sa), fmt(sb)), "div", {"a": a, "b": b_nonzero}, [T("a"), T("b")])
        c.add("pow {} to {}".format(fmt(sa), fmt(sb)), "pow", {"a": a_pos, "b": b}, [T("a"), T("b")])
        c.add("maximum {} with {}".format(fmt(sa), fmt(sb)), "maximum", {"a": a_distinct, "b": b_distinct}, [T("a"), T("b")], call="function")
        c.add("minimum {} with {}".format(fmt(sa), fmt(sb)), "minimum", {"a": a_distinct, "b": b_distinct}, [T("a"), T("b")], call="function")
        c.add("lt {} with {} gives a broadcast bool".format(fmt(sa), fmt(sb)), "lt", {"a": a, "b": b}, [T("a"), T("b")])
        c.add("add {} with {}, the other way round".format(fmt(sb), fmt(sa)), "add", {"a": a, "b": b}, [T("b"), T("a")])

    c.group = "where with broadcasting"
    c.add("where with a [3,1] condition and [1,4], [4] branches", "where", {"cond": inp.mask(3, 1), "a": inp.randn(1, 4).requires_grad_(), "b": inp.randn(4).requires_grad_()}, [T("cond"), T("a"), T("b")], call="function")
    c.add("where with a [4] condition and a [3,1] branch", "where", {"cond": inp.mask(4), "a": inp.randn(3, 1).requires_grad_(), "b": inp.randn(3, 4).requires_grad_()}, [T("cond"), T("a"), T("b")], call="function")
    c.add("where with a 0-dim branch", "where", {"cond": inp.mask(2, 3), "a": inp.randn().requires_grad_(), "b": inp.randn(2, 3).requires_grad_()}, [T("cond"), T("a"), T("b")], call="function")

    c.group = "mixed dtypes with broadcasting"
    c.add("float32 [3,1] + float64 [4] is float64 [3,4]", "add", {"a": inp.randn(3, 1).requires_grad_(), "b": inp.randn(4, dtype="float64").requires_grad_()}, [T("a"), T("b")])
    c.add("int64 [2,1] * float32 [3] is float32 [2,3]", "mul", {"i": inp.ints(-3, 4, 2, 1), "b": inp.randn(3).requires_grad_()}, [T("i"), T("b")])

    c.group = "only one input requires grad"
    c.add("mul [2,3] by a constant [3] row", "mul", {"a": inp.randn(2, 3).requires_grad_(), "b": inp.randn(3)}, [T("a"), T("b")])
    c.add("mul a constant [2,3] by a [2,1] column", "mul", {"a": inp.randn(2, 3), "b": inp.randn(2, 1).requires_grad_()}, [T("a"), T("b")])

    write_fixture("broadcast", c.cases, GEN)


if __name__ == "__main__":
    main()
