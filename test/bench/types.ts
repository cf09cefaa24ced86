/** One row of the benchmark table: a measured figure next to its budget. */
export interface BenchRow {
  /** What was measured, e.g. "sioc simulate 64 hosts x 2000 VMs x 3600 steps". */
  name: string;
  /** The median (or the stated statistic) of the repeated measurements. */
  value: number;
  unit: string;
  /** The budget in words, e.g. "<= 1000 ms". */
  budget: string;
  pass: boolean;
}

/** A model benchmark module default-exports one of these; `smoke` asks for a shorter run (CI). */
export type ModelBench = (options: { smoke: boolean }) => BenchRow[] | Promise<BenchRow[]>;

/** Median of repeated timings; benchmarks report medians and ratios, never single runs. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Times `fn` `repeats` times after one warm-up run and returns each duration in ms. */
export function timeRuns(fn: () => unknown, repeats: number): number[] {
  fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times;
}
