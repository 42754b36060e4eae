/** The status bar's text while a run is live, as pure code (no vscode): unit-tested. */
import type { MetricPoint } from '../protocol/run-events.js';
import { formatValue } from '../protocol/number-format.js';
import { pairRole } from '../series/overfitting.js';

export class StatusModel {
  private series: string | null = null;
  private last: { step: number; value: number } | null = null;
  private prev: number | null = null;

  /** Follows the training loss: a `train` series, else the first loss series seen. */
  observe(points: readonly MetricPoint[]): void {
    for (const p of points) {
      const role = pairRole(p.series).role;
      const switchTo = (this.series === null && role !== 'val') || (this.series !== null && role === 'train' && pairRole(this.series).role !== 'train');
      if (switchTo && this.series !== p.series) {
        this.series = p.series;
        this.last = null;
        this.prev = null;
      }
      if (p.series !== this.series) continue;
      this.prev = this.last ? this.last.value : null;
      this.last = { step: p.step, value: p.value };
    }
  }

  text(running: boolean): string {
    const icon = running ? '$(sync~spin)' : '$(graph-line)';
    if (!this.last || !this.series) return `${icon} Autograd Lab${running ? ': starting…' : ''}`;
    const arrow = this.prev === null ? '' : this.last.value < this.prev ? ' ▼' : this.last.value > this.prev ? ' ▲' : '';
    return `${icon} epoch ${this.last.step} · ${this.series} ${formatValue(this.last.value)}${arrow}`;
  }
}
