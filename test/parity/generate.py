#!/usr/bin/env python3
"""Regenerates every PyTorch parity fixture: `npm run parity:generate`.

Needs PyTorch 1.13. If this interpreter cannot import torch, the script re-executes itself
with /usr/bin/python3 (where the developer machines have it). CI does not run this: the
fixtures under test/fixtures/ are committed, and the TypeScript tests only read them.

    python3 test/parity/generate.py            # all areas
    python3 test/parity/generate.py ops optim  # some areas
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_PYTHON = "/usr/bin/python3"

# area → generator script (each writes test/fixtures/parity-<area>.json)
AREAS = {
    "ops": "gen_ops.py",
    "broadcast": "gen_broadcast.py",
    "autograd": "gen_autograd.py",
    "errors": "gen_errors.py",
    "optim": "gen_optim.py",
    "schedulers": "gen_schedulers.py",
    "nn": "gen_nn.py",
    # not parity-*.json areas, but also generated from PyTorch (format.json, random.json)
    "format": "format_fixtures.py",
    "random": "random_fixtures.py",
}


def ensure_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        if os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON) and os.path.exists(SYSTEM_PYTHON):
            print("torch is not importable from {}; re-running with {}".format(sys.executable, SYSTEM_PYTHON), flush=True)
            os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
        sys.exit("PyTorch 1.13 is needed to generate the parity fixtures (tried {})".format(sys.executable))
    import torch

    if not torch.__version__.startswith("1.13"):
        print("warning: fixtures are meant to come from PyTorch 1.13, this is {}".format(torch.__version__), file=sys.stderr)


def main():
    ensure_torch()
    wanted = sys.argv[1:] or list(AREAS)
    unknown = [a for a in wanted if a not in AREAS]
    if unknown:
        sys.exit("unknown area(s): {} (known: {})".format(", ".join(unknown), ", ".join(AREAS)))
    failed = []
    for area in wanted:
        script = os.path.join(HERE, AREAS[area])
        if not os.path.exists(script):
            print("skipping {}: {} is missing".format(area, AREAS[area]))
            continue
        print("== {}".format(area), flush=True)
        result = subprocess.run([sys.executable, script], cwd=HERE)
        if result.returncode != 0:
            failed.append(area)
    if failed:
        sys.exit("generator(s) failed: {}".format(", ".join(failed)))


if __name__ == "__main__":
    main()
