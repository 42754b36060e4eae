/**
 * The live run's progress line, `epoch 2 · train_loss 4.5 ▼`, as pure code (no vscode):
 * unit-tested. The status bar and the Run Training notification both show it.
 */
import type { SeriesBatch } from '../series/columns.js';
import type { RunFailedEvent, RunFinishedEvent } from '../protocol/run-events.js';
import { formatValue } from '../protocol/number-format.js';
import { pairRole } from '../series/overfitting.js';
import { TREND_MARK, trendOf } from '../series/trend.js';

export class StatusModel {
  private series: string | null = null;
  private seen = 0;
  private step = 0;
  private value = NaN;
  private previous = NaN;

  /** Follows the training loss through a batch of points: a `train` series, else the first loss series seen. */
  observe(batch: SeriesBatch): void {
    const roles = batch.series.map((s) => pairRole(s.name).role);
    let followedRole = this.series === null ? null : pairRole(this.series).role;
    for (let i = 0; i < batch.index.length; i++) {
      const k = batch.index[i]!;
      const name = batch.series[k]!.name;
      const role = roles[k]!;
      const switchTo = this.series === null ? role !== 'val' : role === 'train' && followedRole !== 'train';
      if (switchTo && name !== this.series) {
        this.series = name;
        followedRole = role;
        this.seen = 0;
      }
      if (name !== this.series) continue;
      this.previous = this.value;
      this.step = batch.steps[i]!;
      this.value = batch.values[i]!;
      this.seen++;
    }
  }

  /** `epoch 2 · train_loss 4.5 ▼`; null before the first point. */
  progress(): string | null {
    if (this.series === null || this.seen === 0) return null;
    const trend = this.seen < 2 ? null : trendOf(this.previous, this.value);
    return `epoch ${this.step} · ${this.series} ${formatValue(this.value)}${trend ? ` ${TREND_MARK[trend]}` : ''}`;
  }

  /** The status bar's text. */
  text(running: boolean): string {
    const icon = running ? '$(sync~spin)' : '$(graph-line)';
    const progress = this.progress();
    return progress === null ? `${icon} Autograd Lab${running ? ': starting…' : ''}` : `${icon} ${progress}`;
  }
}

/** How a run ended, for the status bar's tooltip: `broken.ts failed: RuntimeError: … (line 6)`. */
export function endedTooltip(script: string, event: RunFinishedEvent | RunFailedEvent): string {
  const seconds = `${(event.durationMs / 1000).toFixed(1)} s`;
  if (event.type === 'run-finished') return `${script} ${event.status === 'stopped' ? 'was stopped' : 'completed'} after ${seconds}. Click for the loss curves.`;
  const { error } = event;
  const where = error.location ? ` (line ${error.location.line})` : '';
  const why = event.reason === 'memory-limit' ? 'went over its memory limit' : event.reason === 'crash' ? 'crashed' : 'failed';
  return `${script} ${why} after ${seconds}: ${error.name}: ${error.message}${where}. Click for the loss curves.`;
}
