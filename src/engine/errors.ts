/**
 * Errors named as PyTorch names them, so a learner who searches the message finds PyTorch's
 * own explanations. Where we add a teaching hint, it goes on its own line after PyTorch's text.
 */
export class RuntimeError extends Error {
  constructor(message: string, hint?: string) {
    super(hint ? `${message}\n${hint}` : message);
    this.name = 'RuntimeError';
  }
}

/** PyTorch raises Python's TypeError for wrong argument types. */
export class TorchTypeError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'TypeError';
  }
}

/** ATen's error for a kernel without a version for the dtype: `"abs_cpu" not implemented for 'Bool'`. */
export function notImplementedFor(kernel: string, dtype: { readonly scalarTypeName: string }): RuntimeError {
  return new RuntimeError(`"${kernel}" not implemented for '${dtype.scalarTypeName}'`);
}

export class IndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}

export class ValueError extends Error {
  constructor(message: string, hint?: string) {
    super(hint ? `${message}\n${hint}` : message);
    this.name = 'ValueError';
  }
}

export class NotImplementedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotImplementedError';
  }
}

export type WarningListener = (category: string, message: string) => void;

/** How a listener wants warnings delivered. */
export interface WarningListenerOptions {
  /**
   * Every warning, each time the engine raises it, instead of the first of each message only:
   * for a listener that filters by itself (the Python layer hands warnings to Python's
   * `warnings` module, whose filters decide, as they do for PyTorch's warnings).
   */
  everyTime?: boolean;
}

const warned = new Set<string>();
let listener: WarningListener = (category, message) => {
  process.emitWarning?.(message, category);
};
let everyTime = false;

/** Where warnings go: stderr by default; the runner redirects them into its event stream. */
export function setWarningListener(next: WarningListener, options: WarningListenerOptions = {}): void {
  listener = next;
  everyTime = options.everyTime ?? false;
}

/**
 * Warns once per distinct message and process, as PyTorch's TORCH_WARN_ONCE does — unless the
 * listener asked for every warning and does the filtering itself.
 */
export function warnOnce(category: string, message: string): void {
  const first = !warned.has(message);
  if (first) warned.add(message);
  if (first || everyTime) listener(category, message);
}
