"""Fixture for test/engine/backward-inputs.test.ts: `backward(inputs=...)` in PyTorch 1.13.

Run with an interpreter that has PyTorch (`/usr/bin/python3 test/engine/gen_backward_inputs.py`);
writes test/fixtures/backward-inputs.json. Each case holds its script verbatim and what it put in
`expected` (tensors encoded as in test/parity/common.py; None for a .grad that stayed None); a
case that raises records the exception's type and message instead.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))

import torch  # noqa: E402
from common import spec  # noqa: E402

CASES = [
    ("only_the_inputs_accumulate", "a leaf not listed in inputs gets no .grad", """
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
(a * b).sum().backward(inputs=[a])
expected["a"] = a.grad
expected["b"] = b.grad
"""),
    ("a_single_tensor_as_inputs", "inputs given as one tensor instead of a list", """
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
(a * b).sum().backward(inputs=b)
expected["a"] = a.grad
expected["b"] = b.grad
"""),
    ("a_non_leaf_input_keeps_its_gradient", "a computed tensor as input: its .grad is kept (retain_grad), the leaves get none", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
c = x * 2
(c * c).sum().backward(inputs=[c])
expected["c"] = c.grad
expected["c_retains_grad"] = c.retains_grad
expected["x"] = x.grad
"""),
    ("an_input_listed_twice_accumulates_once", "the same tensor twice in inputs", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
(x * x).sum().backward(inputs=[x, x])
expected["x"] = x.grad
"""),
    ("inputs_accumulate_over_calls", "a second backward(inputs=...) adds to the first", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, -1.0], requires_grad=True)
loss = (x * w).sum()
loss.backward(inputs=[w], retain_graph=True)
loss.backward(inputs=[w])
expected["w"] = w.grad
expected["x"] = x.grad
"""),
    ("an_unreachable_input_stays_without_grad", "an input the loss does not depend on: no error, .grad stays None", """
a = torch.tensor([1.0, 2.0], requires_grad=True)
d = torch.tensor([1.0], requires_grad=True)
(a * a).sum().backward(inputs=[a, d])
expected["a"] = a.grad
expected["d"] = d.grad
"""),
    ("hooks_off_the_path_do_not_run", "a tensor hook on a branch that leads to no input is not called", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
z = torch.tensor([3.0, 4.0], requires_grad=True)
h = z * 3
calls = []
h.register_hook(lambda g: calls.append("h"))
((x * x).sum() + h.sum()).backward(inputs=[x])
expected["x"] = x.grad
expected["z"] = z.grad
expected["hook_calls"] = len(calls)
"""),
    ("autograd_backward_with_inputs", "torch.autograd.backward(tensors, inputs=...) from two roots", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
z = torch.tensor([3.0, 4.0], requires_grad=True)
torch.autograd.backward([(x * z).sum(), (x + z).sum()], inputs=[z])
expected["x"] = x.grad
expected["z"] = z.grad
"""),
    ("empty_inputs", "an empty inputs list is an error", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
(x * x).sum().backward(inputs=[])
"""),
    ("an_input_without_grad", "an input that does not require grad is an error", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
e = torch.tensor([1.0])
(x * x).sum().backward(inputs=[e])
"""),
]


def run(script):
    expected = {}
    try:
        exec(script, {"torch": torch, "expected": expected})
    except Exception as e:  # noqa: BLE001 - the error is the expected result
        return {"error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}
    out = {}
    for k, v in expected.items():
        out[k] = spec(v) if isinstance(v, torch.Tensor) or v is None else v
    return {"values": out}


def main():
    cases = [{"id": cid, "name": name, "python": script.strip(), "expected": run(script)} for cid, name, script in CASES]
    fixture = {"generator": "test/engine/gen_backward_inputs.py", "torch_version": torch.__version__, "cases": cases}
    path = os.path.join(HERE, "..", "fixtures", "backward-inputs.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
