/**
 * The WebAssembly SIMD matrix kernels (matmul.wat, built into dist/engine/wasm/matmul.wasm by
 * `npm run build:wasm`): operand packing, the kernel call and unpacking. ops/linalg.ts picks a
 * kernel by size; when the module can't be loaded (not built, or no WebAssembly SIMD) it keeps
 * the TypeScript reference kernel, so results never depend on this file being present.
 */
import { readFileSync } from 'node:fs';

/** A 2-D float32 operand read through strides (a transposed view needs no copy first). */
export interface MatrixView {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * 'f64acc': products and sums in float64, each output rounded once by the caller — bit-identical
 * to the reference kernel. 'f32': products and sums rounded to float32 at every step, in order.
 */
export type KernelKind = 'f64acc' | 'f32';

type Kernel = (a: number, b: number, c: number, n4: number, k: number, strips: number) => void;

/** The part of the WebAssembly API used here (the project's `lib` has no WebAssembly typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface Loaded {
  memory: WasmMemory;
  f64acc: Kernel;
  f32: Kernel;
}

let loaded: Loaded | null | undefined;

/**
 * Where the compiled module may be, relative to the file this code runs from: beside it (dist/engine/wasm/,
 * or a bundled chunk the extension build copied it next to), in a wasm/ folder beside a bundled chunk,
 * in dist/engine/wasm/ seen from a bundle in a sibling folder of dist/engine (dist/runtime/), and in
 * dist/ seen from the sources (tests run src/ through tsx).
 */
const WASM_CANDIDATES = ['./matmul.wasm', './wasm/matmul.wasm', '../engine/wasm/matmul.wasm', '../../../dist/engine/wasm/matmul.wasm'];

/** The compiled module, from the first of WASM_CANDIDATES that exists. */
function load(): Loaded | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const wasm = WebAssemblyApi;
  if (wasm === undefined || process.env['AUTOGRAD_LAB_NO_WASM']) return null;
  for (const candidate of WASM_CANDIDATES) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(new URL(candidate, import.meta.url));
    } catch {
      continue;
    }
    try {
      if (!wasm.validate(bytes)) return null;
      const instance = new wasm.Instance(new wasm.Module(bytes), {});
      const exports = instance.exports;
      loaded = {
        memory: exports['memory'] as WasmMemory,
        f64acc: exports['mm_f64acc'] as Kernel,
        f32: exports['mm_f32'] as Kernel,
      };
    } catch {
      loaded = null;
    }
    return loaded;
  }
  return null;
}

/** Whether the WebAssembly kernels are in use (false: the TypeScript kernel does every product). */
export function wasmAvailable(): boolean {
  return load() !== null;
}

const align16 = (bytes: number) => (bytes + 15) & ~15;

/**
 * `A · B` for A n×k and B k×m. Returns the n×m product row-major: a Float64Array of unrounded
 * float64 sums ('f64acc') or a Float32Array ('f32'); null when the kernels are unavailable.
 */
export function wasmProduct(a: MatrixView, b: MatrixView, n: number, k: number, m: number, kind: KernelKind): Float64Array | Float32Array | null {
  const mod = load();
  if (mod === null) return null;
  const width = kind === 'f32' ? 8 : 4;
  const n4 = (n + 3) & ~3;
  const strips = Math.ceil(m / width);
  const cols = strips * width;
  const aBytes = align16(n4 * k * 4);
  const bBytes = align16(strips * k * width * 4);
  const cBytes = n4 * cols * (kind === 'f32' ? 4 : 8);
  const needed = aBytes + bBytes + cBytes;
  const memory = mod.memory;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
  const mem32 = new Float32Array(memory.buffer);
  const aAt = 0;
  const bAt = aBytes >> 2;
  const cAt = (aBytes + bBytes) >> 2;

  packRows(a, n, k, mem32, aAt);
  if (n4 > n) mem32.fill(0, aAt + n * k, aAt + n4 * k);
  packStrips(b, k, m, width, mem32, bAt);

  (kind === 'f32' ? mod.f32 : mod.f64acc)(0, aBytes, aBytes + bBytes, n4, k, strips);

  if (kind === 'f32') {
    const out = new Float32Array(n * m);
    for (let i = 0; i < n; i++) out.set(mem32.subarray(cAt + i * cols, cAt + i * cols + m), i * m);
    return out;
  }
  const mem64 = new Float64Array(memory.buffer);
  const c64 = cAt >> 1;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) out.set(mem64.subarray(c64 + i * cols, c64 + i * cols + m), i * m);
  return out;
}

/** A (n×k, any strides) → row-major at `at`. */
function packRows(a: MatrixView, n: number, k: number, mem: Float32Array, at: number): void {
  const { data, offset, rowStride, colStride } = a;
  if (colStride === 1) {
    if (rowStride === k) {
      mem.set(data.subarray(offset, offset + n * k), at);
      return;
    }
    for (let i = 0; i < n; i++) mem.set(data.subarray(offset + i * rowStride, offset + i * rowStride + k), at + i * k);
    return;
  }
  for (let i = 0; i < n; i++) {
    const dst = at + i * k;
    const src = offset + i * rowStride;
    for (let p = 0; p < k; p++) mem[dst + p] = data[src + p * colStride]!;
  }
}

/** B (k×m, any strides) → strips of `width` columns, each row after row, zero-padded, at `at`. */
function packStrips(b: MatrixView, k: number, m: number, width: number, mem: Float32Array, at: number): void {
  const { data, offset, rowStride, colStride } = b;
  const strips = Math.ceil(m / width);
  const shift = width === 8 ? 3 : 2;
  const mask = width - 1;
  if (m < strips * width) {
    // Zero the last strip's padding columns.
    const s = strips - 1;
    for (let p = 0; p < k; p++) mem.fill(0, at + (s * k + p) * width + (m - s * width), at + (s * k + p) * width + width);
  }
  if (colStride === 1) {
    // Row-major B: walk each row once, dealing its values out to the strips.
    for (let p = 0; p < k; p++) {
      const src = offset + p * rowStride;
      for (let j = 0; j < m; j++) mem[at + ((j >> shift) * k + p) * width + (j & mask)] = data[src + j]!;
    }
    return;
  }
  // Column-major (a transposed view): walk each column once.
  for (let j = 0; j < m; j++) {
    const src = offset + j * colStride;
    const dst = at + (j >> shift) * k * width + (j & mask);
    for (let p = 0; p < k; p++) mem[dst + p * width] = data[src + p * rowStride]!;
  }
}
