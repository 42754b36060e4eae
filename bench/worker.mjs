// One workload on one JavaScript implementation, in a process of its own (so one workload's JIT
// state never helps or hurts another's). Prints one marked line of JSON for bench/run.mjs.
//
//   node bench/worker.mjs --impl ours|tfjs-cpu|tfjs-wasm --workload sgd --size '{"epochs":5000}' --data data.json --reps 7 --warmup 2
//   node --expose-gc bench/worker.mjs --impl ours --workload memory --data data.json --small 1000 --large 100000
import { readFileSync } from 'node:fs';
import { measure, parseArgs, RESULT_MARKER } from './timing.mjs';

const args = parseArgs(process.argv.slice(2));
const data = JSON.parse(readFileSync(args.data, 'utf8'));
let out;
if (args.workload === 'memory') {
  const ours = await import('./impl-ours.mjs');
  out = ours.memory(data, Number(args.small), Number(args.large));
} else {
  const size = JSON.parse(args.size);
  let impl;
  let version;
  if (args.impl === 'ours') {
    impl = await import('./impl-ours.mjs');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    version = `Autograd Lab ${pkg.version}`;
  } else {
    impl = await import('./impl-tfjs.mjs');
    version = await impl.init(args.impl === 'tfjs-wasm' ? 'wasm' : 'cpu');
  }
  const run = impl.setup(args.workload, size, data);
  out = { version, ...measure(run, { reps: Number(args.reps), warmup: Number(args.warmup) }) };
}
process.stdout.write(`${RESULT_MARKER}${JSON.stringify(out)}\n`);
