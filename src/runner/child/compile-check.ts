/**
 * Where a SyntaxError lies in code that V8 refused to compile as an ES module: V8 gives that
 * error no file, line or column. Node's `--check` asks the same V8 to compile the same code and
 * prints the place (`[stdin]:<line>`, the line, a caret under the column), so the answer is V8's
 * own, not another parser's guess. Used only after a compile has failed, so the extra process
 * costs nothing while the script runs.
 */
import { spawnSync } from 'node:child_process';
import { SourceMap, type SourceMapPayload } from 'node:module';
import type { SourceLocation } from '../../protocol/run-events.js';
import type { FailedScript } from './script-watch.js';

/** Node's report of a compile error: the place, the source line, the caret, then the error. */
const CHECK_REPORT = /^\[stdin\]:(\d+)\r?\n.*\r?\n([ \t]*)\^[^\n]*\r?\n\r?\n(\w*Error): (.*)$/m;
const INLINE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

interface CheckResult {
  /** 1-based, in the code as compiled. */
  line: number;
  column: number;
  name: string;
  message: string;
}

/** V8's verdict on compiling `source`: the first syntax error, or null when it compiles. */
export function checkSyntax(source: string, isModule: boolean): CheckResult | null {
  const env = { ...process.env };
  // The check is plain Node: none of the run's configuration or preloads apply to it.
  delete env.AUTOGRAD_LAB_RUN;
  delete env.NODE_OPTIONS;
  const result = spawnSync(process.execPath, [`--input-type=${isModule ? 'module' : 'commonjs'}`, '--check'], {
    input: source,
    encoding: 'utf8',
    env,
    timeout: 10_000,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const report = CHECK_REPORT.exec(result.stderr ?? '');
  if (!report) return null;
  return { line: Number(report[1]), column: report[2]!.length + 1, name: report[3]!, message: report[4]! };
}

/**
 * A 1-based position in compiled code taken back to the learner's source by the code's inline
 * source map (the loader's, for TypeScript); null when the map cannot say.
 */
function originalPosition(source: string, line: number, column: number): { line: number; column: number } | null {
  const inline = INLINE_MAP.exec(source);
  if (!inline) return { line, column };
  try {
    const map = new SourceMap(JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')) as SourceMapPayload);
    const entry = map.findEntry(line - 1, column - 1);
    return 'originalLine' in entry ? { line: entry.originalLine + 1, column: entry.originalColumn + 1 } : null;
  } catch {
    return null;
  }
}

/**
 * The place of `error` in one of the scripts that failed to compile (latest first): the first
 * whose compile V8 fails with the same message.
 */
export function locateCompileError(error: { name: string; message: string }, failed: readonly FailedScript[]): SourceLocation | undefined {
  for (const script of failed) {
    const verdict = checkSyntax(script.source, script.isModule);
    if (!verdict || verdict.name !== error.name || verdict.message !== error.message) continue;
    const position = originalPosition(script.source, verdict.line, verdict.column);
    return position ? { file: script.file, ...position } : undefined;
  }
  return undefined;
}
