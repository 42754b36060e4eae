// How engine warnings reach a listener: once per message by default (PyTorch's TORCH_WARN_ONCE),
// or every time for a listener that filters by itself (the Python layer's warnings module).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setWarningListener, warnOnce } from '../../src/engine/errors.js';

describe('warning listener', () => {
  afterEach(() => setWarningListener(() => {}));

  it('gets only the first warning of each message by default', () => {
    const seen: string[] = [];
    setWarningListener((_category, message) => seen.push(message));
    warnOnce('UserWarning', 'default-mode probe A');
    warnOnce('UserWarning', 'default-mode probe A');
    warnOnce('UserWarning', 'default-mode probe B');
    assert.deepEqual(seen, ['default-mode probe A', 'default-mode probe B']);
  });

  it('gets every warning, repeats included, when it asks for each one', () => {
    const seen: string[] = [];
    setWarningListener((_category, message) => seen.push(message), { everyTime: true });
    warnOnce('UserWarning', 'every-time probe');
    warnOnce('UserWarning', 'every-time probe');
    assert.deepEqual(seen, ['every-time probe', 'every-time probe']);
  });

  it('goes back to once per message when a later listener does not ask for every warning', () => {
    const seen: string[] = [];
    setWarningListener(() => {}, { everyTime: true });
    warnOnce('UserWarning', 'mode-switch probe');
    setWarningListener((_category, message) => seen.push(message));
    warnOnce('UserWarning', 'mode-switch probe');
    assert.deepEqual(seen, []);
  });

  it('passes the category through', () => {
    const categories: string[] = [];
    setWarningListener((category) => categories.push(category));
    warnOnce('DeprecationWarning', 'category probe');
    assert.deepEqual(categories, ['DeprecationWarning']);
  });
});
