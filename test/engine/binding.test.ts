// The TypeScript API checks its arguments against the engine's declarations (signatures/
// validate.ts, from engine-calls.ts): a wrong type, a missing or extra argument, an unknown
// option is PyTorch's TypeError naming the function, the argument and the type; never a NaN, a
// default used instead, or an option silently ignored.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { torch, nn, optim, Tensor } from '../../src/engine/index.js';

/** Calls `f` with arguments the declarations don't allow (what a JavaScript caller can write). */
function loosely(f: (...args: never[]) => unknown, ...args: unknown[]): unknown {
  return (f as (...a: unknown[]) => unknown)(...args);
}

function raises(f: () => unknown, message: string): void {
  assert.throws(f, (e: Error) => {
    assert.equal(e.name, 'TypeError');
    assert.equal(e.message, message);
    return true;
  });
}

const t = torch.tensor([1, 2, 3]);

describe('a value of the wrong kind is a TypeError naming the argument and its type', () => {
  test("t.add('x')", () => raises(() => loosely(t.add.bind(t), 'x'), "add(): argument 'other' (position 1) must be Tensor, not str"));
  test('t.mul(undefined) is a missing argument', () => raises(() => loosely(t.mul.bind(t), undefined), 'mul() missing 1 required positional arguments: "other"'));
  test('t.mul(null)', () => raises(() => loosely(t.mul.bind(t), null), 'mul() missing 1 required positional arguments: "other"'));
  test('t.mul([1, 2]): an array is no operand', () => raises(() => loosely(t.mul.bind(t), [1, 2]), "mul(): argument 'other' (position 1) must be Tensor, not list"));
  test('torch.stack(t): a tensor is no list of tensors', () => raises(() => loosely(torch.stack, t), "stack(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"));
  test('an option of the wrong type', () => raises(() => loosely(t.sum.bind(t), 0, { keepdim: 1 }), "sum(): argument 'keepdim' must be bool, not int"));
});

describe('an unknown option is PyTorch\'s unexpected keyword argument', () => {
  test('t.sum({ dimm: 0 })', () => raises(() => loosely(t.sum.bind(t), { dimm: 0 }), "sum() got an unexpected keyword argument 'dimm'"));
  test('new nn.Linear(2, 2, { bais: false })', () => raises(() => new nn.Linear(2, 2, { bais: false } as never), "Linear.__init__() got an unexpected keyword argument 'bais'"));
  test('F.mse_loss(x, y, { reductoin })', () =>
    raises(() => loosely(nn.functional.mse_loss, t.float(), t.float(), { reductoin: 'sum' }), "mse_loss() got an unexpected keyword argument 'reductoin'"));
});

describe('too many arguments', () => {
  test('t.exp(1)', () => raises(() => loosely(t.exp.bind(t), 1), 'exp() takes 0 positional arguments but 1 was given'));
  test('t.add(1, {}, 3)', () => raises(() => loosely(t.add.bind(t), 1, {}, 3), 'add() takes from 1 to 2 positional arguments but 3 were given'));
});

describe('what the declarations allow passes, as before', () => {
  test('numbers, tensors, options, rest sizes, iterables', () => {
    assert.deepEqual(t.add(1, { alpha: 2 }).tolist(), [3, 4, 5]);
    assert.deepEqual(t.reshape(3, 1).shape, [3, 1]);
    assert.deepEqual(t.reshape([1, 3]).shape, [1, 3]);
    assert.deepEqual(torch.zeros(2, 3, { dtype: torch.float64 }).shape, [2, 3]);
    const model = new nn.Linear(2, 1);
    assert.equal(new optim.SGD(model.parameters(), { lr: 0.1 }).param_groups[0]!.params.length, 2);
  });

  test('null for an optional argument is PyTorch\'s None', () => {
    assert.deepEqual(t.float().clamp(null, 2).tolist(), [1, 2, 2]);
  });
});

describe('the checked classes are the classes', () => {
  test('instanceof and subclassing work through the checks', () => {
    class Net extends nn.Module {
      layer = new nn.Linear(1, 1);
      override forward(x: Tensor): Tensor {
        return this.layer.call(x);
      }
    }
    const net = new Net();
    assert.ok(net instanceof nn.Module);
    assert.ok(net.layer instanceof nn.Linear);
    assert.equal([...net.parameters()].length, 2);
  });

  test('a constructor with its own PyTorch message keeps it', () => {
    assert.throws(() => loosely(((p: unknown) => new optim.SGD(p as never)) as never, t.float()), {
      name: 'TypeError',
      message: 'params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor',
    });
  });
});

test('a rest parameter whose elements may be null takes null: t.index(null, 1) is t[None, 1]', () => {
  const t = torch.arange(12).reshape(3, 4);
  assert.deepEqual(t.index(null, 1).shape, [1, 4]);
});
