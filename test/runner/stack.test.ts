// How a thrown value is described to the learner (src/runner/child/stack.ts), case by case, in
// this process: stack lines parsed as V8 and Node write them, and non-Error values shown as what
// they are without running any of their code. Through real runs: error-locations.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeError, userLocation } from '../../src/runner/child/stack.js';

const inUserFolder = (file: string) => file.startsWith('/home/learner/');

describe('userLocation', () => {
  it('reads the path of an `at async` frame without the async keyword', () => {
    const stack = 'Error: x\n    at async file:///opt/autograd-lab/dist/runner/child/host.js:119:9';
    assert.deepEqual(userLocation(stack, (file) => file === '/opt/autograd-lab/dist/runner/child/host.js'), {
      file: '/opt/autograd-lab/dist/runner/child/host.js',
      line: 119,
      column: 9,
    });
  });

  it('takes the innermost frame in the learner’s files, past the engine’s', () => {
    const stack = [
      'RuntimeError: shapes',
      '    at Tensor.matmul (/opt/autograd-lab/dist/engine/tensor.js:10:11)',
      '    at new Model (/home/learner/model.ts:4:7)',
      '    at /home/learner/train.ts:9:1',
    ].join('\n');
    assert.deepEqual(userLocation(stack, inUserFolder), { file: '/home/learner/model.ts', line: 4, column: 7 });
  });

  it('reads paths with spaces and parentheses', () => {
    const stack = 'Error: x\n    at f (/home/learner/my runs (old)/train.js:3:5)';
    assert.deepEqual(userLocation(stack, inUserFolder), { file: '/home/learner/my runs (old)/train.js', line: 3, column: 5 });
  });

  it('ignores places that are not files (eval, native, relative names)', () => {
    const stack = [
      'Error: x',
      '    at eval (eval at run (/opt/x.js:1:1), <anonymous>:1:1)',
      '    at Array.map (<anonymous>)',
      '    at async Promise.all (index 0)',
      '    at home/learner/not-absolute.js:1:1',
    ].join('\n');
    assert.equal(userLocation(stack, () => true), undefined);
  });
});

describe('describeError of an Error', () => {
  it('keeps only the learner’s frames, written with paths rather than file URLs', () => {
    const err = new TypeError('bad');
    err.stack = [
      'TypeError: bad',
      '    at f (file:///home/learner/train.mjs:2:8)',
      '    at file:///home/learner/train.mjs:4:1',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)',
      '    at async file:///opt/autograd-lab/dist/runner/child/host.js:119:9',
    ].join('\n');
    assert.deepEqual(describeError(err, inUserFolder), {
      name: 'TypeError',
      message: 'bad',
      stack: 'TypeError: bad\n    at f (/home/learner/train.mjs:2:8)\n    at /home/learner/train.mjs:4:1',
      location: { file: '/home/learner/train.mjs', line: 2, column: 8 },
    });
  });

  it('places a CommonJS syntax error at the caret under Node’s copy of the line', () => {
    const err = new SyntaxError(`Unexpected token ')'`);
    err.stack = `/home/learner/train.js:7\n\tx = ) ;\n\t    ^\n\nSyntaxError: Unexpected token ')'\n    at wrapSafe (node:internal/modules/cjs/loader:1464:18)`;
    assert.deepEqual(describeError(err, inUserFolder).location, { file: '/home/learner/train.js', line: 7, column: 6 });
  });

  it('places a TypeScript transpile error and says its message once, without the file', () => {
    const err = new SyntaxError('/home/learner/train.ts: Error transforming /home/learner/train.ts: Unexpected token, expected ";" (3:12)');
    const error = describeError(err, inUserFolder);
    assert.equal(error.message, 'Unexpected token, expected ";"');
    assert.deepEqual(error.location, { file: '/home/learner/train.ts', line: 3, column: 12 });
    assert.equal(error.stack, 'SyntaxError: Unexpected token, expected ";"\n    at /home/learner/train.ts:3:12');
  });

  it('places a SyntaxError raised by running code (JSON.parse) at the learner’s call, not as a compile error', () => {
    const err = new SyntaxError('Unexpected end of JSON input');
    err.stack = 'SyntaxError: Unexpected end of JSON input\n    at JSON.parse (<anonymous>)\n    at load (/home/learner/data.ts:5:15)';
    assert.deepEqual(describeError(err, inUserFolder).location, { file: '/home/learner/data.ts', line: 5, column: 15 });
  });

  it('survives an Error whose name and message getters throw', () => {
    class Hostile extends Error {
      override get message(): string {
        throw new Error('no');
      }
    }
    const error = describeError(new Hostile(), inUserFolder);
    assert.equal(error.name, 'Error');
    assert.equal(error.message, '');
  });
});

describe('describeError of a value that is not an Error', () => {
  // No watcher runs in this process, so no site is known: the message says so.
  const NO_SITE = 'so it has no stack to tell where it was thrown';

  it('names the kind of value and that it is not an Error', () => {
    assert.equal(describeError(42, inUserFolder).message, `42 (a number, not an Error, ${NO_SITE})`);
    assert.equal(describeError('text', inUserFolder).message, `'text' (a string, not an Error, ${NO_SITE})`);
    assert.equal(describeError(null, inUserFolder).message, `null (not an Error, ${NO_SITE})`);
    assert.equal(describeError(undefined, inUserFolder).message, `undefined (not an Error, ${NO_SITE})`);
    assert.equal(describeError(10n, inUserFolder).message, `10n (a bigint, not an Error, ${NO_SITE})`);
    assert.equal(describeError([1, 2], inUserFolder).message, `[ 1, 2 ] (an array, not an Error, ${NO_SITE})`);
  });

  it('is named Uncaught, with no location when its site is unknown', () => {
    const error = describeError({ code: 3 }, inUserFolder);
    assert.equal(error.name, 'Uncaught');
    assert.equal(error.stack, `Uncaught: { code: 3 } (an object, not an Error, ${NO_SITE})`);
    assert.equal(error.location, undefined);
  });

  it('shows an object on one line of at most 200 characters', () => {
    const shown = describeError({ text: 'x'.repeat(5000), nested: { deeper: { deepest: { end: 1 } } } }, inUserFolder).message.split(' (an object')[0]!;
    assert.equal(shown.length, 200);
    assert.ok(shown.endsWith('…'));
    assert.doesNotMatch(shown, /\n/);
  });

  it('runs none of the value’s code: getters, toString, custom inspection or proxy traps', () => {
    let ran = 0;
    const value = {
      get boom() {
        ran++;
        return 1;
      },
      toString() {
        ran++;
        return 'mine';
      },
      [Symbol.for('nodejs.util.inspect.custom')]() {
        ran++;
        return 'custom';
      },
    };
    const trap = () => {
      ran++;
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap });
    describeError(value, inUserFolder);
    describeError(proxy, inUserFolder);
    assert.equal(ran, 0);
  });

  it('escapes control characters of a thrown string', () => {
    assert.match(describeError('a\u001b[2Jb\n', inUserFolder).message, /^'a\\x1B\[2Jb\\n' \(a string/);
  });
});
