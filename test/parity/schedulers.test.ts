// Learning-rate schedulers against PyTorch 1.13: the lr of every param_group right after
// construction and after each of 30 { optimizer.step(); scheduler.step() } iterations
// (ReduceLROnPlateau is fed a fixed metric sequence), with non-default arguments.
// Fixture: test/fixtures/parity-schedulers.json (test/parity/gen_schedulers.py).
// Learning rates are Python floats (float64): compared with TOLERANCE.lr.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { optim, torch } from '../../src/engine/index.js';
import { assertNumbers, loadFixture, TOLERANCE, type Encoded } from '../parity-helpers.js';

interface SchedulerCase {
  name: string;
  scheduler: string;
  kwargs: Record<string, unknown>;
  optimizer: { name: string; kwargs: Record<string, unknown> };
  group_lrs?: number[];
  metrics?: number[];
  lrs: Encoded[][];
  momentum?: Encoded[][];
}

const fixture = loadFixture<SchedulerCase>('schedulers');
const STEPS = fixture.steps as number;
const TOL = TOLERANCE.lr;

/** The lambdas the Python generator used for LambdaLR, by the name the fixture gives them. */
const LAMBDAS: Record<string, (epoch: number) => number> = {
  '0.95 ** epoch': (epoch) => 0.95 ** epoch,
  '1 / (1 + epoch)': (epoch) => 1 / (1 + epoch),
};

type Group = { lr: number; momentum?: number; betas?: [number, number] };
type OptimizerLike = { step(): void; param_groups: Group[] };
type SchedulerLike = { step(metric?: number): void; get_last_lr?: () => number[] };

function build(c: SchedulerCase) {
  const Opt = (optim as unknown as Record<string, new (p: unknown, o: object) => OptimizerLike>)[c.optimizer.name]!;
  const params = c.group_lrs
    ? c.group_lrs.map((lr) => ({ params: [torch.zeros(2, { requires_grad: true })], lr }))
    : [torch.zeros(2, { requires_grad: true })];
  const opt = new Opt(params, { ...c.optimizer.kwargs });
  const schedulers = (optim as unknown as { lr_scheduler: Record<string, new (o: OptimizerLike, a: object) => SchedulerLike> }).lr_scheduler;
  const Sched = schedulers[c.scheduler];
  assert.ok(typeof Sched === 'function', `the engine has no optim.lr_scheduler.${c.scheduler}`);
  const kwargs: Record<string, unknown> = { ...c.kwargs };
  if (typeof kwargs.lr_lambda === 'string') kwargs.lr_lambda = LAMBDAS[kwargs.lr_lambda];
  const sched = new Sched(opt, kwargs);
  return { opt, sched };
}

const momentumOf = (g: Group) => (g.betas ? g.betas[0] : (g.momentum ?? null));

for (const c of fixture.cases) {
  describe(`${c.name} (${c.scheduler})`, () => {
    test(`param_groups lr after construction and each of ${STEPS} steps matches PyTorch`, () => {
      const { opt, sched } = build(c);
      const check = (i: number) =>
        assertNumbers(
          opt.param_groups.map((g) => g.lr),
          c.lrs[i]!,
          i === 0 ? 'lr after construction' : `lr after step ${i}`,
          TOL,
        );
      check(0);
      for (let i = 0; i < STEPS; i++) {
        opt.step();
        if (c.metrics) sched.step(c.metrics[i]);
        else sched.step();
        check(i + 1);
      }
    });
    if (c.scheduler !== 'ReduceLROnPlateau') {
      test('get_last_lr() returns the lr of every param_group after each step', () => {
        const { opt, sched } = build(c);
        assert.equal(typeof sched.get_last_lr, 'function', 'get_last_lr exists');
        for (let i = 0; i < STEPS; i++) {
          opt.step();
          sched.step();
          assertNumbers(sched.get_last_lr!(), c.lrs[i + 1]!, `get_last_lr() after step ${i + 1}`, TOL);
        }
      });
    }
    if (c.momentum) {
      const momentum = c.momentum;
      test('the cycled momentum (SGD momentum or Adam betas[0]) matches PyTorch', () => {
        const { opt, sched } = build(c);
        assertNumbers(opt.param_groups.map(momentumOf) as number[], momentum[0]!, 'momentum after construction', TOL);
        for (let i = 0; i < STEPS; i++) {
          opt.step();
          sched.step();
          assertNumbers(opt.param_groups.map(momentumOf) as number[], momentum[i + 1]!, `momentum after step ${i + 1}`, TOL);
        }
      });
    }
  });
}
