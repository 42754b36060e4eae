// Where a script's error is reported: the learner's file, line and column, for .js (CommonJS and
// ES module), .mjs, .cjs, .ts and .mts scripts, syntax and runtime errors alike, with only the
// learner's frames in the stack; a thrown value that is not an Error is described as what it is,
// at the line that threw it. Each case runs through the runner API (startRun) and the CLI
// (bin/autograd-lab.mjs, from dist/: run `npm run build` first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { RunFailedEvent, ScriptError } from '../../src/protocol/run-events.js';
import { startRun } from '../../src/runner/runner.js';

const work = mkdtempSync(join(tmpdir(), 'autograd-lab-error-locations-'));
const cli = resolve('bin', 'autograd-lab.mjs');

/** Writes `source` to a fresh folder of its own (so helper modules of different cases never mix). */
function script(name: string, source: string, helpers: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(work, 'case-'));
  for (const [helper, text] of Object.entries(helpers)) writeFileSync(join(dir, helper), text);
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

async function errorOf(path: string): Promise<ScriptError> {
  const end = await startRun({ script: path }).done;
  assert.equal(end.type, 'run-failed', JSON.stringify(end));
  assert.equal((end as RunFailedEvent).reason, 'error');
  return (end as RunFailedEvent).error;
}

function runCli(path: string): { code: number | null; err: string } {
  const r = spawnSync(process.execPath, [cli, 'run', path], { encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

/** The `at …` lines of a stack. */
function frameLines(stack: string): string[] {
  return stack.split('\n').filter((line) => /^\s+at /.test(line));
}

interface SyntaxCase {
  name: string;
  source: string;
  helpers?: Record<string, string>;
  /** The file the error is in, relative to the script's folder (default: the script). */
  file?: string;
  line: number;
  column: number;
  message: string;
}

const V8_UNEXPECTED_SEMICOLON = `Unexpected token ';'`;
const SYNTAX_CASES: SyntaxCase[] = [
  { name: 'syntax.js', source: `const a = 1;\nconst b = ;\n`, line: 2, column: 11, message: V8_UNEXPECTED_SEMICOLON },
  { name: 'syntax-esm.js', source: `import torch from 'autograd-lab';\nconst b = ;\n`, line: 2, column: 11, message: V8_UNEXPECTED_SEMICOLON },
  { name: 'syntax.mjs', source: `const a = 1;\nconst b = ;\n`, line: 2, column: 11, message: V8_UNEXPECTED_SEMICOLON },
  { name: 'syntax.cjs', source: `const a = 1;\nconst b = ;\n`, line: 2, column: 11, message: V8_UNEXPECTED_SEMICOLON },
  // Errors found while transpiling TypeScript: the transpiler's message, without the file name twice.
  { name: 'syntax.ts', source: `const a: number = 1;\nconst b = ;\n`, line: 2, column: 11, message: 'Unexpected token' },
  { name: 'syntax.mts', source: `const a: number = 1;\nconst b = ;\n`, line: 2, column: 11, message: 'Unexpected token' },
  // Errors only V8 finds, in the transpiled TypeScript: placed back in the .ts source.
  { name: 'redeclared.ts', source: `const a: number = 1;\nfunction f(): void { let q = 2; let q = 3; }\n`, line: 2, column: 37, message: `Identifier 'q' has already been declared` },
  { name: 'redeclared.mts', source: `const a: number = 1;\nfunction f(): void { let q = 2; let q = 3; }\n`, line: 2, column: 37, message: `Identifier 'q' has already been declared` },
  // In a helper module: the helper's line, not the import's.
  { name: 'imports-broken.mjs', source: `import { b } from './broken.mjs';\nconsole.log(b);\n`, helpers: { 'broken.mjs': `export const a = 1;\nexport const b = (a +;\n` }, file: 'broken.mjs', line: 2, column: 22, message: V8_UNEXPECTED_SEMICOLON },
  { name: 'imports-broken.ts', source: `import { helper } from './helper';\nhelper();\n`, helpers: { 'helper.ts': `export function helper(): void {\n  let n = 1;\n  let n = 2;\n}\n` }, file: 'helper.ts', line: 3, column: 7, message: `Identifier 'n' has already been declared` },
];

describe('syntax errors are reported at their file, line and column', () => {
  for (const c of SYNTAX_CASES) {
    const expectedFile = (path: string) => join(path, '..', c.file ?? c.name);
    it(`${c.name}, through the runner API`, async () => {
      const path = script(c.name, c.source, c.helpers);
      const error = await errorOf(path);
      assert.equal(error.name, 'SyntaxError');
      assert.equal(error.message, c.message);
      assert.deepEqual(error.location, { file: expectedFile(path), line: c.line, column: c.column });
      assert.deepEqual(frameLines(error.stack), [`    at ${expectedFile(path)}:${c.line}:${c.column}`]);
    });
  }
});

describe('the CLI prints a syntax error’s place first', () => {
  for (const c of SYNTAX_CASES.filter((c) => !c.name.endsWith('.cjs'))) {
    it(c.name, () => {
      const path = script(c.name, c.source, c.helpers);
      const where = `${join(path, '..', c.file ?? c.name)}:${c.line}:${c.column}`;
      assert.deepEqual(runCli(path), { code: 1, err: `${where}\nSyntaxError: ${c.message}\n    at ${where}\n` });
    });
  }
});

/** `f()` reads a property of null on line 2, column 8; top-level code calls it on line 4. */
const RUNTIME_ERROR = `function f() {\n  return (null as any).x;\n}\nf();\n`;
const RUNTIME_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts'];
function runtimeSource(ext: string): string {
  return ext.endsWith('ts') ? RUNTIME_ERROR : RUNTIME_ERROR.replace('(null as any)', '(null)');
}

describe('runtime errors keep only the learner’s frames', () => {
  for (const ext of RUNTIME_EXTENSIONS) {
    it(`${ext}: located at the throwing line, with no runner or Node frame in the stack`, async () => {
      const path = script(`runtime${ext}`, runtimeSource(ext));
      const error = await errorOf(path);
      assert.equal(error.name, 'TypeError');
      assert.deepEqual(error.location, { file: path, line: 2, column: ext.endsWith('ts') ? 24 : 17 });
      const frames = frameLines(error.stack);
      assert.equal(frames.length, 2, error.stack);
      assert.ok(frames.every((line) => line.includes(`(${path}:`) || line.includes(` ${path}:`)), error.stack);
      assert.match(frames[1]!, /:4:1\)?$/);
    });
  }

  it('an error raised inside the engine is placed at the learner’s call, without the engine’s frames', async () => {
    const path = script('engine-error.mjs', `import torch from 'autograd-lab';\nconst x = torch.ones([2, 3]);\nconst y = torch.ones([4, 5]);\nx.matmul(y);\n`);
    const error = await errorOf(path);
    assert.equal(error.name, 'RuntimeError');
    assert.deepEqual(error.location, { file: path, line: 4, column: 3 });
    assert.deepEqual(frameLines(error.stack), [`    at ${path}:4:3`]);
  });
});

describe('the CLI prints a runtime error with the learner’s frames only', () => {
  for (const ext of RUNTIME_EXTENSIONS.filter((e) => e !== '.cjs')) {
    it(ext, () => {
      const path = script(`runtime${ext}`, runtimeSource(ext));
      const column = ext.endsWith('ts') ? 24 : 17;
      const r = runCli(path);
      assert.equal(r.code, 1);
      const lines = r.err.trimEnd().split('\n');
      assert.equal(lines[0], `${path}:2:${column}`);
      assert.equal(lines[1], `TypeError: Cannot read properties of null (reading 'x')`);
      assert.equal(lines.length, 4, r.err);
      assert.ok(lines.slice(2).every((line) => line.includes(path)), r.err);
    });
  }
});

interface ThrowCase {
  name: string;
  source: string;
  message: string;
  line: number;
  column: number;
}

const THROW_CASES: ThrowCase[] = [
  { name: 'throw-number.ts', source: `const x: number = 1;\n\nthrow 42;\n`, message: '42 (a number, not an Error)', line: 3, column: 1 },
  { name: 'throw-null.js', source: `const x = 1;\nthrow null;\n`, message: 'null (not an Error)', line: 2, column: 1 },
  { name: 'throw-undefined.mjs', source: `const x = 1;\nthrow undefined;\n`, message: 'undefined (not an Error)', line: 2, column: 1 },
  { name: 'throw-string.mts', source: `function check(v: number) {\n  if (v > 1) throw 'too big';\n}\ncheck(2);\n`, message: `'too big' (a string, not an Error)`, line: 2, column: 14 },
  { name: 'throw-object.cjs', source: `function check(v) {\n  throw { v, reason: 'too big' };\n}\ncheck(2);\n`, message: `{ v: 2, reason: 'too big' } (an object, not an Error)`, line: 2, column: 3 },
  { name: 'throw-in-async.mjs', source: `async function load() {\n  await null;\n  throw 7;\n}\nawait load();\n`, message: '7 (a number, not an Error)', line: 3, column: 3 },
  { name: 'throw-in-timer.js', source: `setTimeout(() => {\n  throw false;\n}, 1);\n`, message: 'false (a boolean, not an Error)', line: 2, column: 3 },
  { name: 'unhandled-rejection.ts', source: `const x: number = 1;\nPromise.reject(x);\n`, message: '1 (a number, not an Error)', line: 2, column: 9 },
  { name: 'rethrown.ts', source: `try { throw 1; } catch {}\ntry { throw 2; } catch (e) {\n  throw e;\n}\n`, message: '2 (a number, not an Error)', line: 3, column: 3 },
];

describe('a thrown value that is not an Error is described, at the line that threw it', () => {
  for (const c of THROW_CASES) {
    it(`${c.name}, through the runner API`, async () => {
      const path = script(c.name, c.source);
      const error = await errorOf(path);
      assert.equal(error.name, 'Uncaught');
      assert.equal(error.message, c.message);
      assert.deepEqual(error.location, { file: path, line: c.line, column: c.column });
      assert.equal(error.stack.split('\n')[0], `Uncaught: ${c.message}`);
      assert.match(frameLines(error.stack)[0]!, new RegExp(`${path}:${c.line}:${c.column}\\)?$`));
    });
  }

  it('a value thrown at two places is reported at the one that ended the script', async () => {
    const path = script('twice.ts', `try {\n  throw 3;\n} catch {}\nconst again = (): never => {\n  throw 3;\n};\nagain();\n`);
    assert.deepEqual((await errorOf(path)).location, { file: path, line: 5, column: 3 });
  });
});

describe('the CLI prints a thrown non-Error with its place', () => {
  for (const c of THROW_CASES.filter((c) => !c.name.endsWith('.cjs'))) {
    it(c.name, () => {
      const path = script(c.name, c.source);
      const r = runCli(path);
      assert.equal(r.code, 1);
      const lines = r.err.trimEnd().split('\n');
      assert.equal(lines[0], `${path}:${c.line}:${c.column}`);
      assert.equal(lines[1], `Uncaught: ${c.message}`);
    });
  }
});

describe('watching where values are thrown changes nothing the script does', () => {
  it('a script that throws and catches its own values runs to its end', async () => {
    const path = script('catches.mjs', `let caught = 0;\nfor (let i = 0; i < 200; i++) {\n  try { throw i; } catch (e) { caught += e === i ? 1 : 0; }\n  try { JSON.parse('{'); } catch { caught++; }\n}\nconsole.log(caught);\n`);
    let stdout = '';
    const end = await startRun({ script: path, onEvent: (e) => void (e.type === 'output' && (stdout += e.text)) }).done;
    assert.equal(end.type, 'run-finished');
    assert.equal(stdout, '400\n');
  });

  it('a debugger statement does not stop the script', async () => {
    const path = script('debugger.js', `let a = 1;\ndebugger;\nconsole.log('after', a);\n`);
    let stdout = '';
    const end = await startRun({ script: path, onEvent: (e) => void (e.type === 'output' && (stdout += e.text)) }).done;
    assert.equal(end.type, 'run-finished');
    assert.equal(stdout, 'after 1\n');
  });
});

describe('a .cjs script', () => {
  it('is accepted by the CLI, and its error located', () => {
    const dir = join(work, 'cjs-cli');
    mkdirSync(dir);
    const path = join(dir, 'runtime.cjs');
    writeFileSync(path, runtimeSource('.cjs'));
    const r = runCli(path);
    assert.equal(r.code, 1);
    assert.equal(r.err.split('\n')[0], `${path}:2:17`);
  });
});
