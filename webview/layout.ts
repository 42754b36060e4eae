/** Graph layout with dagre, shared by the worker and the main thread (small graphs). */
import * as dagre from '@dagrejs/dagre';

export interface LayoutInput {
  nodes: { id: string; width: number; height: number }[];
  edges: { from: string; to: string }[];
}

export interface LayoutResult {
  nodes: Record<string, { x: number; y: number; width: number; height: number }>;
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

/** TB: torchviz's orientation, inputs and parameters on top, the loss at the bottom; LR: inputs left, the loss right. */
export type Orientation = 'TB' | 'LR';

export function layoutGraph(input: LayoutInput, orientation: Orientation = 'TB'): LayoutResult {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  // Gaps small next to the boxes, so a fitted graph gives its labels the room.
  g.setGraph({ rankdir: orientation, nodesep: 12, ranksep: orientation === 'TB' ? 18 : 28, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of input.nodes) g.setNode(n.id, { width: n.width, height: n.height });
  input.edges.forEach((e, i) => g.setEdge(e.from, e.to, {}, `e${i}`));
  dagre.layout(g);
  const nodes: LayoutResult['nodes'] = {};
  for (const id of g.nodes()) {
    const n = g.node(id);
    nodes[id] = { x: n.x, y: n.y, width: n.width, height: n.height };
  }
  const edges = input.edges.map((e, i) => ({ from: e.from, to: e.to, points: (g.edge({ v: e.from, w: e.to, name: `e${i}` })?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })) }));
  const graph = g.graph();
  return { nodes, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
