/**
 * Sampling from tensors of parameters: torch.normal, bernoulli, multinomial. Each follows the
 * steps of PyTorch's CPU implementation (the same draws from the generator, in the same order,
 * rounded where ATen rounds), so a seeded script gives PyTorch's numbers.
 */
import { derivative } from '../autograd/derivative.js';
import { record, recording } from '../autograd/function.js';
import { no_grad } from '../autograd/grad_mode.js';
import { empty } from '../creation.js';
import { type DType, float32, float64, getDefaultDtype, int64 } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { broadcastShapes, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguousData } from './kernels.js';
import { argExtreme, topk } from './reduction.js';

export interface SamplingOptions {
  generator?: Generator;
}

/** A parameter a sample doesn't depend on smoothly: its gradient is zeros (derivatives.yaml's zeros_like). */
function zerosFor(shape: readonly number[], g: Tensor): Tensor {
  return Tensor._make(g.dtype.alloc(numelOf(shape)), shape, g.dtype);
}

const NormalBackward1 = derivative<{ shape: readonly number[] }>({
  name: 'NormalBackward1',
  backward: ([g], _, { params }) => [zerosFor(params.shape, g!)],
  explain: () => ['∂normal(mean, std)/∂mean = 0: a sample is not differentiated through (PyTorch gives zeros)'],
});
const NormalBackward2 = derivative<{ shape: readonly number[] }>({
  name: 'NormalBackward2',
  backward: ([g], _, { params }) => [zerosFor(params.shape, g!)],
  explain: () => ['∂normal(mean, std)/∂std = 0: a sample is not differentiated through (PyTorch gives zeros)'],
});
const NormalBackward3 = derivative<{ mean: readonly number[]; std: readonly number[] }>({
  name: 'NormalBackward3',
  backward: ([g], _, { params }) => [zerosFor(params.mean, g!), zerosFor(params.std, g!)],
  explain: () => ['∂normal(mean, std)/∂mean = 0 (PyTorch gives zeros)', '∂normal(mean, std)/∂std = 0 (PyTorch gives zeros)'],
});

function isSize(x: readonly number[] | NormalOptions | undefined): x is readonly number[] {
  return Array.isArray(x);
}

function checkStd(std: Tensor | number): void {
  const bad = std instanceof Tensor ? contiguousData(std).some((v) => !(v >= 0)) : !(std >= 0);
  if (bad) throw new RuntimeError(std instanceof Tensor ? 'normal expects all elements of std >= 0.0' : `normal expects std >= 0.0, but found std ${std}`);
}

/**
 * `torch.normal`: `normal(mean, std)` with either (or both) a tensor, element by element, or
 * `normal(mean, std, size)` with numbers. As ATen: standard normals first, then `* std + mean`.
 */
export interface NormalOptions extends SamplingOptions {
  dtype?: DType;
  requires_grad?: boolean;
}

export function normal(mean: Tensor | number, std: Tensor | number = 1, size?: readonly number[] | NormalOptions, options?: NormalOptions): Tensor {
  const o: NormalOptions = (isSize(size) ? options : size) ?? {};
  const generator = o.generator ?? defaultGenerator;
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    if (!isSize(size)) throw new RuntimeError('normal(mean, std) with two numbers needs a size: normal(mean, std, size)');
    checkStd(std);
    const out = empty(size, { dtype: o.dtype ?? getDefaultDtype() });
    fillNormal(out, mean, std, generator);
    return o.requires_grad ? out.requires_grad_(true) : out;
  }
  checkStd(std);
  const like = mean instanceof Tensor ? mean : (std as Tensor);
  const shape = mean instanceof Tensor && std instanceof Tensor ? broadcastShapes(mean.shape, std.shape) : like.shape;
  const out = Tensor._make(like.dtype.alloc(numelOf(shape)), shape, like.dtype);
  const result = no_grad(() => {
    if (mean instanceof Tensor && !(std instanceof Tensor)) {
      fillNormal(out, 0, std, generator);
      return out.add(mean);
    }
    fillNormal(out, 0, 1, generator);
    return out.mul(std).add(mean);
  });
  if (mean instanceof Tensor && std instanceof Tensor) {
    if (recording(mean, std)) record(NormalBackward3, [mean, std], [result], [], { mean: mean.shape, std: std.shape });
  } else if (mean instanceof Tensor) {
    if (recording(mean)) record(NormalBackward1, [mean], [result], [], { shape: mean.shape });
  } else if (recording(std as Tensor)) record(NormalBackward2, [std as Tensor], [result], [], { shape: (std as Tensor).shape });
  return result;
}

function fillNormal(out: Tensor, mean: number, std: number, generator: Generator): void {
  if (!out.dtype.is_floating_point) throw new RuntimeError(`"normal_kernel_cpu" not implemented for '${out.dtype.scalarTypeName}'`);
  generator.fillNormal(out._data as Float32Array | Float64Array, mean, std, out.dtype.name as 'float32' | 'float64');
}

/**
 * `torch.bernoulli(input)`: 1 with the probability each element of input gives, else 0, in
 * input's dtype; `bernoulli(input, p)` with one probability for every element.
 */
export function bernoulli(input: Tensor, p?: number | null | SamplingOptions, options?: SamplingOptions): Tensor {
  const o = (typeof p === 'object' && p !== null ? p : options) ?? {};
  const generator = o.generator ?? defaultGenerator;
  const out = Tensor._make(input.dtype.alloc(input.numel()), input.shape, input.dtype);
  if (typeof p === 'number') generator.fillBernoulli(out._data, p);
  else fillBernoulliFrom(out, input, generator);
  return out;
}

/** `self.bernoulli_(p)` with a tensor p (broadcast to self): one draw per element, in p's precision. */
export function fillBernoulliFrom(out: Tensor, p: Tensor, generator: Generator): void {
  if (!p.dtype.is_floating_point) throw new RuntimeError(`"bernoulli_tensor_cpu_p_" not implemented for '${p.dtype.scalarTypeName}'`);
  const probabilities = contiguousData(p.expand(out.shape));
  generator.fillBernoulliPerElement(out._data, probabilities, p.dtype === float64);
}

/**
 * `torch.multinomial(input, num_samples, replacement=False)`: category indices drawn with the
 * weights of each row. Without replacement (or for one sample) as ATen: the largest of
 * `weight / Exp(1)` draws; with replacement a binary search in the normalized cumulative weights.
 */
export function multinomial(input: Tensor, num_samples: number, replacement: boolean | ({ replacement?: boolean } & SamplingOptions) = false, options?: SamplingOptions): Tensor {
  const o = typeof replacement === 'object' ? replacement : { ...options, replacement };
  const generator = o.generator ?? defaultGenerator;
  const withReplacement = o.replacement ?? false;
  if (input.dim() < 1 || input.dim() > 2) throw new RuntimeError('prob_dist must be 1 or 2 dim');
  if (!input.dtype.is_floating_point) throw new RuntimeError(`multinomial only supports floating-point dtypes for input, got: ${input.dtype.scalarTypeName}`);
  if (!(num_samples > 0)) throw new RuntimeError('cannot sample n_sample <= 0 samples');
  const categories = input.shape[input.dim() - 1]!;
  if (!withReplacement && num_samples > categories) throw new RuntimeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  const outShape = input.dim() === 1 ? [num_samples] : [input.shape[0]!, num_samples];
  return no_grad(() => {
    if (!withReplacement || num_samples === 1) {
      const data = contiguousData(input);
      if (!data.every((v) => v >= 0 && v < Infinity)) throw new RuntimeError('probability tensor contains either `inf`, `nan` or element < 0');
      const sums = input.dim() === 1 ? input.sum().reshape(1) : input.sum(1);
      if (contiguousData(sums).some((v) => v === 0)) throw new RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)');
      const q = Tensor._make(input.dtype.alloc(input.numel()), input.shape, input.dtype);
      generator.fillExponential(q._data as Float32Array | Float64Array, 1);
      const ratio = input.div(q);
      return num_samples === 1 ? argExtreme(ratio, 'max', -1, true) : topk(ratio, num_samples, -1, true, true).indices;
    }
    return withReplacementSamples(input, num_samples, outShape, generator);
  });
}

function withReplacementSamples(input: Tensor, samples: number, outShape: readonly number[], generator: Generator): Tensor {
  const categories = input.shape[input.dim() - 1]!;
  const rows = input.dim() === 1 ? 1 : input.shape[0]!;
  const data = contiguousData(input);
  const c = input.dtype === float32 ? Math.fround : (v: number) => v;
  const cumulative = new Float64Array(categories);
  const out = new Float64Array(rows * samples);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < categories; j++) {
      const v = data[r * categories + j]!;
      if (!(v >= 0)) throw new RuntimeError('invalid multinomial distribution (encountering probability entry < 0)');
      if (!Number.isFinite(v)) throw new RuntimeError('invalid multinomial distribution (encountering probability entry = infinity or NaN)');
      sum = c(sum + v);
      cumulative[j] = sum;
    }
    if (!(sum > 0)) throw new RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)');
    for (let j = 0; j < categories; j++) cumulative[j] = c(cumulative[j]! / sum);
    cumulative[categories - 1] = 1;
    for (let s = 0; s < samples; s++) {
      const u = generator.uniformDouble();
      let left = 0;
      let right = categories;
      while (right - left > 0) {
        const mid = left + ((right - left) >> 1);
        if (cumulative[mid]! < u) left = mid + 1;
        else right = mid;
      }
      out[r * samples + s] = left;
    }
  }
  return Tensor._make(out, outShape, int64);
}

/** Dropout's noise: 1/(1 - p) with probability 1 - p, else 0, in input's dtype (ATen's `bernoulli_(1 - p).div_(1 - p)`). */
export function dropoutNoise(input: Tensor, p: number, generator: Generator = defaultGenerator): Tensor {
  const noise = Tensor._make(input.dtype.alloc(input.numel()), input.shape, input.dtype);
  generator.fillBernoulli(noise._data, 1 - p);
  return no_grad(() => noise.div(1 - p));
}
