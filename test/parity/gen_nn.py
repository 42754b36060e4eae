"""Writes test/fixtures/parity-nn.json: nn modules, losses and a small training run.

Three kinds of cases (field "kind"):
  "module"   : build torch.nn.<module>(*module_args, **module_kwargs) (arguments use the common
               argument encoding, so a loss weight is {"tensor": "weight"}), load "parameters"
               (name → tensor) into it when given, call it on args; outputs, upstream and grads
               as in parity-ops.json, plus "parameter_grads".
  "call"     : a generic call as in parity-ops.json; op may be dotted ("nn.functional.mse_loss").
  "training" / "structure": see the ids "thermometer_mlp_training", "sequential_*_names".
"""

from collections import OrderedDict

import numpy as np
import torch

from common import Inputs, OpCases, grad_fn_name, invoke, is_differentiable, resolve, spec, tensor_arg as T, value, write_fixture

GEN = "test/parity/gen_nn.py"

T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]


class NNCases(OpCases):
    def module(self, name, module, module_args, module_kwargs, inputs, args, parameters=None):
        env = {}
        input_specs = {}
        for key, t in inputs.items():
            rg = bool(t.requires_grad)
            env[key] = t.detach().clone().requires_grad_(rg)
            s = spec(t)
            s["requires_grad"] = rg
            input_specs[key] = s
        m = getattr(torch.nn, module)(*resolve(module_args, env), **{k: resolve(v, env) for k, v in module_kwargs.items()})
        if parameters:
            with torch.no_grad():
                for pname, pvalue in parameters.items():
                    getattr(m, pname).copy_(pvalue)
        result = m(*[resolve(a, env) for a in args])
        case = {"kind": "module", "group": self.group, "name": name, "module": module, "module_args": module_args, "module_kwargs": module_kwargs}
        if parameters:
            case["parameters"] = {k: spec(v) for k, v in parameters.items()}
        case["inputs"] = input_specs
        case["args"] = args
        s = spec(result)
        s["requires_grad"] = bool(result.requires_grad)
        s["grad_fn"] = grad_fn_name(result)
        case["returns"] = "tensor"
        case["outputs"] = [s]
        if is_differentiable(result):
            up = self.upstream_like(result)
            result.backward(up)
            case["upstream"] = {"output": 0, "grad": spec(up)}
            case["grads"] = {k: spec(env[k].grad) for k, s in input_specs.items() if s["requires_grad"]}
            case["parameter_grads"] = {n: spec(p.grad) for n, p in m.named_parameters()}
        self.cases.append(case)
        return case

    def add(self, *a, **kw):
        case = super().add(*a, **kw)
        case["kind"] = "call"
        return case


def main():
    inp = Inputs(314)
    c = NNCases(315)
    rg = lambda t: t.requires_grad_()  # noqa: E731

    # ------------------------------------------------------------------ Linear
    c.group = "nn.Linear"
    w, b = inp.randn(2, 3, scale=0.5), inp.randn(2, scale=0.5)
    c.module("Linear(3, 2) on a batch of 4", "Linear", [3, 2], {}, {"input": rg(inp.randn(4, 3))}, [T("input")], {"weight": w, "bias": b})
    c.module("Linear(3, 2) on a single sample (1-d input)", "Linear", [3, 2], {}, {"input": rg(inp.randn(3))}, [T("input")], {"weight": w, "bias": b})
    c.module("Linear(3, 2) on a 3-d batch", "Linear", [3, 2], {}, {"input": rg(inp.randn(2, 2, 3))}, [T("input")], {"weight": w, "bias": b})
    c.module("Linear(3, 2, bias=False)", "Linear", [3, 2], {"bias": False}, {"input": rg(inp.randn(4, 3))}, [T("input")], {"weight": w})
    c.module("Linear(1, 1) on the thermometer inputs", "Linear", [1, 1], {}, {"input": torch.tensor(T_U).unsqueeze(1)}, [T("input")], {"weight": torch.tensor([[0.5]]), "bias": torch.tensor([-17.0])})
    c.add("functional linear", "nn.functional.linear", {"x": rg(inp.randn(4, 3)), "w": rg(w.clone()), "b": rg(b.clone())}, [T("x"), T("w"), T("b")], call="function")

    # ------------------------------------------------------------------ activations
    c.group = "activations"
    x = rg(inp.randn(3, 4, scale=2, away=0.05))
    c.module("Tanh module", "Tanh", [], {}, {"x": x}, [T("x")])
    c.module("Sigmoid module", "Sigmoid", [], {}, {"x": x}, [T("x")])
    c.module("ReLU module", "ReLU", [], {}, {"x": x}, [T("x")])
    c.module("LeakyReLU with the default slope 0.01", "LeakyReLU", [], {}, {"x": x}, [T("x")])
    c.module("LeakyReLU with negative_slope 0.2", "LeakyReLU", [], {"negative_slope": 0.2}, {"x": x}, [T("x")])
    c.module("LeakyReLU with a positional slope 0.1", "LeakyReLU", [0.1], {}, {"x": x}, [T("x")])
    for dim in (0, 1, -1):
        c.module("Softmax over dim {}".format(dim), "Softmax", [], {"dim": dim}, {"x": x}, [T("x")])
        c.module("LogSoftmax over dim {}".format(dim), "LogSoftmax", [], {"dim": dim}, {"x": x}, [T("x")])
    x3 = rg(inp.randn(2, 3, 4))
    c.module("Softmax over dim 1 of a 3-d tensor", "Softmax", [], {"dim": 1}, {"x": x3}, [T("x")])
    c.module("LogSoftmax over dim 2 of a 3-d tensor", "LogSoftmax", [], {"dim": 2}, {"x": x3}, [T("x")])
    big = rg(torch.tensor([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]]))
    c.module("Softmax of large logits is stable", "Softmax", [], {"dim": 1}, {"x": big}, [T("x")])
    c.module("LogSoftmax of large logits is stable", "LogSoftmax", [], {"dim": 1}, {"x": big}, [T("x")])
    c.add("torch.softmax (function)", "softmax", {"x": x}, [T("x"), 1], call="function")
    c.add("softmax (method)", "softmax", {"x": x}, [T("x"), -1])
    c.add("log_softmax (method)", "log_softmax", {"x": x}, [T("x"), 0])
    c.add("functional softmax with dim keyword", "nn.functional.softmax", {"x": x}, [T("x")], {"dim": 1}, call="function")
    c.add("functional log_softmax with dim keyword", "nn.functional.log_softmax", {"x": x}, [T("x")], {"dim": 1}, call="function")
    c.add("functional leaky_relu", "nn.functional.leaky_relu", {"x": x}, [T("x"), 0.3], call="function")
    c.add("functional relu", "nn.functional.relu", {"x": x}, [T("x")], call="function")

    # ------------------------------------------------------------------ regression losses
    c.group = "regression losses"
    pred, target = rg(inp.randn(4, 3)), inp.randn(4, 3)
    for red in ("mean", "sum", "none"):
        c.module("MSELoss with reduction {}".format(red), "MSELoss", [], {"reduction": red}, {"input": pred, "target": target}, [T("input"), T("target")])
        c.module("L1Loss with reduction {}".format(red), "L1Loss", [], {"reduction": red}, {"input": pred, "target": target}, [T("input"), T("target")])
        c.add("functional mse_loss with reduction {}".format(red), "nn.functional.mse_loss", {"input": pred, "target": target}, [T("input"), T("target")], {"reduction": red}, call="function")
        c.add("functional l1_loss with reduction {}".format(red), "nn.functional.l1_loss", {"input": pred, "target": target}, [T("input"), T("target")], {"reduction": red}, call="function")
    c.module("MSELoss with the default reduction", "MSELoss", [], {}, {"input": pred, "target": target}, [T("input"), T("target")])
    c.module("MSELoss where the target requires grad too", "MSELoss", [], {}, {"input": pred, "target": rg(target.clone())}, [T("input"), T("target")])
    c.module("MSELoss on the thermometer data", "MSELoss", [], {}, {"input": rg(torch.tensor(T_U) * 0.5 - 17.0), "target": torch.tensor(T_C)}, [T("input"), T("target")])

    # ------------------------------------------------------------------ classification losses
    c.group = "classification losses"
    logits = rg(inp.randn(5, 4, scale=1.5))
    classes = torch.tensor([0, 3, 1, 1, 2])
    cw = inp.uniform(0.2, 2.0, 4)
    for red in ("mean", "sum", "none"):
        c.module("CrossEntropyLoss with class indices, reduction {}".format(red), "CrossEntropyLoss", [], {"reduction": red}, {"input": logits, "target": classes}, [T("input"), T("target")])
        c.module("CrossEntropyLoss with class weights, reduction {}".format(red), "CrossEntropyLoss", [], {"weight": T("weight"), "reduction": red}, {"input": logits, "target": classes, "weight": cw}, [T("input"), T("target")])
        c.module("NLLLoss, reduction {}".format(red), "NLLLoss", [], {"reduction": red}, {"input": rg(torch.log_softmax(logits.detach(), 1)), "target": classes}, [T("input"), T("target")])
    c.module("CrossEntropyLoss with the defaults", "CrossEntropyLoss", [], {}, {"input": logits, "target": classes}, [T("input"), T("target")])
    c.module("CrossEntropyLoss with label_smoothing 0.1", "CrossEntropyLoss", [], {"label_smoothing": 0.1}, {"input": logits, "target": classes}, [T("input"), T("target")])
    c.module("CrossEntropyLoss with class weights and label_smoothing 0.2", "CrossEntropyLoss", [], {"weight": T("weight"), "label_smoothing": 0.2}, {"input": logits, "target": classes, "weight": cw}, [T("input"), T("target")])
    c.module("CrossEntropyLoss with label_smoothing and reduction sum", "CrossEntropyLoss", [], {"label_smoothing": 0.1, "reduction": "sum"}, {"input": logits, "target": classes}, [T("input"), T("target")])
    c.module("CrossEntropyLoss of a single sample (1-d logits, 0-dim target)", "CrossEntropyLoss", [], {}, {"input": rg(inp.randn(4)), "target": torch.tensor(2)}, [T("input"), T("target")])
    probs = torch.softmax(inp.randn(5, 4), 1)
    c.module("CrossEntropyLoss with class probabilities as target", "CrossEntropyLoss", [], {}, {"input": logits, "target": probs}, [T("input"), T("target")])
    c.module("NLLLoss with class weights", "NLLLoss", [], {"weight": T("weight")}, {"input": rg(torch.log_softmax(logits.detach(), 1)), "target": classes, "weight": cw}, [T("input"), T("target")])
    c.add("functional cross_entropy", "nn.functional.cross_entropy", {"input": logits, "target": classes}, [T("input"), T("target")], call="function")
    c.add("functional nll_loss", "nn.functional.nll_loss", {"input": rg(torch.log_softmax(logits.detach(), 1)), "target": classes}, [T("input"), T("target")], call="function")

    c.group = "binary classification losses"
    p = rg(inp.uniform(0.05, 0.95, 6))
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    z = rg(inp.randn(6, scale=2))
    bw = inp.uniform(0.5, 2.0, 6)
    for red in ("mean", "sum", "none"):
        c.module("BCELoss, reduction {}".format(red), "BCELoss", [], {"reduction": red}, {"input": p, "target": y}, [T("input"), T("target")])
        c.module("BCEWithLogitsLoss, reduction {}".format(red), "BCEWithLogitsLoss", [], {"reduction": red}, {"input": z, "target": y}, [T("input"), T("target")])
    c.module("BCELoss with a weight", "BCELoss", [], {"weight": T("weight")}, {"input": p, "target": y, "weight": bw}, [T("input"), T("target")])
    c.module("BCELoss with soft targets", "BCELoss", [], {}, {"input": p, "target": inp.uniform(0, 1, 6)}, [T("input"), T("target")])
    c.module("BCELoss clamps log(0) to -100", "BCELoss", [], {"reduction": "none"}, {"input": torch.tensor([0.0, 1.0, 0.5]), "target": torch.tensor([1.0, 0.0, 1.0])}, [T("input"), T("target")])
    c.module("BCEWithLogitsLoss with pos_weight", "BCEWithLogitsLoss", [], {"pos_weight": T("pos_weight")}, {"input": rg(inp.randn(3, 2, scale=2)), "target": torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), "pos_weight": torch.tensor([3.0, 0.5])}, [T("input"), T("target")])
    c.module("BCEWithLogitsLoss with weight and pos_weight, reduction sum", "BCEWithLogitsLoss", [], {"weight": T("weight"), "pos_weight": T("pos_weight"), "reduction": "sum"}, {"input": z, "target": y, "weight": bw, "pos_weight": torch.tensor([2.0])}, [T("input"), T("target")])
    c.module("BCEWithLogitsLoss with large logits is stable", "BCEWithLogitsLoss", [], {"reduction": "none"}, {"input": rg(torch.tensor([100.0, -100.0, 30.0, -30.0])), "target": torch.tensor([0.0, 1.0, 1.0, 0.0])}, [T("input"), T("target")])
    c.add("functional binary_cross_entropy", "nn.functional.binary_cross_entropy", {"input": p, "target": y}, [T("input"), T("target")], call="function")
    c.add("functional binary_cross_entropy_with_logits with pos_weight", "nn.functional.binary_cross_entropy_with_logits", {"input": z, "target": y, "pos_weight": torch.tensor([1.5])}, [T("input"), T("target")], {"pos_weight": T("pos_weight")}, call="function")

    cases = c.cases
    cases.append(thermometer_training())
    cases.extend(structure_cases())
    write_fixture("nn", cases, GEN, {"t_c": T_C, "t_u": T_U})


def deterministic_params(shape, mul, offset, scale):
    n = int(np.prod(shape))
    data = [(((i * mul) % 17) - 8 + offset) / scale for i in range(n)]
    return torch.tensor(data, dtype=torch.float32).reshape(shape)


def thermometer_training():
    """nn.Sequential(Linear(1, 8), Tanh(), Linear(8, 1)) trained with SGD for 100 steps."""
    steps, lr = 100, 1e-3
    model = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    initial = {
        "0.weight": deterministic_params([8, 1], 5, 0.5, 10.0),
        "0.bias": deterministic_params([8], 3, 0.25, 10.0),
        "2.weight": deterministic_params([1, 8], 7, 0.0, 20.0),
        "2.bias": torch.tensor([0.1]),
    }
    model.load_state_dict(initial)
    t_c = torch.tensor(T_C).unsqueeze(1)
    t_un = (0.1 * torch.tensor(T_U)).unsqueeze(1)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = torch.nn.MSELoss()
    losses = []
    first_grads = None
    for step in range(steps):
        t_p = model(t_un)
        loss = loss_fn(t_p, t_c)
        opt.zero_grad()
        loss.backward()
        if first_grads is None:
            first_grads = {n: spec(p.grad) for n, p in model.named_parameters()}
        opt.step()
        losses.append(loss.item())
    return {
        "kind": "training",
        "id": "thermometer_mlp_training",
        "name": "Sequential(Linear(1, 8), Tanh(), Linear(8, 1)) trained 100 SGD steps on the thermometer data",
        "python": "t_un = 0.1 * t_u; model = Sequential(Linear(1, 8), Tanh(), Linear(8, 1)); model.load_state_dict(initial); "
        "opt = SGD(model.parameters(), lr=1e-3); for each step: loss = MSELoss()(model(t_un), t_c); opt.zero_grad(); loss.backward(); opt.step()",
        "inputs_shape": [11, 1],
        "input_scale": 0.1,
        "lr": lr,
        "steps": steps,
        "initial": {k: spec(v) for k, v in initial.items()},
        "first_step_grads": first_grads,
        "losses": value(losses),
        "final": {k: spec(v) for k, v in model.state_dict().items()},
        "final_output": spec(model(t_un)),
    }


def structure_cases():
    seq = torch.nn.Sequential(torch.nn.Linear(1, 13), torch.nn.Tanh(), torch.nn.Linear(13, 1))
    named = torch.nn.Sequential(OrderedDict([
        ("hidden_linear", torch.nn.Linear(1, 8)),
        ("hidden_activation", torch.nn.Tanh()),
        ("output_linear", torch.nn.Linear(8, 1)),
    ]))
    out = []
    for id, name, model, python in (
        ("sequential_default_names", "Sequential with positional modules names its parameters 0.weight, 0.bias, 2.weight, 2.bias",
         seq, "nn.Sequential(nn.Linear(1, 13), nn.Tanh(), nn.Linear(13, 1))"),
        ("sequential_ordered_dict_names", "Sequential built from an OrderedDict uses the given names",
         named, "nn.Sequential(OrderedDict([('hidden_linear', nn.Linear(1, 8)), ('hidden_activation', nn.Tanh()), ('output_linear', nn.Linear(8, 1))]))"),
    ):
        out.append({
            "kind": "structure",
            "id": id,
            "name": name,
            "python": python,
            "state_dict": [[k, list(v.shape)] for k, v in model.state_dict().items()],
            "named_parameters": [[k, list(v.shape), v.requires_grad] for k, v in model.named_parameters()],
            "numels": [p.numel() for p in model.parameters()],
            "children": [type(m).__name__ for m in model.children()],
        })
    linear = torch.nn.Linear(3, 2)
    out.append({
        "kind": "structure",
        "id": "linear_parameters",
        "name": "Linear(3, 2) has weight [2, 3] and bias [2], both requiring grad",
        "python": "nn.Linear(3, 2)",
        "state_dict": [[k, list(v.shape)] for k, v in linear.state_dict().items()],
        "named_parameters": [[k, list(v.shape), v.requires_grad] for k, v in linear.named_parameters()],
        "numels": [p.numel() for p in linear.parameters()],
        "children": [],
    })
    return out


if __name__ == "__main__":
    main()
