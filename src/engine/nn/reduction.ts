/** The `reduction` option shared by every loss, and PyTorch's deprecated spelling of it. */
import { warnOnce } from '../errors.js';

export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss takes. `size_average`/`reduce` are PyTorch's deprecated spelling of `reduction`. */
export interface LossOptions {
  reduction?: Reduction;
  size_average?: boolean | null;
  reduce?: boolean | null;
}

/** PyTorch's `_Reduction.legacy_get_string`: maps size_average/reduce to a reduction, with its warning. */
export function resolveReduction(options: LossOptions | undefined): Reduction {
  const sizeAverage = options?.size_average ?? null;
  const reduce = options?.reduce ?? null;
  if (sizeAverage === null && reduce === null) return options?.reduction ?? 'mean';
  const result: Reduction = (sizeAverage ?? true) && (reduce ?? true) ? 'mean' : (reduce ?? true) ? 'sum' : 'none';
  warnOnce('UserWarning', `size_average and reduce args will be deprecated, please use reduction='${result}' instead.`);
  return result;
}
