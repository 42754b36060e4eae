/**
 * How a cell's output is put together in the kernel's Python thread: printed text batched into
 * stream outputs, and the text IPython shows beside a figure.
 */
import type { CellOutput } from '../../../protocol/kernel-process.js';
import type { FigureDescription } from '../figures/description.js';

/**
 * The code file name of a cell execution (`<prefix><n>`): absolute, so the graph recorder reads
 * Python frames in it as the learner's; the kernel maps it back to the cell's id.
 */
export const CELL_FILE_PREFIX = '/__autograd_lab_cell__/';

/** matplotlib's `savefig.pad_inches`, the margin IPython's inline backend leaves around a figure it crops. */
export const INLINE_PAD_INCHES = 0.1;

/**
 * stdout/stderr bytes → stream outputs, sent as they are written: this thread is busy while a
 * cell runs, so text held back here would wait for the cell's next print (the parent joins
 * what comes in quick succession). Only an incomplete UTF-8 character waits for its rest.
 */
export class StreamDecoder {
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  constructor(private readonly send: (output: CellOutput) => void) {}

  write(name: 'stdout' | 'stderr', bytes: Uint8Array): void {
    const text = this.decoders[name].decode(bytes, { stream: true });
    if (text) this.send({ kind: 'stream', name, text });
  }
}

/** Python's `'%g' % x`: six significant digits, no trailing zeros. */
export function formatG(x: number): string {
  if (x === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = x.toExponential(5).split('e') as [string, string];
    const digits = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const e = Number(exp);
    return `${digits}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, 5 - exponent));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** matplotlib's repr of a figure: `<Figure size 640x480 with 1 Axes>`. */
export function figureText(figure: FigureDescription): string {
  const [w, h] = figure.size;
  return `<Figure size ${formatG(w * figure.dpi)}x${formatG(h * figure.dpi)} with ${figure.axes.length} Axes>`;
}
