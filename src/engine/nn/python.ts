/**
 * Python vocabulary for nn's messages: the exception classes PyTorch's Python layer raises that
 * the core has no use for, and how Python would name a value's type or print a shape.
 */
import { Tensor } from '../tensor.js';
import type { Shape } from '../shape.js';

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

export class AttributeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttributeError';
  }
}

/** `torch.Size([2, 3])`, as PyTorch prints a shape inside messages. */
export function torchSize(shape: Shape): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** `torch.typename(value)` for the JavaScript stand-ins of Python values. */
export function typeName(value: unknown): string {
  if (value instanceof Tensor) return `torch.${value.dtype.legacyName}`;
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'function';
    default:
      return (value as { constructor?: { name?: string } }).constructor?.name || 'object';
  }
}

/** `type(value)` as Python prints it: `<class 'int'>`. */
export function pyClass(value: unknown): string {
  return `<class '${value instanceof Tensor ? 'torch.Tensor' : typeName(value)}'>`;
}
