// How a number is written for a learner: one rule everywhere, checked against Python itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatExact, formatValue } from '../../src/protocol/number-format.js';

const fixture = JSON.parse(readFileSync(new URL('./number-format.json', import.meta.url), 'utf8')) as { rows: [string, string][] };

/** A Python float repr as the number it stands for. */
function fromRepr(text: string): number {
  return text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
}

test('formatValue prints what Python prints: whole numbers whole, others as %.7g, nan/inf/-inf', () => {
  for (const [repr, expected] of fixture.rows) assert.equal(formatValue(fromRepr(repr)), expected, repr);
});

test('formatValue rounds an exact tie at the 7th digit to even, as printf does', () => {
  assert.equal(formatValue(1234568.5), '1234568');
  assert.equal(formatValue(1234567.5), '1234568');
  assert.equal(formatValue(2 ** -11), '0.0004882812');
});

test('formatExact keeps every digit, so a CSV reads back the same numbers', () => {
  for (const v of [2.927647113800049, 0.1, 1e-7, -1.5e21, Math.fround(0.1), 5000]) assert.equal(Number(formatExact(v)), v);
  assert.deepEqual([NaN, Infinity, -Infinity].map(formatExact), ['nan', 'inf', '-inf']);
});
