// torch.utils.tensorboard.SummaryWriter: under the runner its scalars become metric points;
// standalone they are appended to <log_dir>/scalars.jsonl.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import torch from '../../src/engine/index.js';
import { SummaryWriter } from '../../src/engine/utils/tensorboard.js';
import { ProbeRecorder, installProbeGlobal } from '../../src/runner/child/probes.js';
import type { ChildEvent } from '../../src/protocol/script-process.js';
import { pointsOf, type MetricPoint } from '../metric-points.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'agl-tb-'));
}

function lines(dir: string): { tag: string; step: number; value: number | string; wall_time: number }[] {
  return readFileSync(join(dir, 'scalars.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** Runs `body` with the runner's global installed; returns the metric points sent. */
function underRunner(body: () => void): { points: MetricPoint[]; sent: ChildEvent[] } {
  const sent: ChildEvent[] = [];
  const recorder = new ProbeRecorder((e) => sent.push(e), { flushIntervalMs: 1e9 });
  installProbeGlobal(recorder);
  try {
    body();
  } finally {
    delete (globalThis as { __autogradLab?: unknown }).__autogradLab;
  }
  recorder.flush();
  const points = sent.flatMap((e) => (e.type === 'metric-columns' ? pointsOf(e) : []));
  return { points, sent };
}

describe('SummaryWriter standalone', () => {
  test('add_scalar appends {tag, step, value, wall_time} lines to <log_dir>/scalars.jsonl, creating the folder', () => {
    const dir = join(tempDir(), 'nested', 'run1');
    try {
      const writer = new SummaryWriter(dir);
      assert.ok(existsSync(dir));
      const before = Date.now() / 1000;
      writer.add_scalar('Loss/train', 0.5, 3);
      writer.add_scalar('Loss/train', 0.25, 4, 1700000000.5);
      writer.close();
      const [a, b] = lines(dir);
      assert.deepEqual({ ...a, wall_time: 0 }, { tag: 'Loss/train', step: 3, value: 0.5, wall_time: 0 });
      assert.ok(a!.wall_time >= before - 1 && a!.wall_time <= Date.now() / 1000 + 1);
      assert.deepEqual(b, { tag: 'Loss/train', step: 4, value: 0.25, wall_time: 1700000000.5 });
    } finally {
      rmSync(join(dir, '..', '..'), { recursive: true, force: true });
    }
  });

  test('takes one-element tensors as values', () => {
    const dir = tempDir();
    try {
      const writer = new SummaryWriter(dir);
      writer.add_scalar('loss', torch.tensor(2.5), 1);
      writer.add_scalar('loss', torch.tensor([[1.5]]), 2);
      writer.close();
      assert.deepEqual(lines(dir).map((l) => l.value), [2.5, 1.5]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a tensor of more than one element is refused as PyTorch does: scalar should be 0D', () => {
    const dir = tempDir();
    try {
      const writer = new SummaryWriter(dir);
      assert.throws(() => writer.add_scalar('loss', torch.tensor([1, 2]), 1), (e: Error) => e.name === 'ValueError' && e.message.startsWith('scalar should be 0D'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without global_step each tag counts its own steps from 1', () => {
    const dir = tempDir();
    try {
      const writer = new SummaryWriter(dir);
      writer.add_scalar('a', 1);
      writer.add_scalar('a', 2);
      writer.add_scalar('b', 3);
      writer.close();
      assert.deepEqual(lines(dir).map((l) => `${l.tag}@${l.step}`), ['a@1', 'a@2', 'b@1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('add_scalars writes each value as <main_tag>/<tag>, at one step and wall time', () => {
    const dir = tempDir();
    try {
      const writer = new SummaryWriter(dir);
      writer.add_scalars('Loss', { train: 2.0, val: torch.tensor(3.0) }, 7);
      writer.close();
      const [a, b] = lines(dir);
      assert.deepEqual([a!.tag, a!.step, a!.value, b!.tag, b!.step, b!.value], ['Loss/train', 7, 2, 'Loss/val', 7, 3]);
      assert.equal(a!.wall_time, b!.wall_time);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('lines are buffered up to max_queue and written by flush()', () => {
    const dir = tempDir();
    try {
      const writer = new SummaryWriter(dir, { max_queue: 3 });
      writer.add_scalar('x', 1, 1);
      writer.add_scalar('x', 2, 2);
      assert.ok(!existsSync(join(dir, 'scalars.jsonl')));
      writer.add_scalar('x', 3, 3);
      assert.equal(lines(dir).length, 3);
      writer.add_scalar('x', 4, 4);
      writer.flush();
      assert.equal(lines(dir).length, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a NaN value is written as the string "NaN" (JSON has no NaN)', () => {
    const dir = tempDir();
    try {
      const writer = new SummaryWriter(dir);
      writer.add_scalar('loss', NaN, 1);
      writer.close();
      assert.equal(lines(dir)[0]!.value, 'NaN');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the default log_dir is runs/<Mon><DD>_<HH>-<MM>-<SS>_<host><comment>, as in PyTorch', () => {
    const dir = tempDir();
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const writer = new SummaryWriter(null, { comment: '_lr0.01' });
      assert.match(writer.log_dir, new RegExp(`^runs/[A-Z][a-z]{2}\\d{2}_\\d{2}-\\d{2}-\\d{2}_${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_lr0\\.01$`));
      assert.equal(writer.get_logdir(), writer.log_dir);
      assert.deepEqual(readdirSync(join(dir, 'runs')).length, 1);
      const opts = new SummaryWriter({ log_dir: 'custom' });
      assert.equal(opts.log_dir, 'custom');
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SummaryWriter under the runner', () => {
  test('add_scalar reports points to the runner (source tensorboard) and writes no files', () => {
    const dir = join(tempDir(), 'never');
    try {
      const { points } = underRunner(() => {
        const writer = new SummaryWriter(dir);
        writer.add_scalar('Loss/train', torch.tensor(0.5), 10);
        writer.add_scalar('Loss/train', 0.25);
        writer.close();
      });
      assert.deepEqual(points, [
        { series: 'Loss/train', step: 10, value: 0.5, source: 'tensorboard' },
        { series: 'Loss/train', step: 2, value: 0.25, source: 'tensorboard' },
      ]);
      assert.ok(!existsSync(dir));
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });

  test('add_scalars reports a series per tag: <main_tag>/<tag>', () => {
    const { points } = underRunner(() => {
      const writer = new SummaryWriter();
      for (let epoch = 0; epoch < 2; epoch++) writer.add_scalars('Loss', { train: 2 - epoch, val: 3 - epoch }, epoch);
    });
    assert.deepEqual(points.map((p) => `${p.series}@${p.step}=${p.value}`), ['Loss/train@0=2', 'Loss/val@0=3', 'Loss/train@1=1', 'Loss/val@1=2']);
  });

  test('a logged loss that becomes NaN warns at its step', () => {
    const { sent } = underRunner(() => {
      const writer = new SummaryWriter();
      writer.add_scalar('train_loss', 1, 0);
      writer.add_scalar('train_loss', NaN, 1);
    });
    const warnings = sent.filter((e) => e.type === 'warning');
    assert.deepEqual(warnings.map((w) => (w as { message: string }).message), ['train_loss became nan at step 1']);
  });
});
