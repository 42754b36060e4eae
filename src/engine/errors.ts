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

const warned = new Set<string>();
let listener: WarningListener = (category, message) => {
  process.emitWarning?.(message, category);
};

/** Where warnings go: stderr by default; the runner redirects them into its event stream. */
export function setWarningListener(next: WarningListener): void {
  listener = next;
}

/** Warns once per distinct message, as Python's default warning filter does. */
export function warnOnce(category: string, message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  listener(category, message);
}
