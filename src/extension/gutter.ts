/**
 * Gutter loss annotations: for every probed line of a visible editor, a probe glyph in the gutter,
 * a sparkline of the line's history and `loss 2.927647 ▼ ×5000` after the line, and a hover with
 * a larger sparkline, first/min/last and the hit count. Updates are throttled to 4 per second;
 * cleared when a run is stopped, marked stale when the file is edited, restored from the last
 * run record when a file is reopened.
 *
 * Decoration types are created once (the design rule): a gutter icon is fixed per decoration
 * type, so the per-line sparkline is drawn as an after-line icon (contentIconPath is per
 * instance) and the gutter carries a fixed live/stale glyph.
 */
import * as vscode from 'vscode';
import { statSync } from 'node:fs';
import type { ProbeSnapshot, RunEvent } from '../runner/protocol.js';
import { gutterText, hoverMarkdown, sparklineSvg, svgDataUri, throttle } from '../shared/gutter-model.js';

export interface RestoredProbes {
  probes: ProbeSnapshot[];
  /** When the run ended (ms since epoch): a file changed after it is marked stale. */
  endedAt: number;
}

interface FileProbes {
  probes: Map<string, ProbeSnapshot>;
  stale: boolean;
  runId: string;
}

const LIVE_COLOR = '#3794ff';
const STALE_COLOR = '#888888';

export class GutterDecorations implements vscode.Disposable {
  private readonly liveGlyph: vscode.TextEditorDecorationType;
  private readonly staleGlyph: vscode.TextEditorDecorationType;
  private readonly sparkType: vscode.TextEditorDecorationType;
  private readonly textType: vscode.TextEditorDecorationType;
  private readonly files = new Map<string, FileProbes>();
  private readonly restoreTried = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private enabled: boolean;
  readonly render = throttle(() => this.renderAll(), 250);

  constructor(
    media: vscode.Uri,
    enabled: boolean,
    private readonly restore: (file: string) => RestoredProbes | null,
  ) {
    this.enabled = enabled;
    this.liveGlyph = vscode.window.createTextEditorDecorationType({ gutterIconPath: vscode.Uri.joinPath(media, 'probe.svg'), gutterIconSize: 'contain' });
    this.staleGlyph = vscode.window.createTextEditorDecorationType({ gutterIconPath: vscode.Uri.joinPath(media, 'probe-stale.svg'), gutterIconSize: 'contain' });
    this.sparkType = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2em', width: '32px', height: '12px' }, rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed });
    this.textType = vscode.window.createTextEditorDecorationType({
      after: { margin: '0 0 0 0.5em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.disposables.push(
      this.liveGlyph,
      this.staleGlyph,
      this.sparkType,
      this.textType,
      vscode.window.onDidChangeVisibleTextEditors(() => this.render()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const entry = this.files.get(e.document.uri.fsPath);
        if (entry && !entry.stale && e.contentChanges.length > 0) {
          entry.stale = true;
          this.render();
        }
      }),
    );
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.render.flush();
  }

  /** Probes of the file (live or restored), for tests and the panel. */
  probesOf(file: string): ProbeSnapshot[] {
    return [...(this.files.get(file)?.probes.values() ?? [])];
  }

  isStale(file: string): boolean {
    return this.files.get(file)?.stale ?? false;
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        // A new run of a file replaces what its lines showed.
        this.files.set(event.script, { probes: new Map(), stale: false, runId: event.runId });
        this.restoreTried.add(event.script);
        this.render();
        break;
      case 'probes':
        for (const p of event.probes) {
          let entry = this.files.get(p.file);
          if (!entry || entry.runId !== event.runId) {
            entry = { probes: new Map(), stale: false, runId: event.runId };
            this.files.set(p.file, entry);
          }
          entry.probes.set(p.id, p);
        }
        this.render();
        break;
      case 'run-finished':
        if (event.status === 'stopped') {
          for (const [file, entry] of this.files) if (entry.runId === event.runId) this.files.delete(file);
        }
        this.render.flush();
        break;
      case 'run-failed':
        this.render.flush();
        break;
      default:
        break;
    }
  }

  clear(): void {
    this.files.clear();
    this.render.flush();
  }

  private tryRestore(file: string): void {
    if (this.restoreTried.has(file) || this.files.has(file)) return;
    this.restoreTried.add(file);
    const restored = this.restore(file);
    if (!restored || restored.probes.length === 0) return;
    let stale = false;
    try {
      stale = statSync(file).mtimeMs > restored.endedAt;
    } catch {
      stale = true;
    }
    this.files.set(file, { probes: new Map(restored.probes.map((p) => [p.id, p])), stale, runId: '' });
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const file = editor.document.uri.fsPath;
      if (editor.document.uri.scheme !== 'file') continue;
      if (this.enabled) this.tryRestore(file);
      const entry = this.enabled ? this.files.get(file) : undefined;
      const live: vscode.DecorationOptions[] = [];
      const stale: vscode.DecorationOptions[] = [];
      const sparks: vscode.DecorationOptions[] = [];
      const texts: vscode.DecorationOptions[] = [];
      if (entry) {
        // One annotation per line: several probes on a line join their texts.
        const byLine = new Map<number, ProbeSnapshot[]>();
        for (const p of entry.probes.values()) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p]);
        for (const [line, probes] of byLine) {
          if (line < 1 || line > editor.document.lineCount) continue;
          const range = editor.document.lineAt(line - 1).range;
          const end = new vscode.Range(range.end, range.end);
          (entry.stale ? stale : live).push({ range: new vscode.Range(range.start, range.start) });
          const main = probes.find((p) => p.hits > 1) ?? probes[0]!;
          const color = entry.stale ? STALE_COLOR : LIVE_COLOR;
          if (main.history.length > 1) {
            sparks.push({ range: end, renderOptions: { after: { contentIconPath: vscode.Uri.parse(svgDataUri(sparklineSvg(main.history, { width: 32, height: 12, color }))) } } });
          }
          const hover = new vscode.MarkdownString(probes.map((p) => hoverMarkdown(p, { color, stale: entry.stale })).join('\n\n---\n\n'));
          texts.push({
            range: end,
            hoverMessage: hover,
            renderOptions: { after: { contentText: probes.map((p) => gutterText(p)).join('   ') + (entry.stale ? '  (stale)' : '') } },
          });
        }
      }
      editor.setDecorations(this.liveGlyph, live);
      editor.setDecorations(this.staleGlyph, stale);
      editor.setDecorations(this.sparkType, sparks);
      editor.setDecorations(this.textType, texts);
    }
  }

  dispose(): void {
    this.render.cancel();
    for (const d of this.disposables) d.dispose();
  }
}
