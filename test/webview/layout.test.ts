import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutGraph } from '../../webview/layout.js';
import { recordedGraph } from '../extension/fixture.js';

test('the graph layout puts inputs above the nodes they feed and the loss at the bottom', () => {
  const g = recordedGraph();
  const result = layoutGraph({ nodes: g.nodes.map((n) => ({ id: n.id, width: 120, height: 26 })), edges: g.edges.map((e) => ({ from: e.from, to: e.to })) });
  assert.deepEqual(Object.keys(result.nodes).sort(), g.nodes.map((n) => n.id).sort());
  for (const e of g.edges) assert.ok(result.nodes[e.from]!.y < result.nodes[e.to]!.y, `${e.from} above ${e.to}`);
  const bottom = Math.max(...Object.values(result.nodes).map((n) => n.y));
  assert.equal(result.nodes[g.rootId]!.y, bottom);
  assert.equal(result.edges.length, g.edges.length);
  for (const e of result.edges) assert.ok(e.points.length >= 2, 'every edge has a route');
});

test('the graph layout keeps boxes from overlapping', () => {
  const g = recordedGraph();
  const result = layoutGraph({ nodes: g.nodes.map((n) => ({ id: n.id, width: 120, height: 26 })), edges: g.edges.map((e) => ({ from: e.from, to: e.to })) });
  const boxes = Object.values(result.nodes);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
      assert.ok(apart, `boxes ${i} and ${j} overlap`);
    }
  }
  assert.ok(result.width > 0 && result.height > 0);
});
