"""Writes test/fixtures/python-differential.json: the differential test's random programs
(test/python/differential.py draws them, seeded) and what real PyTorch gives for each. Run
with Debian's python3-torch (the oracle):

    /usr/bin/python3 test/python/gen_differential.py"""
import json
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import differential  # noqa: E402

SEED = 20240611
COUNT = 2200
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'python-differential.json')


def main():
    warnings.simplefilter('ignore')
    progs = differential.programs(SEED, COUNT)
    expected = [differential.run_program(torch, p) for p in progs]
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump({'about': 'Random programs of test/python/differential.py and what torch %s gave; written by test/python/gen_differential.py.' % torch.__version__,
                   'seed': SEED, 'programs': progs, 'expected': expected}, f, separators=(',', ':'))
        f.write('\n')
    errors = sum(1 for e in expected if e['error'])
    print('%d programs (%d end in an error) written to %s' % (len(progs), errors, os.path.normpath(OUT)))


if __name__ == '__main__':
    main()
