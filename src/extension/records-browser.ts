/**
 * Earlier runs, from the run records under `.autograd-lab/runs`: the Compare Runs… picker (runs
 * to overlay on the curves), Export Run (CSV), the last run of a file (to restore its gutter) and
 * a recorded run to show again in a restored panel.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ProbeSnapshot, RunEvent } from '../protocol/run-events.js';
import { curvesToCsv } from '../protocol/curves-csv.js';
import { formatValue } from '../protocol/number-format.js';
import { listRuns, readRun, recordedCurves, type RunRecordSummary } from '../runner/records.js';
import type { RestoredProbes } from './gutter.js';

export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

/** The last state of every probe in recorded events. */
export function lastProbes(events: readonly RunEvent[]): ProbeSnapshot[] {
  const byId = new Map<string, ProbeSnapshot>();
  for (const e of events) if (e.type === 'probes') for (const p of e.probes) byId.set(p.id, p);
  return [...byId.values()];
}

interface RunPick extends vscode.QuickPickItem {
  root: string;
  summary: RunRecordSummary;
}

function describe(summary: RunRecordSummary): string {
  const losses = Object.entries(summary.series)
    .slice(0, 3)
    .map(([name, s]) => `${name} ${formatValue(s.last)}`)
    .join(', ');
  return [summary.status, losses].filter(Boolean).join(' · ');
}

export class RecordsBrowser {
  constructor(private readonly log: (line: string) => void) {}

  all(): { root: string; summary: RunRecordSummary }[] {
    const out: { root: string; summary: RunRecordSummary }[] = [];
    for (const root of workspaceRoots()) {
      try {
        for (const summary of listRuns(root).runs) out.push({ root, summary });
      } catch (err) {
        this.log(`Run records in ${root}: ${(err as Error).message}`);
      }
    }
    return out.sort((a, b) => (a.summary.startedAt < b.summary.startedAt ? 1 : -1));
  }

  async pick(options: { canPickMany: boolean; title: string }): Promise<{ root: string; summary: RunRecordSummary }[]> {
    const items: RunPick[] = this.all().map(({ root, summary }) => ({
      label: `${basename(summary.script)}`,
      description: new Date(summary.startedAt).toLocaleString(),
      detail: describe(summary),
      root,
      summary,
    }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No recorded runs yet: run a training script first (Autograd Lab: Run Training).');
      return [];
    }
    if (options.canPickMany) {
      const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: options.title, matchOnDetail: true });
      return (picked ?? []).map((p) => ({ root: p.root, summary: p.summary }));
    }
    const picked = await vscode.window.showQuickPick(items, { title: options.title, matchOnDetail: true });
    return picked ? [{ root: picked.root, summary: picked.summary }] : [];
  }

  read(root: string, runId: string, exclude: string[] = ['output']): RunEvent[] {
    return readRun(root, runId, { exclude }).events;
  }

  /** Find a run by id in any workspace folder. */
  find(runId: string): { root: string; summary: RunRecordSummary } | null {
    return this.all().find((r) => r.summary.runId === runId) ?? null;
  }

  async exportCsv(): Promise<void> {
    const [choice] = await this.pick({ canPickMany: false, title: 'Export which run as CSV?' });
    if (!choice) return;
    const csv = curvesToCsv(recordedCurves(this.read(choice.root, choice.summary.runId, ['output', 'graph', 'probes'])).series);
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(`${choice.root}/${basename(choice.summary.script).replace(/\.[^.]+$/, '')}-${choice.summary.runId}.csv`),
      filters: { CSV: ['csv'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
    void vscode.window.showInformationMessage(`Exported ${vscode.workspace.asRelativePath(target)}`);
  }

  /** The probes of the newest finished run of `file`, for the gutter of a reopened file. */
  restoreProbes(file: string): RestoredProbes | null {
    const run = this.all().find((r) => r.summary.script === file && r.summary.status !== 'running');
    if (!run) return null;
    try {
      const events = this.read(run.root, run.summary.runId, ['output', 'graph', 'metrics']);
      const endedAt = Date.parse(run.summary.startedAt) + (run.summary.durationMs ?? 0);
      return { probes: lastProbes(events).filter((p) => p.file === file), endedAt };
    } catch (err) {
      this.log(`Restoring annotations of ${file}: ${(err as Error).message}`);
      return null;
    }
  }
}
