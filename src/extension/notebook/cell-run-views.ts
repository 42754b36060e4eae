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

export class CellRunViews {
  private readonly waiting = new Map<string, RunEvent[]>();
  private readonly shown = new Set<string>();

  /** The events to pass on now, in order (none, this one, or the run's start and this one). */
  route(event: RunEvent): RunEvent[] {
    const ended = event.type === 'run-finished' || event.type === 'run-failed';
    if (this.shown.has(event.runId)) {
      if (ended) this.shown.delete(event.runId);
      return [event];
    }
    if (event.type === 'run-started') {
      this.waiting.set(event.runId, [event]);
      return [];
    }
    const kept = this.waiting.get(event.runId);
    if (!kept) return [];
    if (ended) {
      this.waiting.delete(event.runId);
      return [];
    }
    if (SHOWN_BY.has(event.type)) {
      this.waiting.delete(event.runId);
      this.shown.add(event.runId);
      return [...kept, event];
    }
    if (KEPT_UNTIL_SHOWN.has(event.type)) kept.push(event);
    return [];
  }
}
