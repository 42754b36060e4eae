/**
 * The one trend rule, shared by the gutter, the status bar and the panel: whether a series' last
 * value went down, up or stayed, compared with the value just before it (the previous epoch, not
 * a decimated point further back, so all three agree on the same loss). Words say it where an
 * arrow alone would be cryptic.
 */

export type Trend = 'down' | 'up' | 'flat';

/** The trend from `previous` to `last`; null when there is no previous value or either is not finite. */
export function trendOf(previous: number | null | undefined, last: number): Trend | null {
  if (previous === null || previous === undefined || !Number.isFinite(previous) || !Number.isFinite(last)) return null;
  return last < previous ? 'down' : last > previous ? 'up' : 'flat';
}

/** The mark each view shows next to the value: an arrow, or a word where an arrow would mislead. */
export const TREND_MARK: Record<Trend, string> = { down: '▼', up: '▲', flat: 'unchanged' };

/** The trend in a sentence, for hovers and tooltips. */
export const TREND_WORDS: Record<Trend, string> = {
  down: 'down from the value before',
  up: 'up from the value before',
  flat: 'unchanged from the value before',
};
