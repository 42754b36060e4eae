"""Writes test/fixtures/parity-autograd.json: the autograd engine's behaviour on whole scripts.

Each case is a short Python script (stored verbatim under "python") that fills `expected`; the
TypeScript test for the case id replays the same script with the engine. Tensors in `expected`
use the common encoding; a graph is {"name": "MulBackward0", "next": [[node or null, output_nr]]}
walked from a grad_fn through next_functions (AccumulateGrad nodes are leaves of the walk).
"""

import re
import textwrap
import warnings

import torch

from common import value, write_fixture

GEN = "test/parity/gen_autograd.py"

T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]


def graph(fn):
    if fn is None:
        return None
    return {"name": type(fn).__name__, "next": [[graph(f), nr] for f, nr in fn.next_functions]}


def tensor_meta(t):
    return {
        "requires_grad": t.requires_grad,
        "is_leaf": t.is_leaf,
        "grad_fn": None if t.grad_fn is None else type(t.grad_fn).__name__,
    }


def strip_triggered(message):
    """Drops PyTorch's build-path suffix " (Triggered internally at ...)" from a warning."""
    return re.sub(r" \(Triggered internally at .*\)$", "", message, flags=re.S)


CASES = []


def case(id, name, source):
    CASES.append((id, name, textwrap.dedent(source).strip("\n")))


# ------------------------------------------------------------------ the chapter's thermometer
case("thermometer_loss_and_grad", "the thermometer model's loss, gradient and graph", """
t_c = torch.tensor(T_C)
t_u = torch.tensor(T_U)
params = torch.tensor([1.0, 0.0], requires_grad=True)
w, b = params
t_p = w * t_u + b
loss = ((t_p - t_c) ** 2).mean()
loss.backward()
expected["loss"] = loss
expected["grad"] = params.grad
expected["graph"] = graph(loss.grad_fn)
expected["w"] = tensor_meta(w)
expected["t_p"] = tensor_meta(t_p)
expected["loss_meta"] = tensor_meta(loss)
expected["params"] = tensor_meta(params)
""")

case("thermometer_normalized_training", "five hand-written gradient-descent epochs on the normalized thermometer data", """
t_c = torch.tensor(T_C)
t_un = 0.1 * torch.tensor(T_U)
params = torch.tensor([1.0, 0.0], requires_grad=True)
learning_rate = 1e-2
losses = []
for epoch in range(5):
    if params.grad is not None:
        params.grad.zero_()
    w, b = params
    loss = ((w * t_un + b - t_c) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        params -= learning_rate * params.grad
    losses.append(loss.item())
expected["losses"] = losses
expected["params"] = params
expected["params_requires_grad"] = params.requires_grad
expected["params_is_leaf"] = params.is_leaf
""")

case("thermometer_graph_model_function", "the book's model(t_u, w, b) graph with separate w and b leaves", """
t_c = torch.tensor(T_C)
t_u = torch.tensor(T_U)
w = torch.ones(())
b = torch.zeros(())
w.requires_grad_()
b.requires_grad_()
loss = ((w * t_u + b - t_c) ** 2).mean()
loss.backward()
expected["loss"] = loss
expected["w_grad"] = w.grad
expected["b_grad"] = b.grad
expected["graph"] = graph(loss.grad_fn)
""")

# ------------------------------------------------------------------ accumulation and retain_graph
case("grad_accumulates_over_two_backward_calls", "backward twice (fresh forward each time) adds into .grad", """
t_c = torch.tensor(T_C)
t_u = torch.tensor(T_U)
params = torch.tensor([1.0, 0.0], requires_grad=True)
def loss_fn():
    w, b = params
    return ((w * t_u + b - t_c) ** 2).mean()
loss_fn().backward()
expected["after_first"] = params.grad.clone()
loss_fn().backward()
expected["after_second"] = params.grad.clone()
params.grad.zero_()
expected["after_zero"] = params.grad.clone()
loss_fn().backward()
expected["after_third"] = params.grad
""")

case("retain_graph_allows_a_second_backward", "backward(retain_graph=True) then backward again doubles the gradient", """
x = torch.tensor([0.5, -1.5, 2.0], requires_grad=True)
y = (x.exp() * x).sum()
y.backward(retain_graph=True)
expected["after_first"] = x.grad.clone()
y.backward()
expected["after_second"] = x.grad
""")

case("backward_with_gradient_argument", "backward on a non-scalar with an explicit gradient", """
x = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
y = x * x * 3
y.backward(torch.tensor([[1.0, 0.1], [0.01, -1.0]]))
expected["grad"] = x.grad
""")

case("input_used_on_two_paths", "gradients from two paths to the same leaf are summed", """
x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
y = x * x + x.sin() + x
y.sum().backward()
expected["grad"] = x.grad
expected["graph"] = graph(y.grad_fn)
""")

case("leaf_and_non_leaf", "is_leaf, requires_grad and grad_fn of leaves, results and constants", """
a = torch.tensor([1.0, 2.0], requires_grad=True)
c = torch.tensor([3.0, 4.0])
r = a * 2
k = c * 2
expected["a"] = tensor_meta(a)
expected["c"] = tensor_meta(c)
expected["r"] = tensor_meta(r)
expected["k"] = tensor_meta(k)
expected["mixed"] = tensor_meta(a + c)
""")

# ------------------------------------------------------------------ hooks and retain_grad
case("hook_doubles_the_gradient_of_an_intermediate", "register_hook on an intermediate that doubles its gradient", """
x = torch.tensor([1.0, 2.0, -3.0], requires_grad=True)
h = x * x
h.register_hook(lambda g: g * 2)
y = (h * torch.tensor([1.0, 0.5, 0.25])).sum()
y.backward()
expected["grad"] = x.grad
""")

case("hook_on_a_leaf", "register_hook on a leaf changes what is accumulated into .grad", """
x = torch.tensor([1.0, 2.0, -3.0], requires_grad=True)
seen = []
def hook(g):
    seen.append(g.clone())
    return g * 2
x.register_hook(hook)
(x ** 2).sum().backward()
expected["seen"] = seen[0]
expected["grad"] = x.grad
""")

case("hook_that_returns_none_only_observes", "a hook that returns None leaves the gradient unchanged", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
seen = []
h = x * 3
h.register_hook(lambda g: seen.append(g.clone()))
(h * h).sum().backward()
expected["seen"] = seen[0]
expected["grad"] = x.grad
""")

case("retain_grad_on_an_intermediate", "retain_grad() keeps the gradient of a non-leaf", """
x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
h = x.exp()
h.retain_grad()
y = (h * h).sum()
y.backward()
expected["h_grad"] = h.grad
expected["x_grad"] = x.grad
expected["h_retains_grad"] = h.retains_grad
expected["h_is_leaf"] = h.is_leaf
""")

# PyTorch 2.x runs retain_grad's hook after the tensor's other hooks, whenever they were
# registered (1.13 ran Python hooks where the first was registered): the TypeScript case calls
# retain_grad() first; here the hook comes first, which gives 2.x's result under 1.13 too.
case("retain_grad_and_hook_together", "retain_grad keeps the gradient every hook gave, as PyTorch 2.x (whatever the registration order)", """
x = torch.tensor([1.0, -1.0], requires_grad=True)
h = x * 2
h.register_hook(lambda g: g * 10)
h.retain_grad()
(h * h).sum().backward()
expected["h_grad"] = h.grad
expected["x_grad"] = x.grad
""")

# ------------------------------------------------------------------ higher order
case("second_derivative_of_cube", "d2/dx2 of x**3 with create_graph", """
x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
y = (x ** 3).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
expected["first"] = g
expected["first_meta"] = tensor_meta(g)
(g2,) = torch.autograd.grad(g.sum(), x)
expected["second"] = g2
""")

case("second_derivative_of_sin_times_x", "d2/dx2 of sin(x)*x with create_graph", """
x = torch.tensor([0.3, -1.2, 2.5, 0.0], requires_grad=True)
y = (x.sin() * x).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
(g2,) = torch.autograd.grad(g.sum(), x)
expected["first"] = g
expected["second"] = g2
""")

case("hessian_vector_product", "a Hessian-vector product via two autograd.grad calls", """
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
A = torch.tensor([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]])
v = torch.tensor([1.0, -2.0, 0.5])
f = (x @ A @ x) * 0.5 + x.sin().sum() + (x ** 3).sum() / 6
(g,) = torch.autograd.grad(f, x, create_graph=True)
(hv,) = torch.autograd.grad(g, x, grad_outputs=v)
expected["f"] = f
expected["grad"] = g
expected["hvp"] = hv
""")

case("backward_with_create_graph", "backward(create_graph=True) leaves a .grad that requires grad, for a second backward", """
x = torch.tensor([1.5, -0.5], requires_grad=True)
y = (x ** 3).sum()
y.backward(create_graph=True)
expected["grad"] = x.grad
expected["grad_requires_grad"] = x.grad.requires_grad
g = x.grad
x.grad = None
g.sum().backward()
expected["second"] = x.grad
""")

case("grad_of_two_inputs", "autograd.grad with two inputs returns both gradients and leaves .grad alone", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, -1.5], requires_grad=True)
y = (x * w).exp().sum()
gx, gw = torch.autograd.grad(y, [x, w])
expected["gx"] = gx
expected["gw"] = gw
expected["x_grad_is_none"] = x.grad is None
""")

case("grad_allow_unused", "autograd.grad with allow_unused returns None for an unused input", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
z = torch.tensor([3.0], requires_grad=True)
y = (x * x).sum()
gx, gz = torch.autograd.grad(y, [x, z], allow_unused=True)
expected["gx"] = gx
expected["gz_is_none"] = gz is None
""")

case("grad_with_grad_outputs", "autograd.grad of a non-scalar with grad_outputs", """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
(g,) = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 0.5, -1.0]))
expected["grad"] = g
""")

# ------------------------------------------------------------------ detach, requires_grad_, no_grad
case("detach", "detach() gives a leaf without grad that shares storage", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
d = y.detach()
expected["d"] = tensor_meta(d)
expected["d_values"] = d
d.add_(1)
expected["y_after_inplace_on_detached"] = y
expected["y"] = tensor_meta(y)
""")

case("requires_grad_", "requires_grad_() turns a constant into a leaf that requires grad", """
a = torch.tensor([1.0, 2.0])
expected["before"] = tensor_meta(a)
r = a.requires_grad_()
expected["after"] = tensor_meta(a)
expected["returns_self"] = r is a
(a * a).sum().backward()
expected["grad"] = a.grad
a.requires_grad_(False)
expected["after_false"] = tensor_meta(a)
""")

case("no_grad", "results computed under no_grad do not require grad", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
    z = y + x
    enabled = torch.is_grad_enabled()
expected["y"] = tensor_meta(y)
expected["z"] = tensor_meta(z)
expected["z_values"] = z
expected["enabled_inside"] = enabled
expected["enabled_after"] = torch.is_grad_enabled()
w = x * 2
expected["w"] = tensor_meta(w)
""")

case("no_grad_update_keeps_leaf", "an in-place update under no_grad keeps a leaf a leaf", """
p = torch.tensor([1.0, -1.0], requires_grad=True)
(p * p).sum().backward()
with torch.no_grad():
    p -= 0.1 * p.grad
expected["p"] = p
expected["p_meta"] = tensor_meta(p)
expected["version"] = p._version
""")

case("enable_grad_inside_no_grad", "enable_grad inside no_grad records again", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
    z = x * 2
expected["y"] = tensor_meta(y)
expected["z"] = tensor_meta(z)
""")

case("set_grad_enabled_false", "set_grad_enabled(False) as a context manager", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.set_grad_enabled(False):
    y = x * 2
expected["y"] = tensor_meta(y)
""")

case("grad_of_non_leaf_is_none_with_warning", "reading .grad of a non-leaf gives None and warns", """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.sum().backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    g = y.grad
expected["grad_is_none"] = g is None
expected["warning"] = strip_triggered(str(caught[0].message))
expected["warning_category"] = caught[0].category.__name__
""")

case("version_counter", "in-place ops bump _version; out-of-place ops don't", """
x = torch.tensor([1.0, 2.0])
v0 = x._version
x.add_(1)
v1 = x._version
x.mul_(2)
v2 = x._version
y = x + 1
view = x[0:1]
view.add_(1)
expected["versions"] = [v0, v1, v2, y._version, x._version]
expected["x"] = x
""")

case("zero_grad_with_none", "setting .grad to None then backward gives a fresh gradient", """
x = torch.tensor([2.0, 3.0], requires_grad=True)
(x * x).sum().backward()
x.grad = None
(x * 5).sum().backward()
expected["grad"] = x.grad
""")

case("unbind_graph", "iterating a tensor gives UnbindBackward0 outputs with their output numbers", """
params = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
a, b, c = params
y = a * 2 + c * 3
y.backward()
expected["graph"] = graph(y.grad_fn)
expected["grad"] = params.grad
""")

case("graph_of_linear_model_with_mse", "grad_fn chain of mse_loss(linear(x))", """
x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
w = torch.tensor([[0.1, -0.2]], requires_grad=True)
b = torch.tensor([0.05], requires_grad=True)
y = torch.tensor([[1.0], [2.0], [0.0]])
loss = ((x @ w.t() + b - y) ** 2).mean()
loss.backward()
expected["loss"] = loss
expected["w_grad"] = w.grad
expected["b_grad"] = b.grad
expected["graph"] = graph(loss.grad_fn)
""")


def main():
    cases = []
    for id, name, source in CASES:
        expected = {}
        scope = {
            "torch": torch,
            "T_C": T_C,
            "T_U": T_U,
            "graph": graph,
            "tensor_meta": tensor_meta,
            "warnings": warnings,
            "strip_triggered": strip_triggered,
            "expected": expected,
        }
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Using backward\\(\\) with create_graph=True")
            exec(source, scope)  # noqa: S102 - our own scripts
        cases.append({"id": id, "name": name, "python": source, "expected": value(expected)})
    write_fixture("autograd", cases, GEN, {"t_c": T_C, "t_u": T_U})


if __name__ == "__main__":
    main()
