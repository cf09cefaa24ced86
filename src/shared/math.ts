/** Small numeric helpers shared by the models. */

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** Sum without a reduce closure: used in the simulation loops, which run millions of times. */
export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/**
 * Bisection for a root of a monotone function on [lo, hi]. The iteration cap makes termination
 * unconditional, whatever the function does.
 */
export function bisect(f: (x: number) => number, lo: number, hi: number, { tolerance = 1e-9, maxIterations = 200 } = {}): number {
  let fLo = f(lo);
  for (let i = 0; i < maxIterations && hi - lo > tolerance * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    const fMid = f(mid);
    if (fMid === 0) return mid;
    if (fLo < 0 === fMid < 0) {
      lo = mid;
      fLo = fMid;
    } else {
      hi = mid;
    }
  }
  return (lo + hi) / 2;
}

/**
 * Nearest-rank percentile (p in 0..100) of a non-empty list: the smallest sample with at least p %
 * of the samples at or below it. No interpolation, so the answer is always one of the samples.
 */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * `percentile` of values given with how often each occurs (a positive whole count): the same
 * answer as over the list with each value repeated `count` times, sorting the distinct entries
 * only. For a series that mostly repeats a few values, such as a day of mostly steady minutes.
 */
export function percentileOfCounts(counted: ReadonlyArray<{ value: number; count: number }>, p: number): number {
  const sorted = [...counted].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, c) => sum + c.count, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let below = 0;
  for (const c of sorted) {
    below += c.count;
    if (below >= rank) return c.value;
  }
  return sorted[sorted.length - 1].value;
}
