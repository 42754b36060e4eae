// The loader (src/runner/child/loader.ts) as the learner meets it: an error on a line that line
// probes touched is reported at the learner's column, in TypeScript and JavaScript alike, and
// TypeScript the transpiler would silently drop is refused at load with a SyntaxError that names
// the construct and its line. End to end through the runner (startRun), and the load hook itself.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { MetricsEvent, RunEvent, RunFailedEvent, ScriptError } from '../../src/protocol/run-events.js';
import { startRun } from '../../src/runner/runner.js';
import { load } from '../../src/runner/child/loader.js';

const work = mkdtempSync(join(tmpdir(), 'autograd-lab-loader-'));

function script(name: string, source: string): string {
  const path = join(mkdtempSync(join(work, 'case-')), name);
  writeFileSync(path, source);
  return path;
}

async function run(path: string): Promise<{ events: RunEvent[]; error: ScriptError | null }> {
  const events: RunEvent[] = [];
  const end = await startRun({ script: path, onEvent: (e) => events.push(e) }).done;
  return { events, error: end.type === 'run-failed' ? (end as RunFailedEvent).error : null };
}

/** The script's own line 4 multiplies shapes that do not fit: the engine throws from x.matmul(w). */
const MISMATCH = "import torch from 'autograd-lab';\nconst x = torch.ones([2, 3]);\nconst w = torch.ones([4, 5]);\nconst y = x.matmul(w);\n";

describe('an error on a probed line is reported at the learner’s column', () => {
  for (const name of ['mismatch.ts', 'mismatch.mts', 'mismatch.mjs']) {
    it(`${name}: at the call in the learner’s text, not where the probe moved it`, async () => {
      const path = script(name, MISMATCH);
      const { error } = await run(path);
      assert.equal(error?.name, 'RuntimeError');
      assert.deepEqual(error?.location, { file: path, line: 4, column: 13 });
      assert.match(error!.stack, new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:13\\)?$`, 'm'));
    });
  }

  it('a .ts line whose types the transpiler removed: at the column in the TypeScript', async () => {
    const path = script('typed.ts', MISMATCH.replace('const y = x.matmul(w);', 'const y: ReturnType<typeof x.matmul> = x.matmul(w);'));
    const { error } = await run(path);
    assert.deepEqual(error?.location, { file: path, line: 4, column: 42 });
  });

  for (const name of ['after.ts', 'after.mjs']) {
    it(`${name}: after a probed statement on the same line, the probe’s text is taken out of the column`, async () => {
      const path = script(name, MISMATCH.replace('const y = x.matmul(w);', 'const z = x.sum(); const y = x.matmul(w);'));
      const { error } = await run(path);
      assert.deepEqual(error?.location, { file: path, line: 4, column: 32 });
    });
  }

  for (const name of ['body.ts', 'body.mjs']) {
    it(`${name}: in a var that is a whole if body (its value wrapped by the probe)`, async () => {
      const path = script(name, MISMATCH.replace('const y = x.matmul(w);', 'if (x) var y = x.matmul(w);'));
      const { error } = await run(path);
      assert.deepEqual(error?.location, { file: path, line: 4, column: 18 });
    });
  }

  it('a .ts line with types removed and probes before the call: both are taken out', async () => {
    const path = script('several.ts', MISMATCH.replace('const y = x.matmul(w);', 'const a: number = 1, b = a + 1; const y = x.matmul(w);'));
    const { error } = await run(path);
    assert.deepEqual(error?.location, { file: path, line: 4, column: 45 });
  });

  it('a probed loss series is located at the name’s column in the TypeScript', async () => {
    const path = script('curve.ts', 'for (let epoch = 1; epoch <= 3; epoch++) { const scale: number = 2; const loss = scale / epoch; }\n');
    const { events, error } = await run(path);
    assert.equal(error, null);
    const series = events.filter((e): e is MetricsEvent => e.type === 'metrics').flatMap((e) => e.series);
    assert.deepEqual(series[0]?.location, { file: path, line: 1, column: 75 });
  });
});

/** What the load hook makes of `source` in a file called `name` (the module format and code), or what it throws. */
async function loaded(name: string, source: string): Promise<{ format: string; code: string }> {
  const url = pathToFileURL(script(name, source)).href;
  const next = () => Promise.reject(new Error('the loader handed the file on'));
  const result = await load(url, { conditions: [] }, next);
  return { format: result.format, code: String(result.source) };
}

async function refusal(name: string, source: string): Promise<SyntaxError> {
  try {
    await loaded(name, source);
  } catch (err) {
    assert.ok(err instanceof SyntaxError, String(err));
    return err;
  }
  assert.fail(`${name} was loaded`);
}

describe('TypeScript the transpiler would drop is refused at load, at its line', () => {
  const refused: [string, string, string, RegExp][] = [
    ['namespace.ts', 'const a = 1;\nnamespace Shapes {\n  export const side = 2;\n}\nconsole.log(Shapes.side);\n', '2:1', /a TypeScript namespace \(namespace Shapes\) is not supported: its code would not run/],
    ['dotted.ts', 'namespace A.B {\n  export const c = 1;\n}\n', '1:1', /namespace \(namespace A\)/],
    ['exported.ts', 'export namespace Config {\n  export const lr = 0.01;\n}\n', '1:8', /namespace \(namespace Config\)/],
    ['module-block.ts', '\n  module Helpers { export function f() { return 1; } }\n', '2:3', /a TypeScript module \(module Helpers\)/],
    ['require.ts', "import torch from 'autograd-lab';\nimport fs = require('node:fs');\nconsole.log(fs.existsSync('.'));\n", '2:1', /`import fs = require\(…\)` in an ES module is not supported: write `import fs from …`/],
    ['require.mts', "import os = require('node:os');\nconsole.log(os.cpus());\n", '1:1', /`import os = require\(…\)` in an ES module/],
    ['export-import.ts', 'import nn = Torch.nn;\nexport import Linear = nn.Linear;\n', '2:1', /`export import Linear = …` is not supported/],
    ['export-equals.ts', 'const answer = 42;\nexport = answer;\n', '2:1', /`export =` in an ES module is not supported: write `export default`/],
  ];
  for (const [name, source, place, message] of refused) {
    it(`${name}: refused at ${place}`, async () => {
      const err = await refusal(name, source);
      assert.match(err.message, message);
      assert.ok(err.message.endsWith(` (${place})`), err.message);
      assert.ok(err.message.startsWith(`${join(work)}`), 'names the file');
    });
  }

  it('the runner reports the refusal at the construct’s line and column in the learner’s file', async () => {
    const path = script('refused.ts', 'const x = 1;\n\nnamespace Model {\n  export const w = 2;\n}\nconsole.log(Model.w * x);\n');
    const { error } = await run(path);
    assert.equal(error?.name, 'SyntaxError');
    assert.deepEqual(error?.location, { file: path, line: 3, column: 1 });
    assert.match(error!.message, /^a TypeScript namespace \(namespace Model\) is not supported/);
  });

  const accepted: [string, string, string][] = [
    ['declared.ts', 'declare namespace Shapes {\n  const side: number;\n  namespace Inner { const n: number }\n}\nexport const k = 1;\n', 'export const k = 1;'],
    ['declared-global.ts', 'declare global {\n  namespace NodeJS { interface Global { x: number } }\n}\nexport const g = 2;\n', 'export const g = 2;'],
    ['ambient-module.ts', "declare module 'shapes' {\n  export const side: number;\n}\nexport const m = 3;\n", 'export const m = 3;'],
    ['alias.ts', "import torch, { nn } from 'autograd-lab';\nimport Linear = nn.Linear;\nconst layer = new Linear(1, 1);\n", 'const Linear = nn.Linear;'],
    ['type-require.ts', "import type Fs = require('node:fs');\nconst n: number = 1;\n", 'const n = 1;'],
    ['words.ts', "// a namespace Shapes { ... } in a comment, and a module Helpers {}\nconst text = 'namespace A { }';\nconst namespace = 1;\nconst module = { x: namespace };\n", "const text = 'namespace A { }';"],
  ];
  for (const [name, source, kept] of accepted) {
    it(`${name}: loads, as TypeScript means it`, async () => {
      const { format, code } = await loaded(name, source);
      assert.equal(format, 'module');
      assert.ok(code.includes(kept), code);
    });
  }

  it('a .cts file keeps `import x = require()`: CommonJS has require', async () => {
    const { format, code } = await loaded('helper.cts', "import fs = require('node:fs');\nexport const here = fs.existsSync('.');\n");
    assert.equal(format, 'commonjs');
    assert.ok(code.includes("const fs = require('node:fs');"), code);
  });
});
