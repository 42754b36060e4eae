// Types of harness.mjs for the learner scripts (bench/learner/*.ts).
export interface BenchWorkload {
  id: string;
  size: Record<string, number>;
  data: unknown;
}

export const BENCH_JOB_ENV: string;

export const bench: {
  workload(): BenchWorkload;
  time(run: () => number[]): void;
  heapGrowth(train: (epochs: number) => number[]): void;
};
