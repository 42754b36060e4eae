/**
 * Which cell runs the panel, the status bar and the run records get. Every executed cell is a run
 * (the kernel's RunEvents), but most cells print, define or plot: were each of them a run in the
 * panel, a `print(x)` cell would wipe the curves of the training cell before it, and the records'
 * retention would soon keep nothing but one-line cells. So a cell run is shown once it shows
 * something the panel draws — a loss point, a backward() graph or a warning — and from then on
 * entirely (its start first); a run that ends without any is never shown. The gutter is not
 * routed here: it takes every run's probes. Pure: no vscode, unit-tested.
 */
import type { RunEvent } from '../../protocol/run-events.js';

/** What makes a cell run worth the panel. */
const SHOWN_BY: ReadonlySet<RunEvent['type']> = new Set(['metrics', 'graph', 'warning']);
/** What of a run is kept until it is shown (what the panel needs to begin it). */
const KEPT_UNTIL_SHOWN: ReadonlySet<RunEvent['type']> = new Set(['run-started', 'status']);

export interface CellRunRoute {
  /** The events to pass on now, in order. */
  events: RunEvent[];
  /** This event made its run shown: the panel may open for it. */
  firstShown: boolean;
}

export class CellRunViews {
  private readonly waiting = new Map<string, RunEvent[]>();
  private readonly shown = new Set<string>();

  route(event: RunEvent): CellRunRoute {
    const ended = event.type === 'run-finished' || event.type === 'run-failed';
    if (this.shown.has(event.runId)) {
      if (ended) this.shown.delete(event.runId);
      return { events: [event], firstShown: false };
    }
    if (event.type === 'run-started') {
      this.waiting.set(event.runId, [event]);
      return { events: [], firstShown: false };
    }
    const kept = this.waiting.get(event.runId);
    if (!kept) return { events: [], firstShown: false };
    if (ended) {
      this.waiting.delete(event.runId);
      return { events: [], firstShown: false };
    }
    if (SHOWN_BY.has(event.type)) {
      this.waiting.delete(event.runId);
      this.shown.add(event.runId);
      return { events: [...kept, event], firstShown: true };
    }
    if (KEPT_UNTIL_SHOWN.has(event.type)) kept.push(event);
    return { events: [], firstShown: false };
  }
}
