import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvent, type GraphNode, type GraphSnapshot, type TensorPreview } from '../../src/protocol/run-events.js';
import { backwardStep, backwardSteps, gradientKnown, gradientText, NO_GRAD_DATA, NOT_COMPUTED, nodeLabelLines, nodeRole, previewText, toDot, toJson } from '../../webview/graph-model.js';
import { recordedGraph, recordedGraphWithOutputs } from '../extension/fixture.js';

test('nodes keep PyTorch’s names; parameters show their name and shape; the loss is the root', () => {
  const g = recordedGraph();
  const names = new Set(g.nodes.map((n) => n.name));
  for (const n of ['MeanBackward0', 'PowBackward0', 'SubBackward0', 'AccumulateGrad']) assert.ok(names.has(n), n);
  const param = g.nodes.find((n) => n.kind === 'parameter')!;
  assert.equal(nodeRole(g, param), 'parameter');
  assert.deepEqual(nodeLabelLines(param), [param.tensorName ?? 'parameter', `(${param.shape.join(', ')}${param.shape.length === 1 ? ',' : ''})`]);
  assert.equal(nodeRole(g, g.nodes.find((n) => n.id === g.rootId)!), 'root');
});

test('the backward walk runs in backwardOrder, from the loss to the parameters', () => {
  const g = recordedGraph();
  const steps = backwardSteps(g);
  assert.equal(steps[0]!.id, g.rootId);
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i]!.backwardOrder! > steps[i - 1]!.backwardOrder!);
  // reverse topological: every node comes after all the nodes it feeds
  const pos = new Map(steps.map((n, i) => [n.id, i]));
  for (const e of g.edges) if (pos.has(e.from) && pos.has(e.to)) assert.ok(pos.get(e.to)! < pos.get(e.from)!, `${e.to} before ${e.from}`);
});

/** The recorded graph with the engine's explanations on its nodes, as newer snapshots carry them. */
function explained(g: GraphSnapshot, explanations: Record<string, string[]>): GraphSnapshot {
  return { ...g, nodes: g.nodes.map((n) => (explanations[n.name] ? { ...n, localDerivatives: explanations[n.name] } : n)) };
}

test('a step shows what its node receives and what it sends along each input edge, as recorded', () => {
  const g = recordedGraph();
  const first = backwardStep(g, 0)!;
  assert.equal(first.node.name, 'MeanBackward0');
  assert.deepEqual(first.received, { kind: 'outputs', outputs: [{ outputNr: null, text: 'tensor(1)', from: [] }] });
  assert.equal(first.flows.length, 1);
  assert.match(first.flows[0]!.sent, /^tensor\(\[0\.1111111/);
  const last = backwardStep(g, backwardSteps(g).length - 1)!;
  assert.equal(last.node.kind, 'parameter');
  assert.equal(last.title, 'params', 'a parameter goes by its own name, as its box reads');
  assert.equal(backwardStep(g, -1), null);
});

test('a step explains each input’s local derivative in the engine’s own words, from the snapshot', () => {
  const g = explained(recordedGraph(), { SubBackward0: ['∂(a − b)/∂a = 1', '∂(a − b)/∂b = −1'], MeanBackward0: ['∂mean(x)/∂xᵢ = 1/N'] });
  assert.equal(backwardStep(g, 0)!.flows[0]!.rule, '∂mean(x)/∂xᵢ = 1/N');
  const sub = backwardStep(g, backwardSteps(g).findIndex((n) => n.name === 'SubBackward0'))!;
  assert.deepEqual(sub.flows.map(({ edge, rule }) => [edge.inputNr, rule]), [[0, '∂(a − b)/∂a = 1']]);
});

test('RsubBackward1 and PowBackward2 show what the engine says, not a rule read off their names', () => {
  const node = (id: string, name: string, localDerivatives: string[]): GraphNode => ({ id, kind: 'function', name, shape: [], dtype: 'float32', grad: null, backwardOrder: Number(id.slice(1)), localDerivatives });
  const leaf: GraphNode = { id: 'p', kind: 'parameter', name: 'AccumulateGrad', shape: [], dtype: 'float32', grad: null, backwardOrder: 2, tensorName: 'x' };
  const g: GraphSnapshot = {
    backwardIndex: 1,
    rootId: 'n0',
    nodes: [node('n0', 'RsubBackward1', ['∂(2 − x)/∂x = −1']), node('n1', 'PowBackward2', ['∂(2ˣ)/∂x = 2ˣ·ln 2']), leaf],
    edges: [{ from: 'n1', to: 'n0', inputNr: 0 }, { from: 'p', to: 'n1', inputNr: 0 }],
  };
  assert.equal(backwardStep(g, 0)!.flows[0]!.rule, '∂(2 − x)/∂x = −1');
  assert.equal(backwardStep(g, 1)!.flows[0]!.rule, '∂(2ˣ)/∂x = 2ˣ·ln 2');
});

test('a snapshot without the engine’s explanations shows no rule, never a guessed one', () => {
  const g = recordedGraph();
  for (let i = 0; i < backwardSteps(g).length; i++) for (const { rule } of backwardStep(g, i)!.flows) assert.equal(rule, null);
});

const preview = (values: number[], shape: number[] = [values.length]): TensorPreview => ({ shape, dtype: 'float32', values, truncated: false, min: Math.min(...values), max: Math.max(...values), mean: values.reduce((a, b) => a + b, 0) / values.length });

test('a node with two outputs receives two gradients, each from the node it fed, never their sum', () => {
  const g = recordedGraphWithOutputs();
  const step = backwardStep(g, backwardSteps(g).findIndex((n) => n.name === 'UnbindBackward0'))!;
  assert.deepEqual(step.received, {
    kind: 'outputs',
    outputs: [
      { outputNr: 0, text: 'tensor(-84.70831)', from: ['MulBackward0'] },
      { outputNr: 1, text: 'tensor(-11.22222)', from: ['AddBackward0'] },
    ],
  });
  assert.equal(gradientText(g, step.node, step.index), '[0] tensor(-84.70831) · [1] tensor(-11.22222)');
  // It sends both, stacked, to params: the two gradients side by side, as the engine computed them.
  assert.equal(step.flows[0]!.sent, 'tensor([-84.70831, -11.22222]) (2,)');
});

test('an older record without gradients per output lists what each consumer sent apart, in the order they arrived, never adding them', () => {
  const g = recordedGraph();
  const step = backwardStep(g, backwardSteps(g).findIndex((n) => n.name === 'UnbindBackward0'))!;
  assert.equal(step.received.kind, 'contributions');
  assert.deepEqual(step.received.kind === 'contributions' && step.received.contributions.map((c) => [c.text, c.from]), [
    ['tensor(-11.22222)', ['AddBackward0']],
    ['tensor(-84.70831)', ['MulBackward0']],
  ]);
});

test('a leaf’s step shows its .grad after accumulation when recorded, and nothing in its place when not', () => {
  const g = recordedGraphWithOutputs();
  const leafStep = backwardStep(g, backwardSteps(g).length - 1)!;
  assert.equal(leafStep.leafGrad, 'tensor([-84.70831, -11.22222]) (2,)');
  // The record without leafGrad: the view does not claim what params.grad holds.
  const old = recordedGraph();
  assert.equal(backwardStep(old, backwardSteps(old).length - 1)!.leafGrad, null);
});

test('a step says how many more gradients an input waits for before its own backward call', () => {
  const fn = (id: string, order: number): GraphNode => ({ id, kind: 'function', name: 'AddBackward0', shape: [1], dtype: 'float32', grad: preview([1]), backwardOrder: order });
  const x: GraphNode = { id: 'x', kind: 'parameter', name: 'AccumulateGrad', shape: [1], dtype: 'float32', grad: preview([0.6000001]), backwardOrder: 4, tensorName: 'x' };
  const g: GraphSnapshot = {
    backwardIndex: 1,
    rootId: 'n0',
    nodes: [fn('n0', 0), fn('n1', 1), fn('n2', 2), fn('n3', 3), x],
    edges: [
      { from: 'n1', to: 'n0', inputNr: 0 },
      { from: 'n2', to: 'n0', inputNr: 1 },
      { from: 'n3', to: 'n0', inputNr: 2 },
      { from: 'x', to: 'n1', inputNr: 0, grad: preview([0.1]) },
      { from: 'x', to: 'n2', inputNr: 0, grad: preview([0.2]) },
      { from: 'x', to: 'n3', inputNr: 0, grad: preview([0.3]) },
    ],
  };
  assert.deepEqual([1, 2, 3].map((i) => backwardStep(g, i)!.flows[0]!.waiting), [2, 1, 0]);
  // x's own step: the engine's sum of the three, as recorded (never summed by the view).
  const xs = backwardStep(g, 4)!;
  assert.deepEqual(xs.received, { kind: 'contributions', contributions: [
    { outputNr: null, text: 'tensor([0.1]) (1,)', from: ['AddBackward0'] },
    { outputNr: null, text: 'tensor([0.2]) (1,)', from: ['AddBackward0'] },
    { outputNr: null, text: 'tensor([0.3]) (1,)', from: ['AddBackward0'] },
  ] });
  const recorded = backwardStep({ ...g, nodes: g.nodes.map((n) => (n === x ? { ...x, grads: [x.grad] } : n)) }, 4)!;
  assert.deepEqual(recorded.received, { kind: 'outputs', outputs: [{ outputNr: null, text: 'tensor([0.6000001]) (1,)', from: ['AddBackward0', 'AddBackward0', 'AddBackward0'] }] });
});

test('gradients before the first backward step read "not computed yet", never zeros', () => {
  const g = recordedGraph();
  for (const n of g.nodes) assert.equal(gradientKnown(g, n, -1), false);
  assert.equal(previewText(null), NOT_COMPUTED);
  assert.equal(gradientKnown(g, g.nodes.find((n) => n.id === g.rootId)!, 0), true);
});

test('values are written as PyTorch prints them: nan, inf and -inf, never NaN or null', () => {
  const preview: TensorPreview = { shape: [4], dtype: 'float32', values: [NaN, Infinity, -Infinity, 2.9276471234], truncated: false, min: 2.9, max: 2.9, mean: 2.9 };
  assert.equal(previewText(preview), 'tensor([nan, inf, -inf, 2.927647]) (4,)');
  assert.equal(previewText({ ...preview, shape: [], values: [NaN] }), 'tensor(nan)');
});

test('DOT export follows torchviz: boxes, grey functions, light blue parameters, green output', () => {
  const g = recordedGraph();
  const dot = toDot(g);
  assert.match(dot, /^digraph \{\n/);
  assert.match(dot, /node \[align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled\]/);
  assert.match(dot, new RegExp(`"${g.rootId}" \\[label="MeanBackward0" fillcolor=darkolivegreen1\\]`));
  assert.match(dot, /label="[^"]*\\n\(2,\)" fillcolor=lightblue/);
  assert.match(dot, /fillcolor=lightgrey/);
  assert.equal((dot.match(/ -> /g) ?? []).length, g.edges.length);
  assert.deepEqual(JSON.parse(toJson(g)).rootId, g.rootId);
});

test('JSON export spells NaN and ±Inf as the run records do, so it reads back as the snapshot', () => {
  const g = recordedGraph();
  const root = g.nodes.find((n) => n.id === g.rootId)!;
  const odd: GraphSnapshot = { ...g, nodes: g.nodes.map((n) => (n === root ? { ...n, value: { ...n.value!, values: [NaN], min: NaN, max: NaN, mean: NaN } } : n)) };
  const text = toJson(odd);
  assert.match(text, /"values": \[\n\s+"NaN"\n\s+\]/);
  const read = parseEvent(JSON.stringify({ type: 'graph', runId: 'r', seq: 0, time: 0, snapshot: JSON.parse(text) }));
  assert.ok(read?.type === 'graph' && Number.isNaN(read.snapshot.nodes.find((n) => n.id === g.rootId)!.value!.values[0]!));
});

/** The chapter's graph as a record made before data leaves existed would hold it. */
function withoutData(g: GraphSnapshot): GraphSnapshot {
  const data = new Set(g.nodes.filter((n) => n.kind === 'data').map((n) => n.id));
  return { ...g, nodes: g.nodes.filter((n) => !data.has(n.id)), edges: g.edges.filter((e) => !data.has(e.from)) };
}

test('data leaves have the data role and show the script’s name and the shape, like parameters', () => {
  const g = recordedGraph();
  const data = g.nodes.filter((n) => n.kind === 'data');
  assert.deepEqual(data.map((n) => nodeLabelLines(n)).sort(), [['train_t_c', '(9,)'], ['train_t_un', '(9,)']]);
  for (const n of data) assert.equal(nodeRole(g, n), 'data');
});

test('a data leaf’s label names its dtype when it is not float32, and reads "data" without a name', () => {
  const leaf = { id: 'd0', kind: 'data' as const, name: 'data', shape: [9], dtype: 'int64', grad: null };
  assert.deepEqual(nodeLabelLines(leaf), ['data', '(9,) int64']);
});

test('a data leaf never shows a gradient: "no grad: data" before, during and after the backward walk', () => {
  const g = recordedGraph();
  const leaf = g.nodes.find((n) => n.kind === 'data')!;
  for (const step of [-1, 0, backwardSteps(g).length - 1, undefined]) {
    assert.equal(gradientKnown(g, leaf, step), false);
    assert.equal(gradientText(g, leaf, step), NO_GRAD_DATA);
  }
  assert.equal(NO_GRAD_DATA, 'no grad: data');
  const param = g.nodes.find((n) => n.kind === 'parameter')!;
  assert.equal(gradientText(g, param, -1), NOT_COMPUTED);
  assert.match(gradientText(g, param, undefined), /^tensor\(\[/);
});

test('a backward step lists the data its op read apart from the edges the gradient flows along', () => {
  const g = recordedGraph();
  const mulIndex = backwardSteps(g).findIndex((n) => n.name === 'MulBackward0');
  const mul = backwardStep(g, mulIndex)!;
  assert.deepEqual(mul.data.map((n) => n.tensorName), ['train_t_un']);
  assert.ok(mul.flows.every(({ input }) => input?.kind !== 'data'), 'no gradient flows to data');
  assert.deepEqual(mul.flows.map(({ edge }) => edge.inputNr), [0]);
  const sub = backwardStep(g, backwardSteps(g).findIndex((n) => n.name === 'SubBackward0'))!;
  assert.deepEqual(sub.data.map((n) => n.tensorName), ['train_t_c']);
});

test('data leaves change nothing in the backward walk: same steps, flows and gradients as without them', () => {
  const g = recordedGraph();
  const old = withoutData(g);
  assert.ok(old.nodes.length < g.nodes.length);
  assert.equal(backwardSteps(g).length, backwardSteps(old).length);
  for (let i = 0; i < backwardSteps(g).length; i++) {
    const [a, b] = [backwardStep(g, i)!, backwardStep(old, i)!];
    assert.deepEqual({ ...a, data: [] }, b);
  }
  assert.deepEqual(backwardStep(old, 0)!.data, []);
});

test('DOT export draws data leaves as torchviz draws saved tensors: orange, here rounded', () => {
  const g = recordedGraph();
  const dot = toDot(g);
  const leaf = g.nodes.find((n) => n.tensorName === 'train_t_un')!;
  assert.match(dot, new RegExp(`"${leaf.id}" \\[label="train_t_un\\\\n\\(9,\\)" fillcolor=orange style="filled,rounded"\\]`));
  assert.match(dot, new RegExp(`"${leaf.id}" -> "[^"]+"`));
});
