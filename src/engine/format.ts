/**
 * Tensor printing, character for character as PyTorch 1.13 prints a CPU tensor.
 *
 * How PyTorch lays a tensor out:
 * - One element width serves the whole tensor (only the elements that will be shown count), and
 *   every element is right-aligned to it.
 * - A float tensor prints in one of three styles chosen from its non-zero finite elements:
 *   integral values as `1.`, `-3.` (int mode); fixed point with `precision` decimals; or
 *   scientific (`1.2346e+04`) when the largest/smallest magnitude ratio exceeds 1000, the largest
 *   exceeds 1e8, or (for non-integral values) the smallest is below 1e-4. `sci_mode` in the
 *   print options overrides the choice of style but not the measured width.
 * - Rows wrap to `linewidth`, counting the indentation; nested dimensions open a bracket each and
 *   are separated by `dim - 1` newlines.
 * - Above `threshold` elements, each dimension longer than `2 * edgeitems` shows only its first
 *   and last `edgeitems` entries around a `...`.
 * - Suffixes (`size=`, `dtype=`, `grad_fn=`...) follow the data after `, ` and start a new line
 *   when they would run past `linewidth`.
 */
import { type DTypeName, getDefaultDtype } from './dtype.js';
import { formatExponential, formatFixed } from './pyformat.js';

export type FormatDType = DTypeName;

const isFloat = (d: FormatDType): boolean => d === 'float32' || d === 'float64';

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sci_mode: boolean | null;
}

const DEFAULTS: Readonly<PrintOptions> = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sci_mode: null };

const PROFILES: Record<'default' | 'short' | 'full', Omit<PrintOptions, 'sci_mode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const options: PrintOptions = { ...DEFAULTS };

export function getPrintOptions(): PrintOptions {
  return { ...options };
}

/**
 * torch.set_printoptions. A profile first resets precision, threshold, edgeitems and linewidth;
 * the options given then apply on top. As in PyTorch, `sci_mode` is reset to automatic (null)
 * by every call that does not pass it.
 */
export function setPrintOptions(update: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' }): void {
  if (update.profile !== undefined) {
    const profile = PROFILES[update.profile];
    if (profile === undefined) throw new RangeError(`unknown print profile '${String(update.profile)}'`);
    Object.assign(options, profile);
  }
  if (update.precision !== undefined) options.precision = update.precision;
  if (update.threshold !== undefined) options.threshold = update.threshold;
  if (update.edgeitems !== undefined) options.edgeitems = update.edgeitems;
  if (update.linewidth !== undefined) options.linewidth = update.linewidth;
  options.sci_mode = update.sci_mode ?? null;
}

const PREFIX = 'tensor(';

/** How one tensor's elements are written: the style and the common width. */
class ElementFormatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(
    shown: readonly number[],
    private readonly dtype: FormatDType,
    private readonly opts: PrintOptions,
  ) {
    if (!isFloat(dtype)) {
      for (const v of shown) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
      return;
    }
    const measured = shown.filter((v) => Number.isFinite(v) && v !== 0);
    // With nothing to measure (all zeros, nan or inf) the style stays int mode, whatever the
    // sci_mode option says.
    if (measured.length === 0) return;

    let min = Infinity;
    let max = 0;
    for (const v of measured) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    this.intMode = measured.every((v) => v === Math.ceil(v));
    const wideRange = max / min > 1000 || max > 1e8;
    this.sciMode = this.intMode ? wideRange : wideRange || min < 1e-4;

    for (const v of measured) {
      const width = this.sciMode
        ? formatExponential(v, opts.precision).length
        : this.intMode
          ? formatFixed(v, 0).length + 1
          : formatFixed(v, opts.precision).length;
      this.maxWidth = Math.max(this.maxWidth, width);
    }
    if (opts.sci_mode !== null) this.sciMode = opts.sci_mode;
  }

  get width(): number {
    return this.maxWidth;
  }

  private plain(v: number): string {
    if (this.dtype === 'bool') return v ? 'True' : 'False';
    return Math.abs(v) < 1e21 ? String(v) : BigInt(v).toString();
  }

  format(v: number): string {
    let text: string;
    if (!isFloat(this.dtype)) text = this.plain(v);
    else if (this.sciMode) text = formatExponential(v, this.opts.precision);
    else if (this.intMode) text = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    else text = formatFixed(v, this.opts.precision);
    return text.padStart(this.maxWidth);
  }
}

/** Row-major strides of a contiguous tensor. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d]!;
  }
  return strides;
}

/** The indices shown along a dimension of `size`; null marks the `...` gap. */
function shownPositions(size: number, summarize: boolean, edgeitems: number): (number | null)[] {
  const positions: (number | null)[] = [];
  if (summarize && size > 2 * edgeitems) {
    for (let i = 0; i < edgeitems; i++) positions.push(i);
    positions.push(null);
    // a zero edge count shows the whole tail, as Python's `x[-0:]` does
    for (let i = edgeitems === 0 ? 0 : size - edgeitems; i < size; i++) positions.push(i);
  } else {
    for (let i = 0; i < size; i++) positions.push(i);
  }
  return positions;
}

/** The body of a non-empty tensor's repr: `[...]` with nested brackets, or a lone scalar. */
function dataString(values: ArrayLike<number>, shape: readonly number[], dtype: FormatDType, opts: PrintOptions): string {
  const numel = shape.reduce((a, b) => a * b, 1);
  const summarize = numel > opts.threshold;
  const strides = stridesOf(shape);

  const shown: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      shown.push(values[offset]!);
      return;
    }
    for (const i of shownPositions(shape[dim]!, summarize, opts.edgeitems)) {
      if (i !== null) collect(dim + 1, offset + i * strides[dim]!);
    }
  };
  collect(0, 0);
  const formatter = new ElementFormatter(shown, dtype, opts);

  const render = (dim: number, offset: number, indent: number): string => {
    const rank = shape.length - dim;
    if (rank === 0) return formatter.format(values[offset]!);
    const positions = shownPositions(shape[dim]!, summarize, opts.edgeitems);
    if (rank === 1) {
      const cells = positions.map((i) => (i === null ? ' ...' : formatter.format(values[offset + i * strides[dim]!]!)));
      const perLine = Math.max(1, Math.floor((opts.linewidth - indent) / (formatter.width + 2)));
      const lines: string[] = [];
      for (let start = 0; start < cells.length; start += perLine) lines.push(cells.slice(start, start + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
    }
    const blocks = positions.map((i) => (i === null ? '...' : render(dim + 1, offset + i * strides[dim]!, indent + 1)));
    return '[' + blocks.join(',' + '\n'.repeat(rank - 1) + ' '.repeat(indent + 1)) + ']';
  };
  return render(0, 0, PREFIX.length);
}

function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Appends `, suffix` for each suffix, moving one to its own line when it would overflow. */
function withSuffixes(body: string, suffixes: readonly string[], linewidth: number): string {
  const indent = PREFIX.length;
  // PyTorch measures the data's last line as two characters longer than it is (a suffix line
  // it starts itself is measured exactly); the break decisions depend on that.
  let lastLine = body.length - body.lastIndexOf('\n') + 1;
  let out = body;
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > linewidth) {
      out += ',\n' + ' '.repeat(indent) + suffix;
      lastLine = indent + suffix.length;
    } else {
      out += ', ' + suffix;
      lastLine += suffix.length + 2;
    }
  }
  return out + ')';
}

/**
 * The full repr, `tensor(<data>, <suffixes...>)`, of a contiguous tensor holding `values` in
 * row-major order. `extraSuffixes` (autograd's `requires_grad=True` or `grad_fn=<...>`) follow
 * the ones derived here: `size=` for empty tensors that are not 1-d, and `dtype=` when the dtype
 * cannot be read off the data: a dtype other than the default float one, int64 and bool (those
 * three only when empty).
 */
export function formatTensor(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: FormatDType,
  extraSuffixes: readonly string[] = [],
): string {
  const numel = shape.reduce((a, b) => a * b, 1);
  if (values.length < numel) {
    throw new RangeError(`formatTensor: shape (${shape.join(', ')}) needs ${numel} values, got ${values.length}`);
  }
  const suffixes: string[] = [];
  let body: string;
  if (numel === 0) {
    if (shape.length !== 1) suffixes.push(`size=${shapeTuple(shape)}`);
    if (dtype !== getDefaultDtype().name) suffixes.push(`dtype=torch.${dtype}`);
    body = '[]';
  } else {
    if (dtype !== getDefaultDtype().name && dtype !== 'int64' && dtype !== 'bool') suffixes.push(`dtype=torch.${dtype}`);
    body = dataString(values, shape, dtype, options);
  }
  suffixes.push(...extraSuffixes);
  return withSuffixes(PREFIX + body, suffixes, options.linewidth);
}
