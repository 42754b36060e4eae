"""Writes test/fixtures/parity-errors.json: the exact messages PyTorch 1.13 raises (and warns).

Each case is a short Python script (stored verbatim under "python"); the last statement raises.
"expected" is {"kind": "error", "type": "RuntimeError", "message": "..."}, or
{"kind": "warning", "category": "UserWarning", "message": "..."}, or {"kind": "none", ...} for
the cases that document that PyTorch does NOT raise (with the values it computes instead).
Warnings lose PyTorch's build-path suffix " (Triggered internally at ...)".
"""

import re
import textwrap
import warnings

import torch

from common import value, write_fixture

GEN = "test/parity/gen_errors.py"

CASES = []


G = None


def case(id, name, source, kind="error"):
    CASES.append((G, id, name, textwrap.dedent(source).strip("\n"), kind))


G = "backward"
case("backward_non_scalar", "backward() on a non-scalar without a gradient", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.backward()
""")
case("backward_not_requiring_grad", "backward() on a tensor that does not require grad", """
x = torch.tensor([1.0, 2.0, 3.0])
loss = (x * 2).sum()
loss.backward()
""")
case("backward_twice", "a second backward() without retain_graph", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x * x).sum()
loss.backward()
loss.backward()
""")
case("backward_twice_thermometer", "the training loop bug: backward on last epoch's loss", """
t_u = torch.tensor([35.7, 55.9, 58.2])
t_c = torch.tensor([0.5, 14.0, 15.0])
params = torch.tensor([1.0, 0.0], requires_grad=True)
w, b = params
loss = ((w * t_u + b - t_c) ** 2).mean()
for epoch in range(2):
    loss.backward()
""")
case("backward_gradient_shape_mismatch", "backward() with a gradient of the wrong shape", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.backward(torch.ones(3))
""")
case("autograd_grad_non_scalar", "autograd.grad of a non-scalar without grad_outputs", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
torch.autograd.grad(x * 2, x)
""")
case("autograd_grad_unused_input", "autograd.grad with an input the output does not use", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
z = torch.tensor([3.0], requires_grad=True)
y = (x * x).sum()
torch.autograd.grad(y, [x, z])
""")
case("autograd_grad_output_not_requiring_grad", "autograd.grad of an output that does not require grad", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = (x * x).sum()
torch.autograd.grad(y, x)
""")

G = "in-place operations"
case("inplace_on_leaf", "an in-place op on a leaf that requires grad", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
x.add_(1)
""")
case("inplace_on_leaf_sub", "x -= lr * grad outside no_grad on a leaf that requires grad", """
params = torch.tensor([1.0, 0.0], requires_grad=True)
(params * params).sum().backward()
params -= 0.01 * params.grad
""")
case("inplace_on_view_of_leaf", "an in-place op on a view of a leaf that requires grad", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
x[0:2].add_(1)
""")
case("inplace_modified_output_exp", "exp's output (saved for backward) modified in place", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.exp()
y.add_(1)
y.sum().backward()
""")
case("inplace_modified_output_sigmoid_matrix", "sigmoid's output (saved for backward), a 2x3 matrix, modified in place", """
x = torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]], requires_grad=True)
y = x.sigmoid()
y.mul_(2)
y.sum().backward()
""")
case("inplace_modified_intermediate_input", "a non-leaf input saved by pow modified in place", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 1
y = h ** 2
h.add_(1)
y.sum().backward()
""")
case("inplace_modified_data_tensor", "a plain data tensor (no grad) saved by mul modified in place", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
d = torch.tensor([4.0, 5.0, 6.0])
y = x * d
d.add_(1)
y.sum().backward()
""")
case("inplace_modified_float64_data_tensor", "a float64 data tensor saved by mul modified in place twice", """
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
d = torch.tensor([4.0, 5.0], dtype=torch.float64)
y = x * d
d.add_(1)
d.mul_(3)
y.sum().backward()
""")
case("inplace_modified_via_data_is_silent", "a change made through .data is not tracked: no error, the gradient uses the new value", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
a = x * w
w.data.add_(1)
a.sum().backward()
expected["x_grad"] = x.grad
expected["w_grad"] = w.grad
""", kind="none")

G = "requires_grad and .grad"
case("requires_grad_false_on_non_leaf", "requires_grad_(False) on a non-leaf", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.requires_grad_(False)
""")
case("requires_grad_on_int_tensor", "requires_grad_() on an int64 tensor", """
x = torch.tensor([1, 2])
x.requires_grad_()
""")
case("non_leaf_grad_warning", "reading .grad of a non-leaf warns", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.sum().backward()
y.grad
""", kind="warning")

G = "shapes"
case("broadcast_mismatch", "adding tensors whose shapes do not broadcast", """
torch.ones(2, 3) + torch.ones(4)
""")
case("broadcast_mismatch_dim0", "multiplying [3] by [2, 4]", """
torch.ones(3) * torch.ones(2, 4)
""")
case("matmul_shape_mismatch", "matmul of a 2x3 and a 4x5 matrix", """
torch.ones(2, 3) @ torch.ones(4, 5)
""")
case("mm_of_a_vector", "torch.mm with a vector", """
torch.mm(torch.ones(3), torch.ones(3, 2))
""")
case("dot_size_mismatch", "matmul of two vectors of different lengths", """
torch.ones(2).matmul(torch.ones(3))
""")
case("view_non_contiguous", "view() of a transposed tensor", """
torch.ones(2, 3).t().view(6)
""")
case("reshape_invalid", "reshape to a shape with a different number of elements", """
torch.ones(2, 3).reshape(4, 2)
""")
case("view_two_inferred", "view with two -1 dims", """
torch.ones(2, 3).view(-1, -1)
""")
case("dim_out_of_range_sum", "sum over a dim the tensor does not have", """
torch.ones(2, 3).sum(2)
""")
case("dim_out_of_range_squeeze", "squeeze of a dim the tensor does not have", """
torch.ones(2, 3).squeeze(3)
""")
case("dim_out_of_range_max", "max over dim 5 of a matrix", """
torch.ones(2, 3).max(5)
""")
case("dim_out_of_range_transpose", "transpose(0, 2) of a matrix", """
torch.ones(2, 3).transpose(0, 2)
""")
case("permute_duplicate_dims", "permute with a repeated dim", """
torch.ones(2, 3).permute(0, 0)
""")
case("expand_mismatch", "expand a non-singleton dim", """
torch.ones(2, 3).expand(4, 3)
""")
case("cat_size_mismatch", "cat of tensors whose other dims differ", """
torch.cat([torch.ones(2, 3), torch.ones(2, 2)], 0)
""")
case("stack_size_mismatch", "stack of tensors of different shapes", """
torch.stack([torch.ones(2), torch.ones(3)])
""")
case("item_of_many_elements", "item() of a tensor with 3 elements", """
torch.ones(3).item()
""")
case("ragged_nested_list", "torch.tensor of a ragged nested list", """
torch.tensor([[1, 2], [3]])
""")

G = "dtypes and indices"
case("mean_of_int64", "mean() of an int64 tensor", """
torch.tensor([1, 2]).mean()
""")
case("index_select_out_of_range", "index_select with an index past the end", """
torch.ones(3).index_select(0, torch.tensor([5]))
""")
case("gather_float_index", "gather with a float index tensor", """
torch.ones(3).gather(0, torch.tensor([1.0]))
""")
case("where_float_condition", "torch.where with a float condition", """
torch.where(torch.tensor([1.0, 0.0]), torch.ones(2), torch.zeros(2))
""")

G = "nn and optim"
case("linear_input_mismatch", "nn.Linear(3, 2) applied to a batch of 5 features", """
torch.manual_seed(0)
linear = torch.nn.Linear(3, 2)
linear(torch.ones(4, 5))
""")
case("cross_entropy_target_out_of_bounds", "cross_entropy with a class index past the number of classes", """
torch.nn.functional.cross_entropy(torch.ones(2, 3), torch.tensor([0, 3]))
""")
case("nll_loss_float_target", "nll_loss with a float target", """
torch.nn.functional.nll_loss(torch.ones(2, 3), torch.tensor([0.0, 1.0]))
""")
case("bce_input_out_of_range", "binary_cross_entropy with an input above 1", """
torch.nn.functional.binary_cross_entropy(torch.tensor([0.5, 1.5]), torch.tensor([0.0, 1.0]))
""")
case("sgd_negative_lr", "SGD with a negative learning rate", """
p = torch.ones(2, requires_grad=True)
torch.optim.SGD([p], lr=-0.01)
""")
case("sgd_nesterov_without_momentum", "SGD with nesterov but no momentum", """
p = torch.ones(2, requires_grad=True)
torch.optim.SGD([p], lr=0.1, nesterov=True)
""")
case("adam_invalid_beta", "Adam with beta1 = 1.0", """
p = torch.ones(2, requires_grad=True)
torch.optim.Adam([p], betas=(1.0, 0.9))
""")
case("optimizer_non_leaf", "an optimizer given a non-leaf tensor", """
p = torch.ones(2, requires_grad=True)
torch.optim.SGD([p * 2], lr=0.1)
""")
case("sparse_adam_dense_gradient", "SparseAdam.step() with dense gradients", """
p = torch.ones(2, requires_grad=True)
opt = torch.optim.SparseAdam([p])
(p * p).sum().backward()
opt.step()
""")


def strip_triggered(message):
    return re.sub(r" \(Triggered internally at .*\)$", "", message, flags=re.S)


def main():
    cases = []
    for group, id, name, source, kind in CASES:
        expected = {"kind": kind}
        scope = {"torch": torch, "expected": expected}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                exec(source, scope)  # noqa: S102 - our own scripts
            except Exception as e:  # noqa: BLE001
                if kind != "error":
                    raise
                expected["type"] = type(e).__name__
                expected["message"] = str(e)
            else:
                if kind == "error":
                    raise AssertionError("case {} did not raise".format(id))
        if kind == "warning":
            assert caught, id
            expected["category"] = caught[-1].category.__name__
            expected["message"] = strip_triggered(str(caught[-1].message))
        cases.append({"group": group, "id": id, "name": name, "python": source, "expected": value(expected)})
    write_fixture("errors", cases, GEN)


if __name__ == "__main__":
    main()
