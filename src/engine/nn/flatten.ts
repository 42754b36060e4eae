/** `nn.Flatten`: merges dims start_dim..end_dim (by default all but the batch dim). */
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

export class Flatten extends Module {
  readonly start_dim: number;
  readonly end_dim: number;

  constructor(start_dim: number | { start_dim?: number; end_dim?: number } = 1, end_dim = -1) {
    super();
    const o = typeof start_dim === 'object' ? start_dim : { start_dim, end_dim };
    this.start_dim = o.start_dim ?? 1;
    this.end_dim = o.end_dim ?? -1;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.start_dim, this.end_dim);
  }

  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}
