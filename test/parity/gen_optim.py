"""Writes test/fixtures/parity-optim.json: 20 steps of every optimizer on a fixed loss.

Two parameters, p0 of shape [3] and p1 of shape [2, 2], start from "initial"; each has a target
and a weight tensor (in "problem"). The loss, in float32, is

    loss = sum over i of  ((p_i - target_i) ** 2 * weight_i).sum() + p_i.sin().sum()

accumulated in that order: loss = term(p0); loss = loss + term(p1) where
term(p) = ((p - target) ** 2 * weight).sum() + p.sin().sum().

Every step (20, or "steps" when a case says) is: zero_grad(); loss = f(); loss.backward();
step() — "losses" holds each step's
loss (before the step) and "params" the parameters after it. LBFGS steps with a closure doing
the same; its "step_returns" holds what step(closure) returned. "state" is the final
optimizer.state_dict()["state"] keyed by parameter index, "param_groups" its param_groups
(tuples become lists, None is null). Optimizer kwargs are the PyTorch keyword arguments
(tuples as lists). "param_groups_spec", when present, replaces the plain [p0, p1] list.
A case with "error" records what PyTorch raises instead; one with "compare_state": false keeps
a state that is float32 noise (see "why"), for reference only.
"""

import torch

from common import spec, value, write_fixture

GEN = "test/parity/gen_optim.py"
STEPS = 20

PROBLEM = {
    "initial": [[0.5, -1.2, 2.0], [[0.3, -0.7], [1.5, 0.1]]],
    "target": [[1.0, 0.5, -0.5], [[-1.0, 0.2], [0.8, 1.1]]],
    "weight": [[1.0, 2.0, 0.5], [[0.5, 1.5], [1.0, 3.0]]],
}

CONFIGS = [
    # name, optimizer, kwargs (with lr where required), param_groups_spec
    ("SGD plain", "SGD", {"lr": 0.01}),
    ("SGD with momentum", "SGD", {"lr": 0.01, "momentum": 0.9}),
    ("SGD with momentum and dampening", "SGD", {"lr": 0.02, "momentum": 0.8, "dampening": 0.5}),
    ("SGD with nesterov momentum", "SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
    ("SGD with weight_decay", "SGD", {"lr": 0.01, "weight_decay": 0.1}),
    ("SGD with maximize", "SGD", {"lr": 0.01, "maximize": True}),
    ("SGD with everything", "SGD", {"lr": 0.03, "momentum": 0.7, "weight_decay": 0.05, "nesterov": True, "maximize": False}),
    ("Adam defaults", "Adam", {}),
    ("Adam non-default lr, betas, eps, weight_decay", "Adam", {"lr": 0.05, "betas": [0.8, 0.95], "eps": 1e-6, "weight_decay": 0.1}),
    ("Adam with amsgrad", "Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam with maximize", "Adam", {"lr": 0.01, "maximize": True}),
    ("AdamW defaults", "AdamW", {}),
    ("AdamW non-default", "AdamW", {"lr": 0.05, "betas": [0.85, 0.99], "weight_decay": 0.1}),
    ("AdamW with amsgrad", "AdamW", {"lr": 0.05, "weight_decay": 0.02, "amsgrad": True}),
    ("Adagrad defaults", "Adagrad", {}),
    ("Adagrad non-default", "Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.05, "initial_accumulator_value": 0.1, "eps": 1e-8}),
    ("Adadelta defaults", "Adadelta", {}),
    ("Adadelta non-default", "Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-5, "weight_decay": 0.1}),
    ("Adamax defaults", "Adamax", {}),
    ("Adamax non-default", "Adamax", {"lr": 0.05, "betas": [0.8, 0.9], "eps": 1e-6, "weight_decay": 0.05}),
    ("ASGD defaults", "ASGD", {}),
    ("ASGD non-default with averaging from step 5", "ASGD", {"lr": 0.05, "lambd": 1e-3, "alpha": 0.5, "t0": 5, "weight_decay": 0.01}),
    ("RMSprop defaults", "RMSprop", {}),
    ("RMSprop with momentum", "RMSprop", {"lr": 0.005, "momentum": 0.9}),
    ("RMSprop centered", "RMSprop", {"lr": 0.005, "centered": True}),
    ("RMSprop with everything", "RMSprop", {"lr": 0.005, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.1, "momentum": 0.5, "centered": True}),
    ("Rprop defaults", "Rprop", {}),
    ("Rprop non-default etas and step_sizes", "Rprop", {"lr": 0.05, "etas": [0.3, 1.5], "step_sizes": [1e-3, 0.2]}),
    ("LBFGS defaults", "LBFGS", {}, {"compare_state": False}),
    ("LBFGS with strong_wolfe line search", "LBFGS", {"line_search_fn": "strong_wolfe"}, {"compare_state": False}),
    ("LBFGS one iteration per step with a short history", "LBFGS", {"lr": 0.1, "max_iter": 1, "history_size": 3}),
    ("LBFGS three iterations per step", "LBFGS", {"lr": 0.5, "max_iter": 3, "history_size": 3}, {"steps": 4}),
    ("LBFGS with strong_wolfe and five iterations", "LBFGS", {"max_iter": 5, "line_search_fn": "strong_wolfe"}, {"steps": 1}),
    ("LBFGS with strong_wolfe, one iteration per step and a history of 2", "LBFGS", {"lr": 0.3, "max_iter": 1, "history_size": 2, "line_search_fn": "strong_wolfe"}, {"steps": 10}),
    ("NAdam defaults", "NAdam", {}),
    ("NAdam non-default", "NAdam", {"lr": 0.05, "betas": [0.85, 0.95], "eps": 1e-6, "weight_decay": 0.05, "momentum_decay": 0.008}),
    ("RAdam defaults", "RAdam", {}),
    ("RAdam non-default", "RAdam", {"lr": 0.05, "betas": [0.8, 0.9], "eps": 1e-6, "weight_decay": 0.1}),
    ("SparseAdam with dense gradients", "SparseAdam", {}),
]

GROUP_CONFIGS = [
    ("SGD with two param_groups of different lr", "SGD", {"lr": 0.01, "momentum": 0.9}, [{"params": [0], "lr": 0.1}, {"params": [1]}]),
    ("Adam with two param_groups of different lr and betas", "Adam", {"lr": 0.01}, [{"params": [0], "lr": 0.05, "betas": [0.8, 0.9]}, {"params": [1]}]),
    ("RMSprop with a param_group overriding momentum", "RMSprop", {"lr": 0.01}, [{"params": [0]}, {"params": [1], "momentum": 0.9, "lr": 0.002}]),
]

IMPLEMENTATION_KEYS = ["foreach", "capturable", "differentiable", "fused"]


def tuplify(kwargs):
    return {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}


def loss_fn(params, target, weight):
    loss = None
    for p, t, w in zip(params, target, weight):
        term = ((p - t) ** 2 * w).sum() + p.sin().sum()
        loss = term if loss is None else loss + term
    return loss


NOISE = (
    "LBFGS converges within the first step here; the state it keeps afterwards (al, ro, old_dirs, "
    "n_iter, func_evals) is driven by float32 rounding noise, so only losses and parameters are compared"
)


def run(name, cls_name, kwargs, groups=None, options=None):
    options = options or {}
    steps = options.get("steps", STEPS)
    params = [torch.tensor(v, requires_grad=True) for v in PROBLEM["initial"]]
    target = [torch.tensor(v) for v in PROBLEM["target"]]
    weight = [torch.tensor(v) for v in PROBLEM["weight"]]
    cls = getattr(torch.optim, cls_name)
    case = {"name": name, "optimizer": cls_name, "kwargs": kwargs}
    if steps != STEPS:
        case["steps"] = steps
    if options.get("compare_state") is False:
        case["compare_state"] = False
        case["why"] = NOISE
    if groups is not None:
        case["param_groups_spec"] = groups
        arg = [dict(tuplify({k: v for k, v in g.items() if k != "params"}), params=[params[i] for i in g["params"]]) for g in groups]
    else:
        arg = params
    opt = cls(arg, **tuplify(kwargs))
    losses, after, returns = [], [], []

    def closure():
        opt.zero_grad()
        loss = loss_fn(params, target, weight)
        loss.backward()
        return loss

    try:
        for _ in range(steps):
            if cls_name == "LBFGS":
                with torch.no_grad():
                    losses.append(loss_fn(params, target, weight).item())
                returns.append(opt.step(closure).item())
            else:
                loss = closure()
                losses.append(loss.item())
                opt.step()
            after.append([spec(p) for p in params])
    except Exception as e:  # noqa: BLE001 - SparseAdam: record PyTorch's error
        case["error"] = {"type": type(e).__name__, "message": str(e), "at_step": len(after)}
        return case
    sd = opt.state_dict()
    case["losses"] = losses
    if returns:
        case["step_returns"] = returns
    case["params"] = after
    case["state"] = {str(k): value(v) for k, v in sd["state"].items()}
    case["param_groups"] = value(sd["param_groups"])
    return case


def main():
    cases = [run(c[0], c[1], c[2], None, c[3] if len(c) > 3 else None) for c in CONFIGS] + [run(*c) for c in GROUP_CONFIGS]
    extra = {"steps": STEPS, "problem": PROBLEM, "implementation_keys": IMPLEMENTATION_KEYS}
    write_fixture("optim", cases, GEN, extra)


if __name__ == "__main__":
    main()
