// Tensor printing and Python number printing, checked against PyTorch 1.13 and CPython.
// The expected strings come from test/fixtures/format.json, written by
// test/parity/format_fixtures.py; each test covers one behaviour over that group's cases.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { formatTensor, getPrintOptions, setPrintOptions, type FormatDType, type PrintOptions } from '../src/engine/format.js';
import { pyFormat, pyRepr } from '../src/engine/pyformat.js';

type Encoded = number | 'nan' | 'inf' | '-inf';
type Profile = 'default' | 'short' | 'full';

interface TensorCase {
  group: string;
  name: string;
  dtype: FormatDType;
  shape: number[];
  suffixes: string[];
  values?: Encoded[];
  pattern?: { count: number; mul: number; mod: number; offset: number; div: number };
  options?: Partial<PrintOptions> & { profile?: Profile };
  expected: string;
}
interface ReprCase {
  group: string;
  value: Encoded;
  expected: string;
}
interface FormatCase {
  group: string;
  fmt: string;
  args: (Encoded | string | boolean | { float: Encoded })[];
  expected: string;
}
interface Fixture {
  tensor_cases: TensorCase[];
  repr_cases: ReprCase[];
  format_cases: FormatCase[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/format.json', import.meta.url), 'utf8')) as Fixture;

function decode(v: Encoded): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

/** The stored values as the engine holds them: float32 rounded, bools as 0/1. */
function valuesOf(c: TensorCase): number[] {
  let raw: number[];
  if (c.pattern) {
    const { count, mul, mod, offset, div } = c.pattern;
    raw = Array.from({ length: count }, (_, i) => (((i * mul) % mod) + offset) / div);
  } else {
    raw = (c.values ?? []).map(decode);
  }
  if (c.dtype === 'float32') return raw.map(Math.fround);
  if (c.dtype === 'bool') return raw.map((v) => (v ? 1 : 0));
  return raw;
}

function groupOf<T extends { group: string }>(cases: readonly T[], group: string): T[] {
  const found = cases.filter((c) => c.group === group);
  assert.ok(found.length > 0, `the fixture has no cases for "${group}"`);
  return found;
}

const checkedGroups = new Set<string>();

function checkTensorGroup(group: string): void {
  checkedGroups.add(group);
  for (const c of groupOf(fixture.tensor_cases, group)) {
    setPrintOptions({ profile: 'default', ...c.options });
    const actual = formatTensor(valuesOf(c), c.shape, c.dtype, c.suffixes);
    assert.equal(actual, c.expected, `${group}: ${c.name}`);
  }
}

describe('formatTensor prints like PyTorch 1.13', () => {
  afterEach(() => setPrintOptions({ profile: 'default' }));

  test('the examples from the book', () => checkTensorGroup('the examples from the book'));
  test('integer-valued floats print with a trailing dot', () =>
    checkTensorGroup('integer-valued floats print with a trailing dot'));
  test('fixed point uses precision decimals', () => checkTensorGroup('fixed point uses precision decimals'));
  test('scientific notation above a 1000x range, above 1e8 or below 1e-4', () => checkTensorGroup('scientific notation'));
  test('zeros, nan and infinities are left out of the style choice', () =>
    checkTensorGroup('zeros, nan and infinities'));
  test('negative zero keeps its sign', () => checkTensorGroup('negative zero keeps its sign'));
  test('exact ties round half to even, as Python formats doubles', () =>
    checkTensorGroup('exact ties round half to even'));
  test('int64 tensors print plain integers', () => checkTensorGroup('int64 tensors'));
  test('bool tensors print True and False', () => checkTensorGroup('bool tensors'));
  test('float64 tensors show dtype=torch.float64 before autograd suffixes', () =>
    checkTensorGroup('float64 shows its dtype'));
  test('empty tensors show size (unless 1-d) and any non-default dtype', () => checkTensorGroup('empty tensors'));
  test('nested dimensions indent and separate with dim-1 newlines', () =>
    checkTensorGroup('nested brackets and indentation'));
  test('lines wrap at the line width', () => checkTensorGroup('lines wrap at the line width'));
  test('large tensors are summarized with ellipsis', () => checkTensorGroup('summarization with ellipsis'));
  test('suffixes move to a new line when they would overflow', () =>
    checkTensorGroup('suffixes move to a new line when they would overflow'));
  test('print options change precision, style, width and profiles', () => checkTensorGroup('print options'));
  test('random values over many magnitudes', () => checkTensorGroup('random values over many magnitudes'));

  test('every fixture group is checked by a test above', () => {
    const groups = [...new Set(fixture.tensor_cases.map((c) => c.group))];
    assert.deepEqual(groups.filter((g) => !checkedGroups.has(g)), []);
  });
});

describe('print options behave like torch.set_printoptions', () => {
  afterEach(() => setPrintOptions({ profile: 'default' }));

  test('defaults are precision 4, threshold 1000, edgeitems 3, linewidth 80, automatic sci_mode', () => {
    assert.deepEqual(getPrintOptions(), { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sci_mode: null });
  });

  test('a partial update keeps the other options', () => {
    setPrintOptions({ precision: 2 });
    setPrintOptions({ linewidth: 100 });
    assert.equal(getPrintOptions().precision, 2);
    assert.equal(getPrintOptions().linewidth, 100);
  });

  test('sci_mode resets to automatic whenever it is not passed', () => {
    setPrintOptions({ sci_mode: true });
    assert.equal(getPrintOptions().sci_mode, true);
    setPrintOptions({ precision: 3 });
    assert.equal(getPrintOptions().sci_mode, null);
  });

  test('the short profile uses precision 2 and 2 edge items', () => {
    setPrintOptions({ profile: 'short' });
    assert.deepEqual(getPrintOptions(), { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80, sci_mode: null });
  });

  test('the full profile never summarizes', () => {
    setPrintOptions({ profile: 'full' });
    assert.equal(getPrintOptions().threshold, Infinity);
  });

  test('getPrintOptions returns a copy', () => {
    getPrintOptions().precision = 9;
    assert.equal(getPrintOptions().precision, 4);
  });
});

describe('pyRepr prints floats like Python repr', () => {
  for (const group of new Set(fixture.repr_cases.map((c) => c.group))) {
    test(group, () => {
      for (const c of groupOf(fixture.repr_cases, group)) {
        assert.equal(pyRepr(decode(c.value)), c.expected, `repr(${c.expected})`);
      }
    });
  }
});

describe('pyFormat works like the % operator', () => {
  const decodeArg = (a: FormatCase['args'][number]): unknown =>
    typeof a === 'object' ? decode(a.float) : a;

  for (const group of new Set(fixture.format_cases.map((c) => c.group))) {
    test(group, () => {
      for (const c of groupOf(fixture.format_cases, group)) {
        assert.equal(pyFormat(c.fmt, ...c.args.map(decodeArg)), c.expected, `${c.fmt} % ${JSON.stringify(c.args)}`);
      }
    });
  }

  test('%s prints an integral JS number as a Python int', () => {
    assert.equal(pyFormat('epoch %s', 3), 'epoch 3');
  });

  test('too few arguments is an error', () => {
    assert.throws(() => pyFormat('%d %d', 1), /not enough arguments/);
  });

  test('too many arguments is an error', () => {
    assert.throws(() => pyFormat('%d', 1, 2), /not all arguments converted/);
  });

  test('%d of nan is an error', () => {
    assert.throws(() => pyFormat('%d', NaN), /NaN/);
  });
});
