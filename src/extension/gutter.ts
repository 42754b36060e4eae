/**
 * Gutter loss annotations: for every probed line of a visible editor, a sparkline of the line's
 * history as its gutter icon, `loss 2.927647 ▼ ×5000` after the line, and a hover with a larger
 * sparkline, first/min/last and the hit count. Updates are throttled to 4 per second; cleared
 * when a run is stopped, marked stale (grey, and kept on their lines) when the file is edited,
 * restored from the last run record when a file is reopened.
 *
 * A gutter icon is fixed per decoration type and decoration types are created once, not per
 * update: so each distinct quantized sparkline shape (gutter-model.ts) gets its own
 * type, created on first use and kept in a bounded LRU cache; an evicted type is disposed, and
 * the whole cache is disposed with the extension.
 */
import * as vscode from 'vscode';
import { statSync } from 'node:fs';
import type { ProbeSnapshot, RunEvent } from '../protocol/run-events.js';
import { gutterText, hoverMarkdown, lineAfterEdit, lineNames, LruDisposableCache, quantizeSparkline, shapeSvg, sparkShapeKey, svgDataUri, throttle } from './gutter-model.js';

export interface RestoredProbes {
  probes: ProbeSnapshot[];
  /** When the run ended (ms since epoch): a file changed after it is marked stale. */
  endedAt: number;
}

interface FileProbes {
  probes: Map<string, ProbeSnapshot>;
  stale: boolean;
  runId: string;
  /** Where each probe's line moved to after edits (probe id → 1-based line; absent = unmoved). */
  moved: Map<string, number | null>;
}

const LIVE_COLOR = '#3794ff';
const STALE_COLOR = '#888888';
/** Distinct sparkline shapes with a decoration type at once (a type per shape and colour). */
export const GUTTER_ICON_CACHE_SIZE = 64;
const UPDATES_PER_SECOND = 4;
/** The gap between a line's code and its value, in characters. */
const AFTER_MARGIN_COLUMNS = 2;
/**
 * Characters an editor shows across when it has the window to itself (a 1400 px window with the
 * side bar open, the default font). VS Code does not tell extensions an editor's width, so the
 * after-line text is fitted to this share of it: editors side by side (the panel beside the
 * code) each get their part, and a line that leaves too little room gets the short text.
 */
export const WINDOW_COLUMNS = 130;

/** About how many characters across `editor` is: the window's share of the editor groups shown side by side. */
function columnsOf(editor: vscode.TextEditor): number {
  const groups = new Set(vscode.window.tabGroups.all.filter((g) => g.activeTab !== undefined).map((g) => g.viewColumn));
  if (editor.viewColumn !== undefined) groups.add(editor.viewColumn);
  return Math.floor(WINDOW_COLUMNS / Math.max(1, groups.size));
}

/**
 * The key a document's probes are filed under: a script's path, or a notebook cell's URI string
 * (the cellId the notebook kernel names its probe locations with). null: no probes can be there.
 */
function probeFileOf(uri: vscode.Uri): string | null {
  if (uri.scheme === 'file') return uri.fsPath;
  if (uri.scheme === 'vscode-notebook-cell') return uri.toString();
  return null;
}

export class GutterDecorations implements vscode.Disposable {
  private readonly icons: LruDisposableCache<vscode.TextEditorDecorationType>;
  /** For a line whose shape found no room in a full cache: the plain probe glyph. */
  private readonly liveGlyph: vscode.TextEditorDecorationType;
  private readonly staleGlyph: vscode.TextEditorDecorationType;
  private readonly textType: vscode.TextEditorDecorationType;
  private readonly files = new Map<string, FileProbes>();
  private readonly restoreTried = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Per editor, the icon types it showed last render, so they can be cleared from it. */
  private readonly shown = new WeakMap<vscode.TextEditor, Set<vscode.TextEditorDecorationType>>();
  private enabled: boolean;
  readonly render = throttle(() => this.renderAll(), 1000 / UPDATES_PER_SECOND);

  constructor(
    media: vscode.Uri,
    enabled: boolean,
    private readonly restore: (file: string) => RestoredProbes | null,
  ) {
    this.enabled = enabled;
    this.icons = new LruDisposableCache(
      GUTTER_ICON_CACHE_SIZE,
      (key) => {
        const [state, levelCount, levels] = key.split(':') as [string, string, string];
        const shape = { levelCount: Number(levelCount), levels: [...levels].map((c) => (c === 'x' ? null : Number(c))) };
        const svg = shapeSvg(shape, state === 'stale' ? STALE_COLOR : LIVE_COLOR);
        return vscode.window.createTextEditorDecorationType({ gutterIconPath: vscode.Uri.parse(svgDataUri(svg)), gutterIconSize: 'contain' });
      },
      (type) => type.dispose(),
    );
    this.liveGlyph = vscode.window.createTextEditorDecorationType({ gutterIconPath: vscode.Uri.joinPath(media, 'probe.svg'), gutterIconSize: 'contain' });
    this.staleGlyph = vscode.window.createTextEditorDecorationType({ gutterIconPath: vscode.Uri.joinPath(media, 'probe-stale.svg'), gutterIconSize: 'contain' });
    this.textType = vscode.window.createTextEditorDecorationType({
      after: { margin: `0 0 0 ${AFTER_MARGIN_COLUMNS}ch`, color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.disposables.push(
      this.liveGlyph,
      this.staleGlyph,
      this.textType,
      vscode.window.onDidChangeVisibleTextEditors(() => this.render()),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
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

  /** How many gutter icon decoration types exist now (bounded by GUTTER_ICON_CACHE_SIZE). */
  get iconTypeCount(): number {
    return this.icons.size;
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        // A new run of a file replaces what its lines showed.
        this.files.set(event.script, { probes: new Map(), stale: false, runId: event.runId, moved: new Map() });
        this.restoreTried.add(event.script);
        this.render();
        break;
      case 'probes':
        for (const p of event.probes) {
          let entry = this.files.get(p.file);
          if (!entry || entry.runId !== event.runId) {
            entry = { probes: new Map(), stale: false, runId: event.runId, moved: new Map() };
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

  /** Files whose restore found nothing get another try (the workspace became trusted). */
  retryRestore(): void {
    this.restoreTried.clear();
    this.render();
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const file = probeFileOf(e.document.uri);
    const entry = file === null ? undefined : this.files.get(file);
    if (!entry || e.contentChanges.length === 0) return;
    entry.stale = true;
    // Changes of one event do not overlap; applying them bottom-up keeps each range valid.
    const changes = [...e.contentChanges].sort((a, b) => b.range.start.line - a.range.start.line);
    for (const change of changes) {
      const edit = { startLine: change.range.start.line + 1, endLine: change.range.end.line + 1, newLineCount: change.text.split(/\r\n|\r|\n/).length };
      for (const p of entry.probes.values()) {
        const line = entry.moved.has(p.id) ? entry.moved.get(p.id)! : p.line;
        if (line === null) continue;
        const next = lineAfterEdit(line, edit);
        if (next !== line) entry.moved.set(p.id, next);
      }
    }
    this.render();
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
    this.files.set(file, { probes: new Map(restored.probes.map((p) => [p.id, p])), stale, runId: '', moved: new Map() });
  }

  /** What one editor shows: per line, the icon key and the text decoration. */
  private plan(editor: vscode.TextEditor): { icons: Map<string, vscode.DecorationOptions[]>; texts: vscode.DecorationOptions[] } {
    const icons = new Map<string, vscode.DecorationOptions[]>();
    const texts: vscode.DecorationOptions[] = [];
    const file = probeFileOf(editor.document.uri);
    if (file === null || !this.enabled) return { icons, texts };
    // Run records are of files: a notebook cell's values come from its kernel only.
    if (editor.document.uri.scheme === 'file') this.tryRestore(file);
    const entry = this.files.get(file);
    if (!entry) return { icons, texts };
    // One annotation per line: several probes on a line join their texts.
    const byLine = new Map<number, ProbeSnapshot[]>();
    for (const p of entry.probes.values()) {
      const line = entry.moved.has(p.id) ? entry.moved.get(p.id)! : p.line;
      if (line === null) continue;
      byLine.set(line, [...(byLine.get(line) ?? []), p]);
    }
    const color = entry.stale ? STALE_COLOR : LIVE_COLOR;
    for (const [line, probes] of byLine) {
      if (line < 1 || line > editor.document.lineCount) continue;
      const textLine = editor.document.lineAt(line - 1);
      const range = textLine.range;
      const main = probes.find((p) => p.hits > 1) ?? probes[0]!;
      const history = main.history.length > 0 ? main.history : [main.last];
      const key = sparkShapeKey(quantizeSparkline(history), entry.stale);
      const hover = new vscode.MarkdownString(probes.map((p) => hoverMarkdown(p, { color, stale: entry.stale })).join('\n\n---\n\n'));
      // VS Code gives extensions no hover on a gutter icon: the line's indentation, right beside
      // the icon, carries the icon's hover (and the value after the line carries it too).
      const indentEnd = Math.max(1, textLine.firstNonWhitespaceCharacterIndex);
      icons.set(key, [...(icons.get(key) ?? []), { range: new vscode.Range(range.start, range.start.translate(0, Math.min(indentEnd, textLine.text.length))), hoverMessage: hover }]);
      const columns = Math.max(0, columnsOf(editor) - textLine.text.length - AFTER_MARGIN_COLUMNS);
      texts.push({
        range: new vscode.Range(range.end, range.end),
        hoverMessage: hover,
        renderOptions: { after: { contentText: gutterText(probes, { columns, stale: entry.stale, nameOnLine: (name) => lineNames(textLine.text, name) }) } },
      });
    }
    return { icons, texts };
  }

  private renderAll(): void {
    const editors = vscode.window.visibleTextEditors;
    const plans = editors.map((editor) => ({ editor, ...this.plan(editor) }));
    // Types for every shape shown anywhere, acquired together so none evicts another in use.
    const types = this.icons.acquire(plans.flatMap((p) => [...p.icons.keys()]));
    for (const { editor, icons, texts } of plans) {
      const ranges = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>();
      for (const [key, keyRanges] of icons) {
        const type = types.get(key) ?? (key.startsWith('stale') ? this.staleGlyph : this.liveGlyph);
        ranges.set(type, [...(ranges.get(type) ?? []), ...keyRanges]);
      }
      const before = this.shown.get(editor) ?? new Set();
      for (const type of before) if (!ranges.has(type) && this.icons.values().includes(type)) editor.setDecorations(type, []);
      for (const glyph of [this.liveGlyph, this.staleGlyph]) if (!ranges.has(glyph) && before.has(glyph)) editor.setDecorations(glyph, []);
      for (const [type, r] of ranges) editor.setDecorations(type, r);
      this.shown.set(editor, new Set(ranges.keys()));
      editor.setDecorations(this.textType, texts);
    }
  }

  dispose(): void {
    this.render.cancel();
    this.icons.clear();
    for (const d of this.disposables) d.dispose();
  }
}
