// The direct path: one workload's learner script (bench/learner/) in a plain Node process with
// the engine imported directly — the TypeScript transpiled by the runner's own loader hooks,
// nothing instrumented; no runner, no probes, no graph snapshots, no debugger. This is what
// `npm run bench` has always timed; bench/run.mjs also runs the same script as a learner runs it.
//
//   AUTOGRAD_LAB_BENCH='{"workload":"sgd",...}' node bench/direct.mjs bench/learner/thermometer.ts
import { register } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const engineUrl = new URL('../dist/engine/index.js', import.meta.url).href;
register(new URL('../dist/runner/child/loader.js', import.meta.url), { parentURL: import.meta.url, data: { engineUrl, instrument: false } });
await import(pathToFileURL(resolve(process.argv[2])).href);
