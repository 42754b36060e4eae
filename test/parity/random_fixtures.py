"""Writes test/fixtures/random.json: what PyTorch 1.13's CPU generator produces, seed by seed.

Run with an interpreter that has PyTorch 1.13 (and mpmath):  /usr/bin/python3 test/parity/random_fixtures.py

Each sequence seeds one torch.Generator and runs its steps in order, so the generator state (and
Box-Muller's cached second value) carries from step to step exactly as in a user's script. A step
is one call (rand, uniform_, randn, normal_, randint, randperm, bernoulli_) with the values PyTorch
returned, or a snapshot of the generator state (get_state's bytes, base64).

Float values are written so that JavaScript reads back the identical number: float32 values as
their shortest float32 spelling, float64 values as Python's repr.

Normals and the C library
-------------------------
Double-precision Box-Muller (every float64 normal, and float32 normals below 16 elements) calls
the C library's log/sin/cos, and glibc's are not correctly rounded: about 1 call in 1000 lands
on the other neighbour of the true value. The engine computes them correctly rounded instead. So
for those steps this script replays PyTorch's algorithm twice from the same uniforms: once with
Python's math module (the same glibc PyTorch calls), which must reproduce PyTorch bit for bit --
that checks the replay -- and once with correctly rounded log/sin/cos (mpmath). Wherever the two
differ, the step lists the correctly rounded value under "libm" (element index -> value).
"""

import base64
import json
import math
import os
import struct
from fractions import Fraction

import mpmath
import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "random.json")
mpmath.mp.prec = 200

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64}

# Offsets inside PyTorch's 5056-byte CPU generator state.
NORMAL_Y_OFFSET = 24 + 8 * 624 + 8
NORMAL_VALID_OFFSET = NORMAL_Y_OFFSET + 16


def encode(x, dtype):
    x = float(x)
    if dtype == "float32":
        short = repr(np.float32(x))
        if not short.startswith("np.") and np.float32(float(short)) == np.float32(x):
            x = float(short)
    return int(x) if x.is_integer() and abs(x) < 2**53 and not (x == 0 and math.copysign(1, x) < 0) else x


def seed_json(seed):
    """Seeds beyond 2^53 travel as strings (the test reads them as BigInt)."""
    return seed if abs(seed) < 2**53 else str(seed)


# ----------------------------------------------------------------------------------------------
# replaying double-precision Box-Muller
# ----------------------------------------------------------------------------------------------

GLIBC = (math.log, math.sin, math.cos)
CORRECT = (
    lambda x: float(mpmath.log(mpmath.mpf(x))),
    lambda x: float(mpmath.sin(mpmath.mpf(x))),
    lambda x: float(mpmath.cos(mpmath.mpf(x))),
)


def fma(a, b, c):
    """a * b + c rounded once (Fraction -> float rounds correctly), as the FMA PyTorch's build emits."""
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def uniforms(state, count):
    """The next `count` 53-bit uniforms a generator in `state` would draw."""
    clone = torch.Generator()
    clone.set_state(state)
    return torch.rand(count, dtype=torch.float64, generator=clone).tolist()


def replay_scalar(state, n, mean, std, cache, libm):
    """ATen's normal_distribution<double>, n times; returns (values, cache left behind)."""
    log, sin, cos = libm
    pairs = (n - (cache is not None) + 1) // 2
    u = iter(uniforms(state, 2 * pairs))
    out = []
    for _ in range(n):
        if cache is not None:
            z, cache = cache, None
        else:
            u1, u2 = next(u), next(u)
            radius = math.sqrt(-2.0 * log(1.0 - u2))
            theta = 2.0 * math.pi * u1
            cache = radius * sin(theta)
            z = radius * cos(theta)
        out.append(fma(z, std, mean))
    return out, cache


def replay_blocks(state, n, mean, std, libm):
    """ATen's normal_fill for double: uniforms first, Box-Muller 16 at a time, tail redone."""
    log, sin, cos = libm
    u = uniforms(state, n + (16 if n % 16 else 0))
    data = u[:n]

    def block(at):
        for j in range(8):
            radius = math.sqrt(-2.0 * log(1.0 - data[at + j]))
            theta = 2.0 * math.pi * data[at + 8 + j]
            data[at + j] = fma(radius * cos(theta), std, mean)
            data[at + 8 + j] = fma(radius * sin(theta), std, mean)

    for at in range(0, n - 15, 16):
        block(at)
    if n % 16:
        data[n - 16 :] = u[n:]
        block(n - 16)
    return data


# ----------------------------------------------------------------------------------------------
# running sequences
# ----------------------------------------------------------------------------------------------


class Sequence:
    def __init__(self, group, name, seed):
        self.g = torch.Generator()
        self.g.manual_seed(seed)
        # The correctly rounded replay keeps its own Box-Muller cache: a cached value computed
        # by glibc may itself be one of the misrounded ones.
        self.correct_cache = None
        self.data = {"group": group, "name": name, "seed": seed_json(seed), "initial_seed": str(self.g.initial_seed()), "steps": []}

    def step(self, op, n=None, dtype=None, **params):
        g = self.g
        state = g.get_state()
        if op == "state":
            self.data["steps"].append({"op": "state", "expected": base64.b64encode(bytes(state.tolist())).decode()})
            return self
        t_dtype = DTYPES[dtype] if dtype else None
        if op == "rand":
            t = torch.rand(n, dtype=t_dtype, generator=g)
        elif op == "uniform":
            t = torch.empty(n, dtype=t_dtype).uniform_(params["low"], params["high"], generator=g)
        elif op == "randn":
            t = torch.randn(n, dtype=t_dtype, generator=g)
        elif op == "normal":
            # contiguous=False normals a strided view, which PyTorch fills one scalar draw at a time.
            base = torch.empty(n, dtype=t_dtype) if params.get("contiguous", True) else torch.empty(n, 2, dtype=t_dtype)[:, 0]
            t = base.normal_(params["mean"], params["std"], generator=g)
        elif op == "randint":
            t = torch.randint(params["low"], params["high"], (n,), dtype=t_dtype, generator=g)
        elif op == "randperm":
            t = torch.randperm(n, generator=g)
            dtype = "int64"
        elif op == "bernoulli":
            t = torch.empty(n, dtype=t_dtype).bernoulli_(params["p"], generator=g)
        else:
            raise ValueError(op)
        values = t.tolist()
        record = {"op": op, "dtype": dtype, "n": n, **params}
        record["expected"] = [int(v) for v in values] if dtype == "int64" else [encode(v, dtype) for v in values]
        if op in ("randn", "normal"):
            scalar = n < 16 or not params.get("contiguous", True)
            fixes = self.libm_fixes(state, n, dtype, params.get("mean", 0.0), params.get("std", 1.0), values, scalar)
            if fixes:
                record["libm"] = fixes
        self.data["steps"].append(record)
        return self

    def libm_fixes(self, state, n, dtype, mean, std, values, scalar):
        """Elements where correctly rounded log/sin/cos change PyTorch's value: index -> value."""
        if dtype == "float32" and not scalar:
            return {}  # the AVX2 float kernel brings its own float polynomials, no libm
        raw = bytes(state.tolist())
        torch_cache = struct.unpack_from("<d", raw, NORMAL_Y_OFFSET)[0] if struct.unpack_from("<i", raw, NORMAL_VALID_OFFSET)[0] else None
        if scalar:
            glibc, _ = replay_scalar(state, n, mean, std, torch_cache, GLIBC)
            correct, self.correct_cache = replay_scalar(state, n, mean, std, self.correct_cache, CORRECT)
        else:
            glibc = replay_blocks(state, n, mean, std, GLIBC)
            correct = replay_blocks(state, n, mean, std, CORRECT)
        cast = (lambda v: float(np.float32(v))) if dtype == "float32" else (lambda v: v)
        glibc = [cast(v) for v in glibc]
        correct = [cast(v) for v in correct]
        assert glibc == values, f"the replay of PyTorch's Box-Muller does not reproduce it ({dtype}, n={n})"
        return {str(i): encode(c, dtype) for i, (c, v) in enumerate(zip(correct, values)) if c != v}


sequences = []


def sequence(group, name, seed):
    s = Sequence(group, name, seed)
    sequences.append(s)
    return s


SEEDS = [0, 1, 42, 2**32 + 7, -1, 67280421310721]

# rand: 24 bits of a word for float32, 53 bits of two words for float64
for seed in SEEDS:
    sequence("rand", f"rand, seed {seed}", seed).step("rand", 5, "float32").step("rand", 5, "float64").step("rand", 17, "float32")
sequence("rand", "rand(1000), seed 0", 0).step("rand", 1000, "float32").step("rand", 1000, "float64")

# uniform_(low, high)
RANGES = [(-3.7, 5.3), (0.1, 0.7), (1e-10, 1.0), (-1e6, 1e6), (2.5, 2.5), (-1.0, -0.999), (0.0, 1e-30)]
s = sequence("uniform", "uniform_ over several ranges, seed 3", 3)
for low, high in RANGES:
    s.step("uniform", 25, "float32", low=low, high=high).step("uniform", 25, "float64", low=low, high=high)

# randn, sizes 1..40 on one generator: both algorithms and the cache between calls
for seed in (0, 42):
    for dtype in ("float32", "float64"):
        s = sequence("randn-sizes", f"randn sizes 1..40, {dtype}, seed {seed}", seed)
        for n in range(1, 41):
            s.step("randn", n, dtype)
sequence("randn-1000", "randn(1000) float32 and float64, seed 0", 0).step("randn", 1000, "float32").step("randn", 1000, "float64")
sequence("randn-1000", "randn(1000) float32, seed 123", 123).step("randn", 1000, "float32")
sequence("randn-1000", "randn(1000) float64, seed 2024", 2024).step("randn", 1000, "float64")

# normal_(mean, std)
for dtype in ("float32", "float64"):
    s = sequence("normal", f"normal_(mean, std), {dtype}, seed 1", 1)
    for mean, std in [(0.3, 2.5), (-4.0, 0.01), (10.0, 0.0), (1e3, 1e-3)]:
        for n in (1, 3, 15, 16, 17, 33):
            s.step("normal", n, dtype, mean=mean, std=std)
    s.step("normal", 40, dtype, mean=0.0, std=1.0, contiguous=False)

# randint: one word modulo the range below 2^32, a 64-bit draw from 2^32 on
s = sequence("randint", "randint over several ranges, seed 5", 5)
for low, high in [(0, 10), (-5, 5), (0, 1), (3, 4), (-100, 1000), (0, 2**31), (0, 2**32 - 1), (0, 2**32), (-(2**40), 2**40), (-(2**52), 2**52)]:
    s.step("randint", 20, "int64", low=low, high=high)
for low, high in [(0, 10), (-5, 5), (0, 2**24)]:
    s.step("randint", 20, "float32", low=low, high=high)
for low, high in [(0, 10), (0, 2**33), (-(2**40), 2**40)]:
    s.step("randint", 20, "float64", low=low, high=high)

# randperm
s = sequence("randperm", "randperm small n, seed 0", 0)
for n in (11, 0, 1, 2, 100):
    s.step("randperm", n)
sequence("randperm", "randperm(5000), seed 9", 9).step("randperm", 5000)

# bernoulli_(p)
s = sequence("bernoulli", "bernoulli_(p), seed 11", 11)
for dtype in ("float32", "float64"):
    for p in (0.0, 0.3, 0.5, 1.0):
        s.step("bernoulli", 30, dtype, p=p)

# interleaved calls on one generator
(
    sequence("interleaved", "rand, randn, randperm, randint, normal_ and bernoulli_ interleaved, seed 0", 0)
    .step("rand", 5, "float32")
    .step("randn", 3, "float32")
    .step("randperm", 7)
    .step("randn", 2, "float32")
    .step("randint", 4, "int64", low=0, high=10)
    .step("randn", 20, "float32")
    .step("randn", 1, "float64")
    .step("state")
    .step("normal", 5, "float64", mean=0.5, std=2.0)
    .step("uniform", 3, "float64", low=-1.0, high=1.0)
    .step("randn", 1, "float32")
    .step("bernoulli", 10, "float32", p=0.5)
    .step("randn", 17, "float64")
    .step("randn", 3, "float64")
    .step("state")
)
(
    sequence("interleaved", "a long run crossing several twists, seed 2^32 + 7", 2**32 + 7)
    .step("randn", 700, "float32")
    .step("randperm", 30)
    .step("rand", 600, "float64")
    .step("randn", 5, "float64")
    .step("randint", 10, "int64", low=-(2**40), high=2**40)
    .step("randn", 15, "float32")
    .step("state")
)

# the serialized state
(
    sequence("state", "get_state after seeding, after a cached normal, after a twist, seed 0", 0)
    .step("state")
    .step("randn", 1, "float64")
    .step("state")
    .step("rand", 700, "float32")
    .step("state")
)

# seeds outside 0..2^32: only the low 32 bits seed the twister
for seed in (-1, 2**64 - 1, 2**32 + 7, 2**53 + 3, -(2**63)):
    sequence("seeds", f"seed {seed}", seed).step("rand", 3, "float32").step("randn", 3, "float64")

fixture = {"sequences": [s.data for s in sequences]}
with open(OUT, "w") as f:
    json.dump(fixture, f, separators=(",", ":"))
    f.write("\n")

total_fixes = sum(len(step.get("libm", {})) for s in sequences for step in s.data["steps"])
print(f"wrote {OUT}: {len(sequences)} sequences, {os.path.getsize(OUT)} bytes, {total_fixes} libm-rounding elements")
