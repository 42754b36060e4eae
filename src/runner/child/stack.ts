/**
 * Stack traces for learners: what went wrong and where in their own files. Frames are mapped
 * to their sources (source maps are on in the script process); Node's, the engine's and the
 * runner's frames are left out; the innermost frame of their code is the error's location.
 * Syntax errors are placed from wherever their place is known (the loader's message, Node's
 * CommonJS header, or V8's own check of a module that failed to compile), and a thrown value
 * that is not an Error is described as what it is, at the place it was thrown.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect, types } from 'node:util';
import type { ScriptError, SourceLocation } from '../../protocol/run-events.js';
import { locateCompileError } from './compile-check.js';
import { ScriptWatch } from './script-watch.js';

/** One frame of a stack, at a position in a file. */
interface Frame {
  async: boolean;
  /** The function (`f`, `new Model`, `Object.<anonymous>`); '' for top-level code. */
  name: string;
  file: string;
  line: number;
  column: number;
}

/** `    at [async ]name (where)` or `    at [async ]where`. */
const FRAME = /^\s*at (async )?(?:(.*?) \((.*)\)|(.*))$/;
const POSITION = /^(.*):(\d+):(\d+)$/;
/** Longest rendering of a thrown non-Error value. */
const SHOWN_VALUE_LIMIT = 200;

function toPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

/** The frame a stack line describes; null for other lines and for frames without a file position. */
function parseFrame(text: string): Frame | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const position = POSITION.exec(m[3] ?? m[4]!);
  if (!position) return null;
  const file = toPath(position[1]!);
  // `native`, `<anonymous>`, `eval at f (…), <anonymous>` are places in no file.
  if (!isAbsolute(file)) return null;
  return { async: m[1] !== undefined, name: m[3] !== undefined ? m[2]! : '', file, line: Number(position[2]), column: Number(position[3]) };
}

function frameText(frame: Frame): string {
  const where = `${frame.file}:${frame.line}:${frame.column}`;
  return `    at ${frame.async ? 'async ' : ''}${frame.name ? `${frame.name} (${where})` : where}`;
}

/** The stack's frames in the learner's files, innermost first. */
function learnerFrames(stack: string, isUserFile: (file: string) => boolean): Frame[] {
  const frames: Frame[] = [];
  for (const text of stack.split('\n')) {
    const frame = parseFrame(text);
    if (frame && isUserFile(frame.file)) frames.push(frame);
  }
  return frames;
}

function locationOf(frame: Frame): SourceLocation {
  return { file: frame.file, line: frame.line, column: frame.column };
}

/** The innermost frame of the stack that lies in one of the learner's files. */
export function userLocation(stack: string, isUserFile: (file: string) => boolean): SourceLocation | undefined {
  for (const text of stack.split('\n')) {
    const frame = parseFrame(text);
    if (frame && isUserFile(frame.file)) return locationOf(frame);
  }
  return undefined;
}

let watch: ScriptWatch | null = null;

/**
 * Watches the learner's code from now on, for what V8 reports only to a debugger: where
 * non-Error values are thrown, and which module failed to compile (see script-watch.ts). Call
 * it before importing the script; describeError uses what it saw.
 */
export function watchThrows(isUserFile: (file: string) => boolean): void {
  watch ??= ScriptWatch.start(isUserFile);
}

/** A property read that cannot fail: getters of the learner's classes may throw. */
function textOf(read: () => unknown): string {
  try {
    const value = read();
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

function isError(thrown: unknown): thrown is Error {
  // `instanceof` would run a Proxy's getPrototypeOf trap: the learner's code.
  return types.isNativeError(thrown) || (!types.isProxy(thrown) && thrown instanceof Error);
}

/** Where a compile error lies and its message without the place, when the error says so itself. */
function statedCompilePlace(message: string, stack: string, isUserFile: (file: string) => boolean): { frame: Frame; message: string } | undefined {
  // The loader's TypeScript errors: "<path>: [Error transforming <path>: ]<message> (<line>:<column>)",
  // with sucrase's 1-based line and column.
  const transpile = /^(.+?): (?:Error transforming .+?: )?(.*) \((\d+):(\d+)\)$/.exec(message);
  if (transpile && isAbsolute(transpile[1]!) && isUserFile(transpile[1]!)) {
    return { frame: { async: false, name: '', file: transpile[1]!, line: Number(transpile[3]), column: Number(transpile[4]) }, message: transpile[2]! };
  }
  // Node's CommonJS compile errors start the stack with "<path>:<line>", the line, a caret under the column.
  const header = /^(.*):(\d+)\r?\n.*\r?\n([ \t]*)\^/.exec(stack);
  if (header) {
    const file = toPath(header[1]!);
    if (isAbsolute(file) && isUserFile(file)) return { frame: { async: false, name: '', file, line: Number(header[2]), column: header[3]!.length + 1 }, message };
  }
  return undefined;
}

/** The error as the event stream carries it: located at the innermost of the learner's frames. */
function scriptError(name: string, message: string, frames: Frame[]): ScriptError {
  const error: ScriptError = { name, message, stack: [`${name}: ${message}`, ...frames.map(frameText)].join('\n') };
  if (frames[0]) error.location = locationOf(frames[0]);
  return error;
}

function describeErrorObject(err: Error, isUserFile: (file: string) => boolean): ScriptError {
  const name = textOf(() => err.name) || 'Error';
  let message = textOf(() => err.message);
  const stack = textOf(() => err.stack);
  let frames = learnerFrames(stack, isUserFile);
  if (name === 'SyntaxError') {
    const stated = statedCompilePlace(message, stack, isUserFile);
    if (stated) {
      message = stated.message;
      frames = [stated.frame];
    } else if (frames.length === 0 && watch) {
      // An ES module that failed to compile: V8 names no place, but the debugger saw which file.
      const location = locateCompileError({ name, message }, watch.failedScripts());
      if (location) frames = [{ async: false, name: '', ...location }];
    }
  }
  return scriptError(name, message, frames);
}

/** "a number, " for `throw 42`: what the value is, before saying it is not an Error. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (types.isProxy(value)) return 'a proxy, ';
  if (Array.isArray(value)) return 'an array, ';
  switch (typeof value) {
    case 'object':
      return 'an object, ';
    case 'function':
      return 'a function, ';
    default:
      return `a ${typeof value}, `;
  }
}

/**
 * The value as one bounded line: its own properties only (no getters or custom inspection run,
 * so showing it runs none of the learner's code), strings quoted and escaped.
 */
function shownValue(value: unknown): string {
  let text: string;
  try {
    text = inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: SHOWN_VALUE_LIMIT, getters: false, customInspect: false, showProxy: false });
  } catch {
    return '(a value that cannot be shown)';
  }
  text = text.replace(/\s*\n\s*/g, ' ');
  return text.length > SHOWN_VALUE_LIMIT ? `${text.slice(0, SHOWN_VALUE_LIMIT - 1)}…` : text;
}

/** `throw 42`, `throw {…}`, `Promise.reject(null)`: the value, what it is, and where it was thrown. */
function describeThrownValue(value: unknown): ScriptError {
  const frames = watch?.siteOf(value)?.map((site): Frame => ({ async: false, ...site })) ?? [];
  const what = `${shownValue(value)} (${kindOf(value)}not an Error`;
  return scriptError('Uncaught', frames.length > 0 ? `${what})` : `${what}, so it has no stack to tell where it was thrown)`, frames);
}

/** Describes a thrown value for the event stream, with the stack trimmed to the learner's frames. */
export function describeError(thrown: unknown, isUserFile: (file: string) => boolean): ScriptError {
  return isError(thrown) ? describeErrorObject(thrown, isUserFile) : describeThrownValue(thrown);
}
