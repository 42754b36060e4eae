// One workload on TensorFlow.js, in a process of its own (so one workload's JIT state never helps
// or hurts another's). Prints one marked line of JSON for bench/run.mjs. (Autograd Lab runs its
// learner scripts instead: bench/direct.mjs and `autograd-lab run`.)
//
//   node bench/worker.mjs --impl tfjs-cpu|tfjs-wasm --workload sgd --size '{"epochs":5000}' --data data.json --reps 7 --warmup 2
import { readFileSync } from 'node:fs';
import { measure, parseArgs, RESULT_MARKER } from './timing.mjs';
import { init, setup } from './impl-tfjs.mjs';

const args = parseArgs(process.argv.slice(2));
const data = JSON.parse(readFileSync(args.data, 'utf8'));
const version = await init(args.impl === 'tfjs-wasm' ? 'wasm' : 'cpu');
const run = setup(args.workload, JSON.parse(args.size), data);
const out = { version, ...measure(run, { reps: Number(args.reps), warmup: Number(args.warmup) }) };
process.stdout.write(`${RESULT_MARKER}${JSON.stringify(out)}\n`);
