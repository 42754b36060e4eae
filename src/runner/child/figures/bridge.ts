/**
 * The `_agl_figures` module Python's matplotlib calls (registered in Pyodide by
 * ../python/run-python.ts): `prepare()` starts the renderer thread when pyplot is imported,
 * `render(description, format, dpi, tightPad)` returns PNG bytes or SVG text synchronously (Python cannot
 * await), `tightLayout(description, pad, hPad, wPad)` computes tight_layout()'s subplot parameters,
 * `show(description)` hands a figure to whoever displays figures in this process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { parseDescription, type FigureDescription } from './description.js';
import type { RenderReply, RenderRequest } from './render-worker.js';

/** How long Python waits for one figure before giving up with an error. */
const RENDER_TIMEOUT_MS = 300_000;

interface Renderer {
  worker: Worker;
  port: MessagePort;
  answered: Int32Array;
  sent: number;
  received: number;
}

let renderer: Renderer | null = null;

/** The worker's file: beside this module (sources, tsc output) or, in the extension bundle, in figures/. */
function workerUrl(): URL {
  const own = import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js';
  for (const candidate of [own, '../figures/render-worker.js', '../runner/child/figures/render-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('the figure renderer (render-worker.js) is missing from this installation');
}

/**
 * The thread's first code: loads the renderer module (through tsx when running from the
 * TypeScript sources) and, if that fails, answers every request with the reason, since Python
 * is blocked waiting and would never see the thread's 'error' event.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const counter = new Int32Array(workerData.answered);
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((e) => {
  const error = 'the figure renderer could not start: ' + (e && e.message ? e.message : String(e));
  workerData.port.on('message', () => {
    workerData.port.postMessage({ ok: false, error });
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  });
});
`;

function start(): Renderer {
  if (renderer) return renderer;
  const { port1, port2 } = new MessageChannel();
  const answered = new Int32Array(new SharedArrayBuffer(4));
  const entry = workerUrl().href;
  const tsx = entry.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : null;
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, tsx, port: port2, answered: answered.buffer }, transferList: [port2] });
  worker.unref();
  port1.unref();
  renderer = { worker, port: port1, answered, sent: 0, received: 0 };
  return renderer;
}

/** Waits (blocking this thread) for the next answer of the renderer thread. */
function nextReply(r: Renderer): RenderReply {
  const deadline = Date.now() + RENDER_TIMEOUT_MS;
  while (Atomics.load(r.answered, 0) <= r.received) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`the figure renderer did not answer within ${RENDER_TIMEOUT_MS / 1000} s`);
    Atomics.wait(r.answered, 0, r.received, Math.min(left, 1000));
  }
  r.received += 1;
  const message = receiveMessageOnPort(r.port);
  if (!message) throw new Error('the figure renderer answered without a message');
  return message.message as RenderReply;
}

function call(request: RenderRequest): RenderReply {
  const r = start();
  r.port.postMessage(request);
  r.sent += 1;
  let reply = nextReply(r);
  while (r.received < r.sent) reply = nextReply(r); // an earlier 'warm' answer comes first
  return reply;
}

/** Receives the figures that plt.show() displays (the panel, a notebook); none by default. */
let display: ((figure: FigureDescription) => void) | null = null;

export function setFigureDisplay(handler: ((figure: FigureDescription) => void) | null): void {
  display = handler;
}

/** The JS module registered in Pyodide as `_agl_figures`. */
export const figuresModule = {
  prepare(): void {
    const r = start();
    r.port.postMessage({ kind: 'warm' } satisfies RenderRequest);
    r.sent += 1;
  },
  /** `tightPadInches`: null for the whole figure, else savefig(bbox_inches='tight')'s pad_inches. */
  render(description: string, format: string, dpi: number, tightPadInches: number | null = null): Uint8Array | string {
    if (format !== 'png' && format !== 'svg') throw new Error(`figures are drawn as png or svg, not ${format}`);
    const reply = call({ kind: 'render', description, format, dpi, ...(tightPadInches === null || tightPadInches === undefined ? {} : { tightPadInches }) });
    if (!reply.ok) throw new Error(reply.error);
    return reply.data!;
  },
  /** tight_layout(): JSON of the subplot parameters, of {warning}, or null when the figure is not a grid of subplots. */
  tightLayout(description: string, pad: number, hPad: number | null = null, wPad: number | null = null): string {
    const reply = call({ kind: 'tight-layout', description, pad, hPad: hPad ?? null, wPad: wPad ?? null });
    if (!reply.ok) throw new Error(reply.error);
    return reply.data as string;
  },
  show(description: string): boolean {
    if (!display) return false;
    display(parseDescription(description));
    return true;
  },
};
