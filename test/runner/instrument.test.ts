// Line probes, the source side: instrument() wraps the statements that assign a value to a
// name, and nothing else, without moving any line or changing what the script does.
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
  test('keeps every line where it was', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `const v${i} = Math.sqrt(${i}) * 2; /*L${i + 1}*/`);
    const js = lines.join('\n');
    const { code } = instrument(js, 'lines.js');
    const out = code.split('\n');
    assert.equal(out.length, lines.length);
    out.forEach((line, i) => assert.ok(line.includes(`/*L${i + 1}*/`), `line ${i + 1}: ${line}`));
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

  test('wraps declarations, assignments and compound assignments, with sites in source order', () => {
    const { code, probes } = instrument(SAMPLE, 'sample.js');
    assert.deepEqual(
      probes.map((p) => `${p.id}:${p.line}:${p.column}:${p.name}`),
      ['0:4:9:sum', '1:8:9:loss', '2:9:3:total', '3:12:5:m', '4:12:19:v', '5:13:1:total'],
    );
    const lines = code.split('\n');
    assert.equal(lines[3], '  const sum = __agl_probe(0, values.reduce((a, b) => a + b, 0));');
    assert.equal(lines[7], '  const loss = __agl_probe(1, (xs[i] - 2.5) ** 2);');
    assert.equal(lines[8], '  __agl_probe(2, total += loss);');
    assert.equal(lines[11], 'var m = __agl_probe(3, mean(xs)), v = __agl_probe(4, mean(xs.map((x) => (x - m) ** 2)));');
    assert.equal(lines[12], 'total = __agl_probe(5, total / xs.length);');
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

  test('a comma expression stays one argument', () => {
    const js = 'let a = (Math.abs(1), Math.abs(2));\nconsole.log(a);\n';
    const { code } = instrument(js, 'seq.js');
    const { out, recorded } = run(code);
    assert.deepEqual(out, ['2']);
    assert.deepEqual(recorded[0]!.calls, [[0, 2]]);
  });

  test('a script that starts with an assignment statement gets the prelude before it', () => {
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
    assert.equal(code.split('\n').length, js.split('\n').length);
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

  test('a function hoisted above the prelude can still probe', () => {
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
    assert.equal(code.split('\n').length, js.split('\n').length);
  });

  test('returns code it cannot parse unchanged', () => {
    const js = 'const = ;\n';
    assert.deepEqual(instrument(js, 'bad.js'), { code: js, probes: [] });
  });

  test('returns code with nothing to probe unchanged', () => {
    const js = "console.log('hi');\n";
    assert.equal(instrument(js, 'none.js').code, js);
  });

  test('probes the chapter’s training loop: the loss line, not the epoch counter', () => {
    const ts = readFileSync(join('examples', 'thermometer', '03-sgd.ts'), 'utf8');
    const js = transform(ts, { transforms: ['typescript'], disableESTransforms: true }).code;
    const { code, probes } = instrument(js, '03-sgd.ts');
    assert.equal(code.split('\n').length, js.split('\n').length);
    const loop = probes.filter((p) => p.line >= 46 && p.line <= 57);
    assert.deepEqual(loop.map((p) => `${p.line}:${p.name}`), ['48:t_p', '49:loss']);
    assert.ok(!probes.some((p) => p.name === 'epoch'));
    assert.equal(wrapped(code).length, probes.length);
  });
});
