/**
 * Matrix products. Inner products accumulate in float64 and round once (BLAS-like accuracy;
 * PyTorch's BLAS also doesn't round after every step).
 */
import { record, saveIf } from '../autograd/function.js';
import { RuntimeError } from '../errors.js';
import { broadcastShapes, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguousData } from './kernels.js';
import { squeeze, unsafeView } from './views.js';

function checkFloatPair(a: Tensor, b: Tensor, op: string): void {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(
      `expected scalar type ${a.dtype === b.dtype ? '' : scalarName(a)} but found ${scalarName(b)}`,
      `Autograd Lab: ${op} needs both operands of one dtype; convert with .float() or .double().`,
    );
  }
}
function scalarName(t: Tensor): string {
  return { float32: 'Float', float64: 'Double', int64: 'Long', bool: 'Bool' }[t.dtype.name];
}

/** Raw kernel: [batch, n, k] x [batch, k, m] → [batch, n, m] on contiguous data. */
function bmmKernel(a: ArrayLike<number>, b: ArrayLike<number>, batch: number, n: number, k: number, m: number, out: Float32Array | Float64Array | Uint8Array): void {
  const row = new Float64Array(m);
  for (let s = 0; s < batch; s++) {
    const ao = s * n * k;
    const bo = s * k * m;
    const oo = s * n * m;
    for (let i = 0; i < n; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[ao + i * k + p]!;
        if (av === 0) continue;
        const brow = bo + p * m;
        for (let j = 0; j < m; j++) row[j] += av * b[brow + j]!;
      }
      for (let j = 0; j < m; j++) out[oo + i * m + j] = row[j]!;
    }
  }
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 2) throw new RuntimeError('self must be a matrix');
  if (b.dim() !== 2) throw new RuntimeError('mat2 must be a matrix');
  const [n, k] = a.shape as [number, number];
  const [k2, m] = b.shape as [number, number];
  if (k !== k2) {
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${n}x${k} and ${k2}x${m})`);
  }
  checkFloatPair(a, b, 'mm');
  const out = a.dtype.alloc(n * m);
  bmmKernel(contiguousData(a), contiguousData(b), 1, n, k, m, out);
  const result = Tensor._make(out, [n, m], a.dtype);
  record('MmBackward0', [a, b], [result], [saveIf(b, a), saveIf(a, b)], ([g], [x, y]) => [y ? mm(g!, y.t()) : null, x ? mm(x.t(), g!) : null]);
  return result;
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 3) throw new RuntimeError(`batch1 must be a 3D tensor`);
  if (b.dim() !== 3) throw new RuntimeError(`batch2 must be a 3D tensor`);
  const [s, n, k] = a.shape as [number, number, number];
  const [s2, k2, m] = b.shape as [number, number, number];
  if (s !== s2 || k !== k2) {
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${s}, ${k}] but got: [${s2}, ${k2}].`);
  }
  checkFloatPair(a, b, 'bmm');
  const out = a.dtype.alloc(s * n * m);
  bmmKernel(contiguousData(a), contiguousData(b), s, n, k, m, out);
  const result = Tensor._make(out, [s, n, m], a.dtype);
  record('BmmBackward0', [a, b], [result], [saveIf(b, a), saveIf(a, b)], ([g], [x, y]) => [y ? bmm(g!, y.transpose(1, 2)) : null, x ? bmm(x.transpose(1, 2), g!) : null]);
  return result;
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 1 || b.dim() !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a.dim()}D and ${b.dim()}D tensors`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  checkFloatPair(a, b, 'dot');
  const x = contiguousData(a);
  const y = contiguousData(b);
  let acc = 0;
  // PyTorch's float32 dot rounds each product and adds them in order in float32.
  if (a.dtype.name === 'float32') for (let i = 0; i < x.length; i++) acc = Math.fround(acc + Math.fround(x[i]! * y[i]!));
  else for (let i = 0; i < x.length; i++) acc += x[i]! * y[i]!;
  const out = a.dtype.alloc(1);
  out[0] = acc;
  const result = Tensor._make(out, [], a.dtype);
  record('DotBackward0', [a, b], [result], [saveIf(b, a), saveIf(a, b)], ([g], [x2, y2]) => [y2 ? y2.mul(g!) : null, x2 ? x2.mul(g!) : null]);
  return result;
}

function mv(a: Tensor, v: Tensor): Tensor {
  const [n, k] = a.shape as [number, number];
  if (v.shape[0] !== k) {
    throw new RuntimeError(`size mismatch, got input (${n}), mat (${n}x${k}), vec (${v.shape[0]})`);
  }
  checkFloatPair(a, v, 'mv');
  const out = a.dtype.alloc(n);
  bmmKernel(contiguousData(a), contiguousData(v), 1, n, k, 1, out);
  const result = Tensor._make(out, [n], a.dtype);
  record('MvBackward0', [a, v], [result], [saveIf(v, a), saveIf(a, v)], ([g], [x, y]) => [y ? g!.unsqueeze(1).mul(y.unsqueeze(0)) : null, x ? mv(x.t(), g!) : null]);
  return result;
}

/**
 * `a @ b` with NumPy/PyTorch semantics for 1-D, 2-D and batched operands. It folds and
 * unfolds the operands the way ATen's matmul does, so the recorded graph has PyTorch's nodes
 * (ReshapeAliasBackward0, UnsafeViewBackward0, SqueezeBackward3, ...).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.dim();
  const db = b.dim();
  if (da === 0 || db === 0) {
    throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  }
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 1 && db === 2) return squeeze(mm(a.unsqueeze(0), b), 0, 'SqueezeBackward3');
  if (da === 2 && db === 2) return mm(a, b);
  if (da >= 3 && db <= 2) {
    // Fold a's batch dims into its rows: one mm (or mv) instead of a batched product.
    const k = a.shape[da - 1]!;
    const rows = a.shape.slice(0, -1);
    const folded = a.reshape(-1, k);
    const out = db === 2 ? mm(folded, b) : mv(folded, b);
    return unsafeView(out, db === 2 ? [...rows, b.shape[1]!] : rows);
  }
  if (da <= 2 && db >= 3) {
    // Through the transpose: (bᵀ @ aᵀ)ᵀ folds b's batch dims instead.
    if (da === 1) return matmul(b.transpose(-1, -2), a);
    return matmul(b.transpose(-1, -2), a.t()).transpose(-1, -2).contiguous();
  }
  // Both batched: broadcast the batch dims, flatten them into one, bmm, unflatten.
  const [n, k] = a.shape.slice(-2) as [number, number];
  const [k2, m] = b.shape.slice(-2) as [number, number];
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const nb = numelOf(batch);
  if (k !== k2) {
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${nb}, ${k}] but got: [${nb}, ${k2}].`);
  }
  const left = a.expand([...batch, n, k]).reshape(nb, n, k);
  const right = b.expand([...batch, k, m]).reshape(nb, k, m);
  return unsafeView(bmm(left, right), [...batch, n, m]);
}

/** `beta * input + alpha * (mat1 @ mat2)`: nn.Linear's 2-D forward (AddmmBackward0), bias added once per element. */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, options: { beta?: number; alpha?: number } = {}): Tensor {
  const beta = options.beta ?? 1;
  const alpha = options.alpha ?? 1;
  if (mat1.dim() !== 2 || mat2.dim() !== 2) throw new RuntimeError('addmm: mat1 and mat2 must be matrices');
  const [n, k] = mat1.shape as [number, number];
  const [k2, m] = mat2.shape as [number, number];
  if (k !== k2) throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${n}x${k} and ${k2}x${m})`);
  checkFloatPair(mat1, mat2, 'addmm');
  const prod = new Float64Array(n * m);
  bmmKernel(contiguousData(mat1), contiguousData(mat2), 1, n, k, m, prod);
  const bias = contiguousData(input.expand(n, m));
  const out = mat1.dtype.alloc(n * m);
  for (let i = 0; i < out.length; i++) out[i] = (beta === 1 ? bias[i]! : beta * bias[i]!) + (alpha === 1 ? prod[i]! : alpha * prod[i]!);
  const result = Tensor._make(out, [n, m], mat1.dtype);
  record('AddmmBackward0', [input, mat1, mat2], [result], [saveIf(mat2, mat1), saveIf(mat1, mat2)], ([g], [a, b]) => [
    beta === 1 ? g! : g!.mul(beta),
    b ? (alpha === 1 ? mm(g!, b.t()) : mm(g!, b.t()).mul(alpha)) : null,
    a ? (alpha === 1 ? mm(a.t(), g!) : mm(a.t(), g!).mul(alpha)) : null,
  ]);
  return result;
}
