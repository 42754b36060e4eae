// torch.optim.lr_scheduler: behaviour specs. Each expected learning-rate sequence was printed by
// PyTorch 1.13 (/usr/bin/python3) for the same construction: the lr right after construction,
// then after each optimizer.step(); scheduler.step() pair. They are compared exactly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import torch, { optim, setWarningListener } from '../src/engine/index.js';

const L = optim.lr_scheduler;
/** Both kinds: LRScheduler.step(epoch?) and ReduceLROnPlateau.step(metric). */
type Scheduler = { step(metricOrNothing: number): void; get_last_lr(): number[] };

const warnings: string[] = [];
setWarningListener((_category, message) => warnings.push(message));

/** SGD (momentum 0.9) or Adam with one group per lr: 0.1, 0.2, ... */
function optimizer(kind: 'sgd' | 'adam' = 'sgd', groups = 1): optim.Optimizer {
  const gs = Array.from({ length: groups }, (_, i) => ({ params: [torch.zeros(1, { requires_grad: true })], lr: 0.1 * (i + 1) }));
  return kind === 'sgd' ? new optim.SGD(gs, { lr: 0.1, momentum: 0.9 }) : new optim.Adam(gs, { lr: 0.1 });
}

/** The lrs of every group after construction and after each of `steps` steps. */
function lrSequence(opt: optim.Optimizer, scheduler: Scheduler, steps: number, metrics?: number[]): number[][] {
  const out = [[...scheduler.get_last_lr()]];
  for (let k = 0; k < steps; k++) {
    opt.step();
    scheduler.step(metrics?.[k] as number);
    out.push(opt.param_groups.map((g) => g.lr));
  }
  return out;
}
const first = (rows: number[][]) => rows.map((r) => r[0]!);

describe('learning-rate sequences match PyTorch 1.13', () => {
  test('StepLR(step_size=3, gamma=0.5)', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.StepLR(opt, { step_size: 3, gamma: 0.5 }), 10)), [
      0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125,
    ]);
  });

  test('MultiStepLR(milestones=[2, 5, 5], gamma=0.1): a repeated milestone applies gamma twice', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.MultiStepLR(opt, { milestones: [2, 5, 5], gamma: 0.1 }), 8)), [
      0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.00010000000000000005, 0.00010000000000000005,
      0.00010000000000000005, 0.00010000000000000005,
    ]);
  });

  test('ExponentialLR(gamma=0.9) over two groups', () => {
    const opt = optimizer('sgd', 2);
    const rows = lrSequence(opt, new L.ExponentialLR(opt, { gamma: 0.9 }), 10);
    assert.deepEqual(rows.slice(0, 4), [
      [0.1, 0.2],
      [0.09000000000000001, 0.18000000000000002],
      [0.08100000000000002, 0.16200000000000003],
      [0.07290000000000002, 0.14580000000000004],
    ]);
    assert.deepEqual(rows[10], [0.03486784401000002, 0.06973568802000003]);
  });

  test('CosineAnnealingLR(T_max=10, eta_min=0.001) down, back up and down again', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.CosineAnnealingLR(opt, { T_max: 10, eta_min: 0.001 }), 45)), [
      0.1, 0.09757729755661011, 0.0905463412215599, 0.07959536998847742, 0.0657963412215599, 0.0505, 0.03520365877844011, 0.02140463001152259,
      0.010453658778440109, 0.0034227024433899004, 0.001, 0.0034227024433899004, 0.01045365877844014, 0.02140463001152267, 0.035203658778440255,
      0.05050000000000022, 0.06579634122156018, 0.07959536998847777, 0.09054634122156031, 0.09757729755661054, 0.10000000000000045,
      0.09757729755661054, 0.09054634122156033, 0.07959536998847778, 0.0657963412215602, 0.050500000000000225, 0.03520365877844027,
      0.021404630011522683, 0.010453658778440154, 0.003422702443389916, 0.001, 0.0034227024433899004, 0.010453658778440112,
      0.021404630011522607, 0.03520365877844015, 0.050500000000000086, 0.06579634122156003, 0.07959536998847759, 0.09054634122156009,
      0.09757729755661032, 0.10000000000000024, 0.09757729755661038, 0.09054634122156012, 0.07959536998847763, 0.06579634122156017,
      0.05050000000000014,
    ]);
  });

  test('CosineAnnealingLR(T_max=7) over two groups', () => {
    const opt = optimizer('sgd', 2);
    const rows = lrSequence(opt, new L.CosineAnnealingLR(opt, { T_max: 7 }), 30);
    assert.deepEqual(rows.slice(5, 9), [
      [0.018825509907063328, 0.037651019814126656],
      [0.004951556604879048, 0.009903113209758096],
      [0.0, 0.0],
      [0.004951556604879043, 0.009903113209758086],
    ]);
    assert.deepEqual(rows[28], [0.10000000000000091, 0.20000000000000182]);
    assert.deepEqual(rows[30], [0.0811744900929375, 0.162348980185875]);
  });

  test('LambdaLR(lr_lambda=e => 1 / (e + 1))', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.LambdaLR(opt, { lr_lambda: (e) => 1 / (e + 1) }), 6)), [
      0.1, 0.05, 0.03333333333333333, 0.025, 0.020000000000000004, 0.016666666666666666, 0.014285714285714285,
    ]);
  });

  test('LinearLR(start_factor=0.25, total_iters=4)', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.LinearLR(opt, { start_factor: 0.25, total_iters: 4 }), 7)), [
      0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002, 0.10000000000000002, 0.10000000000000002, 0.10000000000000002,
      0.10000000000000002,
    ]);
  });

  test('LinearLR() with its defaults over two groups', () => {
    const opt = optimizer('sgd', 2);
    assert.deepEqual(lrSequence(opt, new L.LinearLR(opt), 5), [
      [0.03333333333333333, 0.06666666666666667],
      [0.04666666666666667, 0.09333333333333334],
      [0.060000000000000005, 0.12000000000000001],
      [0.07333333333333335, 0.1466666666666667],
      [0.08666666666666668, 0.17333333333333337],
      [0.1, 0.2],
    ]);
  });

  test('ConstantLR(factor=0.5, total_iters=3)', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.ConstantLR(opt, { factor: 0.5, total_iters: 3 }), 5)), [0.05, 0.05, 0.05, 0.1, 0.1, 0.1]);
  });

  test('MultiplicativeLR(lr_lambda=() => 0.9)', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.MultiplicativeLR(opt, { lr_lambda: () => 0.9 }), 5)), [
      0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002, 0.05904900000000002,
    ]);
  });

  test('PolynomialLR(total_iters=6, power=2)', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.PolynomialLR(opt, { total_iters: 6, power: 2.0 }), 8)), [
      0.1, 0.06944444444444446, 0.04444444444444447, 0.02500000000000001, 0.011111111111111117, 0.0027777777777777775, 0.0, 0.0, 0.0,
    ]);
  });

  test('OneCycleLR(max_lr=0.1, total_steps=10)', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.OneCycleLR(opt, { max_lr: 0.1, total_steps: 10 }), 9)), [
      0.0040000000000000036, 0.052000000000000005, 0.1, 0.09504846320134738, 0.0811745653949763, 0.06112620219362893, 0.03887419780637107,
      0.0188258346050237, 0.004951936798652629, 4e-7,
    ]);
  });

  test('OneCycleLR(max_lr=0.05, epochs=3, steps_per_epoch=4, pct_start=0.25)', () => {
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new L.OneCycleLR(opt, { max_lr: 0.05, epochs: 3, steps_per_epoch: 4, pct_start: 0.25 }), 11)), [
      0.0020000000000000018, 0.026000000000000002, 0.05, 0.04849232155038564, 0.04415113447353014, 0.03750005, 0.0293412870768555,
      0.02065891292314451, 0.012500150000000007, 0.005849065526469865, 0.0015078784496143707, 2e-7,
    ]);
  });

  test('OneCycleLR linear three-phase schedule with per-group max_lr', () => {
    const opt = optimizer('adam', 2);
    const rows = lrSequence(opt, new L.OneCycleLR(opt, { max_lr: [0.1, 0.2], total_steps: 20, anneal_strategy: 'linear', three_phase: true }), 19);
    assert.deepEqual(rows.slice(0, 6), [
      [0.004, 0.008],
      [0.023200000000000002, 0.046400000000000004],
      [0.04240000000000001, 0.08480000000000001],
      [0.0616, 0.1232],
      [0.08080000000000001, 0.16160000000000002],
      [0.1, 0.2],
    ]);
    assert.deepEqual(rows[10], [0.0040000000000000036, 0.008000000000000007]);
    assert.deepEqual(rows[19], [4.0000000000022656e-7, 8.000000000004531e-7]);
  });

  test('ReduceLROnPlateau(patience=2, factor=0.5) halves lr after three epochs without improvement', () => {
    const opt = optimizer();
    const metrics = [10, 9, 9, 9, 9, 8, 8.5, 8.4, 8.3, 8.2, 8.1, 8.0];
    assert.deepEqual(first(lrSequence(opt, new L.ReduceLROnPlateau(opt, { patience: 2, factor: 0.5 }), 12, metrics)), [
      0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125,
    ]);
  });

  test("ReduceLROnPlateau(mode='max', threshold_mode='abs', cooldown=2, min_lr=5e-4)", () => {
    const opt = optimizer();
    const metrics = [1, 1.05, 1.02, 1.01, 1.2, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1];
    const scheduler = new L.ReduceLROnPlateau(opt, { mode: 'max', threshold_mode: 'abs', threshold: 0.1, patience: 1, cooldown: 2, factor: 0.1, min_lr: 0.0005 });
    assert.deepEqual(first(lrSequence(opt, scheduler, 12, metrics)), [
      0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002,
      0.0010000000000000002, 0.0010000000000000002, 0.0010000000000000002, 0.0005, 0.0005,
    ]);
  });
});

describe('momentum cycling', () => {
  test('OneCycleLR moves SGD’s momentum opposite to the learning rate', () => {
    const opt = optimizer();
    const scheduler = new L.OneCycleLR(opt, { max_lr: 0.1, total_steps: 10 });
    const momentum: number[] = [];
    for (let k = 0; k < 9; k++) {
      opt.step();
      scheduler.step();
      momentum.push(opt.param_groups[0]!.momentum!);
    }
    assert.deepEqual(momentum, [
      0.8999999999999999, 0.85, 0.854951556604879, 0.8688255099070633, 0.8888739533021842, 0.9111260466978157, 0.9311744900929366,
      0.945048443395121, 0.95,
    ]);
  });

  test('OneCycleLR cycles Adam’s beta1 and keeps beta2', () => {
    const opt = optimizer('adam');
    const scheduler = new L.OneCycleLR(opt, { max_lr: 0.1, total_steps: 20, anneal_strategy: 'linear', three_phase: true });
    opt.step();
    scheduler.step();
    assert.deepEqual(opt.param_groups[0]!.betas, [0.9299999999999999, 0.999]);
  });

  test('OneCycleLR stepping past total_steps raises ValueError', () => {
    const opt = optimizer();
    const scheduler = new L.OneCycleLR(opt, { max_lr: 0.1, total_steps: 2 });
    opt.step();
    scheduler.step();
    scheduler.step();
    assert.throws(() => scheduler.step(), { name: 'ValueError', message: 'Tried to step 4 times. The specified number of total steps is 2' });
  });
});

describe('scheduler state', () => {
  test('construction sets initial_lr in each group and counts as epoch 0', () => {
    const opt = optimizer();
    const scheduler = new L.StepLR(opt, { step_size: 3 });
    assert.deepEqual([scheduler.last_epoch, opt.param_groups[0]!.initial_lr, scheduler.base_lrs], [0, 0.1, [0.1]]);
  });

  test('last_epoch counts the steps', () => {
    const opt = optimizer();
    const scheduler = new L.ExponentialLR(opt, { gamma: 0.5 });
    for (let k = 0; k < 3; k++) {
      opt.step();
      scheduler.step();
    }
    assert.equal(scheduler.last_epoch, 3);
  });

  test('state_dict holds every field but the optimizer, in PyTorch’s order', () => {
    const opt = optimizer();
    const scheduler = new L.StepLR(opt, { step_size: 3, gamma: 0.5 });
    for (let k = 0; k < 2; k++) {
      opt.step();
      scheduler.step();
    }
    const sd = scheduler.state_dict();
    assert.deepEqual(Object.keys(sd), ['step_size', 'gamma', 'base_lrs', 'last_epoch', 'verbose', '_step_count', '_get_lr_called_within_step', '_last_lr']);
    assert.deepEqual(sd, { step_size: 3, gamma: 0.5, base_lrs: [0.1], last_epoch: 2, verbose: false, _step_count: 3, _get_lr_called_within_step: false, _last_lr: [0.1] });
  });

  test('LambdaLR’s state_dict stores null for each function', () => {
    const opt = optimizer();
    assert.deepEqual(new L.LambdaLR(opt, { lr_lambda: () => 1 }).state_dict()['lr_lambdas'], [null]);
  });

  test('load_state_dict resumes the schedule', () => {
    const opt = optimizer();
    const scheduler = new L.StepLR(opt, { step_size: 2, gamma: 0.5 });
    for (let k = 0; k < 3; k++) {
      opt.step();
      scheduler.step();
    }
    const opt2 = optimizer();
    const resumed = new L.StepLR(opt2, { step_size: 2, gamma: 0.5 });
    resumed.load_state_dict(scheduler.state_dict());
    opt2.param_groups[0]!.lr = opt.param_groups[0]!.lr;
    opt.step();
    scheduler.step();
    opt2.step();
    resumed.step();
    assert.deepEqual([resumed.last_epoch, resumed.get_last_lr()], [scheduler.last_epoch, scheduler.get_last_lr()]);
  });

  test('resuming (last_epoch given) without initial_lr raises KeyError', () => {
    assert.throws(() => new L.StepLR(optimizer(), { step_size: 2, last_epoch: 4 }), {
      name: 'KeyError',
      message: "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
    });
  });

  test('step(epoch) jumps to the closed form for that epoch', () => {
    const opt = optimizer();
    const scheduler = new L.CosineAnnealingLR(opt, { T_max: 10 });
    const lrs = [3, 7, 12].map((epoch) => {
      opt.step();
      scheduler.step(epoch);
      return opt.param_groups[0]!.lr;
    });
    assert.deepEqual(lrs, [0.07938926261462366, 0.02061073738537635, 0.009549150281252623]);
  });

  test('ReduceLROnPlateau accepts a one-element tensor as the metric', () => {
    const opt = optimizer();
    const scheduler = new L.ReduceLROnPlateau(opt, { patience: 0 });
    scheduler.step(torch.tensor(1.0));
    scheduler.step(torch.tensor(2.0));
    assert.deepEqual([scheduler.best, opt.param_groups[0]!.lr], [1, 0.010000000000000002]);
  });

  test('a non-optimizer raises TypeError', () => {
    assert.throws(() => new L.StepLR({} as optim.Optimizer, { step_size: 1 }), { name: 'TypeError', message: 'Object is not an Optimizer' });
  });
});

describe('warnings and subclassing', () => {
  test('scheduler.step() before optimizer.step() warns as PyTorch does', () => {
    const scheduler = new L.StepLR(optimizer(), { step_size: 1 });
    scheduler.step();
    assert.ok(warnings.some((w) => w.startsWith('Detected call of `lr_scheduler.step()` before `optimizer.step()`.')));
  });

  test('calling get_lr() directly warns to use get_last_lr()', () => {
    const opt = optimizer();
    const scheduler = new L.StepLR(opt, { step_size: 1 });
    scheduler.get_lr();
    assert.ok(warnings.includes('To get the last learning rate computed by the scheduler, please use `get_last_lr()`.'));
  });

  test('a subclass passes its fields to the base constructor and implements get_lr', () => {
    class HalvingLR extends L.LRScheduler {
      declare every: number;
      constructor(opt: optim.Optimizer, every: number) {
        super(opt, -1, false, { every });
      }
      override get_lr(): number[] {
        const halve = this.last_epoch > 0 && this.last_epoch % this.every === 0;
        return this.optimizer.param_groups.map((g) => (halve ? g.lr / 2 : g.lr));
      }
    }
    const opt = optimizer();
    assert.deepEqual(first(lrSequence(opt, new HalvingLR(opt, 2), 4)), [0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  test('_LRScheduler is the same class as LRScheduler', () => {
    assert.equal(L._LRScheduler, L.LRScheduler);
  });
});
