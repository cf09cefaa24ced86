/**
 * A fixed piece of work that depends on nothing in this project: sorting 200,000 pseudo-random
 * numbers with a comparator, the median of several runs. It says how fast the machine running the
 * bench is, so that tables from different machines (the budgets were set on one, a later run may
 * get a slower one) can be compared: divide a figure by this row's ratio between the two machines.
 */
import { median, timeRuns, type BenchRow } from "./types.ts";

const COUNT = 200_000;

/** The same numbers on every run and machine: a linear congruential sequence from a fixed seed. */
function numbers(): number[] {
  let state = 1;
  return Array.from({ length: COUNT }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  });
}

export function machineReference(smoke: boolean): BenchRow {
  const input = numbers();
  const value = median(timeRuns(() => [...input].sort((a, b) => a - b), smoke ? 3 : 9));
  return {
    name: `machine reference: sort ${COUNT.toLocaleString("en")} numbers with a comparator (not this project's code; compare machines by it)`,
    value: Math.round(value * 10) / 10,
    unit: "ms",
    budget: "(reported)",
    pass: true,
  };
}
