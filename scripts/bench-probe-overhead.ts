/**
 * What line probes cost: runs the chapter's 5000-epoch SGD script (examples/thermometer/03-sgd.ts)
 * in-process, plain and instrumented (instrument() + a ProbeRecorder whose events go nowhere),
 * alternating, several times each, and prints the median times and the overhead. Target: ≤ 10 %.
 *
 *   npx tsx scripts/bench-probe-overhead.ts [repetitions] [--wire]
 *
 * Runs alternate (plain, instrumented, plain, ...) so that drift in machine load hits both
 * alike; the ratio of each back-to-back pair is reported besides the ratio of the medians.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'sucrase';

import torch, { optim, pyFormat } from '../src/engine/index.js';
import { instrument } from '../src/runner/child/instrument.js';
import { ProbeRecorder, installProbeGlobal } from '../src/runner/child/probes.js';
import { encodeJson } from '../src/protocol/wire.js';
import { openSync, writeSync } from 'node:fs';

const repetitions = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 40);
// --wire: events are encoded and written as the script host does (JSON lines to a pipe; here
// /dev/null), so the cost of the event stream counts too. Default: events go nowhere.
const wire = process.argv.includes('--wire');
const file = join('examples', 'thermometer', '03-sgd.ts');

// The script as the loader hands it over (TypeScript removed, lines kept), its import replaced
// by parameters on the same line.
const ts = readFileSync(file, 'utf8');
const js = transform(ts, { transforms: ['typescript'], disableESTransforms: true })
  .code.replace(/^import .* from 'autograd-lab';$/m, '')
  .replace(/^/, "'use strict';");

type Script = (torch: unknown, optim: unknown, pyFormat: unknown, console: unknown) => void;
const plain = new Function('torch', 'optim', 'pyFormat', 'console', js) as Script;
const probed = new Function('torch', 'optim', 'pyFormat', 'console', instrument(js, file).code) as Script;

let printed = 0;
const quiet = { log: () => void printed++ };

let events = 0;
let bytes = 0;
const devNull = wire ? openSync('/dev/null', 'w') : -1;
const recorder = new ProbeRecorder((event) => {
  events++;
  if (!wire) return;
  const line = `${encodeJson(event)}\n`;
  bytes += line.length;
  writeSync(devNull, line);
}, {});
installProbeGlobal(recorder);

/** Wall time and the process's CPU time (user + system, less disturbed by a busy machine), in ms. */
function time(script: Script): { wall: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  script(torch, optim, pyFormat, quiet);
  recorder.flush();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// Warm up both, then alternate so drift (GC, CPU clock) hits both alike.
for (let i = 0; i < 3; i++) {
  time(plain);
  time(probed);
}
const plainRuns: { wall: number; cpu: number }[] = [];
const probedRuns: { wall: number; cpu: number }[] = [];
for (let i = 0; i < repetitions; i++) {
  // Which one goes first alternates too.
  if (i % 2 === 0) {
    plainRuns.push(time(plain));
    probedRuns.push(time(probed));
  } else {
    probedRuns.push(time(probed));
    plainRuns.push(time(plain));
  }
}

const pct = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)} %`;
console.log(`03-sgd.ts, 5000 epochs, ${repetitions} runs each, events ${wire ? 'encoded and written as JSON lines' : 'dropped'} (medians; target overhead ≤ 10 %)`);
for (const kind of ['wall', 'cpu'] as const) {
  const p = median(plainRuns.map((r) => r[kind]));
  const q = median(probedRuns.map((r) => r[kind]));
  const pairs = median(plainRuns.map((r, i) => probedRuns[i]![kind] / r[kind]));
  console.log(`  ${kind.padEnd(4)}  plain ${p.toFixed(1)} ms, instrumented ${q.toFixed(1)} ms: overhead ${pct(q / p)} (back-to-back pairs: ${pct(pairs)})`);
}
console.log(`  (${events} events sent${wire ? `, ${(bytes / 1024 / (repetitions + 3)).toFixed(0)} KiB per instrumented run` : ''}, ${printed} lines printed)`);
