"""The benchmark's workloads on PyTorch (CPU, one thread): the chapter's code as the book writes it.

Usage: torch_worker.py WORKLOAD SIZE_JSON DATA_JSON_PATH REPS WARMUP
Prints one line: the result marker, then JSON with the timings and the workload's result.
Times as bench/timing.mjs does: the first run is "cold", `WARMUP` runs are discarded, `REPS` are timed.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.set_num_threads(1)
MARKER = "@@bench-result "


def model(t_u, w, b):
    return w * t_u + b


def loss_fn(t_p, t_c):
    squared_diffs = (t_p - t_c) ** 2
    return squared_diffs.mean()


def training_loop(n_epochs, optimizer, params, t_u, t_c):
    loss = None
    for epoch in range(1, n_epochs + 1):
        t_p = model(t_u, *params)
        loss = loss_fn(t_p, t_c)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss


def linear_from(init):
    layer = nn.Linear(init["in"], init["out"])
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(init["weight"]).reshape(init["out"], init["in"]))
        layer.bias.copy_(torch.tensor(init["bias"]))
    return layer


def probe_indices(n):
    # The same generator as bench/workloads.mjs (mulberry32).
    a = (n * 7 + 1) & 0xFFFFFFFF

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    out = [0, n * n - 1]
    for _ in range(30):
        out.append(int(math.floor(nxt() * n * n)))
    return out


def setup(wid, size, data):
    if wid in ("sgd", "adam"):
        t_c = torch.tensor(data["t_c"])
        t_u = torch.tensor(data["t_u"])
        inp = 0.1 * t_u if wid == "sgd" else t_u

        def run():
            params = torch.tensor([1.0, 0.0], requires_grad=True)
            optimizer = optim.SGD([params], lr=1e-2) if wid == "sgd" else optim.Adam([params], lr=1e-1)
            loss = training_loop(size["epochs"], optimizer, params, inp, t_c)
            return params.tolist() + [loss.item()]

        return run
    if wid == "mlp1":
        t_c = torch.tensor(data["t_c"]).unsqueeze(1)
        t_un = 0.1 * torch.tensor(data["t_u"]).unsqueeze(1)

        def run():
            from collections import OrderedDict

            seq_model = nn.Sequential(OrderedDict([
                ("hidden_linear", linear_from(data["hidden"])),
                ("hidden_activation", nn.Tanh()),
                ("output_linear", linear_from(data["output"])),
            ]))
            optimizer = optim.SGD(seq_model.parameters(), lr=data["lr"])
            loss_fn_ = nn.MSELoss()
            loss = None
            for epoch in range(1, size["epochs"] + 1):
                t_p = seq_model(t_un)
                loss = loss_fn_(t_p, t_c)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            return [loss.item()] + [v for p in seq_model.parameters() for v in p.detach().reshape(-1).tolist()]

        return run
    if wid == "mlp784":
        x = torch.tensor(data["x"]).reshape(data["batch"], 784)
        labels = torch.tensor(data["labels"], dtype=torch.int64)

        def run():
            fc1 = linear_from(data["fc1"])
            fc2 = linear_from(data["fc2"])
            net = nn.Sequential(fc1, nn.ReLU(), fc2)
            optimizer = optim.SGD(net.parameters(), lr=data["lr"])
            loss_fn_ = nn.CrossEntropyLoss()
            losses = []
            for step in range(size["steps"]):
                loss = loss_fn_(net(x), labels)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return [losses[0], losses[-1]] + fc2.bias.detach().tolist()

        return run
    if wid.startswith("matmul"):
        n = data["n"]
        a = torch.tensor(data["a"]).reshape(n, n)
        b = torch.tensor(data["b"]).reshape(n, n)
        probes = probe_indices(n)

        def run():
            c = (a @ b).reshape(-1)
            return [c[i].item() for i in probes]

        return run
    raise ValueError("unknown workload " + wid)


def median(values):
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def main():
    wid, size_json, data_path, reps, warmup = sys.argv[1:6]
    size = json.loads(size_json)
    with open(data_path) as f:
        data = json.load(f)
    run = setup(wid, size, data)
    t = time.perf_counter()
    first = run()
    cold = (time.perf_counter() - t) * 1000
    repeat = max(1, min(1000, math.ceil(20 / max(cold, 1e-3))))
    for _ in range(int(warmup)):
        for _ in range(repeat):
            run()
    times = []
    result = first
    stable = True
    for _ in range(int(reps)):
        t = time.perf_counter()
        for _ in range(repeat):
            result = run()
        times.append((time.perf_counter() - t) * 1000 / repeat)
        if result != first:
            stable = False
    out = {
        "version": "PyTorch %s (%d thread)" % (torch.__version__, torch.get_num_threads()),
        "cold_ms": cold,
        "times_ms": times,
        "median_ms": median(times),
        "min_ms": min(times),
        "repeat": repeat,
        "result": result,
        "stable": stable,
    }
    print(MARKER + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
