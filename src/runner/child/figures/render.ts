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
import { layoutFigure, tightBounds } from './layout.js';
import { tightLayoutParams, type TightLayoutOptions, type TightLayoutResult } from './tight-layout.js';
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

export interface RenderOptions {
  format: FigureFormat;
  /** Dots per inch of a PNG; the figure's own by default. */
  dpi?: number;
  /** savefig(bbox_inches='tight', pad_inches=…): crop to what is drawn, plus this padding. */
  tightPadInches?: number;
}

/** The region of the figure that is output, in points: all of it, or the tight box and its padding. */
function outputRegion(figure: FigureDescription, layout: ReturnType<typeof layoutFigure>, options: RenderOptions): { x: number; y: number; width: number; height: number } {
  if (options.tightPadInches === undefined) return { x: 0, y: 0, width: figure.size[0] * 72, height: figure.size[1] * 72 };
  const pad = options.tightPadInches * 72;
  const [x0, y0, x1, y1] = tightBounds(layout);
  return { x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad };
}

/** The SVG of a figure's region, sized in points (as matplotlib's SVGs are) or in pixels for rasterizing. */
async function svgOf(figure: FigureDescription, libs: Libraries, options: RenderOptions, size: (region: { width: number; height: number }) => { width: string; height: string }) {
  const layout = layoutFigure(figure, libs.metrics);
  const region = outputRegion(figure, layout, options);
  const view = new libs.vega.View(libs.vega.parse(vegaSpec(figure, layout) as never), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const { width, height } = size(region);
    const viewBox = [region.x, region.y, region.width, region.height].map((v) => Math.round(v * 1000) / 1000).join(' ');
    return { svg: svg.replace(/<svg([^>]*?) width="[^"]*" height="[^"]*" viewBox="[^"]*"/, `<svg$1 width="${width}" height="${height}" viewBox="${viewBox}"`), region };
  } finally {
    view.finalize();
  }
}

/** Points without float noise (4.8 in is 345.6 pt, not 345.59999999999997). */
const rounded = (pt: number) => Math.round(pt * 1000) / 1000;

/** matplotlib's canvas truncates: a 6.4 × 4.8 in figure at 100 dpi is 640 × 480 pixels. */
const pixels = (pt: number, dpi: number) => Math.max(1, Math.trunc((pt / 72) * dpi + 1e-9));

/** Draws a figure as PNG (its size in inches × dpi pixels, as matplotlib's Agg canvas) or SVG. */
export async function renderFigure(figure: FigureDescription, options: RenderOptions): Promise<RenderedFigure> {
  const libs = await loadLibraries();
  if (options.format === 'svg') {
    const { svg, region } = await svgOf(figure, libs, options, (r) => ({ width: `${rounded(r.width)}pt`, height: `${rounded(r.height)}pt` }));
    return { format: 'svg', mime: FIGURE_MIME.svg, data: svg, width: rounded(region.width), height: rounded(region.height) };
  }
  const dpi = options.dpi ?? figure.dpi;
  const { svg, region } = await svgOf(figure, libs, options, (r) => ({ width: String(pixels(r.width, dpi)), height: String(pixels(r.height, dpi)) }));
  const resvg = new libs.resvg.Resvg(svg, {
    font: { fontBuffers: [libs.font], defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
    background: figure.rc['figure.facecolor'],
  });
  try {
    const image = resvg.render();
    const data = image.asPng();
    image.free();
    return { format: 'png', mime: FIGURE_MIME.png, data, width: pixels(region.width, dpi), height: pixels(region.height, dpi) };
  } finally {
    resvg.free();
  }
}

/** tight_layout()'s subplot parameters for a figure as it is laid out now (null: not a grid of subplots). */
export async function computeTightLayout(figure: FigureDescription, options: Omit<TightLayoutOptions, 'fontSize'>): Promise<TightLayoutResult | null> {
  const libs = await loadLibraries();
  return tightLayoutParams(figure, layoutFigure(figure, libs.metrics), { ...options, fontSize: figure.rc['font.size'] });
}
