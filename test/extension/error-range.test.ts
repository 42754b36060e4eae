import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expressionRange } from '../../src/extension/error-range.js';

const squiggled = (line: string, column: number) => {
  const { start, end } = expressionRange(line, column);
  return line.slice(start, end);
};

test('a failing method call is squiggled from its receiver to its closing parenthesis, not the ; and comment', () => {
  const line = 'const c = a.matmul(b); // shapes do not fit';
  assert.equal(squiggled(line, line.indexOf('matmul') + 1), 'a.matmul(b)');
  assert.equal(squiggled(line, line.indexOf('a.matmul') + 1), 'a.matmul(b)');
});

test('a call chain is squiggled whole, with its calls and indexing', () => {
  const line = '  const y = x.view(3, 4).matmul(w.t())[0]; # not a comment in TS';
  assert.equal(squiggled(line, line.indexOf('matmul') + 1), 'x.view(3, 4).matmul(w.t())[0]');
});

test('a plain call and a Python line are squiggled on the call', () => {
  assert.equal(squiggled('    loss = loss_fn(t_p, t_c)  # the loss', 12), 'loss_fn(t_p, t_c)');
  assert.equal(squiggled('torch.randn(2, 3).mm(torch.randn(2, 3))', 19), 'torch.randn(2, 3).mm(torch.randn(2, 3))');
});

test('an error on the indentation belongs to what follows it; one on punctuation covers the statement without its ; and comment', () => {
  assert.equal(squiggled('    throw new Error("x");  // why', 1), 'throw');
  assert.equal(squiggled('  ;', 1), '  ;');
  assert.equal(squiggled('    ) ;  // close', 5), ')');
});

test('strings with ( or // inside do not confuse the range', () => {
  const line = 'const t = torch.tensor(f("a(b//c")); // note';
  assert.equal(squiggled(line, line.indexOf('tensor') + 1), 'torch.tensor(f("a(b//c"))');
});
