// The renderer on its own (no Python): a figure description drawn as SVG and PNG.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseDescription, type AxesDescription, type DrawingParams, type FigureDescription } from '../../src/runner/child/figures/description.js';
import { renderFigure } from '../../src/runner/child/figures/render.js';
import { countColour, readPng } from './png.js';

const rc = JSON.parse(readFileSync('test/figures/fixtures/rc.json', 'utf8')) as DrawingParams;
const hidden = { visible: false, color: '#b0b0b0', alpha: 1, linewidth: 0.8, linestyle: '-' as const };

function figure(axes: Partial<AxesDescription> = {}): FigureDescription {
  return {
    version: 1,
    size: [6.4, 4.8],
    dpi: 100,
    rc,
    axes: [{
      position: [0.125, 0.11, 0.775, 0.77],
      subplotspec: [1, 1, 1],
      xlim: [-0.1, 2.1],
      ylim: [0.9, 3.1],
      titles: {},
      titlepad: 6,
      xlabel: null,
      ylabel: null,
      xlabelpad: 4,
      ylabelpad: 4,
      grid: { x: hidden, y: hidden },
      artists: [{ kind: 'line', zorder: 2, x: [0, 1, 2], y: [1, 2, 3], color: '#1f77b4', alpha: 1, linewidth: 1.5, linestyle: '-', marker: null }],
      legend: null,
      ...axes,
    }],
  };
}

describe('the figure renderer', () => {
  it('draws a PNG of figure size × dpi pixels on a white background', async () => {
    const png = await renderFigure(figure(), { format: 'png', dpi: 100 });
    assert.equal(png.mime, 'image/png');
    const image = readPng(png.data as Uint8Array);
    assert.deepEqual([image.width, image.height], [640, 480]);
    assert.deepEqual([...image.pixels.subarray(0, 4)], [255, 255, 255, 255]);
    assert.ok(countColour(image, '#1f77b4') > 0);
  });

  it('draws grid lines only for the axes asked for, at the ticks', async () => {
    const without = (await renderFigure(figure(), { format: 'svg' })).data as string;
    const withX = (await renderFigure(figure({ grid: { x: { ...hidden, visible: true }, y: hidden } }), { format: 'svg' })).data as string;
    assert.equal((without.match(/stroke="#b0b0b0"/g) ?? []).length, 0);
    assert.equal((withX.match(/stroke="#b0b0b0"/g) ?? []).length, 9, 'x ticks 0, 0.25, …, 2');
  });

  it('draws a legend with its framed entries', async () => {
    const svg = (await renderFigure(
      figure({ legend: { loc: 0, fontsize: 10, frameon: true, framealpha: 0.8, entries: [{ label: 'model', kind: 'line', color: '#1f77b4', alpha: 1, linewidth: 1.5, linestyle: '-', marker: null }] } }),
      { format: 'svg' },
    )).data as string;
    assert.match(svg, />model<\/text>/);
    assert.match(svg, /stroke="#cccccc"/);
  });

  it('refuses a description of another version, naming it', () => {
    assert.throws(() => parseDescription(JSON.stringify({ ...figure(), version: 2 })), /has version 2; this renderer draws version 1/);
  });

  it('refuses limits that are equal, naming the axes', () => {
    assert.throws(() => parseDescription(JSON.stringify(figure({ xlim: [1, 1] }))), /axes 0: xlim must be two different finite numbers/);
  });
});
