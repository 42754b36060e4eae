// Tick locations, labels and offset texts against real matplotlib 3.6.3 (test/figures/fixtures/
// ticks.json, written by src/runner/child/python/gen_matplotlib_facts.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { axisTicks, type FormatterParams } from '../../src/runner/child/figures/ticks.js';

interface AxisRecord {
  view: [number, number];
  lengthPt: number;
  located: number[];
  ticks: number[];
  labels: string[];
  offset: string;
}
interface Case {
  figsize: [number, number];
  data?: unknown;
  limits?: [number, number];
  grid?: [number, number];
  x: AxisRecord;
  y: AxisRecord;
}

const fixture = JSON.parse(readFileSync('test/figures/fixtures/ticks.json', 'utf8')) as { cases: Case[] };
const params: FormatterParams = { powerLimits: [-5, 6], offsetThreshold: 4, unicodeMinus: true };

function title(c: Case, axis: 'x' | 'y'): string {
  const what = c.limits ? `limits ${JSON.stringify(c.limits)}` : `data ${JSON.stringify(c.data)}`;
  return `${axis} axis, ${what}, figsize ${c.figsize.join('×')}${c.grid ? `, ${c.grid.join('×')} grid` : ''}`;
}

/** Same numbers up to the last bits (matplotlib's are float64 too, but printed through JSON). */
function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) <= 1e-12 * Math.max(1, Math.abs(expected[i]!)), `${what}: ${a} vs ${expected[i]}`));
}

describe('major ticks are where matplotlib puts them, labelled as matplotlib labels them', () => {
  for (const c of fixture.cases) {
    for (const axis of ['x', 'y'] as const) {
      const record = c[axis];
      it(title(c, axis), () => {
        const got = axisTicks({ view: record.view, lengthPt: record.lengthPt, labelSize: 10, direction: axis }, params);
        assertClose(got.located, record.located, 'located ticks');
        assertClose(got.ticks, record.ticks, 'drawn ticks');
        assert.deepEqual(got.labels, record.labels);
        assert.equal(got.offset, record.offset);
      });
    }
  }
});
