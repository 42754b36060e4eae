/** Runs a Python script of this folder under the runner, as a learner's script runs, and gives its stdout. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startRun } from '../../src/runner/runner.js';

export async function runScript(script: string): Promise<string> {
  let stdout = '';
  let stderr = '';
  const run = startRun({
    script,
    workspaceRoot: join(import.meta.dirname, '..', '..'), // the scripts read test/fixtures
    probes: false,
    graph: false,
    onEvent: (e) => {
      if (e.type === 'output') {
        if (e.stream === 'stdout') stdout += e.text;
        else stderr += e.text;
      }
    },
  });
  const end = await run.done;
  assert.equal(end.type, 'run-finished', `${script} failed: ${JSON.stringify(end)}\n${stderr}`);
  return stdout;
}

/** The JSON lines a driver printed, by their `i`. */
export function byIndex<T>(stdout: string): Map<number, T> {
  const out = new Map<number, T>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const r = JSON.parse(line) as T & { i: number };
    out.set(r.i, r);
  }
  return out;
}
