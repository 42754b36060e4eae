/**
 * `torch.nn.init`: in-place initialisers, run without recording (a parameter may be
 * re-initialised at any time). Bounds are computed in double precision exactly as PyTorch's
 * Python code computes them, so with the same seed the drawn values are PyTorch's.
 */
import { no_grad } from '../autograd/grad_mode.js';
import { ValueError, warnOnce } from '../errors.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';

export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

export type FanMode = 'fan_in' | 'fan_out';

interface GeneratorOption {
  generator?: Generator;
}

const LINEAR_FNS = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d']);

/** The recommended scale of a layer's weights for the nonlinearity that follows it. */
export function calculate_gain(nonlinearity: Nonlinearity | string, param?: number | null): number {
  if (LINEAR_FNS.has(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    let slope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param !== 'number') {
        const shown = typeof param === 'boolean' ? (param ? 'True' : 'False') : String(param);
        throw new ValueError(`negative_slope ${shown} not a valid number`);
      }
      slope = param;
    }
    return Math.sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new ValueError(`Unsupported nonlinearity ${nonlinearity}`);
}

/** `(fan_in, fan_out)`: input and output features times the receptive field (kernel) size. */
export function _calculate_fan_in_and_fan_out(tensor: Tensor): [number, number] {
  if (tensor.dim() < 2) {
    throw new ValueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  }
  const inputMaps = tensor.shape[1]!;
  const outputMaps = tensor.shape[0]!;
  let receptive = 1;
  for (const s of tensor.shape.slice(2)) receptive *= s;
  return [inputMaps * receptive, outputMaps * receptive];
}

function correctFan(tensor: Tensor, mode: string): number {
  const m = mode.toLowerCase();
  if (m !== 'fan_in' && m !== 'fan_out') {
    throw new ValueError(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  }
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  return m === 'fan_in' ? fanIn : fanOut;
}

function fillUniform<T extends Tensor>(tensor: T, a: number, b: number, generator?: Generator): T {
  return no_grad(() => tensor.uniform_(a, b, generator ? { generator } : undefined));
}

function fillNormal<T extends Tensor>(tensor: T, mean: number, std: number, generator?: Generator): T {
  return no_grad(() => tensor.normal_(mean, std, generator ? { generator } : undefined));
}

/** Fills with U(a, b): `uniform_(t, -0.1, 0.1)` or `uniform_(t, { a: -0.1, b: 0.1 })`. */
export function uniform_<T extends Tensor>(tensor: T, a: number | ({ a?: number; b?: number } & GeneratorOption) = 0, b = 1): T {
  const o = typeof a === 'object' ? a : { a, b };
  return fillUniform(tensor, o.a ?? 0, o.b ?? 1, (o as GeneratorOption).generator);
}

/** Fills with N(mean, std²). */
export function normal_<T extends Tensor>(tensor: T, mean: number | ({ mean?: number; std?: number } & GeneratorOption) = 0, std = 1): T {
  const o = typeof mean === 'object' ? mean : { mean, std };
  return fillNormal(tensor, o.mean ?? 0, o.std ?? 1, (o as GeneratorOption).generator);
}

export function constant_<T extends Tensor>(tensor: T, val: number): T {
  return no_grad(() => tensor.fill_(val));
}

export function ones_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 1);
}

export function zeros_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 0);
}

export interface KaimingOptions extends GeneratorOption {
  /** The negative slope of the leaky_relu that follows (0 for relu). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingArgs(a: number | KaimingOptions | undefined, mode: FanMode | undefined, nonlinearity: Nonlinearity | undefined): Required<Omit<KaimingOptions, 'generator'>> & GeneratorOption {
  const o: KaimingOptions = typeof a === 'object' ? a : { a, mode, nonlinearity };
  return { a: o.a ?? 0, mode: o.mode ?? 'fan_in', nonlinearity: o.nonlinearity ?? 'leaky_relu', generator: o.generator };
}

function warnEmpty(tensor: Tensor): boolean {
  if (tensor.numel() !== 0) return false;
  warnOnce('UserWarning', 'Initializing zero-element tensors is a no-op');
  return true;
}

/** He initialisation, uniform: U(-bound, bound) with bound = gain · √(3 / fan). */
export function kaiming_uniform_<T extends Tensor>(tensor: T, a?: number | KaimingOptions, mode?: FanMode, nonlinearity?: Nonlinearity): T {
  const o = kaimingArgs(a, mode, nonlinearity);
  if (warnEmpty(tensor)) return tensor;
  const fan = correctFan(tensor, o.mode);
  const gain = calculate_gain(o.nonlinearity, o.a);
  const std = gain / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return fillUniform(tensor, -bound, bound, o.generator);
}

/** He initialisation, normal: N(0, std²) with std = gain / √fan. */
export function kaiming_normal_<T extends Tensor>(tensor: T, a?: number | KaimingOptions, mode?: FanMode, nonlinearity?: Nonlinearity): T {
  const o = kaimingArgs(a, mode, nonlinearity);
  if (warnEmpty(tensor)) return tensor;
  const fan = correctFan(tensor, o.mode);
  const gain = calculate_gain(o.nonlinearity, o.a);
  return fillNormal(tensor, 0, gain / Math.sqrt(fan), o.generator);
}

function xavierStd(tensor: Tensor, gain: number): number {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  return gain * Math.sqrt(2.0 / (fanIn + fanOut));
}

/** Glorot initialisation, uniform: U(-a, a) with a = gain · √(6 / (fan_in + fan_out)). */
export function xavier_uniform_<T extends Tensor>(tensor: T, gain: number | ({ gain?: number } & GeneratorOption) = 1): T {
  const o = typeof gain === 'object' ? gain : { gain };
  const a = Math.sqrt(3.0) * xavierStd(tensor, o.gain ?? 1);
  return fillUniform(tensor, -a, a, (o as GeneratorOption).generator);
}

/** Glorot initialisation, normal: N(0, std²) with std = gain · √(2 / (fan_in + fan_out)). */
export function xavier_normal_<T extends Tensor>(tensor: T, gain: number | ({ gain?: number } & GeneratorOption) = 1): T {
  const o = typeof gain === 'object' ? gain : { gain };
  return fillNormal(tensor, 0, xavierStd(tensor, o.gain ?? 1), (o as GeneratorOption).generator);
}
