/**
 * The figure description: what Autograd Lab's Python `matplotlib` hands to the renderer (as
 * JSON) when a figure is saved or shown. Everything matplotlib decides from the learner's calls
 * is already resolved in it — view limits after autoscaling, colours as hex, marker outlines,
 * font sizes in points and the rcParams used for drawing — so the renderer only places ticks,
 * text and the legend and draws.
 */

/** Version of the description format; the renderer refuses others. */
export const DESCRIPTION_VERSION = 1;

export type LineStyle = '-' | '--' | '-.' | ':' | 'None';

/** A marker outline for a size of 1 point: [code, x, y] with y up (matplotlib's Path codes). */
export type MarkerPath = [number, number, number][];

export interface MarkerDescription {
  name: string;
  path: MarkerPath;
  filled: boolean;
}

export interface LineMarker extends MarkerDescription {
  /** Marker size in points. */
  size: number;
  edgewidth: number;
  facecolor: string;
  facealpha: number;
  edgecolor: string;
  edgealpha: number;
}

export interface LineStyleDescription {
  color: string;
  alpha: number;
  linewidth: number;
  linestyle: LineStyle;
  marker: LineMarker | null;
}

export interface LineDescription extends LineStyleDescription {
  kind: 'line';
  zorder: number;
  /** Data; null is a gap (NaN or infinite in Python). */
  x: (number | null)[];
  y: (number | null)[];
}

export interface ScatterDescription {
  kind: 'scatter';
  zorder: number;
  x: (number | null)[];
  y: (number | null)[];
  /** Marker areas in points², one or one per point. */
  sizes: number[];
  marker: MarkerDescription;
  /** One or one per point. */
  facecolors: string[];
  facealphas: number[];
  edgecolors: string[];
  edgealphas: number[];
  linewidths: number[];
}

export type ArtistDescription = LineDescription | ScatterDescription;

export interface TextDescription {
  text: string;
  fontsize: number;
  color: string;
  alpha: number;
}

export interface GridDescription {
  visible: boolean;
  color: string;
  alpha: number;
  linewidth: number;
  linestyle: LineStyle;
}

export type LegendEntry =
  | ({ label: string; kind: 'line' } & LineStyleDescription)
  | { label: string; kind: 'scatter'; marker: MarkerDescription; size: number; facecolor: string; facealpha: number; edgecolor: string; edgealpha: number; linewidth: number };

export interface LegendDescription {
  /** matplotlib's location code: 0 best, 1 upper right, 2 upper left, … 10 center. */
  loc: number;
  fontsize: number;
  frameon: boolean;
  framealpha: number;
  entries: LegendEntry[];
}

export interface AxesDescription {
  /** (left, bottom, width, height) in figure fractions, from the bottom-left corner. */
  position: [number, number, number, number];
  /** The grid cell of a subplot: (rows, columns, 1-based index); null for other Axes. */
  subplotspec: [number, number, number] | null;
  xlim: [number, number];
  ylim: [number, number];
  titles: Partial<Record<'left' | 'center' | 'right', TextDescription>>;
  titlepad: number;
  xlabel: TextDescription | null;
  ylabel: TextDescription | null;
  xlabelpad: number;
  ylabelpad: number;
  grid: { x: GridDescription; y: GridDescription };
  /** In drawing order (by zorder). */
  artists: ArtistDescription[];
  legend: LegendDescription | null;
}

/** The rcParams the renderer reads (as matplotlib's rcParams keys). */
export interface DrawingParams {
  'figure.facecolor': string;
  'font.size': number;
  'axes.facecolor': string;
  'axes.edgecolor': string;
  'axes.linewidth': number;
  'axes.formatter.limits': [number, number];
  'axes.formatter.offset_threshold': number;
  'axes.unicode_minus': boolean;
  'xtick.major.size': number;
  'xtick.major.width': number;
  'xtick.major.pad': number;
  'xtick.color': string;
  'xtick.labelsize': number;
  'ytick.major.size': number;
  'ytick.major.width': number;
  'ytick.major.pad': number;
  'ytick.color': string;
  'ytick.labelsize': number;
  'text.color': string;
  'lines.dashed_pattern': number[];
  'lines.dashdot_pattern': number[];
  'lines.dotted_pattern': number[];
  'lines.solid_capstyle': string;
  'lines.dash_capstyle': string;
  'lines.solid_joinstyle': string;
  'legend.edgecolor': string;
  'legend.fancybox': boolean;
  'legend.borderpad': number;
  'legend.labelspacing': number;
  'legend.handlelength': number;
  'legend.handleheight': number;
  'legend.handletextpad': number;
  'legend.borderaxespad': number;
  'patch.linewidth': number;
}

export interface FigureDescription {
  version: number;
  /** Width and height in inches. */
  size: [number, number];
  dpi: number;
  rc: DrawingParams;
  axes: AxesDescription[];
}

/** Parses a description, or throws an Error naming what is wrong with it. */
export function parseDescription(json: string): FigureDescription {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new Error(`the figure description is not JSON: ${(e as Error).message}`);
  }
  const d = value as Partial<FigureDescription> | null;
  if (d === null || typeof d !== 'object') throw new Error('the figure description is not an object');
  if (d.version !== DESCRIPTION_VERSION) throw new Error(`the figure description has version ${String(d.version)}; this renderer draws version ${DESCRIPTION_VERSION}`);
  const size = d.size;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => typeof v === 'number' && v > 0 && Number.isFinite(v))) {
    throw new Error(`the figure size must be two positive numbers of inches, not ${JSON.stringify(size)}`);
  }
  if (typeof d.dpi !== 'number' || !(d.dpi > 0) || !Number.isFinite(d.dpi)) throw new Error(`the figure dpi must be a positive number, not ${JSON.stringify(d.dpi)}`);
  if (!d.rc || typeof d.rc !== 'object') throw new Error('the figure description has no rc parameters');
  if (!Array.isArray(d.axes)) throw new Error('the figure description has no axes list');
  d.axes.forEach((ax, i) => {
    for (const key of ['xlim', 'ylim'] as const) {
      const lim = ax[key];
      if (!Array.isArray(lim) || lim.length !== 2 || !lim.every(Number.isFinite) || lim[0] === lim[1]) {
        throw new Error(`axes ${i}: ${key} must be two different finite numbers, not ${JSON.stringify(lim)}`);
      }
    }
    ax.artists.forEach((a, j) => {
      if (a.x.length !== a.y.length) throw new Error(`axes ${i}, artist ${j}: x has ${a.x.length} values and y ${a.y.length}`);
    });
  });
  return d as FigureDescription;
}
