/**
 * Python's numbers as the engine receives them. JavaScript has one number type, so an integral
 * number stands for a Python int (PyTorch's int64 scalar), a fractional one for a float and a
 * boolean for a bool. A Python float with an integral value (`2.0`) comes wrapped as a PyFloat,
 * so that it stays a float: `int_tensor * 2.0` is a float tensor, `torch.arange(12.0)` is float,
 * `torch.full((2,), 7.0)` too. This module is where a number's kind is read, in one place.
 */
import { bool, type DType, getDefaultDtype, int64 } from './dtype.js';
import { pyRepr } from './pyformat.js';

/** A Python float, kept a float even when its value is integral (`torch.pyfloat(2)` is Python's `2.0`). */
export class PyFloat {
  constructor(readonly value: number) {}

  valueOf(): number {
    return this.value;
  }

  toString(): string {
    return Number.isInteger(this.value) ? `${this.value}.0` : String(this.value);
  }
}

/** A Python scalar: an int or a float (a number, or a PyFloat), or a bool. */
export type Scalar = number | boolean | PyFloat;

export function isScalar(x: unknown): x is Scalar {
  return typeof x === 'number' || typeof x === 'boolean' || x instanceof PyFloat;
}

/** The scalar's value as a JS number (a bool is 0 or 1). */
export function scalarValue(x: Scalar): number {
  return typeof x === 'number' ? x : +x;
}

/** Whether the scalar is a Python float (a PyFloat, or a number with a fraction, an infinity or NaN). */
export function isFloatScalar(x: Scalar): boolean {
  return typeof x === 'number' ? !Number.isInteger(x) : x instanceof PyFloat;
}

/** The dtype a scalar has in PyTorch's type promotion: bool, int64, or the default float dtype. */
export function scalarDtype(x: Scalar): DType {
  return typeof x === 'boolean' ? bool : isFloatScalar(x) ? getDefaultDtype() : int64;
}

/** `torch.pyfloat(2)`: Python's `2.0`, for code that must say "float" with an integral value. */
export function pyfloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** Python's repr of the scalar: `2` for an int, `2.0` for a float, `True` for a bool (module reprs show their arguments so). */
export function scalarRepr(x: Scalar): string {
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  return isFloatScalar(x) ? pyRepr(scalarValue(x)) : String(x);
}
