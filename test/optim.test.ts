// torch.optim: behaviour specs. Expected values and messages come from PyTorch 1.13 (run with
// /usr/bin/python3), and the book's numbers from chapter 5 of Deep Learning with PyTorch.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import torch, { optim, pyFormat, Tensor } from '../src/engine/index.js';

type AnyOptimizerClass = new (params: Iterable<Tensor>, options?: object) => optim.Optimizer;
const OPTIMIZERS = optim as unknown as Record<string, AnyOptimizerClass>;

function leaf(values: number[]): Tensor {
  return torch.tensor(values, { requires_grad: true });
}

function throwsWith(fn: () => unknown, name: string, message: string): void {
  assert.throws(fn, (e: Error) => {
    assert.equal(e.name, name);
    assert.equal(e.message, message);
    return true;
  });
}

// ------------------------------------------------------------------ the book's chapter 5

const T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0];
const T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4];
const model = (t_u: Tensor, w: Tensor, b: Tensor) => w.mul(t_u).add(b);
const lossFn = (t_p: Tensor, t_c: Tensor) => t_p.sub(t_c).pow(2).mean();

/** The book's training_loop, returning what it prints. */
function trainingLoop(nEpochs: number, optimizer: optim.Optimizer, params: Tensor, t_u: Tensor, t_c: Tensor): string[] {
  const lines: string[] = [];
  for (let epoch = 1; epoch <= nEpochs; epoch++) {
    const [w, b] = params;
    const loss = lossFn(model(t_u, w!, b!), t_c);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (epoch % 500 === 0) lines.push(pyFormat('Epoch %d, Loss %f', epoch, loss.item()));
  }
  lines.push(String(params));
  return lines;
}

describe("the book's chapter 5 (exact printed text)", () => {
  const t_c = torch.tensor(T_C);
  const t_u = torch.tensor(T_U);
  const t_un = t_u.mul(0.1);

  test('one SGD step at lr 1e-5 on the raw inputs', () => {
    const params = leaf([1.0, 0.0]);
    const optimizer = new optim.SGD([params], { lr: 1e-5 });
    const [w, b] = params;
    lossFn(model(t_u, w!, b!), t_c).backward();
    optimizer.step();
    assert.equal(String(params), 'tensor([ 9.5483e-01, -8.2600e-04], requires_grad=True)');
  });

  test('one SGD step at lr 1e-2 on the normalized inputs', () => {
    const params = leaf([1.0, 0.0]);
    const optimizer = new optim.SGD([params], { lr: 1e-2 });
    const [w, b] = params;
    const loss = lossFn(model(t_un, w!, b!), t_c);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    assert.equal(String(params), 'tensor([1.7761, 0.1064], requires_grad=True)');
  });

  test('SGD for 5000 epochs prints the book’s losses and parameters', () => {
    const params = leaf([1.0, 0.0]);
    const lines = trainingLoop(5000, new optim.SGD([params], { lr: 1e-2 }), params, t_un, t_c);
    assert.deepEqual(lines, [
      'Epoch 500, Loss 7.860116',
      'Epoch 1000, Loss 3.828538',
      'Epoch 1500, Loss 3.092191',
      'Epoch 2000, Loss 2.957697',
      'Epoch 2500, Loss 2.933134',
      'Epoch 3000, Loss 2.928648',
      'Epoch 3500, Loss 2.927830',
      'Epoch 4000, Loss 2.927679',
      'Epoch 4500, Loss 2.927652',
      'Epoch 5000, Loss 2.927647',
      'tensor([  5.3671, -17.3012], requires_grad=True)',
    ]);
  });

  test('Adam for 2000 epochs on the raw inputs prints the book’s losses and parameters', () => {
    const params = leaf([1.0, 0.0]);
    const lines = trainingLoop(2000, new optim.Adam([params], { lr: 1e-1 }), params, t_u, t_c);
    assert.deepEqual(lines, [
      'Epoch 500, Loss 7.612903',
      'Epoch 1000, Loss 3.086700',
      'Epoch 1500, Loss 2.928578',
      'Epoch 2000, Loss 2.927646',
      'tensor([  0.5367, -17.3021], requires_grad=True)',
    ]);
  });

  test('SGD with a training/validation split prints the book’s losses', () => {
    const trainIdx = torch.tensor([9n, 0n, 10n, 3n, 4n, 2n, 7n, 8n, 5n]);
    const valIdx = torch.tensor([1n, 6n]);
    const [trainU, trainC] = [t_u.get(trainIdx).mul(0.1), t_c.get(trainIdx)];
    const [valU, valC] = [t_u.get(valIdx).mul(0.1), t_c.get(valIdx)];
    const params = leaf([1.0, 0.0]);
    const optimizer = new optim.SGD([params], { lr: 1e-2 });
    const lines: string[] = [];
    for (let epoch = 1; epoch <= 3000; epoch++) {
      const [w, b] = params;
      const trainLoss = lossFn(model(trainU, w!, b!), trainC);
      const valLoss = lossFn(model(valU, w!, b!), valC);
      optimizer.zero_grad();
      trainLoss.backward();
      optimizer.step();
      if (epoch <= 3 || epoch % 500 === 0) lines.push(`Epoch ${epoch}, Training loss ${trainLoss.item()}, Validation loss ${valLoss.item()}`);
    }
    lines.push(String(params));
    assert.deepEqual(lines, [
      'Epoch 1, Training loss 90.34750366210938, Validation loss 35.44009780883789',
      'Epoch 2, Training loss 40.74310302734375, Validation loss 12.03737735748291',
      'Epoch 3, Training loss 34.29985046386719, Validation loss 11.497885704040527',
      'Epoch 500, Training loss 8.272359848022461, Validation loss 1.0062336921691895',
      'Epoch 1000, Training loss 3.6953022480010986, Validation loss 2.0580081939697266',
      'Epoch 1500, Training loss 2.8709726333618164, Validation loss 3.6276702880859375',
      'Epoch 2000, Training loss 2.72251296043396, Validation loss 4.496127128601074',
      'Epoch 2500, Training loss 2.695772886276245, Validation loss 4.9011125564575195',
      'Epoch 3000, Training loss 2.690957546234131, Validation loss 5.079550743103027',
      'tensor([  5.5010, -18.3851], requires_grad=True)',
    ]);
  });
});

// ------------------------------------------------------------------ construction

describe('construction', () => {
  const DEFAULTS: Record<string, Record<string, unknown>> = {
    SGD: { lr: 0.1, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false, foreach: null, differentiable: false },
    Adam: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, foreach: null, capturable: false, differentiable: false, fused: false },
    AdamW: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, amsgrad: false, foreach: null, maximize: false, capturable: false },
    Adagrad: { lr: 0.01, lr_decay: 0, eps: 1e-10, weight_decay: 0, initial_accumulator_value: 0, foreach: null, maximize: false },
    Adadelta: { lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0, maximize: false, foreach: null },
    Adamax: { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, foreach: null, maximize: false },
    ASGD: { lr: 0.01, lambd: 0.0001, alpha: 0.75, t0: 1000000.0, weight_decay: 0, foreach: null, maximize: false },
    RMSprop: { lr: 0.01, momentum: 0, alpha: 0.99, eps: 1e-8, centered: false, weight_decay: 0, foreach: null, maximize: false, differentiable: false },
    Rprop: { lr: 0.01, etas: [0.5, 1.2], step_sizes: [1e-6, 50], foreach: null, maximize: false },
    LBFGS: { lr: 1, max_iter: 20, max_eval: 25, tolerance_grad: 1e-7, tolerance_change: 1e-9, history_size: 100, line_search_fn: null },
    SparseAdam: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, maximize: false },
    NAdam: { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, momentum_decay: 0.004, foreach: null },
    RAdam: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, foreach: null },
  };
  for (const [name, expected] of Object.entries(DEFAULTS)) {
    test(`${name}'s group options are PyTorch 1.13's defaults, in its order`, () => {
      const options = name === 'SGD' ? { lr: 0.1 } : {};
      const group = new OPTIMIZERS[name]!([leaf([0, 0])], options).param_groups[0] as unknown as Record<string, unknown>;
      const { params, ...rest } = group;
      assert.equal((params as Tensor[]).length, 1);
      assert.deepEqual(Object.keys(rest), Object.keys(expected));
      assert.deepEqual(rest, expected);
    });
  }

  const INVALID: [string, object, string][] = [
    ['SGD', { lr: -0.1 }, 'Invalid learning rate: -0.1'],
    ['SGD', { lr: 0.1, momentum: -1 }, 'Invalid momentum value: -1'],
    ['SGD', { lr: 0.1, weight_decay: -0.5 }, 'Invalid weight_decay value: -0.5'],
    ['SGD', { lr: 0.1, nesterov: true }, 'Nesterov momentum requires a momentum and zero dampening'],
    ['SGD', { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }, 'Nesterov momentum requires a momentum and zero dampening'],
    ['Adam', { lr: -0.001 }, 'Invalid learning rate: -0.001'],
    ['Adam', { eps: -1e-8 }, 'Invalid epsilon value: -1e-08'],
    ['Adam', { betas: [1.0, 0.999] }, 'Invalid beta parameter at index 0: 1.0'],
    ['Adam', { betas: [0.9, -0.1] }, 'Invalid beta parameter at index 1: -0.1'],
    ['Adam', { weight_decay: -1e-5 }, 'Invalid weight_decay value: -1e-05'],
    ['AdamW', { betas: [0.9, 1.5] }, 'Invalid beta parameter at index 1: 1.5'],
    ['Adagrad', { lr_decay: -0.1 }, 'Invalid lr_decay value: -0.1'],
    ['Adagrad', { initial_accumulator_value: -1 }, 'Invalid initial_accumulator_value value: -1'],
    ['Adagrad', { eps: -1e-10 }, 'Invalid epsilon value: -1e-10'],
    ['Adadelta', { rho: 1.1 }, 'Invalid rho value: 1.1'],
    ['Adamax', { lr: -2e-3 }, 'Invalid learning rate: -0.002'],
    ['ASGD', { weight_decay: -0.25 }, 'Invalid weight_decay value: -0.25'],
    ['RMSprop', { alpha: -0.99 }, 'Invalid alpha value: -0.99'],
    ['RMSprop', { momentum: -0.5 }, 'Invalid momentum value: -0.5'],
    ['Rprop', { etas: [1.5, 1.2] }, 'Invalid eta values: 1.5, 1.2'],
    ['SparseAdam', { lr: 0.0 }, 'Invalid learning rate: 0.0'],
    ['NAdam', { momentum_decay: -0.004 }, 'Invalid momentum_decay value: -0.004'],
    ['RAdam', { betas: [0.9, 1.0] }, 'Invalid beta parameter at index 1: 1.0'],
  ];
  for (const [name, options, message] of INVALID) {
    test(`${name}(${JSON.stringify(options)}) raises ValueError: ${message}`, () => {
      throwsWith(() => new OPTIMIZERS[name]!([leaf([0, 0])], options), 'ValueError', message);
    });
  }

  test("SGD's default lr is 1e-3, as PyTorch 2.x's (1.13 required one)", () => {
    assert.equal(new optim.SGD([leaf([1])]).param_groups[0]!.lr, 1e-3);
  });

  test('a group of SGD keeps its own lr', () => {
    const opt = new optim.SGD([{ params: [leaf([1])], lr: 0.5 }]);
    assert.equal(opt.param_groups[0]!.lr, 0.5);
  });

  test('SGD(fused=True) says there is no fused kernel; fused=None is accepted and not kept in the groups', () => {
    throwsWith(() => new optim.SGD([leaf([1])], { fused: true }), 'NotImplementedError', 'torch.optim.SGD(fused=True) is not supported by Autograd Lab (it has no fused kernels); leave fused=None');
    assert.ok(!('fused' in new optim.SGD([leaf([1])], { fused: null }).param_groups[0]!));
  });

  test('a misspelt option raises TypeError like an unknown keyword argument', () => {
    throwsWith(() => new optim.SGD([leaf([1])], { learning_rate: 0.1 } as object), 'TypeError', "SGD.__init__() got an unexpected keyword argument 'learning_rate'");
  });

  test('a single tensor instead of an iterable raises TypeError', () => {
    throwsWith(
      () => new optim.SGD(leaf([1, 2]) as unknown as Tensor[], { lr: 0.1 }),
      'TypeError',
      'params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor',
    );
  });

  test('an empty parameter list raises ValueError', () => {
    throwsWith(() => new optim.Adam([]), 'ValueError', 'optimizer got an empty parameter list');
  });

  test('a non-leaf tensor raises ValueError', () => {
    throwsWith(() => new optim.Adam([leaf([1]).mul(2)]), 'ValueError', "can't optimize a non-leaf Tensor");
  });

  test('a non-tensor parameter raises TypeError', () => {
    throwsWith(() => new optim.Adam([leaf([1]), 3 as unknown as Tensor]), 'TypeError', 'optimizer can only optimize Tensors, but one of the params is int');
  });

  test('params can come from a generator', () => {
    const a = leaf([1]);
    const b = leaf([2]);
    function* parameters(): Generator<Tensor> {
      yield a;
      yield b;
    }
    assert.deepEqual(new optim.SGD(parameters(), { lr: 0.1 }).param_groups[0]!.params, [a, b]);
  });

  test('PyTorch’s differentiable=True is refused clearly', () => {
    assert.throws(() => new optim.SGD([leaf([1])], { lr: 0.1, differentiable: true }), { name: 'NotImplementedError' });
  });

  test('the repr lists each group’s options sorted, as print(optimizer) does', () => {
    const opt = new optim.SGD([{ params: [leaf([0])] }, { params: [leaf([0])], lr: 0.5 }], { lr: 0.01, momentum: 0.9 });
    const group = (lr: string) =>
      `    dampening: 0\n    differentiable: False\n    foreach: None\n    lr: ${lr}\n    maximize: False\n    momentum: 0.9\n    nesterov: False\n    weight_decay: 0\n`;
    assert.equal(String(opt), `SGD (\nParameter Group 0\n${group('0.01')}\nParameter Group 1\n${group('0.5')})`);
  });

  test('the repr prints float options as Python floats', () => {
    assert.equal(
      String(new optim.Adam([leaf([0])])),
      'Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n    capturable: False\n    differentiable: False\n    eps: 1e-08\n    foreach: None\n    fused: False\n    lr: 0.001\n    maximize: False\n    weight_decay: 0\n)',
    );
  });
});

// ------------------------------------------------------------------ param groups

describe('param groups', () => {
  test('a group’s own options override the defaults; the rest are filled in', () => {
    const opt = new optim.SGD([{ params: [leaf([1])], lr: 0.1 }, { params: [leaf([1])] }], { lr: 0.01, momentum: 0.9 });
    assert.deepEqual(
      opt.param_groups.map((g) => [g.lr, g.momentum]),
      [
        [0.1, 0.9],
        [0.01, 0.9],
      ],
    );
  });

  test('each group steps with its own learning rate', () => {
    const a = leaf([1]);
    const b = leaf([1]);
    const opt = new optim.SGD([{ params: [a], lr: 0.5 }, { params: [b] }], { lr: 0.25 });
    a.grad = torch.tensor([1]);
    b.grad = torch.tensor([1]);
    opt.step();
    assert.deepEqual([a.item(), b.item()], [0.5, 0.75]);
  });

  test('add_param_group adds a group that takes the defaults', () => {
    const opt = new optim.Adam([leaf([1])], { lr: 0.1 });
    const extra = leaf([2]);
    opt.add_param_group({ params: [extra], eps: 1e-3 });
    assert.equal(opt.param_groups.length, 2);
    assert.deepEqual([opt.param_groups[1]!.params[0], opt.param_groups[1]!.lr, opt.param_groups[1]!.eps], [extra, 0.1, 1e-3]);
  });

  test('a parameter in two groups raises ValueError', () => {
    const a = leaf([1]);
    throwsWith(() => new optim.SGD([{ params: [a] }, { params: [a] }], { lr: 0.1 }), 'ValueError', 'some parameters appear in more than one parameter group');
  });

  test('a group given as something other than an object raises AssertionError', () => {
    const opt = new optim.SGD([leaf([1])], { lr: 0.1 });
    throwsWith(() => opt.add_param_group(leaf([1]) as unknown as { params: Tensor[] }), 'AssertionError', 'param group must be a dict');
  });
});

// ------------------------------------------------------------------ zero_grad and step

describe('zero_grad', () => {
  test('zero_grad() sets the gradients to null', () => {
    const p = leaf([1, 2]);
    p.grad = torch.tensor([3, 4]);
    new optim.SGD([p], { lr: 0.1 }).zero_grad();
    assert.equal(p.grad, null);
  });

  test('zero_grad({ set_to_none: false }) zeroes the same gradient tensor in place', () => {
    const p = leaf([1, 2]);
    const grad = torch.tensor([3, 4]);
    p.grad = grad;
    new optim.SGD([p], { lr: 0.1 }).zero_grad({ set_to_none: false });
    assert.equal(p.grad, grad);
    assert.deepEqual(grad.tolist(), [0, 0]);
  });
});

describe('step', () => {
  test('a parameter whose grad is null is skipped and gets no state', () => {
    const a = leaf([1]);
    const b = leaf([1]);
    const opt = new optim.SGD([a, b], { lr: 0.1, momentum: 0.9 });
    a.grad = torch.tensor([1]);
    opt.step();
    assert.deepEqual([a.item(), b.item()], [Math.fround(0.9), 1]);
    assert.deepEqual([opt.state.has(a), opt.state.has(b)], [true, false]);
  });

  test('step() updates parameters without recording autograd history', () => {
    const p = leaf([1, 2]);
    p.grad = torch.tensor([1, 1]);
    new optim.Adam([p]).step();
    assert.equal(p.grad_fn, null);
    assert.equal(p.requires_grad, true);
  });

  test('step() counts one in-place change on the parameter’s version', () => {
    const p = leaf([1, 2]);
    const before = p._version;
    p.grad = torch.tensor([1, 1]);
    new optim.SGD([p], { lr: 0.1 }).step();
    assert.equal(p._version, before + 1);
  });

  test('a graph that saved the parameter refuses backward after step()', () => {
    const p = leaf([1, 2]);
    const loss = p.mul(p).sum();
    p.grad = torch.tensor([1, 1]);
    new optim.SGD([p], { lr: 0.1 }).step();
    assert.throws(() => loss.backward(), /modified by an inplace operation/);
  });

  test('step(closure) runs the closure with grad enabled and returns its loss', () => {
    const p = leaf([3]);
    const opt = new optim.SGD([p], { lr: 0.1 });
    let recorded = false;
    const loss = opt.step(() => {
      opt.zero_grad();
      const l = p.mul(p).sum();
      recorded = l.grad_fn !== null;
      l.backward();
      return l;
    });
    assert.equal(recorded, true);
    assert.equal(loss!.item(), 9);
    assert.equal(p.item(), Math.fround(3 - Math.fround(Math.fround(0.1) * 6)));
  });

  test('step() without a closure returns null', () => {
    const p = leaf([3]);
    p.grad = torch.tensor([1]);
    assert.equal(new optim.SGD([p], { lr: 0.1 }).step(), null);
  });

  test('non-contiguous parameters are updated through their strides', () => {
    const base = torch.tensor([
      [1, 2],
      [3, 4],
    ]);
    const p = base.t().requires_grad_();
    p.grad = torch.ones(2, 2);
    new optim.SGD([p], { lr: 1 }).step();
    assert.deepEqual(base.tolist(), [
      [0, 1],
      [2, 3],
    ]);
  });

  test('float64 parameters are updated in double precision', () => {
    const p = torch.tensor([1.0], { dtype: torch.float64, requires_grad: true });
    p.grad = torch.tensor([1.0], { dtype: torch.float64 });
    new optim.SGD([p], { lr: 0.1 }).step();
    assert.equal(p.item(), 0.9);
  });
});

// ------------------------------------------------------------------ each optimizer against PyTorch

describe('updates match PyTorch 1.13 bit for bit (float32, 4 steps)', () => {
  const INIT = [0.5, -1.25, 2.0];
  const GRADS = [
    [0.1, -0.2, 0.3],
    [0.05, 0.4, -0.3],
    [-0.2, 0.1, 0.0],
    [0.3, -0.15, 0.25],
  ];
  const EXPECTED: [string, object, number[]][] = [
    ['Adam', { lr: 0.1 }, [0.29147759079933167, -1.2424347400665283, 1.8826723098754883]],
    ['Adam', { lr: 0.01, amsgrad: true, weight_decay: 0.1 }, [0.4731709659099579, -1.2355899810791016, 1.9714419841766357]],
    ['AdamW', { lr: 0.1 }, [0.2899459898471832, -1.2376272678375244, 1.874969482421875]],
    ['Adagrad', { lr: 0.1 }, [0.3630938231945038, -1.2301559448242188, 1.9199433326721191]],
    ['Adadelta', {}, [0.4938685894012451, -1.2502295970916748, 1.9971541166305542]],
    ['Adamax', { lr: 0.1 }, [0.3172723054885864, -1.2150753736495972, 1.886667251586914]],
    ['ASGD', { lr: 0.1, t0: 1 }, [0.47498059272766113, -1.2649495601654053, 1.974920630455017]],
    ['RMSprop', { lr: 0.01, momentum: 0.9, centered: true }, [0.11797109246253967, -1.1576122045516968, 1.7951674461364746]],
    ['RMSprop', {}, [0.3628917932510376, -1.2300676107406616, 1.919646978378296]],
    ['Rprop', {}, [0.47200000286102295, -1.2450000047683716, 1.9850000143051147]],
    ['NAdam', {}, [0.49680861830711365, -1.249602198600769, 1.9980520009994507]],
    ['RAdam', { lr: 0.1 }, [0.47857537865638733, -1.2560123205184937, 1.9660123586654663]],
  ];
  for (const [name, options, expected] of EXPECTED) {
    test(`${name}(${JSON.stringify(options)})`, () => {
      const p = leaf(INIT);
      const opt = new OPTIMIZERS[name]!([p], options);
      for (const g of GRADS) {
        p.grad = torch.tensor(g);
        opt.step();
      }
      assert.deepEqual(p.tolist(), expected);
    });
  }

  test('SGD rounds lr * grad before subtracting it (the book’s arithmetic)', () => {
    const p = leaf([0.7]);
    p.grad = torch.tensor([0.3]);
    new optim.SGD([p], { lr: 0.01 }).step();
    const lr = Math.fround(-0.01);
    assert.equal(p.item(), Math.fround(Math.fround(0.7) + Math.fround(lr * Math.fround(0.3))));
  });
});

describe('LBFGS', () => {
  function rosenbrock(line_search_fn: 'strong_wolfe' | null): { x: Tensor; losses: number[]; state: optim.StateRecord } {
    const x = leaf([-1.5, 2.0]);
    const opt = new optim.LBFGS([x], { line_search_fn });
    const closure = () => {
      opt.zero_grad();
      const [a, b] = [x.get(0), x.get(1)];
      const loss = a.rsub(1).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100));
      loss.backward();
      return loss;
    };
    const losses = [opt.step(closure)!.item(), opt.step(closure)!.item()];
    return { x, losses, state: opt.state.get(x) };
  }

  test('two steps on the Rosenbrock function match PyTorch', () => {
    const { x, losses, state } = rosenbrock(null);
    assert.deepEqual(losses, [12.5, 3.1733570098876953]);
    assert.deepEqual(x.tolist(), [0.13562311232089996, 0.004015577025711536]);
    assert.deepEqual([state['func_evals'], state['n_iter']], [40, 40]);
  });

  test('two steps with the strong-Wolfe line search match PyTorch', () => {
    const { x, losses, state } = rosenbrock('strong_wolfe');
    assert.deepEqual(losses, [12.5, 1.308570146560669]);
    assert.deepEqual(x.tolist(), [0.9999943971633911, 0.9999887347221375]);
    assert.deepEqual([state['func_evals'], state['n_iter']], [50, 39]);
  });

  test('step() without a closure raises TypeError', () => {
    throwsWith(() => new optim.LBFGS([leaf([1])]).step(), 'TypeError', "LBFGS.step() missing 1 required positional argument: 'closure'");
  });

  test('more than one param group raises ValueError', () => {
    throwsWith(() => new optim.LBFGS([{ params: [leaf([1])] }, { params: [leaf([1])] }]), 'ValueError', "LBFGS doesn't support per-parameter options (parameter groups)");
  });
});

describe('SparseAdam', () => {
  test('a dense gradient raises PyTorch’s error', () => {
    const p = leaf([1]);
    p.grad = torch.tensor([1]);
    throwsWith(() => new optim.SparseAdam([p]).step(), 'RuntimeError', 'SparseAdam does not support dense gradients, please consider Adam instead');
  });
});

// ------------------------------------------------------------------ state dict

describe('state_dict', () => {
  function adamAfterTwoSteps(): { opt: optim.Adam; p: Tensor; q: Tensor } {
    const p = leaf([1.0, 2.0]);
    const q = leaf([3.0]);
    const opt = new optim.Adam([{ params: [p] }, { params: [q], lr: 0.5 }], { lr: 0.1 });
    for (let i = 0; i < 2; i++) {
      p.grad = torch.tensor([0.5, -0.5]);
      q.grad = torch.tensor([1.0]);
      opt.step();
    }
    return { opt, p, q };
  }

  test('state is keyed by parameter position and groups list positions', () => {
    const { opt } = adamAfterTwoSteps();
    const sd = opt.state_dict();
    assert.deepEqual(Object.keys(sd.state), ['0', '1']);
    assert.deepEqual(Object.keys(sd.state[0]!), ['step', 'exp_avg', 'exp_avg_sq']);
    assert.equal(String(sd.state[0]!['step']), 'tensor(2.)');
    assert.equal(String(sd.state[1]!['exp_avg']), 'tensor([0.1900])');
    assert.deepEqual(sd.param_groups[1], {
      lr: 0.5,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0,
      amsgrad: false,
      maximize: false,
      foreach: null,
      capturable: false,
      differentiable: false,
      fused: false,
      params: [1],
    });
  });

  test('SGD without momentum stores a null momentum_buffer, as PyTorch stores None', () => {
    const p = leaf([1]);
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.grad = torch.tensor([1]);
    opt.step();
    assert.deepEqual(opt.state_dict().state, { 0: { momentum_buffer: null } });
  });

  test('load_state_dict resumes exactly where the saved optimizer was', () => {
    const { opt, p, q } = adamAfterTwoSteps();
    const p2 = p.detach().clone().requires_grad_();
    const q2 = q.detach().clone().requires_grad_();
    const resumed = new optim.Adam([{ params: [p2] }, { params: [q2] }], { lr: 0.3 });
    resumed.load_state_dict(opt.state_dict());
    assert.equal(resumed.param_groups[1]!.lr, 0.5);
    for (const [o, a, b] of [
      [opt, p, q],
      [resumed, p2, q2],
    ] as const) {
      a.grad = torch.tensor([0.25, 0.75]);
      b.grad = torch.tensor([-1.0]);
      o.step();
    }
    assert.deepEqual([p2.tolist(), q2.tolist()], [p.tolist(), q.tolist()]);
  });

  test('load_state_dict copies the state tensors', () => {
    const { opt, p } = adamAfterTwoSteps();
    const other = new optim.Adam([{ params: [p.detach().clone().requires_grad_()] }, { params: [leaf([0])] }]);
    const sd = opt.state_dict();
    other.load_state_dict(sd);
    assert.notEqual(other.state_dict().state[0]!['exp_avg'], sd.state[0]!['exp_avg']);
  });

  test('the state dict survives torch.save and torch.load', () => {
    const { opt, p, q } = adamAfterTwoSteps();
    const dir = mkdtempSync(join(tmpdir(), 'optim-'));
    try {
      const file = join(dir, 'opt.safetensors');
      torch.save(opt.state_dict() as unknown as Parameters<typeof torch.save>[0], file);
      const restored = new optim.Adam([{ params: [p] }, { params: [q] }]);
      restored.load_state_dict(torch.load(file) as unknown as optim.StateDictInput);
      assert.deepEqual(restored.state_dict().param_groups, opt.state_dict().param_groups);
      assert.deepEqual((restored.state.get(p)['exp_avg_sq'] as Tensor).tolist(), (opt.state.get(p)['exp_avg_sq'] as Tensor).tolist());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a state dict with a different number of groups is rejected', () => {
    const { opt } = adamAfterTwoSteps();
    throwsWith(() => new optim.Adam([leaf([1])]).load_state_dict(opt.state_dict()), 'ValueError', 'loaded state dict has a different number of parameter groups');
  });

  test('a state dict whose group sizes differ is rejected', () => {
    const { opt } = adamAfterTwoSteps();
    throwsWith(
      () => new optim.Adam([{ params: [leaf([1]), leaf([1])] }, { params: [leaf([1])] }]).load_state_dict(opt.state_dict()),
      'ValueError',
      "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
  });
});

// ------------------------------------------------------------------ subclassing

describe('subclassing Optimizer', () => {
  interface SignGroup extends optim.ParamGroup {
    decay: number;
  }
  /** signSGD with a decaying step, written as a learner would write it with tensor ops. */
  class SignSGD extends optim.Optimizer<SignGroup> {
    constructor(params: Iterable<Tensor>, options: { lr?: number; decay?: number } = {}) {
      super(params, { lr: options.lr ?? 0.1, decay: options.decay ?? 0.5 });
    }
    override step<L>(closure?: () => L): L | null {
      const loss = closure ? torch.enable_grad(closure) : null;
      torch.no_grad(() => {
        for (const group of this.param_groups) {
          for (const p of group.params) {
            if (p.grad === null) continue;
            const state = this.state.get(p);
            const count = ((state['count'] as number | undefined) ?? 0) + 1;
            state['count'] = count;
            p.sub_(p.grad.sign(), { alpha: group.lr * group.decay ** (count - 1) });
          }
        }
      });
      return loss;
    }
  }

  test('a subclass gets groups, defaults and state from the base class', () => {
    const p = leaf([1, -1]);
    const opt = new SignSGD([p], { lr: 0.5 });
    for (let i = 0; i < 2; i++) {
      p.grad = torch.tensor([2, -3]);
      opt.step();
    }
    assert.deepEqual(p.tolist(), [0.25, -0.25]);
    assert.deepEqual(opt.state_dict(), { state: { 0: { count: 2 } }, param_groups: [{ lr: 0.5, decay: 0.5, params: [0] }] });
  });

  test('the base class step() raises NotImplementedError', () => {
    const opt = new optim.Optimizer([leaf([1])], { lr: 0.1 });
    assert.throws(() => opt.step(), { name: 'NotImplementedError' });
  });
});
