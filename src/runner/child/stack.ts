/**
 * Stack traces for learners: frames mapped to their own files (source maps are on in the
 * script process), engine and Node internals left out, and the innermost frame of their code
 * picked as the error's location.
 */
import { fileURLToPath } from 'node:url';
import type { ScriptError, SourceLocation } from '../../protocol/run-events.js';

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

interface Frame {
  text: string;
  file: string;
  line: number;
  column: number;
}

function toPath(file: string): string {
  if (file.startsWith('file://')) {
    try {
      return fileURLToPath(file);
    } catch {
      return file;
    }
  }
  return file;
}

function frames(stack: string): Frame[] {
  const out: Frame[] = [];
  for (const text of stack.split('\n')) {
    const m = FRAME.exec(text);
    if (m) out.push({ text, file: toPath(m[2]!), line: Number(m[3]), column: Number(m[4]) });
  }
  return out;
}

/** The innermost frame of the stack that lies in one of the learner's files. */
export function userLocation(stack: string, isUserFile: (file: string) => boolean): SourceLocation | undefined {
  for (const f of frames(stack)) {
    if (isUserFile(f.file)) return { file: f.file, line: f.line, column: f.column };
  }
  return undefined;
}

/** Syntax errors name their place in the message or in a `file:line` first line, not in frames. */
function syntaxLocation(error: { message: string; stack: string }, isUserFile: (file: string) => boolean): SourceLocation | undefined {
  // Our loader's transpile errors: "<path>: <message> (line:column)"
  const fromLoader = /^(.+?): .*\((\d+):(\d+)\)$/m.exec(error.message);
  if (fromLoader && isUserFile(toPath(fromLoader[1]!))) {
    return { file: toPath(fromLoader[1]!), line: Number(fromLoader[2]), column: Number(fromLoader[3]) + 1 };
  }
  // V8's module syntax errors start the stack with "<url>:<line>"
  const head = /^(file:\/\/\S+?|\/\S+?):(\d+)$/m.exec(error.stack);
  if (head && isUserFile(toPath(head[1]!))) return { file: toPath(head[1]!), line: Number(head[2]), column: 1 };
  return undefined;
}

/** Describes a thrown value for the event stream, with the stack trimmed to what helps. */
export function describeError(thrown: unknown, isUserFile: (file: string) => boolean): ScriptError {
  const err = thrown instanceof Error ? thrown : new Error(String(thrown));
  const name = err.name || 'Error';
  const message = err.message;
  const rawStack = err.stack ?? `${name}: ${message}`;
  const kept = rawStack
    .split('\n')
    .filter((line) => {
      const m = FRAME.exec(line);
      if (!m) return false;
      return isUserFile(toPath(m[2]!));
    })
    .join('\n');
  const location = userLocation(rawStack, isUserFile) ?? syntaxLocation({ message, stack: rawStack }, isUserFile);
  const header = `${name}: ${message}`;
  const error: ScriptError = { name, message, stack: kept ? `${header}\n${kept}` : header };
  if (location) error.location = location;
  return error;
}
