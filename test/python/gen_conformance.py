"""Writes test/fixtures/python-conformance.json: the signature conformance suite's cases
(test/python/conformance.py builds them from the signature table) and what real PyTorch gives
for each. Run with Debian's python3-torch (the oracle):

    /usr/bin/python3 test/python/gen_conformance.py

Where the table follows PyTorch 2.x (src/runner/child/python/pytorch2_overrides.py), 1.13's
message words are rewritten as 2.x prints them, and a case 1.13 rejects for a 2.x-only default
is marked (the test then says so instead of comparing)."""
import json
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, 'src', 'runner', 'child', 'python'))
import conformance  # noqa: E402
import pytorch2_overrides  # noqa: E402

OUT = os.path.join(ROOT, 'test', 'fixtures', 'python-conformance.json')

# 1.13's words in messages, as PyTorch 2.x prints them.
REWORDED = (('_TensorBase.', 'TensorBase.'), ('tuple of SymInts', 'tuple of ints'))


def main():
    warnings.simplefilter('ignore')
    with open(os.path.join(ROOT, 'src', 'engine', 'signatures', 'pytorch-signatures.json'), encoding='utf-8') as f:
        table = json.load(f)['callables']
    with open(os.path.join(ROOT, 'src', 'engine', 'signatures', 'engine-calls.json'), encoding='utf-8') as f:
        engine = json.load(f)['calls']
    keys = conformance.supported(table, engine)
    cases = []
    for key in keys:
        for case in conformance.cases_for(key, table[key]):
            expected = conformance.run_case(torch, case)
            if 'message' in expected:
                for old, new in REWORDED:
                    expected['message'] = expected['message'].replace(old, new)
                if key in pytorch2_overrides.PYTHON:
                    case['pytorch2'] = pytorch2_overrides.PYTHON[key]['why']
            case['expected'] = expected
            cases.append(case)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump({'about': 'Signature conformance cases of test/python/conformance.py and what torch %s gave; written by test/python/gen_conformance.py.' % torch.__version__,
                   'callables': keys, 'cases': cases}, f, separators=(',', ':'))
        f.write('\n')
    print('%d cases of %d callables written to %s' % (len(cases), len(keys), os.path.normpath(OUT)))


if __name__ == '__main__':
    main()
