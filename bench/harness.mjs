// What the benchmark's learner scripts (bench/learner/*.ts) call to be measured. A script gets
// its workload here (id, size, data), hands over one function that runs the whole workload and
// returns its result (a flat list of numbers), and the harness times it as bench/timing.mjs
// does and prints the result line bench/run.mjs reads. The same script runs on both paths:
// directly (bench/direct.mjs) and as a learner runs it (`autograd-lab run`, through the runner,
// with probes and graph snapshots on). This file lies outside the scripts' folder, so the runner
// does not instrument it: only the learner's own code is probed, as in a real run.
//
// The job comes in the environment variable AUTOGRAD_LAB_BENCH (the runner passes its
// environment on to the script process): { workload, size, data: path of a JSON file, reps,
// warmup, small?, large? }.
import { readFileSync } from 'node:fs';
import { measure, RESULT_MARKER } from './timing.mjs';

export const BENCH_JOB_ENV = 'AUTOGRAD_LAB_BENCH';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

function job() {
  const text = process.env[BENCH_JOB_ENV];
  if (!text) throw new Error(`${BENCH_JOB_ENV} is not set: bench/run.mjs runs the learner scripts`);
  return JSON.parse(text);
}

function report(out) {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify({ version: `Autograd Lab ${pkg.version}`, ...out })}\n`);
}

export const bench = {
  /** The workload to run: its id, its size and its data (bench/workloads.mjs makeData). */
  workload() {
    const j = job();
    return { id: j.workload, size: j.size, data: JSON.parse(readFileSync(j.data, 'utf8')) };
  },

  /** Times `run` (the whole workload) and reports it. */
  time(run) {
    const j = job();
    report(measure(run, { reps: j.reps, warmup: j.warmup }));
  },

  /**
   * (g): the heap after `small` and after `large` epochs of one training (`train(epochs)` trains
   * that many more epochs and returns the result), each after garbage collection (--expose-gc).
   */
  heapGrowth(train) {
    const { small, large } = job();
    const gc = globalThis.gc;
    if (typeof gc !== 'function') throw new Error('(g) needs node --expose-gc');
    const settle = () => {
      for (let i = 0; i < 3; i++) gc();
      return process.memoryUsage().heapUsed;
    };
    train(small);
    const heapSmall = settle();
    const result = train(large - small);
    const heapLarge = settle();
    report({ heap_small_bytes: heapSmall, heap_large_bytes: heapLarge, growth_bytes: heapLarge - heapSmall, result });
  },
};
