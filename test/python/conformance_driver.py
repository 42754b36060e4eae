"""The signature conformance cases (test/fixtures/python-conformance.json) run under our
`torch`, as a learner's script runs: one JSON line per case with what it gave.
test/python/conformance.test.ts compares them with what PyTorch gave."""
import json
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import conformance  # noqa: E402

warnings.simplefilter('ignore')
with open(os.path.join(HERE, '..', 'fixtures', 'python-conformance.json'), encoding='utf-8') as f:
    fixture = json.load(f)
for i, case in enumerate(fixture['cases']):
    sys.stdout.write(json.dumps({'i': i, **conformance.run_case(torch, case)}) + '\n')
