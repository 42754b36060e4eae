// Line probes, the source side: instrument() probes the statements that assign a value to a
// name, and nothing else, without moving any line or column of the learner's text or changing
// what the script does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { transform } from 'sucrase';

import { instrument, type ProbeSite } from '../../src/runner/child/instrument.js';

interface Recorded {
  file: string;
  sites: ProbeSite[];
  calls: [number, unknown][];
}

/** Runs `code` as a script in a fresh context; returns what it logged and what it probed. */
function run(code: string, options: { probes?: boolean; filename?: string } = {}): { out: string[]; recorded: Recorded[] } {
  const out: string[] = [];
  const recorded: Recorded[] = [];
  const context: Record<string, unknown> = {
    console: { log: (...args: unknown[]) => out.push(args.map(String).join(' ')) },
  };
  if (options.probes !== false) {
    context.__autogradLab = {
      file(file: string, sites: ProbeSite[]) {
        const r: Recorded = { file, sites, calls: [] };
        recorded.push(r);
        return (id: number, value: unknown) => {
          r.calls.push([id, value]);
          return value;
        };
      },
    };
  }
  vm.runInNewContext(code, context, { filename: options.filename ?? 'script.js' });
  return { out, recorded };
}

function wrapped(code: string): string[] {
  return [...code.matchAll(/__agl_probe\((\d+), /g)].map((m) => m[1]!);
}

const SAMPLE = `let total = 0;
const xs = [1, 2, 3, 4];
function mean(values) {
  const sum = values.reduce((a, b) => a + b, 0);
  return sum / values.length;
}
for (let i = 0; i < xs.length; i++) {
  const loss = (xs[i] - 2.5) ** 2;
  total += loss;
  console.log('step', i, loss.toFixed(3));
}
var m = mean(xs), v = mean(xs.map((x) => (x - m) ** 2));
total = total / xs.length;
console.log(m, v, total);
`;

describe('instrument', () => {
  test('keeps every line where it was; the prelude comes after the last', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `const v${i} = Math.sqrt(${i}) * 2; /*L${i + 1}*/`);
    const js = lines.join('\n');
    const { code } = instrument(js, 'lines.js');
    const out = code.split('\n');
    assert.equal(out.length, lines.length + 1);
    out.slice(0, -1).forEach((line, i) => assert.ok(line.includes(`/*L${i + 1}*/`), `line ${i + 1}: ${line}`));
    assert.match(out.at(-1)!, /^var __agl_p;function __agl_probe/);
  });

  test('keeps every column of the learner’s text: probes go after what they read', () => {
    const js = "const a = 1 + 1;\nlet b = a * 2;\nb = b + 1;\nconst c = (() => { throw new Error('here'); })();\n";
    const columnOf = (code: string) => {
      try {
        run(code, { filename: 'columns.js' });
      } catch (e) {
        return /columns\.js:(\d+:\d+)/.exec((e as Error).stack ?? '')?.[1];
      }
      return undefined;
    };
    const { code } = instrument(js, 'columns.js');
    assert.equal(columnOf(js), '4:26');
    assert.equal(columnOf(code), '4:26');
    js.split('\n').forEach((line, i) => assert.ok(code.split('\n')[i]!.startsWith(line.replace(/;$/, '')), `line ${i + 1}`));
  });

  test('an error thrown from an instrumented line reports the same line number', () => {
    const js = "const a = 1 + 1;\nconst b = a * 2;\n\nconst c = (() => { throw new Error('here'); })();\n";
    const lineOf = (code: string) => {
      try {
        run(code, { filename: 'lines.js' });
      } catch (e) {
        return /lines\.js:(\d+)/.exec((e as Error).stack ?? '')?.[1];
      }
      return undefined;
    };
    assert.equal(lineOf(js), '4');
    assert.equal(lineOf(instrument(js, 'lines.js').code), '4');
  });

  test('the instrumented script prints exactly what the original prints', () => {
    const plain = run(SAMPLE, { probes: false }).out;
    const probed = run(instrument(SAMPLE, 'sample.js').code).out;
    assert.deepEqual(probed, plain);
    assert.ok(plain.length > 3);
  });

  test('probes a declaration after it, an assignment as the last term of its statement, with sites in source order', () => {
    const { code, probes } = instrument(SAMPLE, 'sample.js');
    assert.deepEqual(
      probes.map((p) => `${p.id}:${p.line}:${p.column}:${p.name}`),
      ['0:4:9:sum', '1:8:9:loss', '2:9:3:total', '3:12:5:m', '4:12:19:v', '5:13:1:total'],
    );
    const lines = code.split('\n');
    assert.equal(lines[3], '  const sum = values.reduce((a, b) => a + b, 0);__agl_probe(0, sum);');
    assert.equal(lines[7], '  const loss = (xs[i] - 2.5) ** 2;__agl_probe(1, loss);');
    assert.equal(lines[8], '  total += loss, __agl_probe(2, total);');
    assert.equal(lines[11], 'var m = mean(xs), v = mean(xs.map((x) => (x - m) ** 2));__agl_probe(3, m);__agl_probe(4, v);');
    assert.equal(lines[12], 'total = total / xs.length, __agl_probe(5, total);');
  });

  test('a declaration that ends without a semicolon gets one before its probe', () => {
    // The first ends at its line break (ASI); the second at the semicolon that starts the next line.
    const js = 'let a = Math.abs(-1)\nconst b = a\n;[b].forEach((v) => console.log(v))\n';
    const { code } = instrument(js, 'asi.js');
    assert.deepEqual(code.split('\n').slice(0, 3), ['let a = Math.abs(-1);__agl_probe(0, a);', 'const b = a', ';__agl_probe(1, b);[b].forEach((v) => console.log(v))']);
    assert.deepEqual(run(code).out, ['1']);
  });

  test('a loop or if body without braces stays one statement', () => {
    const js = 'let total = 0;\nfor (let i = 0; i < 3; i++) total = total + i;\nif (total > 100) total = -1;\nconsole.log(total);\n';
    const { code } = instrument(js, 'bodies.js');
    const { out, recorded } = run(code);
    assert.deepEqual(out, ['3']);
    assert.deepEqual(recorded[0]!.calls, [[0, 0], [0, 1], [0, 3]]);
  });

  test('a var that is the whole body of an if is probed by wrapping its value', () => {
    const js = 'let n = Math.abs(2);\nif (n) var w = Math.sqrt(n * 8);\nconsole.log(w);\n';
    const { code } = instrument(js, 'wrap.js');
    assert.equal(code.split('\n')[1], 'if (n) var w = __agl_probe(1, Math.sqrt(n * 8));');
    const { out, recorded } = run(code);
    assert.deepEqual(out, ['4']);
    assert.deepEqual(recorded[0]!.calls, [[0, 2], [1, 4]]);
  });

  test('probes an exported declaration after the export', () => {
    const { code, probes } = instrument("import fs from 'node:fs';\nexport const size = Math.abs(-2);\n", 'export.mjs');
    assert.deepEqual(probes.map((p) => p.name), ['size']);
    assert.equal(code.split('\n')[1], 'export const size = Math.abs(-2);__agl_probe(0, size);');
  });

  test('probes report each value as it is assigned', () => {
    const { code } = instrument(SAMPLE, 'sample.js');
    const { recorded } = run(code);
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]!.file, 'sample.js');
    const byId = (id: number) => recorded[0]!.calls.filter(([i]) => i === id).map(([, v]) => v);
    assert.deepEqual(byId(1), [2.25, 0.25, 0.25, 2.25]);
    assert.deepEqual(byId(2), [2.25, 2.5, 2.75, 5]);
    assert.deepEqual(byId(5), [1.25]);
  });

  test('leaves loop heads alone: the counter of a for loop is not a probe', () => {
    const js = 'for (let i = 0, n = 3; i < n; i++) {}\nfor (const k in {a: 1}) {}\nfor (const x of [1]) {}\nfor (var j = 0; j < 1; j++) {}\n';
    const { code, probes } = instrument(js, 'loops.js');
    assert.equal(code, js);
    assert.deepEqual(probes, []);
  });

  test('leaves destructuring, functions, classes, require and import() alone', () => {
    const js = [
      'const [a, b] = [1, 2];',
      'const { c } = { c: 3 };',
      'const f = function () { return 1; };',
      'const g = () => 2;',
      'const K = class {};',
      "const fs = require('fs');",
      "const mod = import('node:path');",
      "async function h() { const p = await import('node:path'); return p; }",
    ].join('\n');
    const { probes } = instrument(js, 'skip.js');
    assert.deepEqual(probes, []);
  });

  test('leaves obviously non-scalar initializers alone: literals, arrays, objects, templates, new', () => {
    const js = [
      'let n = 0;',
      "const s = 'text';",
      'const neg = -1;',
      'const arr = [1, 2];',
      'const obj = { a: 1 };',
      'const tpl = `x${n}`;',
      'const tag = String.raw`x`;',
      'n = 5;',
      "n = 'five';",
    ].join('\n');
    const { probes } = instrument(js, 'skip.js');
    assert.deepEqual(probes, []);
  });

  test('probes `new` initializers, so a model built with new names its parameters', () => {
    const { probes } = instrument('const model = new Net();\n', 'new.js');
    assert.deepEqual(probes.map((p) => p.name), ['model']);
  });

  test('leaves assignments that are not statements of a plain name alone', () => {
    const js = 'const o = {};\no.x = Math.abs(1);\nlet y;\nconsole.log(y = Math.abs(2));\nif ((y = Math.abs(3))) {}\n';
    const { probes } = instrument(js, 'skip.js');
    assert.deepEqual(probes, []);
  });

  test('a chained assignment probes the outer name once', () => {
    const js = 'let a, b;\na = b = Math.sqrt(4);\nconsole.log(a, b);\n';
    const { code, probes } = instrument(js, 'chain.js');
    assert.deepEqual(probes.map((p) => p.name), ['a']);
    assert.deepEqual(run(code).out, ['2 2']);
  });

  test('a declaration of a comma expression is probed with its value', () => {
    const js = 'let a = (Math.abs(1), Math.abs(2));\nconsole.log(a);\n';
    const { code } = instrument(js, 'seq.js');
    const { out, recorded } = run(code);
    assert.deepEqual(out, ['2']);
    assert.deepEqual(recorded[0]!.calls, [[0, 2]]);
  });

  test('a script that starts with an assignment statement probes it: the prelude after the last line is hoisted', () => {
    const js = 'x += Math.abs(1);\nconsole.log(x);\n';
    const { code } = instrument(js, 'first.js');
    const context = { x: 1, console: { log: (v: unknown) => assert.equal(v, 2) } };
    vm.runInNewContext(code, context);
    assert.equal(context.x, 2);
  });

  test("keeps a 'use strict' directive in force", () => {
    const js = "'use strict';\nconst a = Math.abs(1);\nundeclared = a;\n";
    const { code } = instrument(js, 'strict.js');
    assert.ok(code.startsWith("'use strict';"));
    assert.throws(() => run(code), (e: Error) => e.name === 'ReferenceError');
    assert.throws(() => run(js), (e: Error) => e.name === 'ReferenceError');
  });

  test('keeps a hashbang line first', () => {
    const js = '#!/usr/bin/env node\nconst a = Math.abs(-3);\nconsole.log(a);\n';
    const { code } = instrument(js, 'bang.js');
    assert.ok(code.startsWith('#!/usr/bin/env node\n'));
    assert.equal(code.split('\n').length, js.split('\n').length + 1);
  });

  test('keeps the temporal dead zone of let and const', () => {
    const js = 'const early = () => late;\nlet v;\ntry { early(); } catch (e) { v = e.name; }\nconsole.log(v);\nconst late = Math.abs(1);\nconsole.log(late);\nlet self = typeof self;\nconsole.log(self);\n';
    const outcome = (code: string, probes: boolean) => {
      const out: string[] = [];
      const context = {
        console: { log: (v: unknown) => out.push(String(v)) },
        __autogradLab: probes ? { file: () => (_id: number, v: unknown) => v } : undefined,
      };
      try {
        vm.runInNewContext(code, context);
      } catch (e) {
        out.push(`threw ${(e as Error).name}`);
      }
      return out;
    };
    const plain = outcome(js, false);
    assert.deepEqual(plain, ['ReferenceError', '1', 'threw ReferenceError']);
    assert.deepEqual(outcome(instrument(js, 'tdz.js').code, true), plain);
  });

  test('keeps generators and async functions working', async () => {
    const js = [
      'function* gen() { const a = yield 1; const b = yield a * 2; return a + b; }',
      'const it = gen(); it.next(); it.next(5); const r = it.next(7).value;',
      'async function f() { const x = await Promise.resolve(3); let y = await x; y *= 2; return y; }',
      'globalThis.result = f().then((v) => [r, v]);',
    ].join('\n');
    const context: Record<string, unknown> = {
      __autogradLab: { file: () => (_id: number, v: unknown) => v },
    };
    vm.runInNewContext(instrument(js, 'gen.js').code, context);
    assert.deepEqual([...(await (context.result as Promise<number[]>))], [12, 6]);
  });

  test('keeps the names functions get from their declaration', () => {
    const js = 'const f = () => 1;\nconst g = function () {};\nlet h;\nh = () => 2;\nconsole.log(f.name, g.name, h.name);\n';
    assert.deepEqual(run(instrument(js, 'names.js').code).out, ['f g h']);
  });

  test('a function called before the prelude’s place can still probe', () => {
    const js = "console.log(first());\nfunction first() { const v = Math.abs(-4); return v; }\n";
    const { recorded, out } = run(instrument(js, 'hoist.js').code);
    assert.deepEqual(out, ['4']);
    assert.deepEqual(recorded[0]!.calls, [[0, 4]]);
  });

  test('instrumented code runs unchanged without the runner (probes are a no-op)', () => {
    const { out } = run(instrument(SAMPLE, 'sample.js').code, { probes: false });
    assert.deepEqual(out, run(SAMPLE, { probes: false }).out);
  });

  test('parses ES modules: imports, top-level await, class fields', () => {
    const js = "import fs from 'node:fs';\nexport const size = await Promise.resolve(fs.constants.F_OK);\nclass A { #p = 1; static s = 2; }\nexport let z = size + 1;\n";
    const { code, probes } = instrument(js, 'mod.mjs');
    assert.deepEqual(probes.map((p) => p.name), ['size', 'z']);
    assert.equal(code.split('\n').length, js.split('\n').length + 1);
  });

  test('returns code it cannot parse unchanged', () => {
    const js = 'const = ;\n';
    assert.deepEqual(instrument(js, 'bad.js'), { code: js, probes: [], insertions: [] });
  });

  test('returns code with nothing to probe unchanged', () => {
    const js = "console.log('hi');\n";
    assert.equal(instrument(js, 'none.js').code, js);
  });

  test('reports every insertion by its line and column in the input and its length, in order', () => {
    const js = "'use strict';\nlet n = 0;\nn += Math.sqrt(2);\r\nconst a = f(n), b = (1, 2) && n;\nif (n) var w = g(n);\n";
    const { code, insertions } = instrument(js, 'edits.js');
    assert.deepEqual(insertions, [
      { line: 2, column: 17, length: ', __agl_probe(0, n)'.length },
      { line: 3, column: 32, length: '__agl_probe(1, a);'.length },
      { line: 3, column: 32, length: '__agl_probe(2, b);'.length },
      { line: 4, column: 15, length: '__agl_probe(3, '.length },
      { line: 4, column: 19, length: ')'.length },
    ]);
    // Applying the insertions to the input gives the instrumented code, up to the prelude.
    const lines = js.split('\n');
    const applied = lines.map((text, line) => {
      let out = text;
      for (const { column, length } of insertions.filter((i) => i.line === line).reverse()) out = out.slice(0, column) + '\u0000'.repeat(length) + out.slice(column);
      return out;
    });
    const marked = code
      .split('\n')
      .slice(0, lines.length)
      .map((text, line) => [...text].map((c, i) => (applied[line]![i] === '\u0000' ? '\u0000' : c)).join(''));
    assert.deepEqual(marked, applied);
  });

  test('counts lines as V8 does: a lone carriage return or a line separator ends a line too', () => {
    const js = 'let a = 1;\rlet b = f(a);\u2028let c = f(b);\n';
    const { insertions } = instrument(js, 'breaks.js');
    assert.deepEqual(
      insertions.map(({ line, column }) => [line, column]),
      [[1, 13], [2, 13]],
    );
  });

  test('reports probe sites at the learner’s column when it is given how columns map', () => {
    const { probes } = instrument('const a = 1, loss = f(a);\n', 'mapped.ts', { sourceColumn: (line, column) => (line === 0 ? column + 8 : column) });
    assert.deepEqual(probes.map((p) => [p.name, p.column]), [['loss', 22]]);
  });

  test('with the tokens option, reports where each token starts', () => {
    const { tokens } = instrument('let x = f(1);\n  x = g(x);\n', 'tokens.js', { tokens: true });
    assert.deepEqual(
      tokens!.map(({ line, column, closer }) => `${line}:${column}${closer ? ' closer' : ''}`),
      ['0:0', '0:4', '0:6', '0:8', '0:9', '0:10', '0:11 closer', '0:12 closer', '1:2', '1:4', '1:6', '1:7', '1:8', '1:9 closer', '1:10 closer', '2:0'],
    );
  });

  test('probes the chapter’s training loop: the loss line, not the epoch counter', () => {
    const ts = readFileSync(join('examples', 'thermometer', '03-sgd.ts'), 'utf8');
    const js = transform(ts, { transforms: ['typescript'], disableESTransforms: true }).code;
    const { code, probes } = instrument(js, '03-sgd.ts');
    assert.equal(code.split('\n').length, js.split('\n').length + 1);
    const loop = probes.filter((p) => p.line >= 46 && p.line <= 57);
    assert.deepEqual(loop.map((p) => `${p.line}:${p.name}`), ['48:t_p', '49:loss']);
    assert.ok(!probes.some((p) => p.name === 'epoch'));
    assert.equal(wrapped(code).length, probes.length);
  });
});
