/**
 * Matrix products. Inner products accumulate in float64 and round once (BLAS-like accuracy;
 * PyTorch's BLAS also doesn't round after every step).
 */
import { derivative } from '../autograd/derivative.js';
import { record, recording, saveIf } from '../autograd/function.js';
import { num, times } from '../autograd/notation.js';
import { no_grad } from '../autograd/grad_mode.js';
import { notImplementedFor, RuntimeError } from '../errors.js';
import { broadcastShapes, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguousData } from './kernels.js';
import { allocFloat64, bool, float32, type Storage } from '../dtype.js';
import { type MatrixView, wasmAvailable, wasmProduct } from '../wasm/matmul.js';
import { squeeze, unsafeView } from './views.js';

function checkFloatPair(a: Tensor, b: Tensor, op: string): void {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(
      `expected scalar type ${a.dtype === b.dtype ? '' : a.dtype.scalarTypeName} but found ${b.dtype.scalarTypeName}`,
      `Autograd Lab: ${op} needs both operands of one dtype; convert with .float() or .double().`,
    );
  }
}

/**
 * Raw kernel, the reference: [batch, n, k] x [batch, k, m] → [batch, n, m] on contiguous data,
 * each output summed over k in order in float64 (exact float32 products) and rounded once by the
 * store into `out`.
 */
function bmmKernel(a: ArrayLike<number>, b: ArrayLike<number>, batch: number, n: number, k: number, m: number, out: Storage): void {
  const row = allocFloat64(m);
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

/**
 * Products at least this large (n·k·m multiply-adds) go to the WebAssembly kernels: below it,
 * packing the operands costs more than it saves.
 */
const WASM_MIN_MACS = 32 * 32 * 32;
/**
 * Products at least this large use the float32-accumulating SIMD kernel (4 lanes, about twice the
 * float64 one's speed); smaller ones keep the reference arithmetic bit for bit. 512×512×512 is above
 * it, the 784→128 layer of a batch of 256 below it.
 */
const F32_MIN_MACS = 1 << 26;

function view2d(t: Tensor, transposed = false): MatrixView {
  return {
    data: t._data as Float32Array,
    offset: t._offset,
    rowStride: t._strides[transposed ? 1 : 0]!,
    colStride: t._strides[transposed ? 0 : 1]!,
  };
}

/** Whether a 2-D tensor holds only finite values (read through its strides). */
function allFinite(t: Tensor): boolean {
  const data = t._data;
  const [rows, cols] = t._shape as [number, number];
  const [rs, cs] = t._strides as [number, number];
  for (let i = 0; i < rows; i++) {
    for (let j = 0, at = t._offset + i * rs; j < cols; j++, at += cs) {
      const v = data[at]!;
      // v - v is 0 for finite values and NaN for infinities and NaN.
      if (v - v !== 0) return false;
    }
  }
  return true;
}

/**
 * `a @ b` for 2-D operands (any strides) as row-major values: a Float64Array of unrounded sums
 * (the reference arithmetic, from the TypeScript or the f64 WebAssembly kernel) or, for large
 * float32 products, a Float32Array from the float32 SIMD kernel. Null for small products, which
 * `smallProduct` computes straight into the result.
 */
function product2d(a: Tensor, b: Tensor, n: number, k: number, m: number): Float64Array | Float32Array | null {
  const macs = n * k * m;
  // The SIMD kernels multiply every pair; the reference skips zeros of `a`, which only matters
  // when `b` holds an infinity or NaN, so such operands stay on the reference kernel.
  if (a.dtype === float32 && macs >= WASM_MIN_MACS && n >= 4 && m >= 4 && wasmAvailable() && allFinite(b)) {
    const out = wasmProduct(view2d(a), view2d(b), n, k, m, macs >= F32_MIN_MACS ? 'f32' : 'f64acc');
    if (out !== null) return out;
  }
  if (macs < SMALL_MACS) return null;
  return stridedProduct(a, b, n, k, m);
}

/** Below this many multiply-adds, products are summed one output at a time straight into the result. */
const SMALL_MACS = 4096;

/**
 * The reference kernel (bmmKernel's arithmetic: each output summed over k in order in float64,
 * zeros of `a` skipped) reading both 2-D operands through their strides, so a transposed view
 * needs no copy first.
 */
function stridedProduct(a: Tensor, b: Tensor, n: number, k: number, m: number): Float64Array {
  const out = allocFloat64(n * m);
  const ad = a._data;
  const bd = b._data;
  const [a0, a1] = a._strides as [number, number];
  const [b0, b1] = b._strides as [number, number];
  const ao = a._offset;
  const bo = b._offset;
  for (let i = 0; i < n; i++) {
    const row = i * m;
    for (let p = 0; p < k; p++) {
      const av = ad[ao + i * a0 + p * a1]!;
      if (av === 0) continue;
      const bRow = bo + p * b0;
      if (b1 === 1) for (let j = 0; j < m; j++) out[row + j] += av * bd[bRow + j]!;
      else for (let j = 0; j < m; j++) out[row + j] += av * bd[bRow + j * b1]!;
    }
  }
  return out;
}

/** Products with at most this many columns are summed one output at a time (see smallProduct). */
const DOT_FORM_MAX_COLS = 8;

/** A reusable float64 row of partial sums for smallProduct (internal: never handed out). */
let scratchRow = new Float64Array(64);

/**
 * The reference arithmetic for a small product, straight into the result: for each row, the
 * partial sums over p in order in float64 (zeros of `a` skipped, as bmmKernel does), then
 * `out[i, j] = bias + sum` with one rounding by the store. `bias` is null (mm) or a tensor
 * broadcast to [n, m] through its strides (addmm).
 */
function smallProduct(a: Tensor, b: Tensor, n: number, k: number, m: number, out: Storage, bias: Tensor | null, beta: number, alpha: number): void {
  const ad = a._data;
  const bd = b._data;
  const a0 = a._strides[0]!;
  const a1 = a._strides[1]!;
  const b0 = b._strides[0]!;
  const b1 = b._strides[1]!;
  const ao = a._offset;
  const bo = b._offset;
  if (scratchRow.length < m) scratchRow = new Float64Array(m);
  const row = scratchRow;
  let cd: Storage | null = null;
  let c0 = 0;
  let c1 = 0;
  let co = 0;
  if (bias !== null) {
    // Broadcast strides of a bias of shape [m], [1|n, 1|m] (or already expanded to [n, m]).
    const bs = bias._shape;
    const st = bias._strides;
    cd = bias._data;
    if (bs.length === 1) {
      c0 = 0;
      c1 = bs[0] === 1 ? 0 : st[0]!;
    } else {
      c0 = bs[0] === 1 ? 0 : st[0]!;
      c1 = bs[1] === 1 ? 0 : st[1]!;
    }
    co = bias._offset;
  }
  if (m <= DOT_FORM_MAX_COLS) {
    // Few output columns (a narrow layer, or its weight's gradient): each output is one dot
    // product summed in a local, over p in order with the same zero skips, so the same sums as
    // the row of partial sums below without clearing and copying that row.
    for (let i = 0; i < n; i++) {
      const aRow = ao + i * a0;
      // k = 1 (a layer with one input): the one product, added to 0 unless its factor is 0.
      const single = k === 1 ? ad[aRow]! : 0;
      for (let j = 0; j < m; j++) {
        let acc = 0;
        if (k === 1) {
          if (single !== 0) acc += single * bd[bo + j * b1]!;
        } else {
          for (let p = 0, at = aRow, bt = bo + j * b1; p < k; p++, at += a1, bt += b0) {
            const av = ad[at]!;
            if (av === 0) continue;
            acc += av * bd[bt]!;
          }
        }
        if (cd === null) out[i * m + j] = acc;
        else {
          const c = cd[co + i * c0 + j * c1]!;
          out[i * m + j] = beta === 1 && alpha === 1 ? c + acc : (beta === 1 ? c : beta * c) + (alpha === 1 ? acc : alpha * acc);
        }
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) row[j] = 0;
    for (let p = 0; p < k; p++) {
      const av = ad[ao + i * a0 + p * a1]!;
      if (av === 0) continue;
      const bRow = bo + p * b0;
      for (let j = 0; j < m; j++) row[j] += av * bd[bRow + j * b1]!;
    }
    const at = i * m;
    if (cd === null) for (let j = 0; j < m; j++) out[at + j] = row[j]!;
    else if (beta === 1 && alpha === 1) for (let j = 0; j < m; j++) out[at + j] = cd[co + i * c0 + j * c1]! + row[j]!;
    else {
      for (let j = 0; j < m; j++) {
        const c = cd[co + i * c0 + j * c1]!;
        out[at + j] = (beta === 1 ? c : beta * c) + (alpha === 1 ? row[j]! : alpha * row[j]!);
      }
    }
  }
}

/** PyTorch's error for an (n×k) @ (k2×m) product with k ≠ k2, and what to do about it. */
function shapesCannotBeMultiplied(n: number, k: number, k2: number, m: number): RuntimeError {
  return new RuntimeError(
    `mat1 and mat2 shapes cannot be multiplied (${n}x${k} and ${k2}x${m})`,
    `Autograd Lab: for A @ B the columns of A (${k}) must equal the rows of B (${k2}): transpose one (\`.t()\`) or reshape so the inner sizes match.`,
  );
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 2) throw new RuntimeError('self must be a matrix');
  if (b.dim() !== 2) throw new RuntimeError('mat2 must be a matrix');
  const n = a._shape[0]!;
  const k = a._shape[1]!;
  const k2 = b._shape[0]!;
  const m = b._shape[1]!;
  if (k !== k2) throw shapesCannotBeMultiplied(n, k, k2, m);
  if (a.dtype === bool) throw notImplementedFor('addmm_impl_cpu_', bool);
  checkFloatPair(a, b, 'mm');
  const prod = product2d(a, b, n, k, m);
  const out = prod instanceof Float32Array && a.dtype === float32 ? prod : a.dtype.alloc(n * m);
  if (prod === null) smallProduct(a, b, n, k, m, out, null, 1, 1);
  else if (out !== prod) out.set(prod);
  const result = Tensor._make(out, [n, m], a.dtype);
  if (recording(a, b)) record(MmBackward0, [a, b], [result], [saveIf(b, a), saveIf(a, b)]);
  return result;
}

const MmBackward0 = derivative({
  name: 'MmBackward0',
  backward: ([g], [x, y]) => [y ? mm(g!, y.t()) : null, x ? mm(x.t(), g!) : null],
  explain: () => ['∂(A·B)/∂A: the gradient times Bᵀ (G·Bᵀ)', '∂(A·B)/∂B: Aᵀ times the gradient (Aᵀ·G)'],
});

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 3) throw new RuntimeError(`batch1 must be a 3D tensor`);
  if (b.dim() !== 3) throw new RuntimeError(`batch2 must be a 3D tensor`);
  const [s, n, k] = a.shape as [number, number, number];
  const [s2, k2, m] = b.shape as [number, number, number];
  if (s !== s2 || k !== k2) {
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${s}, ${k}] but got: [${s2}, ${k2}].`);
  }
  checkFloatPair(a, b, 'bmm');
  if (a.dtype === bool) throw notImplementedFor('bmm', bool);
  const out = a.dtype.alloc(s * n * m);
  bmmKernel(contiguousData(a), contiguousData(b), s, n, k, m, out);
  const result = Tensor._make(out, [s, n, m], a.dtype);
  if (recording(a, b)) record(BmmBackward0, [a, b], [result], [saveIf(b, a), saveIf(a, b)]);
  return result;
}

const BmmBackward0 = derivative({
  name: 'BmmBackward0',
  backward: ([g], [x, y]) => [y ? bmm(g!, y.transpose(1, 2)) : null, x ? bmm(x.transpose(1, 2), g!) : null],
  explain: () => ['∂(A·B)/∂A per batch item: the gradient times Bᵀ', '∂(A·B)/∂B per batch item: Aᵀ times the gradient'],
});

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 1 || b.dim() !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a.dim()}D and ${b.dim()}D tensors`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  if (a.dtype !== b.dtype) throw new RuntimeError(`dot : expected both vectors to have same dtype, but found ${a.dtype.scalarTypeName} and ${b.dtype.scalarTypeName}`);
  if (a.dtype === bool) throw notImplementedFor('dot', bool);
  const x = contiguousData(a);
  const y = contiguousData(b);
  let acc = 0;
  // PyTorch's float32 dot rounds each product and adds them in order in float32.
  if (a.dtype.name === 'float32') for (let i = 0; i < x.length; i++) acc = Math.fround(acc + Math.fround(x[i]! * y[i]!));
  else for (let i = 0; i < x.length; i++) acc += x[i]! * y[i]!;
  const out = a.dtype.alloc(1);
  out[0] = acc;
  const result = Tensor._make(out, [], a.dtype);
  if (recording(a, b)) record(DotBackward0, [a, b], [result], [saveIf(b, a), saveIf(a, b)]);
  return result;
}

const DotBackward0 = derivative({
  name: 'DotBackward0',
  backward: ([g], [x, y]) => [y ? y.mul(g!) : null, x ? x.mul(g!) : null],
  explain: () => ['∂(a·b)/∂aᵢ = bᵢ', '∂(a·b)/∂bᵢ = aᵢ'],
});

function mv(a: Tensor, v: Tensor): Tensor {
  const [n, k] = a.shape as [number, number];
  if (v.shape[0] !== k) {
    throw new RuntimeError(
      `size mismatch, got input (${n}), mat (${n}x${k}), vec (${v.shape[0]})`,
      `Autograd Lab: mv needs the vector's length to equal the matrix's columns (${k}); for a batch of vectors use matmul.`,
    );
  }
  if (a.dtype === bool) throw notImplementedFor('addmv_impl_cpu', bool);
  checkFloatPair(a, v, 'mv');
  const out = a.dtype.alloc(n);
  bmmKernel(contiguousData(a), contiguousData(v), 1, n, k, 1, out);
  const result = Tensor._make(out, [n], a.dtype);
  if (recording(a, v)) record(MvBackward0, [a, v], [result], [saveIf(v, a), saveIf(a, v)]);
  return result;
}

/** `torch.mv(matrix, vector)`, with PyTorch's checks of the operands' ranks. */
export function mvChecked(a: Tensor, v: Tensor): Tensor {
  if (a.dim() !== 2 || v.dim() !== 1) {
    throw new RuntimeError(`vector + matrix @ vector expected, got 1, ${a.dim()}, ${v.dim()}`);
  }
  return mv(a, v);
}

const MvBackward0 = derivative({
  name: 'MvBackward0',
  backward: ([g], [x, y]) => [y ? g!.unsqueeze(1).mul(y.unsqueeze(0)) : null, x ? mv(x.t(), g!) : null],
  explain: () => ['∂(A·v)/∂Aᵢⱼ = vⱼ: the gradient times vᵀ (an outer product)', '∂(A·v)/∂v: Aᵀ times the gradient'],
});

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

interface Scales {
  readonly beta: number;
  readonly alpha: number;
}
const UNSCALED: Scales = { beta: 1, alpha: 1 };

const AddmmBackward0 = derivative<Scales>({
  name: 'AddmmBackward0',
  backward: ([g], [a, b], { params: { beta, alpha } }) => [
    beta === 1 ? g! : g!.mul(beta),
    b ? (alpha === 1 ? mm(g!, b.t()) : mm(g!, b.t()).mul(alpha)) : null,
    a ? (alpha === 1 ? mm(a.t(), g!) : mm(a.t(), g!).mul(alpha)) : null,
  ],
  explain: ({ beta, alpha }) => {
    const f = `${times(beta, 'C')} + ${times(alpha, 'A·B')}`;
    return [`∂(${f})/∂C = ${num(beta)} (summed over the rows a bias was added to)`, `∂(${f})/∂A: ${times(alpha, 'G·Bᵀ')}`, `∂(${f})/∂B: ${times(alpha, 'Aᵀ·G')}`];
  },
});

/** `beta * input + alpha * (mat1 @ mat2)`: nn.Linear's 2-D forward (AddmmBackward0), bias added once per element. */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, options: { beta?: number; alpha?: number } = {}): Tensor {
  const beta = options.beta ?? 1;
  const alpha = options.alpha ?? 1;
  if (mat1.dim() !== 2 || mat2.dim() !== 2) throw new RuntimeError('addmm: mat1 and mat2 must be matrices');
  const n = mat1._shape[0]!;
  const k = mat1._shape[1]!;
  const k2 = mat2._shape[0]!;
  const m = mat2._shape[1]!;
  if (k !== k2) throw shapesCannotBeMultiplied(n, k, k2, m);
  checkFloatPair(mat1, mat2, 'addmm');
  // The bias broadcast to the product's shape (expand checks the shapes; nothing is recorded for it).
  // A bias of shape [m] or [n|1, m|1] is read in place through broadcast strides.
  const is = input._shape;
  const direct = (is.length === 1 && (is[0] === m || is[0] === 1)) || (is.length === 2 && (is[0] === n || is[0] === 1) && (is[1] === m || is[1] === 1));
  const expanded = direct ? input : no_grad(() => input.expand(n, m));
  const prod = product2d(mat1, mat2, n, k, m);
  const out = mat1.dtype.alloc(n * m);
  if (prod === null) smallProduct(mat1, mat2, n, k, m, out, expanded, beta, alpha);
  else {
    const bias = contiguousData(direct ? no_grad(() => input.expand(n, m)) : expanded);
    for (let i = 0; i < out.length; i++) out[i] = (beta === 1 ? bias[i]! : beta * bias[i]!) + (alpha === 1 ? prod[i]! : alpha * prod[i]!);
  }
  const result = Tensor._make(out, [n, m], mat1.dtype);
  record(AddmmBackward0, [input, mat1, mat2], [result], [saveIf(mat2, mat1), saveIf(mat1, mat2)], beta === 1 && alpha === 1 ? UNSCALED : { beta, alpha });
  return result;
}
