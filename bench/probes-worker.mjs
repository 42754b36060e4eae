// Worker of (f), see probes.mjs:  node bench/probes-worker.mjs REPS QUICK
// QUICK=1 shortens the chapter's loop to 60 epochs (CI's smoke run).
import { openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'sucrase';
import torch, { optim, pyFormat } from '../dist/engine/index.js';
import { instrument } from '../dist/runner/child/instrument.js';
import { installProbeGlobal, ProbeRecorder } from '../dist/runner/child/probes.js';
import { encodeJson } from '../dist/protocol/wire.js';
import { median, RESULT_MARKER } from './timing.mjs';

const reps = Number(process.argv[2] ?? 9);
const quick = process.argv[3] === '1';
const file = join('examples', 'thermometer', '03-sgd.ts');

// The script as the runner's loader hands it over (TypeScript removed, lines kept), with its
// import replaced by parameters.
let ts = readFileSync(file, 'utf8');
if (quick) ts = ts.replace('training_loop(5000,', 'training_loop(60,');
const js = transform(ts, { transforms: ['typescript'], disableESTransforms: true })
  .code.replace(/^import .* from 'autograd-lab';$/m, '')
  .replace(/^/, "'use strict';");
const plain = new Function('torch', 'optim', 'pyFormat', 'console', js);
const probed = new Function('torch', 'optim', 'pyFormat', 'console', instrument(js, file).code);

const quiet = { log: () => {} };
let events = 0;
const devNull = openSync('/dev/null', 'w');
const recorder = new ProbeRecorder((event) => {
  events++;
  writeSync(devNull, `${encodeJson(event)}\n`);
}, {});
installProbeGlobal(recorder);

function time(script) {
  const start = performance.now();
  script(torch, optim, pyFormat, quiet);
  recorder.flush();
  return performance.now() - start;
}

for (let i = 0; i < (quick ? 1 : 3); i++) {
  time(plain);
  time(probed);
}
const plainMs = [];
const probedMs = [];
for (let i = 0; i < reps; i++) {
  if (i % 2 === 0) {
    plainMs.push(time(plain));
    probedMs.push(time(probed));
  } else {
    probedMs.push(time(probed));
    plainMs.push(time(plain));
  }
}
const without = median(plainMs);
const withProbes = median(probedMs);
const pairs = median(plainMs.map((p, i) => probedMs[i] / p));
process.stdout.write(
  `${RESULT_MARKER}${JSON.stringify({
    script: file,
    epochs: quick ? 60 : 5000,
    reps,
    with_ms: withProbes,
    without_ms: without,
    overhead: withProbes / without - 1,
    pair_overhead: pairs - 1,
    events,
    times_with_ms: probedMs,
    times_without_ms: plainMs,
  })}\n`,
);
