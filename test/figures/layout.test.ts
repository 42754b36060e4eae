// Where labels, titles, tick labels and legends go, against real matplotlib 3.6.3's window
// extents (test/figures/fixtures/layout.json, figures at 72 dpi so pixels are points).
// matplotlib measures hinted glyphs at whole pixels, so boxes may differ by a fraction of a point.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { AxesDescription, DrawingParams, FigureDescription, TextDescription } from '../../src/runner/child/figures/description.js';
import { parseFont } from '../../src/runner/child/figures/font.js';
import { layoutFigure, tightBounds, type PlacedText } from '../../src/runner/child/figures/layout.js';
import { tightLayoutParams } from '../../src/runner/child/figures/tight-layout.js';

type Bounds = [number, number, number, number];
interface Input {
  subplotspec: [number, number, number];
  position: [number, number, number, number];
  xlim: [number, number];
  ylim: [number, number];
  xlabel: string;
  ylabel: string;
  title: string;
  lines: [number[], number[]][];
  scatters: [number[], number[]][];
  legend: { loc: number; labels: string[]; kinds: ('line' | 'scatter')[] } | null;
}
interface AxesRecord {
  box: Bounds;
  xlabel?: Bounds;
  ylabel?: Bounds;
  title?: Bounds;
  xticklabels: Bounds[];
  yticklabels: Bounds[];
  legend?: Bounds;
  input: Input;
}
interface Case {
  name: string;
  size: [number, number];
  axes: AxesRecord[];
  tight: Bounds;
  tightLayout: Record<'left' | 'right' | 'bottom' | 'top' | 'wspace' | 'hspace', number>;
}

const TOLERANCE_PT = 1;
const fixture = JSON.parse(readFileSync('test/figures/fixtures/layout.json', 'utf8')) as { cases: Case[] };
const rc = JSON.parse(readFileSync('test/figures/fixtures/rc.json', 'utf8')) as DrawingParams & Record<string, number>;
const font = parseFont(readFileSync(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));

const text = (s: string, fontsize: number): TextDescription | null => (s ? { text: s, fontsize, color: '#000000', alpha: 1 } : null);
const lineStyle = { color: '#1f77b4', alpha: 1, linewidth: 1.5, linestyle: '-' as const, marker: null };
const marker = { name: 'o', path: [] as [number, number, number][], filled: true };

function axesOf(input: Input): AxesDescription {
  const grid = { visible: false, color: '#b0b0b0', alpha: 1, linewidth: 0.8, linestyle: '-' as const };
  return {
    position: input.position,
    subplotspec: input.subplotspec,
    xlim: input.xlim,
    ylim: input.ylim,
    titles: input.title ? { center: text(input.title, rc['axes.titlesize'])! } : {},
    titlepad: rc['axes.titlepad'],
    xlabel: text(input.xlabel, rc['axes.labelsize']),
    ylabel: text(input.ylabel, rc['axes.labelsize']),
    xlabelpad: rc['axes.labelpad'],
    ylabelpad: rc['axes.labelpad'],
    grid: { x: grid, y: grid },
    artists: [
      ...input.scatters.map(([x, y]) => ({ kind: 'scatter' as const, zorder: 1, x, y, sizes: [36], marker, facecolors: ['#1f77b4'], facealphas: [1], edgecolors: ['#1f77b4'], edgealphas: [1], linewidths: [1] })),
      ...input.lines.map(([x, y]) => ({ kind: 'line' as const, zorder: 2, x, y, ...lineStyle })),
    ],
    legend: input.legend && {
      loc: input.legend.loc,
      fontsize: rc['legend.fontsize'],
      frameon: true,
      framealpha: 0.8,
      entries: input.legend.labels.map((label, i) =>
        input.legend!.kinds[i] === 'line'
          ? { label, kind: 'line' as const, ...lineStyle }
          : { label, kind: 'scatter' as const, marker, size: 36, facecolor: '#1f77b4', facealpha: 1, edgecolor: '#1f77b4', edgealpha: 1, linewidth: 1 },
      ),
    },
  };
}

function assertNear(actual: Bounds, expected: Bounds, what: string): void {
  const off = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)));
  assert.ok(off <= TOLERANCE_PT, `${what}: ${JSON.stringify(actual.map((v) => +v.toFixed(2)))} vs matplotlib's ${JSON.stringify(expected)} (${off.toFixed(2)} pt off)`);
}

const bounds = (t: PlacedText | null | undefined): Bounds => t!.bounds;

describe('figure layout matches matplotlib within a point', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const figure: FigureDescription = { version: 1, size: [c.size[0] / 72, c.size[1] / 72], dpi: 72, rc, axes: c.axes.map((a) => axesOf(a.input)) };
      const layout = layoutFigure(figure, font);
      c.axes.forEach((expected, i) => {
        const got = layout.axes[i]!;
        assertNear([got.box.x, got.box.y, got.box.x + got.box.width, got.box.y + got.box.height], expected.box, `axes ${i} box`);
        assert.equal(got.xticks.length, expected.xticklabels.length, `axes ${i}: number of x tick labels`);
        assert.equal(got.yticks.length, expected.yticklabels.length, `axes ${i}: number of y tick labels`);
        got.xticks.forEach((t, j) => assertNear(t.label.bounds, expected.xticklabels[j]!, `axes ${i} x tick label ${t.label.text}`));
        got.yticks.forEach((t, j) => assertNear(t.label.bounds, expected.yticklabels[j]!, `axes ${i} y tick label ${t.label.text}`));
        if (expected.xlabel) assertNear(bounds(got.xlabel), expected.xlabel, `axes ${i} xlabel`);
        if (expected.ylabel) assertNear(bounds(got.ylabel), expected.ylabel, `axes ${i} ylabel`);
        if (expected.title) assertNear(bounds(got.titles[0]), expected.title, `axes ${i} title`);
        if (expected.legend) {
          const b = got.legend!.box;
          assertNear([b.x, b.y, b.x + b.width, b.y + b.height], expected.legend, `axes ${i} legend`);
        }
      });
      assertNear(tightBounds(layout), c.tight, 'the tight box (savefig bbox_inches="tight")');
    });
  }
});

describe('tight_layout() chooses matplotlib’s subplot parameters within 0.3 % of the figure (and the gaps within 0.015)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const figure: FigureDescription = { version: 1, size: [c.size[0] / 72, c.size[1] / 72], dpi: 72, rc, axes: c.axes.map((a) => axesOf(a.input)) };
      const result = tightLayoutParams(figure, layoutFigure(figure, font), { pad: 1.08, hPad: null, wPad: null, fontSize: 10 });
      assert.ok(result && 'params' in result, JSON.stringify(result));
      const { params } = result;
      const [rows, cols] = c.axes[0]!.input.subplotspec;
      for (const key of ['left', 'right', 'bottom', 'top'] as const) assert.ok(Math.abs(params[key] - c.tightLayout[key]) < 0.003, `${key}: ${params[key]} vs ${c.tightLayout[key]}`);
      // wspace and hspace are gaps divided by axes sizes, so a text box a point taller (matplotlib
      // rounds hinted glyphs up to whole pixels at 72 dpi) moves them by about 0.01.
      if (cols > 1) assert.ok(Math.abs(params.wspace! - c.tightLayout.wspace) < 0.015, `wspace: ${params.wspace} vs ${c.tightLayout.wspace}`);
      if (rows > 1) assert.ok(Math.abs(params.hspace! - c.tightLayout.hspace) < 0.015, `hspace: ${params.hspace} vs ${c.tightLayout.hspace}`);
    });
  }
});
