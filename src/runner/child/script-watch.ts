/**
 * What V8 tells only a debugger about the learner's script: where a value that is not an Error
 * (`throw 42`, `throw {…}`, `Promise.reject(null)`) was thrown — it carries no stack — and
 * which of the learner's files failed to compile as an ES module — that SyntaxError names no
 * file. The script process attaches a debugger to itself (node:inspector, same thread, so
 * every notification arrives synchronously) before the script is imported.
 *
 * Cost: attaching takes some 20–30 ms of CPU, nearly all of it V8 reporting the scripts compiled
 * so far (Node's ~120 built-ins and the engine's) as the debugger is enabled. The debugger
 * pauses on exceptions, but scripts outside the learner's files (Node's, the engine's,
 * node_modules) are blackboxed, so V8 does not pause for exceptions thrown there; an exception thrown by the learner's own code costs one pause (about
 * 0.2 ms). With a debugger attached V8 also tracks promises, so an `await` costs about a
 * microsecond more. Nothing about the script's values or control flow changes.
 */
import type { Debugger, Runtime, Session } from 'node:inspector';
import { createRequire, findSourceMap } from 'node:module';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A learner's file that V8 refused to compile, with the source it was given. */
export interface FailedScript {
  file: string;
  /** The code V8 compiled (after the loader's TypeScript transform), with its source map. */
  source: string;
  isModule: boolean;
}

/** A frame of the learner's code, already mapped to their source. */
export interface SiteFrame {
  /** The function; '' for top-level code. */
  name: string;
  file: string;
  line: number;
  column: number;
}

/** How many thrown primitives keep their site (the latest ones; a script rarely throws many). */
const PRIMITIVE_SITES = 64;
/** How many failed compiles are kept (one ends the run; more come from learner's own `import()`s). */
const FAILED_SCRIPTS = 8;

/** V8's blackbox pattern (a regular expression on the script's URL) for Node's built-in modules. */
const NODE_BUILTIN = '^node:';

/** A path for a script URL; null for scripts that are not files (eval, node: built-ins). */
function pathOf(url: string): string | null {
  if (url.startsWith('file:')) {
    try {
      return fileURLToPath(url);
    } catch {
      return null;
    }
  }
  return isAbsolute(url) ? url : null;
}

/** An argument that hands the paused exception's value itself to a function. */
function callArgument(value: Runtime.RemoteObject): Runtime.CallArgument {
  if (value.objectId !== undefined) return { objectId: value.objectId };
  if (value.unserializableValue !== undefined) return { unserializableValue: value.unserializableValue };
  if (value.type === 'undefined') return {};
  return { value: value.value as unknown };
}

/** node:inspector, unless this Node was built without it (then importing it throws). */
function inspectorModule(): typeof import('node:inspector') | null {
  if (!process.features.inspector) return null;
  return createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector');
}

export class ScriptWatch {
  private readonly session: Session;
  private readonly objectSites = new WeakMap<object, SiteFrame[]>();
  private readonly primitiveSites = new Map<unknown, SiteFrame[]>();
  private readonly failed: FailedScript[] = [];
  /** The URLs of the learner's scripts by V8's script id (a paused frame names only the id). */
  private readonly learnerScripts = new Map<string, string>();
  /** The inspector's handle on `capture`, through which a paused exception's value reaches us. */
  private captureId = '';
  private captured: { value: unknown } | null = null;

  private constructor(
    inspector: typeof import('node:inspector'),
    private readonly isUserFile: (file: string) => boolean,
  ) {
    this.session = new inspector.Session();
  }

  /** Watches the learner's code from now on; null when this Node has no inspector. */
  static start(isUserFile: (file: string) => boolean): ScriptWatch | null {
    const inspector = inspectorModule();
    return inspector ? new ScriptWatch(inspector, isUserFile).attach() : null;
  }

  private attach(): this {
    const session = this.session;
    session.connect();
    session.on('Debugger.scriptParsed', ({ params }) => this.onScriptParsed(params));
    session.on('Debugger.scriptFailedToParse', ({ params }) => this.onScriptFailed(params));
    session.on('Debugger.paused', ({ params }) => this.onPaused(params));
    this.captureId = this.handleOnCapture();
    // Enabling reports every script compiled so far (some 120 of Node's own, and the engine's).
    session.post('Debugger.enable');
    // Node's built-ins (`node:` URLs, never the learner's) are blackboxed by one pattern rather
    // than one call each: that is most of the attach's cost after the enable itself.
    session.post('Debugger.setBlackboxPatterns', { patterns: [NODE_BUILTIN] });
    session.post('Debugger.setPauseOnExceptions', { state: 'all' });
    return this;
  }

  /** The learner's frames, innermost first, where `value` was last thrown; undefined if unknown. */
  siteOf(value: unknown): SiteFrame[] | undefined {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') return this.objectSites.get(value);
    return this.primitiveSites.get(value);
  }

  /** The learner's files that failed to compile, latest first. */
  failedScripts(): readonly FailedScript[] {
    return [...this.failed].reverse();
  }

  /**
   * The inspector can call a function only by its handle: put `capture` on globalThis for the
   * moment it takes to get one, then take it off again.
   */
  private handleOnCapture(): string {
    const key = `__autogradLabCapture${process.pid}`;
    const global = globalThis as Record<string, unknown>;
    global[key] = (value: unknown) => {
      this.captured = { value };
    };
    let id = '';
    try {
      this.session.post('Runtime.evaluate', { expression: `globalThis[${JSON.stringify(key)}]`, objectGroup: 'autograd-lab' }, (err, res) => {
        if (!err && res.result.objectId) id = res.result.objectId;
      });
    } finally {
      delete global[key];
    }
    return id;
  }

  private takeCaptured(): { value: unknown } | null {
    const captured = this.captured;
    this.captured = null;
    return captured;
  }

  private onScriptParsed(params: Debugger.ScriptParsedEventDataType): void {
    const file = pathOf(params.url);
    if (file !== null && this.isUserFile(file)) {
      this.learnerScripts.set(params.scriptId, params.url);
      return;
    }
    // Scripts without a URL (eval, new Function) stay visible: the learner may have made them.
    // Node's built-ins are blackboxed by pattern (attach).
    if (params.url === '' || params.url.startsWith('node:')) return;
    this.session.post('Debugger.setBlackboxedRanges', { scriptId: params.scriptId, positions: [{ lineNumber: 0, columnNumber: 0 }] });
  }

  private onScriptFailed(params: Debugger.ScriptFailedToParseEventDataType): void {
    const file = pathOf(params.url);
    if (file === null || !this.isUserFile(file)) return;
    this.session.post('Debugger.getScriptSource', { scriptId: params.scriptId }, (err, res) => {
      if (err) return;
      this.failed.push({ file, source: res.scriptSource, isModule: params.isModule === true });
      if (this.failed.length > FAILED_SCRIPTS) this.failed.shift();
    });
  }

  private onPaused(params: Debugger.PausedEventDataType): void {
    try {
      const exception = params.data as Runtime.RemoteObject | undefined;
      const thrown = params.reason === 'exception' || params.reason === 'promiseRejection';
      // An Error carries its own stack; only values without one need their site kept.
      if (thrown && exception && exception.subtype !== 'error') {
        const frames = this.learnerFrames(params.callFrames);
        if (frames.length > 0) this.remember(exception, frames);
      }
    } finally {
      this.session.post('Debugger.resume');
    }
  }

  private remember(exception: Runtime.RemoteObject, frames: SiteFrame[]): void {
    if (!this.captureId) return;
    this.captured = null;
    this.session.post('Runtime.callFunctionOn', {
      objectId: this.captureId,
      functionDeclaration: 'function (value) { this(value); }',
      arguments: [callArgument(exception)],
      silent: true,
    });
    const captured = this.takeCaptured();
    if (!captured) return;
    const { value } = captured;
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      this.objectSites.set(value, frames);
    } else {
      this.primitiveSites.delete(value);
      this.primitiveSites.set(value, frames);
      if (this.primitiveSites.size > PRIMITIVE_SITES) this.primitiveSites.delete(this.primitiveSites.keys().next().value);
    }
  }

  /** The paused stack's frames in the learner's files, mapped through their source maps. */
  private learnerFrames(callFrames: Debugger.CallFrame[]): SiteFrame[] {
    const frames: SiteFrame[] = [];
    for (const frame of callFrames) {
      const url = this.learnerScripts.get(frame.location.scriptId);
      const file = url === undefined ? null : pathOf(url);
      if (url === undefined || file === null) continue;
      // Positions are 0-based in the code V8 ran; a source map takes them to the learner's source.
      let line = frame.location.lineNumber;
      let column = frame.location.columnNumber ?? 0;
      let source = file;
      const entry = (findSourceMap(url) ?? findSourceMap(file))?.findEntry(line, column);
      if (entry && 'originalLine' in entry) {
        line = entry.originalLine;
        column = entry.originalColumn;
        source = pathOf(entry.originalSource) ?? file;
      }
      if (!this.isUserFile(source)) continue;
      frames.push({ name: frame.functionName, file: source, line: line + 1, column: column + 1 });
    }
    return frames;
  }
}
