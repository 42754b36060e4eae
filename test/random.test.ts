// The random number generator, checked against PyTorch 1.13's CPU generator bit for bit.
// Expected values come from test/fixtures/random.json, written by test/parity/random_fixtures.py:
// sequences of calls on one seeded generator, so state carries from call to call as in a script.
// float32 values are compared after Math.fround, float64 and int64 values exactly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { Generator, defaultGenerator } from '../src/engine/random.js';

type FloatDType = 'float32' | 'float64';
interface CallStep {
  op: 'rand' | 'uniform' | 'randn' | 'normal' | 'randint' | 'randperm' | 'bernoulli';
  dtype: FloatDType | 'int64';
  n: number;
  low?: number;
  high?: number;
  mean?: number;
  std?: number;
  p?: number;
  contiguous?: boolean;
  expected: number[];
  /** Elements where correctly rounded log/sin/cos give a different value than glibc's: index -> value. */
  libm?: Record<string, number>;
}
interface StateStep {
  op: 'state';
  expected: string;
}
type Step = CallStep | StateStep;
interface Sequence {
  group: string;
  name: string;
  seed: number | string;
  initial_seed: string;
  steps: Step[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/random.json', import.meta.url), 'utf8')) as {
  sequences: Sequence[];
};

function seedOf(s: Sequence): number | bigint {
  return typeof s.seed === 'string' ? BigInt(s.seed) : s.seed;
}

function group(name: string): Sequence[] {
  const found = fixture.sequences.filter((s) => s.group === name);
  assert.ok(found.length > 0, `no fixture sequences in group ${name}`);
  return found;
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

/** Runs one fixture call on `g` and returns what the engine produced. */
function run(g: Generator, step: CallStep): Float32Array | Float64Array {
  if (step.op === 'randperm') return g.randperm(step.n);
  const out = step.dtype === 'float32' ? new Float32Array(step.n) : new Float64Array(step.n);
  switch (step.op) {
    case 'rand':
      g.fillUniform(out, 0, 1, step.dtype as FloatDType);
      break;
    case 'uniform':
      g.fillUniform(out, step.low!, step.high!, step.dtype as FloatDType);
      break;
    case 'randn':
      g.fillNormal(out, 0, 1, step.dtype as FloatDType);
      break;
    case 'normal':
      g.fillNormal(out, step.mean!, step.std!, step.dtype as FloatDType, step.contiguous ?? true);
      break;
    case 'randint':
      g.fillRandint(out, step.low!, step.high!, step.dtype);
      break;
    case 'bernoulli':
      g.fillBernoulli(out, step.p!);
      break;
  }
  return out;
}

/** PyTorch's values as the engine stores them, with the correctly rounded libm values in place. */
function expectedOf(step: CallStep): number[] {
  const values = step.expected.map((v) => (step.dtype === 'float32' ? Math.fround(v) : v));
  for (const [index, value] of Object.entries(step.libm ?? {})) {
    values[Number(index)] = step.dtype === 'float32' ? Math.fround(value) : value;
  }
  return values;
}

function describeStep(s: Sequence, index: number, step: CallStep): string {
  const params = ['low', 'high', 'mean', 'std', 'p', 'contiguous']
    .filter((k) => k in step)
    .map((k) => `${k}=${String(step[k as keyof CallStep])}`);
  return `${s.name}, step ${index}: ${step.op}(${step.n}, ${step.dtype}${params.length ? ', ' + params.join(', ') : ''})`;
}

function assertSameValues(actual: ArrayLike<number>, expected: number[], where: string): void {
  assert.equal(actual.length, expected.length, `${where}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(`${where}: element ${i} is ${actual[i]}, PyTorch gives ${expected[i]}`);
    }
  }
}

/**
 * Replays every sequence of `groupName` from its seed, checking the call steps `select` picks
 * (all of them by default) and, with checkStates, the state snapshots. Returns how many steps
 * were checked, so a selection that matches nothing fails loudly.
 */
function replay(
  groupName: string,
  select: (step: CallStep) => boolean = () => true,
  checkStates = false,
): number {
  let checked = 0;
  for (const s of group(groupName)) {
    const g = new Generator().manual_seed(seedOf(s));
    s.steps.forEach((step, index) => {
      if (step.op === 'state') {
        if (checkStates) {
          assert.deepEqual(g.get_state(), fromBase64(step.expected), `${s.name}, step ${index}: get_state bytes`);
          checked++;
        }
        return;
      }
      const actual = run(g, step);
      if (select(step)) {
        assertSameValues(actual, expectedOf(step), describeStep(s, index, step));
        checked++;
      }
    });
  }
  assert.ok(checked > 0, `nothing selected in group ${groupName}`);
  return checked;
}

describe('the same numbers as PyTorch 1.13 CPU for the same seed', () => {
  test('manual_seed(0) gives the familiar first values of rand, randn and randperm', () => {
    const g = new Generator();
    const rand = new Float32Array(3);
    g.manual_seed(0).fillUniform(rand, 0, 1, 'float32');
    assert.deepEqual(Array.from(rand), [0.49625658988952637, 0.7682217955589294, 0.08847743272781372]);
    const randn = new Float32Array(3);
    g.manual_seed(0).fillNormal(randn, 0, 1, 'float32');
    assert.deepEqual(Array.from(randn), [1.5409960746765137, -0.293428897857666, -2.1787893772125244]);
    assert.deepEqual(Array.from(g.manual_seed(0).randperm(11)), [10, 0, 4, 3, 5, 8, 2, 1, 9, 7, 6]);
  });

  test('rand takes 24 bits of one 32-bit word for float32 and 53 bits of a 64-bit draw for float64', () => {
    replay('rand');
  });

  test('uniform_(low, high) computes u * (high - low) + low as one fused multiply-add in the dtype', () => {
    replay('uniform');
  });

  test('randn below 16 elements is scalar Box-Muller in double, its second value cached for the next call', () => {
    replay('randn-sizes', (step) => step.n < 16);
  });

  test('randn float32 from 16 elements follows the AVX2 kernel, 16 at a time with the ragged tail redrawn', () => {
    replay('randn-sizes', (step) => step.n >= 16 && step.dtype === 'float32');
    replay('randn-1000', (step) => step.dtype === 'float32');
  });

  test('randn float64 from 16 elements transforms 16 uniforms at a time with the ragged tail redrawn', () => {
    replay('randn-sizes', (step) => step.n >= 16 && step.dtype === 'float64');
    replay('randn-1000', (step) => step.dtype === 'float64');
  });

  test('normal_(mean, std) scales each standard normal with a fused multiply-add, on both paths', () => {
    replay('normal', (step) => step.contiguous !== false);
  });

  test('normal_ on a non-contiguous tensor takes the scalar path whatever its size', () => {
    replay('normal', (step) => step.contiguous === false);
  });

  test('randint below a range of 2^32 reduces one 32-bit word modulo the range', () => {
    replay('randint', (step) => step.dtype === 'int64' && step.high! - step.low! < 2 ** 32);
  });

  test('randint over a range of 2^32 or more reduces a 64-bit draw modulo the range', () => {
    replay('randint', (step) => step.dtype === 'int64' && step.high! - step.low! >= 2 ** 32);
  });

  test('randint into float32 or float64 draws as int64 does and rounds to the dtype', () => {
    replay('randint', (step) => step.dtype !== 'int64');
  });

  test('randperm shuffles from the front, swapping i with i + word % (n - i)', () => {
    replay('randperm');
  });

  test('bernoulli_(p) gives 1 where a 53-bit uniform is below p', () => {
    replay('bernoulli');
  });

  test('calls interleaved on one generator carry its state and its cached normal', () => {
    replay('interleaved');
  });

  test('seeds outside 0..2^32 seed the twister with their low 32 bits', () => {
    replay('seeds');
  });

  test('initial_seed returns the seed as PyTorch stores it, a uint64', () => {
    for (const s of group('seeds')) {
      const g = new Generator().manual_seed(seedOf(s));
      assert.equal(g.initial_seed(), Number(BigInt(s.initial_seed)), s.name);
    }
  });

  test('get_state returns the bytes torch.get_rng_state() returns', () => {
    replay('state', () => false, true);
    replay('interleaved', () => false, true);
  });

  test('set_state accepts a state saved by PyTorch and continues its sequence', () => {
    let continued = 0;
    for (const s of [...group('state'), ...group('interleaved')]) {
      s.steps.forEach((step, index) => {
        if (step.op !== 'state') return;
        const g = new Generator().set_state(fromBase64(step.expected));
        for (const [later, next] of s.steps.entries()) {
          if (later <= index || next.op === 'state') continue;
          assertSameValues(run(g, next), expectedOf(next), `after set_state: ${describeStep(s, later, next)}`);
          continued++;
        }
      });
    }
    assert.ok(continued > 0);
  });

  test("float64 Box-Muller rounds log, sin and cos correctly, which differs from glibc's in rare last bits", () => {
    let fixes = 0;
    let values = 0;
    for (const s of fixture.sequences) {
      for (const step of s.steps) {
        if (step.op === 'state' || (step.op !== 'randn' && step.op !== 'normal')) continue;
        values += step.n;
        for (const [index, value] of Object.entries(step.libm ?? {})) {
          fixes++;
          const torchValue = step.expected[Number(index)]!;
          // One last-bit difference in log/sin/cos moves the result by an ulp or two at most.
          const ulp = step.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
          assert.ok(Math.abs(value - torchValue) <= 4 * ulp * Math.max(Math.abs(torchValue), 2 ** -10), `${s.name}: ${value} vs ${torchValue}`);
        }
      }
    }
    assert.ok(fixes < values / 200, `${fixes} libm differences in ${values} normals`);
  });
});

describe('Generator', () => {
  test('a new Generator is seeded with PyTorch default seed 67280421310721', () => {
    const fresh = new Generator();
    assert.equal(fresh.initial_seed(), 67280421310721);
    assert.deepEqual(fresh.get_state(), new Generator().manual_seed(67280421310721).get_state());
    assert.ok(defaultGenerator instanceof Generator);
  });

  test('manual_seed with the same seed repeats every draw and returns the generator', () => {
    const draws = (g: Generator) => {
      const u = new Float64Array(5);
      const z = new Float32Array(20);
      const k = new Float64Array(5);
      g.fillUniform(u, 0, 1, 'float64');
      g.fillNormal(z, 0, 1, 'float32');
      g.fillRandint(k, 0, 100, 'int64');
      return [...u, ...z, ...k, ...g.randperm(10)];
    };
    const g = new Generator();
    assert.equal(g.manual_seed(7), g);
    const first = draws(g);
    assert.deepEqual(draws(g.manual_seed(7)), first);
    assert.deepEqual(draws(new Generator(7)), first);
    assert.notDeepEqual(draws(g.manual_seed(8)), first);
  });

  test('manual_seed drops the cached normal', () => {
    const g = new Generator(3);
    const one = new Float64Array(1);
    g.fillNormal(one, 0, 1, 'float64');
    const firstDraw = one[0];
    g.manual_seed(3).fillNormal(one, 0, 1, 'float64');
    assert.equal(one[0], firstDraw);
  });

  test('manual_seed takes bigints, negative seeds modulo 2^64, and truncates fractions like int()', () => {
    assert.deepEqual(new Generator().manual_seed(-1n).get_state(), new Generator().manual_seed(2n ** 64n - 1n).get_state());
    assert.equal(new Generator().manual_seed(1.7).initial_seed(), 1);
    assert.throws(() => new Generator().manual_seed(2n ** 64n), /Overflow when unpacking long/);
    assert.throws(() => new Generator().manual_seed(-(2n ** 63n) - 1n), /Overflow when unpacking long/);
  });

  test('get_state then set_state restores the draws that follow, including a cached normal', () => {
    const g = new Generator(11);
    const warmup = new Float64Array(3); // odd count: leaves a cached normal behind
    g.fillNormal(warmup, 0, 1, 'float64');
    const saved = g.get_state();
    const take = () => {
      const z = new Float64Array(5);
      const u = new Float32Array(4);
      g.fillNormal(z, 0, 1, 'float64');
      g.fillUniform(u, 0, 1, 'float32');
      return [...z, ...u];
    };
    const first = take();
    g.set_state(saved);
    assert.deepEqual(take(), first);
    assert.deepEqual(new Generator().set_state(saved).get_state(), saved);
  });

  test('get_state returns a snapshot that later draws do not change', () => {
    const g = new Generator(5);
    const saved = g.get_state();
    const copy = saved.slice();
    g.randperm(50);
    assert.deepEqual(saved, copy);
  });

  test('set_state rejects a state of the wrong size or with an impossible position', () => {
    const g = new Generator();
    assert.throws(() => g.set_state(new Uint8Array(100)), /CPUGeneratorImplState of size 5056/);
    const broken = g.get_state();
    broken[8] = 0; // left = 0
    assert.throws(() => g.set_state(broken), /RNG state is invalid/);
  });

  test('seed() reseeds non-deterministically and returns a seed that reproduces the draws', () => {
    const g = new Generator();
    const seed = g.seed();
    assert.ok(Number.isSafeInteger(seed) && seed >= 0);
    assert.equal(g.initial_seed(), seed);
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    g.fillUniform(a, 0, 1, 'float64');
    new Generator(seed).fillUniform(b, 0, 1, 'float64');
    assert.deepEqual(a, b);
  });

  test('invalid arguments raise the RuntimeError PyTorch raises', () => {
    const g = new Generator();
    const out = new Float32Array(2);
    const runtime = (pattern: RegExp) => (e: unknown) => e instanceof Error && e.name === 'RuntimeError' && pattern.test(e.message);
    assert.throws(() => g.fillUniform(out, 2, 1, 'float32'), runtime(/uniform_ expects to return a \[from, to\) range, but found from=2 > to=1/));
    assert.throws(() => g.fillNormal(out, 0, -1, 'float32'), runtime(/normal expects std >= 0.0, but found std -1/));
    assert.throws(() => g.fillRandint(out, 3, 3, 'int64'), runtime(/random_ expects 'from' to be less than 'to', but got from=3 >= to=3/));
    assert.throws(() => g.fillBernoulli(out, 1.5), runtime(/bernoulli_ expects p to be in \[0, 1\], but got p=1.5/));
    assert.throws(() => g.randperm(-1), runtime(/negative dimension -1/));
  });
});
