// The slab allocator behind small tensor storage (src/engine/dtype.ts): every array it hands out
// is memory of its own, whatever was asked for before — including lengths that are not whole counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import torch from '../../src/engine/index.js';
import { allocFloat32, allocFloat64 } from '../../src/engine/dtype.js';

type Small = Float32Array | Float64Array;

/** Whether any two of the arrays share a byte of one buffer. */
function overlapping(arrays: readonly Small[]): [number, number] | null {
  for (let i = 0; i < arrays.length; i++) {
    for (let j = i + 1; j < arrays.length; j++) {
      const a = arrays[i]!;
      const b = arrays[j]!;
      if (a.buffer !== b.buffer) continue;
      if (a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength) return [i, j];
    }
  }
  return null;
}

/** Slab-sized arrays of both kinds, of every length from 17 to 128 elements, enough to fill several slabs. */
function manySmall(): Small[] {
  const out: Small[] = [];
  for (let round = 0; round < 6; round++) {
    for (let n = 17; n <= 128; n++) {
      out.push(allocFloat32(n));
      if (n * 8 <= 1024) out.push(allocFloat64(n));
    }
  }
  return out;
}

describe('slab allocator', () => {
  it('hands out zeroed arrays of the requested length, each in memory of its own', () => {
    const arrays = manySmall();
    for (const a of arrays) assert.ok(a.every((v) => v === 0));
    assert.equal(overlapping(arrays), null);
    arrays.forEach((a, i) => a.fill(i));
    arrays.forEach((a, i) => assert.ok(a.every((v) => v === i), `array ${i} was overwritten`));
  });

  it('aligns every float64 array to 8 bytes, after float32 arrays of odd lengths', () => {
    for (let n = 17; n < 60; n += 2) {
      allocFloat32(n);
      assert.equal(allocFloat64(9).byteOffset % 8, 0);
    }
  });

  /** What the typed-array constructor makes of a length: the array's length, or the error it throws. */
  function constructorOutcome(make: () => Small): number | string {
    try {
      return make().length;
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  }

  for (const odd of [Number.NaN, 20.5, 12.25, 100.75, -20, Number.POSITIVE_INFINITY]) {
    it(`treats a length of ${odd} as the typed-array constructor does and stays sound afterwards`, () => {
      assert.equal(constructorOutcome(() => allocFloat64(odd)), constructorOutcome(() => new Float64Array(odd)));
      assert.equal(constructorOutcome(() => allocFloat32(odd)), constructorOutcome(() => new Float32Array(odd)));
      const after = manySmall();
      assert.equal(overlapping(after), null);
      assert.ok(after.every((a) => a.byteOffset % 8 === 0));
    });
  }

  it('keeps torch.randperm working after a NaN length', () => {
    allocFloat64(Number.NaN);
    allocFloat32(Number.NaN);
    torch.manual_seed(0);
    const perm = torch.randperm(11).tolist() as number[];
    assert.deepEqual([...perm].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('replaces a slab that a transfer detached instead of carving from it', () => {
    const first = allocFloat32(20);
    const slab = first.buffer as ArrayBuffer;
    structuredClone(slab, { transfer: [slab] });
    const next = allocFloat32(20);
    assert.equal(next.length, 20);
    next.fill(1);
    assert.ok(next.every((v) => v === 1));
  });
});
