/**
 * Every number Step backward shows is the engine's own. A script builds the seed graph (chapter
 * 5's thermometer model, `w, b = params`) and the chapter-6 MLP, puts a hook on every node of the
 * graph (grad_fn.register_hook: the gradients each backward call received and sent, as the engine
 * ran it) and prints them with each leaf's .grad after backward(). It runs through the runner as
 * the extension runs it; the graph snapshot the run sends is then rendered step by step with the
 * view's model (webview/graph-model.ts), and every number of every step is compared with the
 * hooks': what the node received (per output), what it sent along each input edge, and a leaf's
 * .grad.
 *
 * Waits for the script process: it passes once src/runner/child/graph.ts records GraphNode.grads,
 * GraphEdge.outputNr and GraphNode.leafGrad. Until then a snapshot without them marks these tests
 * TODO (they still run and report what differs).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphSnapshot, RunEvent, TensorPreview } from '../../src/protocol/run-events.js';
import { startRun } from '../../src/runner/runner.js';
import { backwardStep, backwardSteps, previewText } from '../../webview/graph-model.js';

/** A tensor as the script prints it: its shape and every value. */
interface Dumped {
  shape: number[];
  values: number[];
}
interface Truth {
  nodes: Record<string, { name: string; received: (Dumped | null)[]; sent: (Dumped | null)[] }>;
  leaves: Record<string, Dumped | null>;
}

/** Numbers nodes as the snapshot does (breadth-first from the loss) and hooks every one of them. */
const RECORDER = `
import type { Tensor } from 'autograd-lab';
type AnyNode = { name(): string; next_functions: [AnyNode | null, number][]; register_hook(h: (gi: (Tensor | null)[], go: (Tensor | null)[]) => void): unknown; variable?: Tensor };
const dump = (t: Tensor | null | undefined) => (t ? { shape: [...t.shape], values: Array.from(t.values() as ArrayLike<number>).slice(0, t.numel()) } : null);
export function hookAll(loss: Tensor): () => void {
  const root = loss.grad_fn as unknown as AnyNode;
  const ids = new Map<AnyNode, string>([[root, 'n0']]);
  const queue: AnyNode[] = [root];
  for (let i = 0; i < queue.length; i++) for (const [next] of queue[i]!.next_functions) if (next && !ids.has(next)) { ids.set(next, 'n' + ids.size); queue.push(next); }
  const nodes: Record<string, unknown> = {};
  for (const [node, id] of ids) node.register_hook((gi, go) => { nodes[id] = { name: node.name(), received: go.map(dump), sent: gi.map(dump) }; });
  return () => {
    const leaves: Record<string, unknown> = {};
    for (const [node, id] of ids) if (node.variable) leaves[id] = dump(node.variable.grad);
    console.log('TRUTH ' + JSON.stringify({ nodes, leaves }));
  };
}
`;

const SEED = `// Chapter 5's model on the thermometer data, as the examples write it.
import torch from 'autograd-lab';
import { hookAll } from './recorder.js';
const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).mul(0.1);
const params = torch.tensor([1.0, 0.0], { requires_grad: true });
const [w, b] = params;
const loss = w!.mul(t_u).add(b!).sub(t_c).pow(2).mean();
const report = hookAll(loss);
loss.backward();
report();
`;

const MLP = `// Chapter 6's network: Linear(1, 8), Tanh, Linear(8, 1), MSELoss.
import torch, { nn, type Tensor } from 'autograd-lab';
import { hookAll } from './recorder.js';
torch.manual_seed(33554659);
const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]).unsqueeze(1);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).unsqueeze(1).mul(0.1);
const model = new nn.Sequential(new nn.Linear(1, 8), new nn.Tanh(), new nn.Linear(8, 1));
const loss = new nn.MSELoss().call(model.call(t_u) as Tensor, t_c);
const report = hookAll(loss);
loss.backward();
report();
`;

/** Runs a script through the runner; returns its first graph snapshot and what its hooks saw. */
async function run(source: string): Promise<{ snapshot: GraphSnapshot; truth: Truth }> {
  const dir = mkdtempSync(join(tmpdir(), 'agl-truth-'));
  writeFileSync(join(dir, 'recorder.ts'), RECORDER);
  writeFileSync(join(dir, 'script.ts'), source);
  const events: RunEvent[] = [];
  const end = await startRun({ script: join(dir, 'script.ts'), workspaceRoot: dir, onEvent: (e) => events.push(e) }).done;
  assert.equal(end.type, 'run-finished', JSON.stringify(end));
  const graph = events.find((e) => e.type === 'graph');
  assert.ok(graph && graph.type === 'graph', 'the run sent a graph snapshot');
  const out = events.flatMap((e) => (e.type === 'output' ? [e.text] : [])).join('');
  const line = out.split('\n').find((l) => l.startsWith('TRUTH '));
  assert.ok(line, `the script printed its hooks' gradients: ${out}`);
  return { snapshot: graph.snapshot, truth: JSON.parse(line.slice('TRUTH '.length)) as Truth };
}

/** How the view writes a tensor the hooks saw: as the snapshot previews it (its first 8 values). */
function text(t: Dumped | null | undefined): string {
  if (t === null) return 'None';
  if (t === undefined) return 'missing';
  const preview: TensorPreview = { shape: t.shape, dtype: 'float32', values: t.values.slice(0, 8), truncated: t.values.length > 8, min: 0, max: 0, mean: 0 };
  return previewText(preview);
}

/** Compares every number of every step with the hooks'; returns the differences. */
function differences(snapshot: GraphSnapshot, truth: Truth): string[] {
  const diffs: string[] = [];
  const steps = backwardSteps(snapshot);
  const hooked = Object.keys(truth.nodes).length;
  if (steps.length !== hooked) diffs.push(`${steps.length} steps, ${hooked} backward calls hooked`);
  for (let i = 0; i < steps.length; i++) {
    const view = backwardStep(snapshot, i)!;
    const real = truth.nodes[view.node.id];
    const at = `step ${i + 1} (${view.node.name})`;
    if (!real) {
      diffs.push(`${at}: no hooked call`);
      continue;
    }
    if (real.name !== view.node.name) diffs.push(`${at}: the hooks saw ${real.name}`);
    const shown = view.received.kind === 'outputs' ? view.received.outputs.map((o) => o.text) : ['(contributions listed apart)'];
    const expected = real.received.map(text);
    if (JSON.stringify(shown) !== JSON.stringify(expected)) diffs.push(`${at} receives ${JSON.stringify(shown)}, the engine passed ${JSON.stringify(expected)}`);
    for (const flow of view.flows) {
      const sent = text(real.sent[flow.edge.inputNr]);
      if (flow.sent !== sent) diffs.push(`${at} sends ${flow.sent} to input ${flow.edge.inputNr}, the engine sent ${sent}`);
    }
    if (view.node.kind === 'parameter') {
      const grad = text(truth.leaves[view.node.id]);
      if (view.leafGrad !== grad) diffs.push(`${at}: .grad shown as ${view.leafGrad}, the leaf's .grad is ${grad}`);
    }
  }
  return diffs;
}

/** The fields the script process is to record (see the module comment): without them, TODO. */
function waitsForScriptProcess(t: TestContext, snapshot: GraphSnapshot): void {
  const recorded = snapshot.nodes.some((n) => n.grads !== undefined) && snapshot.edges.some((e) => e.outputNr !== undefined);
  if (!recorded) t.todo('waits for src/runner/child/graph.ts to record GraphNode.grads, GraphEdge.outputNr and GraphNode.leafGrad');
}

test('Step backward on the seed graph shows, at every step, exactly the gradients the engine passed', async (t) => {
  const { snapshot, truth } = await run(SEED);
  waitsForScriptProcess(t, snapshot);
  assert.deepEqual(differences(snapshot, truth), []);
  // UnbindBackward0 receives w's and b's gradients apart.
  const unbind = backwardSteps(snapshot).findIndex((n) => n.name === 'UnbindBackward0');
  assert.equal(backwardStep(snapshot, unbind)!.received.kind, 'outputs');
});

test('Step backward on the chapter-6 MLP shows, at every step, exactly the gradients the engine passed', async (t) => {
  const { snapshot, truth } = await run(MLP);
  waitsForScriptProcess(t, snapshot);
  assert.ok(backwardSteps(snapshot).length >= 8, 'the MLP’s backward calls');
  assert.deepEqual(differences(snapshot, truth), []);
});
