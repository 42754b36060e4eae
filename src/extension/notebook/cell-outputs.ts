/**
 * How a kernel's cell output becomes a notebook cell output in VS Code: which items, which
 * metadata (the built-in .ipynb serializer reads `outputType`, `executionCount` and
 * `originalError` to write nbformat's stream, display_data, execute_result and error outputs),
 * and whether it opens a new output or continues the last one. Consecutive writes to one stream
 * continue its output, as Jupyter shows them: one block of text per stream run, not one per
 * print. Pure: no vscode; notebook-session.ts turns the plan into NotebookCellOutputItems.
 */
import type { CellOutput, MimeBundle } from '../../runner/kernel/notebook-kernel.js';

export type PlannedItem =
  | { kind: 'stdout' | 'stderr'; text: string }
  | { kind: 'text'; mime: string; text: string }
  | { kind: 'bytes'; mime: string; data: Uint8Array }
  | { kind: 'error'; name: string; message: string; stack: string };

export interface OutputPlan {
  /** 'continue': append the items to the cell's last output (the same stream); 'new': a new output. */
  append: 'new' | 'continue';
  items: PlannedItem[];
  /** The new output's metadata (absent when continuing). */
  metadata?: Record<string, unknown>;
}

/** The mime types of a bundle, richest first; base64 ones are decoded. */
const BUNDLE_MIMES: readonly { mime: keyof MimeBundle; base64: boolean }[] = [
  { mime: 'text/html', base64: false },
  { mime: 'image/svg+xml', base64: false },
  { mime: 'image/png', base64: true },
  { mime: 'text/plain', base64: false },
];

export function bundleItems(data: MimeBundle): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (const { mime, base64 } of BUNDLE_MIMES) {
    const value = data[mime];
    if (typeof value !== 'string') continue;
    items.push(base64 ? { kind: 'bytes', mime, data: new Uint8Array(Buffer.from(value, 'base64')) } : { kind: 'text', mime, text: value });
  }
  return items;
}

/** Plans one cell's outputs in the order they arrive; one planner per cell execution. */
export class CellOutputPlanner {
  private lastStream: 'stdout' | 'stderr' | null = null;

  /** The plan for `output`; null when it has nothing to show (an empty mime bundle). */
  plan(output: CellOutput): OutputPlan | null {
    if (output.kind === 'stream') {
      const item: PlannedItem = { kind: output.name, text: output.text };
      const append = this.lastStream === output.name ? 'continue' : 'new';
      this.lastStream = output.name;
      return append === 'continue' ? { append, items: [item] } : { append, items: [item], metadata: { outputType: 'stream' } };
    }
    this.lastStream = null;
    switch (output.kind) {
      case 'display': {
        const items = bundleItems(output.data);
        return items.length > 0 ? { append: 'new', items, metadata: { outputType: 'display_data' } } : null;
      }
      case 'result': {
        const items = bundleItems(output.data);
        return items.length > 0 ? { append: 'new', items, metadata: { outputType: 'execute_result', executionCount: output.executionCount } } : null;
      }
      case 'error':
        return {
          append: 'new',
          items: [{ kind: 'error', name: output.ename, message: output.evalue, stack: output.traceback.join('\n') }],
          metadata: { outputType: 'error', originalError: { output_type: 'error', ename: output.ename, evalue: output.evalue, traceback: output.traceback } },
        };
    }
  }
}
