/**
 * New Training Script…'s blank scripts run as they are, through the runner as the extension runs
 * them, and their loss falls: a learner starts from a working loop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLANK_TEMPLATES } from '../../src/extension/blank-templates.js';
import type { RunEvent } from '../../src/protocol/run-events.js';
import { recordedCurves } from '../../src/runner/records.js';
import { startRun } from '../../src/runner/runner.js';

for (const [file, text] of Object.entries(BLANK_TEMPLATES)) {
  test(`the blank ${file} runs to the end and its loss falls`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agl-blank-'));
    const script = join(dir, file);
    writeFileSync(script, text);
    const events: RunEvent[] = [];
    const end = await startRun({ script, workspaceRoot: dir, onEvent: (e) => events.push(e) }).done;
    assert.equal(end.type, 'run-finished', JSON.stringify(end));
    const loss = recordedCurves(events).series.get('loss');
    assert.ok(loss && loss.length === 500, `500 loss points, got ${loss?.length}`);
    assert.ok(loss.values[499]! < loss.values[0]! / 10, `the loss falls: ${loss.values[0]} → ${loss.values[499]}`);
  });
}
