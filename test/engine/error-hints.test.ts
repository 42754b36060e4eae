// The teaching hints under PyTorch's shape errors: PyTorch's message stays the first line,
// word for word, and the hint (with the sizes of the learner's own tensors) is the line after it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { torch } from '../../src/engine/torch.js';
import { nn } from '../../src/engine/index.js';
import { assertPyTorchError } from './helpers.js';

function hintOf(error: Error): string {
  return error.message.split('\n')[1]!;
}

describe('shape errors carry a hint after PyTorch’s message', () => {
  test('a matrix product with mismatched inner sizes names both sizes', () => {
    const e = assertPyTorchError(() => torch.ones(2, 3).matmul(torch.ones(2, 3)), 'RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)');
    assert.equal(hintOf(e), 'Autograd Lab: for A @ B the columns of A (3) must equal the rows of B (2): transpose one (`.t()`) or reshape so the inner sizes match.');
  });

  test('nn.Linear given the wrong number of features gives the matrix product hint', () => {
    const e = assertPyTorchError(() => new nn.Linear(4, 1).call(torch.ones(5, 3)), 'RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (5x3 and 4x1)');
    assert.match(hintOf(e), /^Autograd Lab: for A @ B the columns of A \(3\) must equal the rows of B \(4\)/);
  });

  test('mv with a vector of the wrong length names the matrix’s columns', () => {
    const e = assertPyTorchError(() => torch.ones(2, 3).mv(torch.ones(4)), 'RuntimeError', 'size mismatch, got input (2), mat (2x3), vec (4)');
    assert.equal(hintOf(e), 'Autograd Lab: mv needs the vector\'s length to equal the matrix\'s columns (3); for a batch of vectors use matmul.');
  });

  test('shapes that do not broadcast point at unsqueeze', () => {
    const e = assertPyTorchError(() => torch.ones(2, 3).add(torch.ones(2)), 'RuntimeError', 'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1');
    assert.equal(
      hintOf(e),
      'Autograd Lab: broadcasting lines shapes up from the right: each pair of sizes must be equal or one of them 1. Add a size-1 dimension with `unsqueeze` where you meant to broadcast.',
    );
  });

  test('a view that changes the element count names the count and -1', () => {
    const e = assertPyTorchError(() => torch.ones(2, 3).view(4, 2), 'RuntimeError', "shape '[4, 2]' is invalid for input of size 6");
    assert.equal(hintOf(e), 'Autograd Lab: view/reshape must keep the element count (6); use -1 for one dimension to let it be computed.');
  });

  test('a reshape with -1 that cannot divide the count gives the same hint', () => {
    const e = assertPyTorchError(() => torch.ones(7).reshape(-1, 2), 'RuntimeError', "shape '[-1, 2]' is invalid for input of size 7");
    assert.match(hintOf(e), /^Autograd Lab: view\/reshape must keep the element count \(7\)/);
  });

  test('a view of a non-contiguous tensor says to call contiguous() or reshape()', () => {
    const e = assertPyTorchError(
      () => torch.ones(2, 3).t().view(6),
      'RuntimeError',
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
    assert.equal(hintOf(e), 'Autograd Lab: this tensor is not contiguous: call `.contiguous()` first, or use `.reshape()`.');
  });
});
