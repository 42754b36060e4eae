// Integer division rounds to an integer, and there is none for a division by zero: PyTorch raises
// `RuntimeError: ZeroDivisionError` (checked with PyTorch 1.13 and 2.x) where a float division
// gives inf. A silent Infinity in an int64 tensor would be a wrong number shown to the learner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { torch } from '../../src/engine/torch.js';

const raisesZeroDivision = (f: () => unknown) => assert.throws(f, (e: Error) => e.name === 'RuntimeError' && e.message === 'ZeroDivisionError');

test('floor division of int64 tensors by a zero element raises ZeroDivisionError', () => {
  const a = torch.tensor([1, 2], { dtype: torch.int64 });
  raisesZeroDivision(() => a.div(torch.tensor([0, 1], { dtype: torch.int64 }), { rounding_mode: 'floor' }));
});

test('truncating division of int32 tensors by zero raises ZeroDivisionError, by a scalar too', () => {
  const a = torch.tensor([7, -7], { dtype: torch.int32 });
  raisesZeroDivision(() => a.div(torch.tensor([0, 0], { dtype: torch.int32 }), { rounding_mode: 'trunc' }));
  raisesZeroDivision(() => a.div(0, { rounding_mode: 'trunc' }));
});

test('integer division without a zero rounds as PyTorch does, and float division by zero stays inf', () => {
  const a = torch.tensor([7, -7], { dtype: torch.int64 });
  assert.deepEqual(a.div(torch.tensor([2, 2], { dtype: torch.int64 }), { rounding_mode: 'floor' }).tolist(), [3, -4]);
  assert.deepEqual(a.div(2, { rounding_mode: 'trunc' }).tolist(), [3, -3]);
  assert.deepEqual(torch.tensor([1, 2], { dtype: torch.int64 }).div(torch.tensor([0, 1], { dtype: torch.int64 })).tolist(), [Infinity, 2]);
});
