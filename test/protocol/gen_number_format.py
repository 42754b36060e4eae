"""Writes test/protocol/number-format.json: how Python prints the values a learner sees, the
rule of src/protocol/number-format.ts's formatValue (a whole number below 10**15 whole, any
other value as '%.7g', nan/inf/-inf as Python and PyTorch print them).

Run with the oracle: /usr/bin/python3 test/protocol/gen_number_format.py
"""
import json
import math
import os
import struct

import torch


def f32(v):
    return struct.unpack('f', struct.pack('f', v))[0]


def shown(v):
    if math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return '%.7g' % v


# Losses of the book's chapter 5 runs, as float32 tensors hold them, and the edges of the rule.
losses = torch.tensor([80.36434, 29.65795, 2.9276471, 1763.8848, 5802485.5, 19408035840.0, 1e-9, 0.1]).tolist()
values = losses + [
    2.9276471234, -2.9276471234, 1.5e-7, -2.5e-9, 0.000123456789, 1e-4, 9.99999949e-5, 9.9999995e-5,
    9.9999999, 9999999.4, 9999999.5, 12345678.9, 1.5e21, f32(0.1), 1 / 3, 2 / 3, 123456.789,
    # exact ties at the 7th digit: printf rounds them to even
    1234567.5, 1234568.5, 2 ** -11, -(2 ** -11), 0.5 ** 20,
    # whole numbers
    0.0, 11.0, -3.0, 5000.0, 1e15, 2.0 ** 53,
    float('nan'), float('inf'), float('-inf'),
]

rows = [[repr(v), shown(v)] for v in values]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'number-format.json')
with open(path, 'w') as f:
    f.write('{"generator": "test/protocol/gen_number_format.py", "rows": [\n')
    f.write(',\n'.join(json.dumps(row) for row in rows))
    f.write('\n]}\n')
print(f'{len(rows)} rows -> {path}')
