import { readFileSync } from 'node:fs';
import { PanelFeed } from '../../src/extension/panel-feed.js';
import { parseEvent, type GraphEvent, type GraphSnapshot, type RunEvent } from '../../src/protocol/run-events.js';

function readEvents(file: string): RunEvent[] {
  const text = readFileSync(new URL(`../webview/fixtures/${file}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const e = parseEvent(line);
      if (!e) throw new Error(`${file}: not an event: ${line.slice(0, 80)}`);
      return e;
    });
}

/**
 * The recorded event stream of examples/thermometer/05-train-validation.ts (made by
 * test/webview/fixtures/record-train-validation.ts).
 */
export function recordedEvents(): RunEvent[] {
  return readEvents('train-validation.events.jsonl');
}

/** The same run as protocol version 1 recorded it (metrics as an object per point). */
export const RECORD_V1 = 'train-validation.v1.events.jsonl';

export function recordedEventsV1(): RunEvent[] {
  return readEvents(RECORD_V1);
}

export function recordedGraph(): GraphSnapshot {
  const e = recordedEvents().find((x) => x.type === 'graph');
  if (!e || e.type !== 'graph') throw new Error('fixture has no graph');
  return e.snapshot;
}

/** How many points each series of recorded events has. */
export function pointsPerSeries(events: readonly RunEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) if (e.type === 'metrics') for (const k of e.index) out[e.series[k]!.name] = (out[e.series[k]!.name] ?? 0) + 1;
  return out;
}

/** A feed that has shown the recorded run up to its end, but none of its graphs; and its graph event. */
export function feedWithoutGraphs(): { feed: PanelFeed; graph: GraphEvent } {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const events = recordedEvents();
  const graph = events.find((e): e is GraphEvent => e.type === 'graph');
  if (!graph) throw new Error('fixture has no graph');
  feed.load(events.filter((e) => e.type !== 'graph' && e.type !== 'run-finished'));
  return { feed, graph };
}

/**
 * The recorded graph as the script process records it now (newer fields, filled from the same
 * recorded values): each node's gradient per output (`grads`), each edge's output number, and
 * the leaf's `.grad` after accumulation (this run zeroes it first, so it is what the leaf
 * received). `w, b = params` is UnbindBackward0 with two outputs: w's gradient reaches output 0
 * (from MulBackward0), b's output 1 (from AddBackward0).
 */
export function recordedGraphWithOutputs(): GraphSnapshot {
  const g = recordedGraph();
  const unbind = g.nodes.find((n) => n.name === 'UnbindBackward0')!;
  const mul = g.nodes.find((n) => n.name === 'MulBackward0')!;
  const add = g.nodes.find((n) => n.name === 'AddBackward0')!;
  const w = g.edges.find((e) => e.from === unbind.id && e.to === mul.id)!.grad!;
  const b = g.edges.find((e) => e.from === unbind.id && e.to === add.id)!.grad!;
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      if (n.kind === 'data') return n;
      if (n === unbind) return { ...n, grads: [w, b] };
      if (n.kind === 'parameter') return { ...n, grads: [n.grad], leafGrad: n.grad };
      return { ...n, grads: [n.grad] };
    }),
    edges: g.edges.map((e) => (e.from === unbind.id ? { ...e, outputNr: e.to === mul.id ? 0 : 1 } : e.from.startsWith('d') ? e : { ...e, outputNr: 0 })),
  };
}
