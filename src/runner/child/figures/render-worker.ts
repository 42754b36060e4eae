/**
 * The figure renderer's thread. Python runs synchronously on the script process's main thread,
 * so it cannot await the (asynchronous) Vega and WebAssembly loading; ./bridge.ts sends each job
 * here and waits on a shared counter, which this thread increments after posting the answer.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { parseDescription } from './description.js';
import { computeTightLayout, loadLibraries, renderFigure, type FigureFormat } from './render.js';

export type RenderRequest =
  | { kind: 'warm' }
  | { kind: 'render'; description: string; format: FigureFormat; dpi: number; tightPadInches?: number }
  | { kind: 'tight-layout'; description: string; pad: number; hPad: number | null; wPad: number | null };
export type RenderReply = { ok: true; data?: Uint8Array | string; ms: number } | { ok: false; error: string };

const { port, answered } = workerData as { port: MessagePort; answered: SharedArrayBuffer };
const counter = new Int32Array(answered);

async function handle(request: RenderRequest): Promise<RenderReply> {
  const started = performance.now();
  if (request.kind === 'warm') {
    await loadLibraries();
    return { ok: true, ms: performance.now() - started };
  }
  const figure = parseDescription(request.description);
  if (request.kind === 'tight-layout') {
    const result = await computeTightLayout(figure, { pad: request.pad, hPad: request.hPad, wPad: request.wPad });
    return { ok: true, data: JSON.stringify(result), ms: performance.now() - started };
  }
  const rendered = await renderFigure(figure, { format: request.format, dpi: request.dpi, tightPadInches: request.tightPadInches });
  return { ok: true, data: rendered.data, ms: performance.now() - started };
}

port.on('message', (request: RenderRequest) => {
  void handle(request)
    .catch((e: unknown): RenderReply => ({ ok: false, error: e instanceof Error ? e.message : String(e) }))
    .then((reply) => {
      port.postMessage(reply);
      Atomics.add(counter, 0, 1);
      Atomics.notify(counter, 0);
    });
});
