/** Whether operations record the graph. One flag, as PyTorch's thread-local GradMode. */
let enabled = true;

export function is_grad_enabled(): boolean {
  return enabled;
}

/** Runs `fn` with grad mode set to `flag`, restoring the previous mode even if `fn` throws. */
export function set_grad_enabled<T>(flag: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = flag;
  try {
    const result = fn();
    if (result instanceof Promise) {
      // An async body would run its awaited part after the mode was restored: refuse clearly.
      enabled = previous;
      throw new TypeError(
        'torch.no_grad / set_grad_enabled received an async function; its awaited part would run with the wrong grad mode. Pass a synchronous function.',
      );
    }
    return result;
  } finally {
    enabled = previous;
  }
}

/** `with torch.no_grad():` — `torch.no_grad(() => { ... })` returns what the callback returns. */
export function no_grad<T>(fn: () => T): T {
  return set_grad_enabled(false, fn);
}

/** `with torch.enable_grad():` */
export function enable_grad<T>(fn: () => T): T {
  return set_grad_enabled(true, fn);
}

/** Sets grad mode without a scope, as `torch.set_grad_enabled(False)` called as a function does. */
export function setGradModeUnscoped(flag: boolean): void {
  enabled = flag;
}
