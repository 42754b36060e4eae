"""Writes test/fixtures/parity-schedulers.json: learning rates of every scheduler over 30 steps.

Each case builds `optimizer` (an SGD over one parameter p = zeros(2), or over one param_group per
entry of "group_lrs"), then the scheduler with "kwargs"; "lrs"[0] is the lr of every
param_group right after construction and "lrs"[i] after the i-th of 30 iterations of
{ optimizer.step(); scheduler.step() } (ReduceLROnPlateau: scheduler.step(metrics[i-1])).
LambdaLR's "lr_lambda" names a function the test writes itself:
  "0.95 ** epoch"                        lambda epoch: 0.95 ** epoch
  "1 / (1 + epoch)"                      lambda epoch: 1 / (1 + epoch)
"momentum" (OneCycleLR with cycle_momentum) records each param_group's momentum (SGD) or
betas[0] (Adam) at the same points. Learning rates are Python floats (float64).
"""

import torch

from common import value, write_fixture

GEN = "test/parity/gen_schedulers.py"
STEPS = 30

LAMBDAS = {
    "0.95 ** epoch": lambda epoch: 0.95 ** epoch,
    "1 / (1 + epoch)": lambda epoch: 1 / (1 + epoch),
}

PLATEAU_METRICS = [
    1.0, 0.9, 0.85, 0.86, 0.87, 0.84, 0.84, 0.841, 0.85, 0.83,
    0.83, 0.83, 0.83, 0.83, 0.82, 0.9, 0.9, 0.9, 0.9, 0.9,
    0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
]
RISING_METRICS = [0.1, 0.2, 0.3, 0.3, 0.3, 0.35, 0.3, 0.3, 0.3, 0.31] * 3

CONFIGS = [
    # name, scheduler, kwargs, optimizer spec
    ("StepLR with step_size 3 and gamma 0.5", "StepLR", {"step_size": 3, "gamma": 0.5}, {}),
    ("StepLR with the default gamma 0.1", "StepLR", {"step_size": 7}, {}),
    ("MultiStepLR with milestones 5, 12, 20 and gamma 0.3", "MultiStepLR", {"milestones": [5, 12, 20], "gamma": 0.3}, {}),
    ("MultiStepLR with a repeated milestone", "MultiStepLR", {"milestones": [4, 4, 10]}, {}),
    ("ExponentialLR with gamma 0.9", "ExponentialLR", {"gamma": 0.9}, {}),
    ("CosineAnnealingLR with T_max 10 and eta_min 0.001 (restarts past T_max)", "CosineAnnealingLR", {"T_max": 10, "eta_min": 0.001}, {}),
    ("CosineAnnealingLR with T_max 30", "CosineAnnealingLR", {"T_max": 30}, {}),
    ("LambdaLR with 0.95 ** epoch", "LambdaLR", {"lr_lambda": "0.95 ** epoch"}, {}),
    ("LambdaLR with 1 / (1 + epoch)", "LambdaLR", {"lr_lambda": "1 / (1 + epoch)"}, {"lr": 0.5}),
    ("LinearLR with the defaults", "LinearLR", {}, {}),
    ("LinearLR from 0.1 to 0.9 over 12 iterations", "LinearLR", {"start_factor": 0.1, "end_factor": 0.9, "total_iters": 12}, {}),
    ("LinearLR decaying from 1.0 to 0.2", "LinearLR", {"start_factor": 1.0, "end_factor": 0.2, "total_iters": 8}, {}),
    ("OneCycleLR cos with SGD momentum", "OneCycleLR", {"max_lr": 1.0, "total_steps": 31}, {"momentum": 0.9}),
    ("OneCycleLR linear, pct_start 0.4, custom div factors", "OneCycleLR", {"max_lr": 0.5, "total_steps": 40, "pct_start": 0.4, "anneal_strategy": "linear", "div_factor": 10.0, "final_div_factor": 100.0}, {"momentum": 0.9}),
    ("OneCycleLR three_phase without cycle_momentum", "OneCycleLR", {"max_lr": 0.8, "total_steps": 35, "three_phase": True, "cycle_momentum": False}, {}),
    ("OneCycleLR with epochs and steps_per_epoch on Adam (cycles betas)", "OneCycleLR", {"max_lr": 0.01, "epochs": 4, "steps_per_epoch": 8, "base_momentum": 0.8, "max_momentum": 0.9}, {"optimizer": "Adam", "lr": 0.001}),
    ("ReduceLROnPlateau with patience 2, factor 0.5", "ReduceLROnPlateau", {"patience": 2, "factor": 0.5}, {"metrics": PLATEAU_METRICS}),
    ("ReduceLROnPlateau with cooldown, min_lr and abs threshold", "ReduceLROnPlateau", {"patience": 1, "factor": 0.3, "cooldown": 2, "min_lr": 0.005, "threshold": 0.01, "threshold_mode": "abs"}, {"metrics": PLATEAU_METRICS}),
    ("ReduceLROnPlateau in max mode", "ReduceLROnPlateau", {"mode": "max", "patience": 3, "factor": 0.2}, {"metrics": RISING_METRICS}),
    ("ReduceLROnPlateau with the defaults", "ReduceLROnPlateau", {}, {"metrics": PLATEAU_METRICS}),
    ("StepLR over two param_groups", "StepLR", {"step_size": 4, "gamma": 0.5}, {"group_lrs": [0.1, 0.02]}),
    ("ExponentialLR over two param_groups", "ExponentialLR", {"gamma": 0.8}, {"group_lrs": [1.0, 0.3]}),
    ("LambdaLR over two param_groups", "LambdaLR", {"lr_lambda": "0.95 ** epoch"}, {"group_lrs": [0.1, 0.5]}),
    ("ReduceLROnPlateau over two param_groups with per-group min_lr", "ReduceLROnPlateau", {"patience": 0, "factor": 0.5, "min_lr": [0.01, 0.03]}, {"group_lrs": [0.1, 0.2], "metrics": [1.0] * 30}),
]


def momentum_of(opt):
    out = []
    for g in opt.param_groups:
        out.append(g["betas"][0] if "betas" in g else g.get("momentum"))
    return out


def run(name, sched_name, kwargs, opt_spec):
    p = torch.zeros(2, requires_grad=True)
    opt_name = opt_spec.get("optimizer", "SGD")
    opt_kwargs = {"lr": opt_spec.get("lr", 0.1)}
    if "momentum" in opt_spec:
        opt_kwargs["momentum"] = opt_spec["momentum"]
    if "group_lrs" in opt_spec:
        params = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in opt_spec["group_lrs"]]
    else:
        params = [p]
    opt = getattr(torch.optim, opt_name)(params, **opt_kwargs)
    py_kwargs = dict(kwargs)
    if "lr_lambda" in py_kwargs:
        py_kwargs["lr_lambda"] = LAMBDAS[py_kwargs["lr_lambda"]]
    sched = getattr(torch.optim.lr_scheduler, sched_name)(opt, **py_kwargs)
    metrics = opt_spec.get("metrics")
    lrs = [[g["lr"] for g in opt.param_groups]]
    momenta = [momentum_of(opt)]
    for i in range(STEPS):
        opt.step()
        if metrics is not None:
            sched.step(metrics[i])
        else:
            sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
        momenta.append(momentum_of(opt))
        if hasattr(sched, "get_last_lr"):
            assert sched.get_last_lr() == lrs[-1]
    case = {
        "name": name,
        "scheduler": sched_name,
        "kwargs": kwargs,
        "optimizer": {"name": opt_name, "kwargs": opt_kwargs},
    }
    if "group_lrs" in opt_spec:
        case["group_lrs"] = opt_spec["group_lrs"]
    if metrics is not None:
        case["metrics"] = metrics
    case["lrs"] = value(lrs)
    if sched_name == "OneCycleLR" and kwargs.get("cycle_momentum", True):
        case["momentum"] = value(momenta)
    return case


def main():
    cases = [run(*c) for c in CONFIGS]
    write_fixture("schedulers", cases, GEN, {"steps": STEPS})


if __name__ == "__main__":
    main()
