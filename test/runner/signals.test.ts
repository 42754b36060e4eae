// Warnings read off loss curves: NaN/±Inf, divergence and overfitting (the chapter's rule two),
// each once, with the epoch and the line. Synthetic series, and the book's chapter 5 run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import torch, { optim, type Tensor } from '../../src/engine/index.js';
import { SignalMonitor, type SignalWarning } from '../../src/runner/child/signals.js';
import { OverfitDetector, pairRole } from '../../src/series/overfitting.js';
import type { SourceLocation } from '../../src/protocol/run-events.js';

const AT = (line: number): SourceLocation => ({ file: 'train.ts', line, column: 11 });

function monitor(options: { patience?: number } = {}): { m: SignalMonitor; warnings: SignalWarning[] } {
  const warnings: SignalWarning[] = [];
  return { m: new SignalMonitor((w) => warnings.push(w), options), warnings };
}

/** A small deterministic noise source in [-1, 1). */
function noise(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 2 ** 31 - 1;
  };
}

/** The book's chapter 5 train/validation run (05-train-validation.ts): both losses per epoch. */
function bookTrainValidation(epochs: number): { train: number[]; val: number[] } {
  const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
  const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
  const model = (u: Tensor, w: Tensor, b: Tensor) => w.mul(u).add(b);
  const lossFn = (p: Tensor, c: Tensor) => p.sub(c).pow(2).mean();
  torch.manual_seed(33554659);
  const shuffled = torch.randperm(11);
  const trainIdx = shuffled.slice(null, -2);
  const valIdx = shuffled.slice(-2);
  const [trainU, trainC, valU, valC] = [t_u.get(trainIdx).mul(0.1), t_c.get(trainIdx), t_u.get(valIdx).mul(0.1), t_c.get(valIdx)];
  const params = torch.tensor([1.0, 0.0], { requires_grad: true });
  const optimizer = new optim.SGD([params], { lr: 1e-2 });
  const train: number[] = [];
  const val: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const [w, b] = params;
    const trainLoss = lossFn(model(trainU!, w!, b!), trainC!);
    const valLoss = lossFn(model(valU!, w!, b!), valC!);
    optimizer.zero_grad();
    trainLoss.backward();
    optimizer.step();
    train.push(trainLoss.item());
    val.push(valLoss.item());
  }
  return { train, val };
}

describe('NaN and ±Inf', () => {
  test('the first NaN of a loss is reported once, with its epoch and line', () => {
    const { m, warnings } = monitor();
    for (let epoch = 1; epoch <= 2000; epoch++) m.observe('loss', epoch, epoch < 1234 ? 1 / epoch : NaN, AT(18));
    assert.deepEqual(warnings, [
      { type: 'warning', kind: 'nan', message: 'loss became nan at epoch 1234 (line 18)', location: AT(18), epoch: 1234, series: 'loss' },
    ]);
  });

  test('an infinite loss is reported as inf or -inf, as PyTorch prints it', () => {
    const { m, warnings } = monitor();
    m.observe('loss', 1, 1, AT(3));
    m.observe('loss', 2, Infinity, AT(3));
    m.observe('val_loss', 1, -Infinity, AT(4));
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['loss became inf at epoch 2 (line 3)', 'val_loss became -inf at epoch 1 (line 4)'],
    );
  });

  test('a logged step without a line is called a step', () => {
    const { m, warnings } = monitor();
    m.observe('Loss/train', 40, NaN, undefined, 'step');
    assert.equal(warnings[0]!.message, 'Loss/train became nan at step 40');
    assert.equal(warnings[0]!.location, undefined);
  });

  test('checkFinite reports a value that is not part of a series, and shares the once-per-name rule', () => {
    const { m, warnings } = monitor();
    assert.equal(m.checkFinite('loss', 1, 2.5, AT(26)), true);
    assert.equal(m.checkFinite('loss', 1, NaN, AT(26)), false);
    m.observe('loss', 7, NaN, AT(49));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.message, 'loss became nan at epoch 1 (line 26)');
  });
});

describe('divergence', () => {
  test('a loss that grows past 10× its first value is reported once, at that epoch', () => {
    const { m, warnings } = monitor();
    // The book's chapter 5 divergence (In [17]: lr 1e-2 on the unnormalized input).
    const values = [1763.884766, 5802485.5, 19408035840, 64915909902336, 217130559820791808];
    values.forEach((v, i) => m.observe('loss', i + 1, v, AT(24)));
    assert.deepEqual(warnings, [
      {
        type: 'warning',
        kind: 'divergence',
        message: 'loss grew more than 10× over its first value at epoch 2 (line 24): learning rate too high?',
        location: AT(24),
        epoch: 2,
        series: 'loss',
      },
    ]);
  });

  test('growth up to 10× is not divergence', () => {
    const { m, warnings } = monitor();
    [5, 20, 49.9, 50, 10].forEach((v, i) => m.observe('loss', i + 1, v, AT(1)));
    assert.deepEqual(warnings, []);
  });

  test('a series whose first value is not positive is never called divergent', () => {
    const { m, warnings } = monitor();
    [0, 100, 1e9].forEach((v, i) => m.observe('loss', i + 1, v, AT(1)));
    [-5, 100].forEach((v, i) => m.observe('other_loss', i + 1, v, AT(2)));
    assert.deepEqual(warnings, []);
  });

  test('a loss that diverges and then overflows gets one divergence and one NaN warning', () => {
    const { m, warnings } = monitor();
    [1, 50, 1e30, Infinity, NaN, NaN].forEach((v, i) => m.observe('loss', i + 1, v, AT(9)));
    assert.deepEqual(
      warnings.map((w) => `${w.kind}@${w.epoch}`),
      ['divergence@2', 'nan@4'],
    );
  });
});

describe('overfitting (rule two)', () => {
  test('pairs series by name: train_loss/val_loss, Loss/train//Loss/val, loss/val_loss', () => {
    assert.deepEqual(pairRole('train_loss'), { role: 'train', key: 'loss' });
    assert.deepEqual(pairRole('val_loss'), { role: 'val', key: 'loss' });
    assert.deepEqual(pairRole('validation_loss'), { role: 'val', key: 'loss' });
    assert.deepEqual(pairRole('Loss/train'), { role: 'train', key: 'loss' });
    assert.deepEqual(pairRole('Loss/val'), { role: 'val', key: 'loss' });
    assert.deepEqual(pairRole('trainLoss'), { role: 'train', key: 'loss' });
    assert.deepEqual(pairRole('loss'), { role: 'none', key: 'loss' });
    assert.deepEqual(pairRole('interval_loss'), { role: 'none', key: 'interval_loss' });
  });

  test('the book’s train/validation run warns once, after val loss turns up past epoch ~578', () => {
    const { train, val } = bookTrainValidation(3000);
    const lowest = val.indexOf(Math.min(...val)) + 1;
    assert.ok(lowest > 500 && lowest < 650, `val lowest at ${lowest}`);
    const { m, warnings } = monitor({ patience: 100 });
    for (let epoch = 1; epoch <= 3000; epoch++) {
      m.observe('train_loss', epoch, train[epoch - 1]!, AT(53));
      m.observe('val_loss', epoch, val[epoch - 1]!, AT(55));
    }
    assert.equal(warnings.length, 1);
    const w = warnings[0]!;
    assert.equal(w.kind, 'overfitting');
    assert.equal(w.series, 'val_loss');
    assert.deepEqual(w.location, AT(55));
    assert.ok(w.epoch! > lowest + 100 && w.epoch! < lowest + 200, `warned at ${w.epoch}`);
    assert.match(w.message, /^val_loss has been rising for 100 epochs while train_loss keeps falling at epoch \d+ \(line 55\)/);
    assert.match(w.message, /rule two: if the training loss and the validation loss diverge, you’re overfitting/);
  });

  test('the overfitting warning carries where validation was lowest, the point its text names', () => {
    const { train, val } = bookTrainValidation(3000);
    const { m, warnings } = monitor({ patience: 100 });
    for (let epoch = 1; epoch <= 3000; epoch++) {
      m.observe('train_loss', epoch, train[epoch - 1]!, AT(53));
      m.observe('val_loss', epoch, val[epoch - 1]!, AT(55));
    }
    const { lowest, message } = warnings[0]!;
    assert.ok(lowest);
    assert.match(message, new RegExp(`it was lowest at epoch ${lowest.step}\\.`));
    assert.equal(lowest.value, val[lowest.step - 1], 'the validation loss as logged at that epoch');
  });

  test('noise does not reset the count: a noisy U-shaped val loss still warns once', () => {
    const rand = noise(7);
    const { m, warnings } = monitor({ patience: 100 });
    for (let epoch = 1; epoch <= 1500; epoch++) {
      const train = 10 / Math.sqrt(epoch) + 0.05 * rand();
      const val = 1 + ((epoch - 500) / 400) ** 2 + 0.08 * rand();
      m.observe('train_loss', epoch, train, AT(10));
      m.observe('val_loss', epoch, val, AT(11));
    }
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0]!.epoch! > 600 && warnings[0]!.epoch! < 900, `warned at ${warnings[0]!.epoch}`);
  });

  test('noisy losses on a plateau are not overfitting', () => {
    const rand = noise(11);
    const { m, warnings } = monitor({ patience: 100 });
    for (let epoch = 1; epoch <= 5000; epoch++) {
      m.observe('train_loss', epoch, 2 + 0.1 * rand(), AT(10));
      m.observe('val_loss', epoch, 3 + 0.1 * rand(), AT(11));
    }
    assert.deepEqual(warnings, []);
  });

  test('val rising while train rises too is not overfitting', () => {
    const { m, warnings } = monitor({ patience: 10 });
    for (let epoch = 1; epoch <= 500; epoch++) {
      const v = epoch < 100 ? 10 - epoch / 20 : 5 + (epoch - 100) / 20;
      m.observe('train_loss', epoch, v, AT(10));
      m.observe('val_loss', epoch, v + 1, AT(11));
    }
    assert.deepEqual(warnings, []);
  });

  test('a plain `loss` pairs with `val_loss`, whichever is computed first in the epoch', () => {
    const { m, warnings } = monitor({ patience: 20 });
    for (let epoch = 1; epoch <= 400; epoch++) {
      m.observe('val_loss', epoch, 1 + ((epoch - 100) / 50) ** 2, AT(21));
      m.observe('loss', epoch, 10 / epoch, AT(20));
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /^val_loss has been rising for 20 epochs while loss keeps falling/);
  });

  test('the detector fires once and reports where val was lowest', () => {
    const d = new OverfitDetector({ patience: 5, smoothing: 1 });
    const found = [];
    for (let step = 1; step <= 40; step++) {
      const f = d.update(step, 100 - step, Math.abs(step - 10) + 1);
      if (f) found.push(f);
    }
    // Smoothing 1 = no smoothing: lowest at 10, rising from 11 (above the 1% margin), 5 epochs → 15.
    assert.deepEqual(found, [{ step: 15, minStep: 10, minValue: 1, since: 11, risingFor: 5 }]);
  });
});
