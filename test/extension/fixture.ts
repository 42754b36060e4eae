import { readFileSync } from 'node:fs';
import { decodeEventNumbers, type GraphSnapshot, type RunEvent } from '../../src/protocol/run-events.js';

/** The recorded event stream of examples/thermometer/05-train-validation.ts. */
export function recordedEvents(): RunEvent[] {
  const text = readFileSync(new URL('../webview/fixtures/train-validation.events.jsonl', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const e = JSON.parse(line) as RunEvent;
      decodeEventNumbers(e);
      return e;
    });
}

export function recordedGraph(): GraphSnapshot {
  const e = recordedEvents().find((x) => x.type === 'graph');
  if (!e || e.type !== 'graph') throw new Error('fixture has no graph');
  return e.snapshot;
}
