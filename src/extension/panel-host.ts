/**
 * Hosts the one "Autograd Lab" webview panel (Loss curves and Graph tabs): creates or reveals
 * it, restores it after a reload (WebviewPanelSerializer), feeds it the live run, passes on
 * changes of the smoothing setting, and answers its messages (jump to a line, exports, compare
 * runs).
 *
 * The live feed never builds a backlog, however fast the script logs: at most 10 flushes a
 * second, each bounded in size (PanelFeed sends buckets, not every point), and at most one flush
 * in flight — while the workbench delivers it, new points only update the feed, and the next
 * flush carries all of them at once. A run's end is flushed at once, so "stopped" shows as soon
 * as the runner ends.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { RunEvent } from '../protocol/run-events.js';
import { encodeToWebview, isFromWebview, sanitizeState, type FromWebview, type PanelSettings, type PanelView, type ToWebview } from '../protocol/panel-messages.js';
import { revealLocation } from './diagnostics.js';
import { overlayRun, PanelFeed } from './panel-feed.js';
import { makeNonce, panelHtml } from './panel-html.js';
import { RecordsBrowser } from './records-browser.js';
import { readSettings } from './settings.js';

export const PANEL_VIEW_TYPE = 'autogradLab.panel';
const FLUSH_MS = 100;
/** The workspaceState key of the curve settings the learner chose (smoothing, log scale). */
export const CURVE_SETTINGS_KEY = 'autogradLab.curveSettings';

/** The workspace's curve settings: as the learner left them, else the smoothing setting's value. */
function workspaceCurveSettings(state: vscode.Memento): PanelSettings {
  const saved = state.get<PanelSettings>(CURVE_SETTINGS_KEY);
  const valid = saved && typeof saved.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1;
  return valid ? { smoothing: saved.smoothing, logScale: saved.logScale === true } : { smoothing: readSettings().curveSmoothing, logScale: false };
}

export class PanelHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private ready = false;
  private readonly feed: PanelFeed;
  private timer: NodeJS.Timeout | null = null;
  /** A flush is being delivered to the webview: the next one waits for it. */
  private inFlight = false;
  private lastFlush = 0;
  private pendingView: PanelView | null = null;
  private overlay: Extract<ToWebview, { type: 'overlay' }> | null = null;
  /** The script whose run was shown when the overlay was picked: a run of another one clears it. */
  private overlayScript: string | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly records: RecordsBrowser,
    private readonly workspaceState: vscode.Memento,
  ) {
    this.feed = new PanelFeed(workspaceCurveSettings(workspaceState));
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          const s = sanitizeState(state);
          if (!this.feed.run && s.runId) this.loadRecorded(s.runId);
          this.adopt(panel);
        },
      }),
      // The smoothing setting applies to an open panel at once, not only to the next run.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('autogradLab.curves.smoothing')) return;
        this.applyCurveSettings({ ...this.feed.currentSettings, smoothing: readSettings().curveSmoothing }, true);
      }),
    );
  }

  /** Opens (or reveals) the panel on a view. */
  show(view: PanelView): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Autograd Lab', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
      this.adopt(panel);
    } else {
      this.panel.reveal(undefined, true);
    }
    this.pendingView = view;
    if (this.ready) this.post({ type: 'show-view', view });
  }

  get isOpen(): boolean {
    return this.panel !== null;
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
    const w = panel.webview;
    w.html = panelHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'main.js')).toString(),
      workerUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'layout-worker.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
    });
    const subs = [
      w.onDidReceiveMessage((m: unknown) => {
        if (isFromWebview(m)) void this.onMessage(m);
      }),
      panel.onDidDispose(() => {
        this.panel = null;
        this.ready = false;
        for (const s of subs) s.dispose();
      }),
    ];
    this.disposables.push(...subs);
  }

  /** Shows a recorded run in the panel (when no live run is showing). */
  loadRecorded(runId: string): boolean {
    const found = this.records.find(runId);
    if (!found) return false;
    try {
      const events = this.records.read(found.root, runId, ['output']);
      this.feed.load(events);
      return true;
    } catch {
      return false;
    }
  }

  /** New curve settings: kept for the workspace; `tell` sends them to the panel (not when they came from it). */
  private applyCurveSettings(settings: PanelSettings, tell: boolean): void {
    void this.workspaceState.update(CURVE_SETTINGS_KEY, settings);
    const message = this.feed.setSettings(settings);
    if (tell && message && this.ready) this.post(message);
  }

  /** The curve settings a run starts with (for tests: they are the workspace's). */
  get curveSettings(): PanelSettings {
    return this.feed.currentSettings;
  }

  onEvent(event: RunEvent): void {
    // Earlier runs overlaid for one script are not compared with another's.
    if (event.type === 'run-started' && this.overlay && event.script !== this.overlayScript) this.clearOverlay(true);
    this.feed.onEvent(event);
    this.scheduleFlush();
  }

  private clearOverlay(tell: boolean): void {
    this.overlay = null;
    this.overlayScript = null;
    if (tell && this.ready) this.post({ type: 'overlay', runs: [] });
  }

  /** Plans the next flush: FLUSH_MS after the previous one, or at once for a run's end. */
  private scheduleFlush(): void {
    if (!this.ready || this.inFlight || !this.feed.hasPending) return;
    const wait = this.feed.ended ? 0 : Math.max(0, this.lastFlush + FLUSH_MS - Date.now());
    if (this.timer && wait > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const panel = this.panel;
    if (!this.ready || !panel || this.inFlight) return;
    const messages = this.feed.drain();
    if (messages.length === 0) return;
    this.inFlight = true;
    this.lastFlush = Date.now();
    try {
      // Resolves when the workbench took the messages: until then, new points only pile up in
      // the feed (bounded), not in the workbench's queue.
      await Promise.all(messages.map((m) => panel.webview.postMessage(encodeToWebview(m))));
    } catch {
      // The panel closed meanwhile; a reopened panel gets the whole run by replay().
    } finally {
      this.inFlight = false;
    }
    this.scheduleFlush();
  }

  private post(message: ToWebview): void {
    void this.panel?.webview.postMessage(encodeToWebview(message));
  }

  private async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        for (const msg of this.feed.replay()) this.post(msg);
        if (this.overlay) this.post(this.overlay);
        if (this.pendingView) this.post({ type: 'show-view', view: this.pendingView });
        this.scheduleFlush();
        break;
      }
      case 'open-location':
        await revealLocation(m.location);
        break;
      case 'view-changed':
        this.pendingView = m.view;
        break;
      case 'curves-settings':
        this.applyCurveSettings(m.settings, false);
        break;
      case 'clear-overlays':
        this.clearOverlay(false);
        break;
      case 'compare-runs':
        await this.compareRuns();
        break;
      case 'export': {
        const bytes = m.format === 'png' ? Buffer.from(m.content.replace(/^data:image\/png;base64,/, ''), 'base64') : new TextEncoder().encode(m.content);
        await this.saveExport(m.format, m.suggestedName, bytes);
        break;
      }
      case 'export-curves-csv': {
        // From every point the host holds: the webview may only have buckets of a long run.
        const csv = this.feed.curvesCsv();
        if (csv === null) {
          void vscode.window.showInformationMessage('No run to export yet: run a training script first.');
          return;
        }
        await this.saveExport('csv', m.suggestedName, new TextEncoder().encode(csv));
        break;
      }
    }
  }

  private async saveExport(ext: string, suggestedName: string, bytes: Uint8Array): Promise<void> {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd());
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(base, basename(suggestedName)), filters: { [ext.toUpperCase()]: [ext] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Exported ${vscode.workspace.asRelativePath(target)}`);
  }

  /** Compare Runs…: pick earlier runs to overlay on the curves. */
  async compareRuns(): Promise<void> {
    const picked = await this.records.pick({ canPickMany: true, title: 'Overlay which earlier runs on the loss curves?' });
    if (picked.length === 0) return;
    const runs = picked.map(({ root, summary }) => overlayRun(summary, this.records.read(root, summary.runId, ['output', 'graph', 'probes'])));
    this.show('curves');
    this.overlay = { type: 'overlay', runs };
    this.overlayScript = this.feed.run?.script ?? null;
    if (this.ready) this.post(this.overlay);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
