import { IndexError, RuntimeError } from './errors.js';

export type Shape = readonly number[];

export function numelOf(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * `n` zeros in a packed array. Shape and stride arrays are built this way rather than with
 * `new Array(n)`, which V8 marks as holey for good: code reading shapes then sees one array
 * kind, not two, and stays optimized.
 */
export function zerosArray(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(0);
  return out;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = zerosArray(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

export function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    if (size !== 1 && strides[i] !== step) return false;
    step *= size;
  }
  return true;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `torch.Size([2, 3])`, as PyTorch prints a shape. */
export function formatSize(shape: Shape): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** `[2, 3]` as PyTorch prints sizes inside messages. */
export function formatSizes(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** PyTorch's broadcasting: align trailing dimensions; each pair must match or contain a 1. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = zerosArray(n);
  for (let i = n - 1; i >= 0; i--) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else
      throw new RuntimeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
        'Autograd Lab: broadcasting lines shapes up from the right: each pair of sizes must be equal or one of them 1. Add a size-1 dimension with `unsqueeze` where you meant to broadcast.',
      );
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if it had `target` shape (stride 0 repeats). */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const out = zerosArray(target.length);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 ? 0 : strides[i]!;
  }
  return out;
}

/** Wraps a possibly negative dim into [0, rank), with PyTorch's message when out of range. */
export function normalizeDim(dim: number, rank: number): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + r : dim;
}

function invalidShape(requested: Shape, numel: number): RuntimeError {
  return new RuntimeError(
    `shape '${formatSizes(requested)}' is invalid for input of size ${numel}`,
    `Autograd Lab: view/reshape must keep the element count (${numel}); use -1 for one dimension to let it be computed.`,
  );
}

/** Resolves one `-1` entry of a requested shape against the element count. */
export function inferShape(requested: Shape, numel: number): number[] {
  const shape = [...requested];
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (s === -1) {
      if (infer >= 0) throw new RuntimeError('only one dimension can be inferred');
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new RuntimeError(`invalid shape dimension ${s}`);
    } else known *= s;
  }
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw invalidShape(requested, numel);
    }
    shape[infer] = numel / known;
  } else if (known !== numel) {
    throw invalidShape(requested, numel);
  }
  return shape;
}
