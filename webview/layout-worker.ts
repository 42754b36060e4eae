/** Lays out large graphs off the main thread. */
import { layoutGraph, type LayoutInput } from './layout.js';

self.onmessage = (e: MessageEvent<{ id: number; input: LayoutInput }>) => {
  try {
    (self as unknown as Worker).postMessage({ id: e.data.id, result: layoutGraph(e.data.input) });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id: e.data.id, error: String(err) });
  }
};
