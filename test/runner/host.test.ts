// The script host (src/runner/child/host.ts) as the runner starts it: forked with the run's
// HostConfig in its environment, events on fd 4. Here: what it passes on from the config.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ChildEvent, HostConfig } from '../../src/protocol/script-process.js';
import type { ProbeSnapshot } from '../../src/protocol/run-events.js';

const HOST = join(import.meta.dirname, '..', '..', 'src', 'runner', 'child', 'host.ts');

/** Runs `source` (a .mjs script) in the host with `config`; the events it sent. */
async function runHost(source: string, config: Omit<HostConfig, 'script' | 'userRoot'>): Promise<ChildEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), 'agl-host-'));
  const script = join(dir, 'train.mjs');
  writeFileSync(script, source);
  try {
    const full: HostConfig = { script, userRoot: dir, ...config };
    const env: NodeJS.ProcessEnv = { ...process.env, AUTOGRAD_LAB_RUN: JSON.stringify(full) };
    // Set under `node --test`: a child that inherits it reports to the test runner.
    delete env.NODE_TEST_CONTEXT;
    const child = fork(HOST, [], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
      execArgv: ['--import', import.meta.resolve('tsx')],
      env,
      serialization: 'json',
    });
    let text = '';
    child.stdio[4]!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ChildEvent);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastProbe(events: ChildEvent[], name: string): ProbeSnapshot {
  const snapshots = events.flatMap((e) => (e.type === 'probes' ? e.probes : [])).filter((p) => p.name === name);
  assert.ok(snapshots.length > 0, `a probe of ${name}`);
  return snapshots[snapshots.length - 1]!;
}

const LOOP = 'let loss;\nfor (let i = 0; i < 50; i++) {\n  loss = i;\n}\n';

describe('script host', () => {
  test("passes probeHistoryLimit to the probe recorder: a probe's history keeps at most that many values", async () => {
    const probe = lastProbe(await runHost(LOOP, { probes: true, graph: false, probeHistoryLimit: 4 }), 'loss');
    assert.equal(probe.hits, 50);
    assert.ok(probe.history.length <= 4, `history of ${probe.history.length} values`);
  });

  test('without probeHistoryLimit, the history keeps the default number of values', async () => {
    const probe = lastProbe(await runHost(LOOP, { probes: true, graph: false }), 'loss');
    assert.equal(probe.history.length, 50);
  });
});
