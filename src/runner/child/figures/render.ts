/**
 * Draws a figure description: layout (./layout.ts) → Vega spec (./vega-spec.ts) → SVG with Vega's
 * headless SVG renderer → PNG with resvg (WebAssembly) and the bundled DejaVu Sans, matplotlib's
 * default font. The libraries load on the first figure only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FigureDescription } from './description.js';
import { parseFont, type FontMetrics } from './font.js';
import { layoutFigure } from './layout.js';
import { vegaSpec } from './vega-spec.js';

export type FigureFormat = 'png' | 'svg';

/** The MIME type of each output format (for notebooks and the panel). */
export const FIGURE_MIME: Record<FigureFormat, string> = { png: 'image/png', svg: 'image/svg+xml' };

export interface RenderedFigure {
  format: FigureFormat;
  mime: string;
  /** PNG bytes, or the SVG text. */
  data: Uint8Array | string;
  /** Pixel size of a PNG (figure size × dpi); points for an SVG. */
  width: number;
  height: number;
}

interface Libraries {
  vega: typeof import('vega');
  resvg: typeof import('@resvg/resvg-wasm');
  font: Uint8Array;
  metrics: FontMetrics;
}

/** Where a runtime file is: beside this module in the extension bundle, else in its npm package. */
function runtimeFile(bundledName: string, packagePath: string): string {
  const beside = fileURLToPath(new URL(`./${bundledName}`, import.meta.url));
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(packagePath);
}

export const RESVG_WASM = { bundled: 'resvg.wasm', package: '@resvg/resvg-wasm/index_bg.wasm' };
export const FIGURE_FONT = { bundled: 'DejaVuSans.ttf', package: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf' };

let loading: Promise<Libraries> | null = null;
/** Milliseconds the libraries took to load (for measuring the first figure's cost). */
export let librariesLoadMs = 0;

export function loadLibraries(): Promise<Libraries> {
  loading ??= (async () => {
    const started = performance.now();
    const [vega, resvg] = await Promise.all([import('vega'), import('@resvg/resvg-wasm')]);
    const font = new Uint8Array(readFileSync(runtimeFile(FIGURE_FONT.bundled, FIGURE_FONT.package)));
    await resvg.initWasm(readFileSync(runtimeFile(RESVG_WASM.bundled, RESVG_WASM.package)));
    const libraries = { vega, resvg, font, metrics: parseFont(font) };
    librariesLoadMs = performance.now() - started;
    return libraries;
  })();
  return loading;
}

/** The SVG of a figure, sized in points (as matplotlib's SVGs are) or in pixels for rasterizing. */
async function svgOf(figure: FigureDescription, libs: Libraries, size: { width: string; height: string }): Promise<string> {
  const layout = layoutFigure(figure, libs.metrics);
  const view = new libs.vega.View(libs.vega.parse(vegaSpec(figure, layout) as never), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.replace(/<svg([^>]*?) width="[^"]*" height="[^"]*"/, `<svg$1 width="${size.width}" height="${size.height}"`);
  } finally {
    view.finalize();
  }
}

/** Inches in points, without float noise (4.8 in is 345.6 pt, not 345.59999999999997). */
const points = (inches: number) => Math.round(inches * 72 * 1000) / 1000;

/** Draws a figure as PNG (figure size × dpi pixels, as matplotlib's Agg canvas) or SVG. */
export async function renderFigure(figure: FigureDescription, options: { format: FigureFormat; dpi?: number }): Promise<RenderedFigure> {
  const libs = await loadLibraries();
  const [wIn, hIn] = figure.size;
  if (options.format === 'svg') {
    const data = await svgOf(figure, libs, { width: `${points(wIn)}pt`, height: `${points(hIn)}pt` });
    return { format: 'svg', mime: FIGURE_MIME.svg, data, width: wIn * 72, height: hIn * 72 };
  }
  const dpi = options.dpi ?? figure.dpi;
  // matplotlib's canvas truncates: a 6.4 × 4.8 in figure at 100 dpi is 640 × 480 pixels
  const width = Math.max(1, Math.trunc(wIn * dpi + 1e-9));
  const height = Math.max(1, Math.trunc(hIn * dpi + 1e-9));
  const svg = await svgOf(figure, libs, { width: String(width), height: String(height) });
  const resvg = new libs.resvg.Resvg(svg, { font: { fontBuffers: [libs.font], defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }, fitTo: { mode: 'original' } });
  try {
    const image = resvg.render();
    const data = image.asPng();
    image.free();
    return { format: 'png', mime: FIGURE_MIME.png, data, width, height };
  } finally {
    resvg.free();
  }
}
