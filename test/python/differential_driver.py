"""The differential test's programs (test/fixtures/python-differential.json) run under our
`torch`, as a learner's script runs: one JSON line per program with what it gave.
test/python/differential.test.ts compares the lines with what PyTorch gave."""
import json
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import differential  # noqa: E402

warnings.simplefilter('ignore')
with open(os.path.join(HERE, '..', 'fixtures', 'python-differential.json'), encoding='utf-8') as f:
    fixture = json.load(f)
for i, program in enumerate(fixture['programs']):
    sys.stdout.write(json.dumps({'i': i, **differential.run_program(torch, program)}) + '\n')
