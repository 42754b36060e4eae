// Graph snapshots: the recorder in the script process (here in-process, on the real engine) and
// through the runner, for TypeScript and Python scripts. These tests are about the data the ops
// read (inputs that need no gradient), drawn as data leaves beside the parameters.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import * as engine from '../../src/engine/index.js';
import { torch, type Tensor } from '../../src/engine/index.js';
import { GraphRecorder, type GraphRecorderOptions } from '../../src/runner/child/graph.js';
import type { ChildEvent } from '../../src/protocol/script-process.js';
import type { GraphEdge, GraphNode, GraphSnapshot, RunEvent } from '../../src/protocol/run-events.js';
import { startRun } from '../../src/runner/runner.js';

const here = fileURLToPath(import.meta.url);
const examples = join(import.meta.dirname, '..', '..', 'examples', 'thermometer');

/** Runs `forwardAndBackward` under a recorder installed on the engine; the snapshot it sent. */
function capture(forwardAndBackward: () => void, options: Partial<GraphRecorderOptions> = {}): GraphSnapshot {
  const sent: ChildEvent[] = [];
  const recorder = new GraphRecorder((e) => sent.push(e), engine.hooks, { isUserFile: (f) => f === here, ...options });
  const uninstall = recorder.install();
  try {
    forwardAndBackward();
    recorder.flush();
  } finally {
    uninstall();
  }
  const graphs = sent.filter((e) => e.type === 'graph');
  assert.equal(graphs.length, 1);
  return (graphs[0] as { snapshot: GraphSnapshot }).snapshot;
}

/** A tensor named as the probes name an assigned variable. */
function named(t: Tensor, name: string): Tensor {
  engine.hooks.nameTensor(t, name);
  return t;
}

const dataNodes = (g: GraphSnapshot): GraphNode[] => g.nodes.filter((n) => n.kind === 'data');
const edgesFrom = (g: GraphSnapshot, id: string): GraphEdge[] => g.edges.filter((e) => e.from === id);
const nodeById = (g: GraphSnapshot, id: string): GraphNode => g.nodes.find((n) => n.id === id)!;

describe('GraphRecorder: data leaves', () => {
  it('records an input that needs no gradient as a data leaf with its name, shape, dtype and values', () => {
    const g = capture(() => {
      const w = torch.tensor(2.0, { requires_grad: true });
      const t_u = named(torch.tensor([35.7, 55.9, 58.2]), 't_u');
      w.mul(t_u).sum().backward();
    });
    const [t_u, ...others] = dataNodes(g);
    assert.equal(others.length, 0);
    assert.equal(t_u!.tensorName, 't_u');
    assert.equal(t_u!.name, 'data');
    assert.deepEqual(t_u!.shape, [3]);
    assert.equal(t_u!.dtype, 'float32');
    assert.deepEqual(t_u!.value?.values.map((v) => v.toFixed(1)), ['35.7', '55.9', '58.2']);
    assert.equal(t_u!.grad, null);
    assert.equal(t_u!.backwardOrder, undefined);
  });

  it('feeds the data leaf into the op that read it, at the input it was, with no gradient on the edge', () => {
    const g = capture(() => {
      const w = torch.tensor(2.0, { requires_grad: true });
      const t_u = named(torch.tensor([1.0, 2.0]), 't_u');
      w.mul(t_u).sum().backward();
    });
    const t_u = dataNodes(g)[0]!;
    const [edge, ...more] = edgesFrom(g, t_u.id);
    assert.equal(more.length, 0);
    assert.equal(nodeById(g, edge!.to).name, 'MulBackward0');
    assert.equal(edge!.inputNr, 1);
    assert.equal('grad' in edge!, false);
    // The parameter still comes in through AccumulateGrad at input 0.
    const fromParam = g.edges.find((e) => e.to === edge!.to && e.inputNr === 0)!;
    assert.equal(nodeById(g, fromParam.from).kind, 'parameter');
  });

  it('draws a data tensor read by several ops once, with an edge to each op', () => {
    const g = capture(() => {
      const w = torch.tensor(2.0, { requires_grad: true });
      const t_c = named(torch.tensor([1.0, 2.0, 3.0]), 't_c');
      w.mul(t_c).sub(t_c).pow(2).mean().backward();
    });
    const data = dataNodes(g);
    assert.deepEqual(data.map((n) => n.tensorName), ['t_c']);
    const readers = edgesFrom(g, data[0]!.id).map((e) => nodeById(g, e.to).name).sort();
    assert.deepEqual(readers, ['MulBackward0', 'SubBackward0']);
  });

  it('leaves out wrapped scalars but keeps a named zero-dimensional tensor', () => {
    const g = capture(() => {
      const w = torch.tensor([1.0, 2.0], { requires_grad: true });
      const scale = named(torch.tensor(0.5), 'scale');
      w.mul(2).add(1).mul(scale).sum().backward();
    });
    assert.deepEqual(dataNodes(g).map((n) => [n.tensorName, n.shape]), [['scale', []]]);
  });

  it('labels a data tensor the script never named as data, without a name', () => {
    const g = capture(() => {
      const w = torch.tensor(2.0, { requires_grad: true });
      w.mul(torch.tensor([1.0, 2.0])).sum().backward();
    });
    const [leaf] = dataNodes(g);
    assert.equal(leaf!.tensorName, undefined);
    assert.deepEqual(leaf!.shape, [2]);
  });

  it('shows the values the op read, not what an in-place change made of them after the forward pass', () => {
    const g = capture(() => {
      const w = torch.tensor(1.0, { requires_grad: true });
      const x = named(torch.tensor([3.0, 4.0]), 'x');
      const loss = w.add(x).sum();
      x.fill_(0);
      loss.backward();
    });
    assert.deepEqual(dataNodes(g)[0]!.value?.values, [3, 4]);
  });

  it('keeps at most dataLeafLimit data leaves per snapshot and counts the rest', () => {
    const g = capture(
      () => {
        let y = torch.tensor([1.0, 1.0], { requires_grad: true }).mul(1);
        for (let i = 0; i < 5; i++) y = y.add(named(torch.tensor([i, i]), `x${i}`));
        y.sum().backward();
      },
      { dataLeafLimit: 3 },
    );
    const data = dataNodes(g);
    assert.equal(data.length, 3);
    assert.deepEqual(g.truncatedData, { shownLeaves: 3, totalLeaves: 5 });
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) assert.ok(ids.has(e.from) || e.from === 'summary', `edge from ${e.from} has its node`);
    // The walk from the loss meets the last additions first: those are the ones kept.
    assert.deepEqual(data.map((n) => n.tensorName), ['x4', 'x3', 'x2']);
  });

  it('sets no truncatedData when every data tensor fits', () => {
    const g = capture(() => {
      const w = torch.tensor(2.0, { requires_grad: true });
      w.mul(named(torch.tensor([1.0]), 'x')).sum().backward();
    });
    assert.deepEqual(dataNodes(g).map((n) => n.tensorName), ['x']);
    assert.equal(g.truncatedData, undefined);
  });
});

describe('GraphRecorder: local derivatives', () => {
  it("gives every node its op's explanation per input, and the parameter how its .grad is filled", () => {
    const g = capture(() => {
      const params = torch.tensor([1.0, 0.0], { requires_grad: true });
      const [w, b] = params;
      w!.mul(torch.tensor([1.0, 2.0])).add(b!).rsub(3).pow(2).mean().backward();
    });
    const byName = new Map(g.nodes.filter((n) => n.kind !== 'data').map((n) => [n.name, n.localDerivatives]));
    assert.deepEqual(byName.get('MeanBackward0'), ['∂mean(x)/∂xᵢ = 1/2: the gradient is shared equally by the 2 elements']);
    assert.deepEqual(byName.get('PowBackward0'), ['∂(x²)/∂x = 2·x']);
    assert.deepEqual(byName.get('RsubBackward1'), ['∂(b − a)/∂a = −1', '∂(b − a)/∂b = 1']);
    assert.deepEqual(byName.get('MulBackward0'), ['∂(a·b)/∂a = b', '∂(a·b)/∂b = a']);
    assert.match(byName.get('AccumulateGrad')![0]!, /\.grad \+=/);
    for (const node of g.nodes.filter((n) => n.kind === 'function')) {
      const inputs = new Set(g.edges.filter((e) => e.to === node.id).map((e) => e.inputNr));
      for (const nr of inputs) assert.ok(node.localDerivatives![nr], `${node.name} explains input ${nr}`);
    }
  });
});

const values = (p: { values: number[] } | null | undefined): number[] | null => (p ? p.values : null);
const nodeNamed = (g: GraphSnapshot, name: string): GraphNode => g.nodes.find((n) => n.name === name)!;

describe('GraphRecorder: what each backward call received', () => {
  it('records the gradient each output of a node received: UnbindBackward0 gets w’s at output 0, b’s at output 1', () => {
    const g = capture(() => {
      const params = torch.tensor([1.0, 0.0], { requires_grad: true });
      const [w, b] = params;
      w!.mul(3).add(b!.mul(5)).backward();
    });
    assert.deepEqual(nodeNamed(g, 'UnbindBackward0').grads!.map(values), [[3], [5]]);
  });

  it('an output that received no gradient is null in grads', () => {
    const g = capture(() => {
      const params = torch.tensor([1.0, 0.0], { requires_grad: true });
      const [w] = params;
      w!.mul(3).backward();
    });
    assert.deepEqual(nodeNamed(g, 'UnbindBackward0').grads!.map(values), [[3], null]);
  });

  it('an edge says which output of the node it leaves it carries (next_functions’ output number)', () => {
    const g = capture(() => {
      const params = torch.tensor([1.0, 0.0], { requires_grad: true });
      const [w, b] = params;
      w!.mul(3).add(b!.mul(5)).backward();
    });
    const unbind = nodeNamed(g, 'UnbindBackward0').id;
    const carried = edgesFrom(g, unbind).map((e) => [nodeById(g, e.to).name, e.outputNr, values(e.grad)]);
    assert.deepEqual(carried.sort(), [['MulBackward0', 0, [3]], ['MulBackward0', 1, [5]]]);
  });

  it('a parameter records its .grad right after the backward accumulated into it, earlier gradients included', () => {
    const w = torch.tensor([2.0], { requires_grad: true });
    w.mul(3).sum().backward();
    const g = capture(() => w.mul(4).sum().backward());
    const param = g.nodes.find((n) => n.kind === 'parameter')!;
    assert.deepEqual([values(param.grads?.[0]), values(param.leafGrad)], [[4], [7]]);
  });

  it('a function node has no leafGrad', () => {
    const g = capture(() => torch.tensor([2.0], { requires_grad: true }).mul(4).sum().backward());
    assert.deepEqual(g.nodes.filter((n) => 'leafGrad' in n).map((n) => n.kind), ['parameter']);
  });
});

async function runEvents(script: string, options: { probes?: boolean } = {}): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const run = startRun({ script, ...options, onEvent: (e) => events.push(e) });
  const end = await run.done;
  assert.equal(end.type, 'run-finished', JSON.stringify(end));
  return events;
}

function firstSnapshot(events: RunEvent[]): GraphSnapshot {
  const graph = events.find((e) => e.type === 'graph');
  assert.ok(graph && graph.type === 'graph', 'the run sent a graph');
  return graph.snapshot;
}

/** Each data leaf as `name (shape) → the ops that read it`. */
function dataReaders(g: GraphSnapshot): string[] {
  return dataNodes(g).map((n) => `${n.tensorName ?? '?'} (${n.shape.join(',')}) → ${edgesFrom(g, n.id).map((e) => nodeById(g, e.to).name).sort().join(', ')}`).sort();
}

describe('graph snapshots of the chapter’s scripts: data leaves named as the script names them', () => {
  it('03-sgd.ts: t_u feeds MulBackward0, t_c feeds SubBackward0', async () => {
    const g = firstSnapshot(await runEvents(join(examples, '03-sgd.ts')));
    assert.deepEqual(dataReaders(g), ['t_c (11) → SubBackward0', 't_u (11) → MulBackward0']);
  });

  it('03-sgd.ts with probes off: the same names (the graph does not depend on the probes)', async () => {
    const events = await runEvents(join(examples, '03-sgd.ts'), { probes: false });
    assert.equal(events.some((e) => e.type === 'probes'), false);
    const g = firstSnapshot(events);
    assert.deepEqual(dataReaders(g), ['t_c (11) → SubBackward0', 't_u (11) → MulBackward0']);
    assert.deepEqual(g.nodes.filter((n) => n.kind === 'parameter').map((n) => n.tensorName), ['params']);
  });

  it('03-sgd.py: the same data leaves, named from the Python script', async () => {
    const g = firstSnapshot(await runEvents(join(examples, '03-sgd.py')));
    assert.deepEqual(dataReaders(g), ['t_c (11) → SubBackward0', 't_u (11) → MulBackward0']);
    const t_u = dataNodes(g).find((n) => n.tensorName === 't_u')!;
    assert.equal(t_u.value?.values[0]?.toFixed(1), '35.7');
  });
});
