/**
 * The crossover map: PVSCSI − LSI Logic latency per I/O over a grid of workloads, IOPS (log
 * spaced, as measured on LSI Logic) × outstanding I/Os (1, 2, … oioMax), and where along each
 * row the sign changes. Every cell is the closed-form comparison of compare.ts, so a 100 × 64
 * grid costs a few thousand square roots: cheap enough to redraw on every slider move.
 * Source: spec §3.4 (models/pvscsi.md): the surface shows why low rates suffer (the coalescing
 * wait grows as 1/X) and high rates win (CPU-path time saved grows with X). The published
 * boundary (KB 1017652: 2,000 IOPS, 4 outstanding I/Os) is returned beside it; the 2,000-IOPS
 * edge is the published evidence and HOLD_GAPS (policy.ts) is calibrated to it, so with the
 * default costs the model's own ESX 4.0 line lies within ±15 % of 2,000 IOPS for 5–64 OIO.
 * Simplifications: those of latency.ts; a cell no device of 0.01 ms–10 s can produce on LSI Logic
 * (the vCPU saturates, or the queue is deep for very few IOPS) is marked unreachable.
 */
import { checkInteger, checkNumber, checkOneOf, checkRecord, ModelInputError } from "../shared/index.ts";
import { checkCosts, type CpuCosts } from "./costs.ts";
import { impliedDeviceLatencyUnchecked } from "./compare.ts";
import { adapterIopsUnchecked } from "./latency.ts";
import { CIF_THRESHOLD, IOPS_THRESHOLD, OIO_RANGE, RELEASES, type Release } from "./policy.ts";

export interface CrossoverInput {
  release: Release;
  costs?: CpuCosts;
  /** IOPS axis: `columns` log-spaced values from iopsMin to iopsMax (defaults 100, 20 000, 100). */
  iopsMin?: number;
  iopsMax?: number;
  columns?: number;
  /** Rows: outstanding I/Os 1..oioMax (default 64). */
  oioMax?: number;
}

export interface CrossoverMap {
  release: Release;
  iops: Float64Array;
  /** oio[r] = r + 1. */
  oio: Int32Array;
  columns: number;
  rows: number;
  /** deltaMs[r·columns + c]: PVSCSI − LSI Logic latency (ms); 0 where unreachable. */
  deltaMs: Float64Array;
  /** 1 where LSI Logic can run that workload on some device in the model's range. */
  reachable: Uint8Array;
  /**
   * Per row, the IOPS where PVSCSI stops being slower (log-interpolated between the grid columns
   * around the sign change); null when PVSCSI is never slower on that row, or still slower at the
   * row's last reachable column.
   */
  crossoverIops: Array<number | null>;
  /** Per row: PVSCSI is slower somewhere on it. */
  pvSlowerSomewhere: boolean[];
  minDeltaMs: number;
  maxDeltaMs: number;
  /** Reachable cells where PVSCSI is slower. */
  pvSlowerCells: number;
  /** The published corner, drawn as an overlay: LSI Logic wins below iops with more than oio outstanding (ESX 4.0). */
  published: { iops: number; oio: number; applies: boolean };
}

export const CROSSOVER_LIMITS = {
  iops: { min: 1, max: 1_000_000 },
  columns: { min: 2, max: 400 },
  oioMax: { min: 1, max: 256 },
} as const;

export function crossoverMap(input: CrossoverInput): CrossoverMap {
  const r = checkRecord("input", input);
  const release = checkOneOf("release", r.release, RELEASES);
  const costs = checkCosts(r.costs);
  const iopsMin = r.iopsMin === undefined ? 100 : checkNumber("iopsMin", r.iopsMin, CROSSOVER_LIMITS.iops);
  const iopsMax = r.iopsMax === undefined ? 20_000 : checkNumber("iopsMax", r.iopsMax, CROSSOVER_LIMITS.iops);
  if (!(iopsMax > iopsMin)) throw new ModelInputError("iopsMax", iopsMax, `a number above iopsMin (${iopsMin})`);
  const columns = r.columns === undefined ? 100 : checkInteger("columns", r.columns, CROSSOVER_LIMITS.columns);
  const rows = r.oioMax === undefined ? 64 : checkInteger("oioMax", r.oioMax, { ...CROSSOVER_LIMITS.oioMax, max: OIO_RANGE.max });
  return crossoverUnchecked(release, costs, iopsMin, iopsMax, columns, rows);
}

export function gridIops(iopsMin: number, iopsMax: number, columns: number): Float64Array {
  const iops = new Float64Array(columns);
  const ratio = Math.log(iopsMax / iopsMin) / (columns - 1);
  for (let c = 0; c < columns; c++) iops[c] = iopsMin * Math.exp(ratio * c);
  iops[columns - 1] = iopsMax;
  return iops;
}

function crossoverUnchecked(release: Release, costs: CpuCosts, iopsMin: number, iopsMax: number, columns: number, rows: number): CrossoverMap {
  const iops = gridIops(iopsMin, iopsMax, columns);
  const oio = new Int32Array(rows);
  const deltaMs = new Float64Array(rows * columns);
  const reachable = new Uint8Array(rows * columns);
  const crossoverIops: Array<number | null> = [];
  const pvSlowerSomewhere: boolean[] = [];
  let minDeltaMs = 0;
  let maxDeltaMs = 0;
  let pvSlowerCells = 0;
  for (let row = 0; row < rows; row++) {
    oio[row] = row + 1;
    let lastPositive = -1;
    let crossing: number | null = null;
    for (let c = 0; c < columns; c++) {
      const d = impliedDeviceLatencyUnchecked(iops[c], row + 1, costs);
      if (d === null) continue;
      // Both latencies by Little's law: LSI Logic runs at the column's IOPS on this device by construction.
      const pvIops = adapterIopsUnchecked("pvscsi", row + 1, d, release, costs);
      const delta = (1000 * (row + 1)) / pvIops - (1000 * (row + 1)) / iops[c];
      const i = row * columns + c;
      reachable[i] = 1;
      deltaMs[i] = delta;
      if (delta < minDeltaMs) minDeltaMs = delta;
      if (delta > maxDeltaMs) maxDeltaMs = delta;
      if (delta > 0) {
        pvSlowerCells++;
        lastPositive = c;
        crossing = null;
      } else if (lastPositive === c - 1 && lastPositive >= 0) {
        // Interpolate the zero between the two columns on a log-IOPS axis.
        const prev = deltaMs[i - 1];
        const t = prev / (prev - delta);
        crossing = Math.exp(Math.log(iops[c - 1]) + t * (Math.log(iops[c]) - Math.log(iops[c - 1])));
      }
    }
    crossoverIops.push(crossing);
    pvSlowerSomewhere.push(lastPositive >= 0);
  }
  return {
    release, iops, oio, columns, rows, deltaMs, reachable, crossoverIops, pvSlowerSomewhere, minDeltaMs, maxDeltaMs, pvSlowerCells,
    published: { iops: IOPS_THRESHOLD, oio: CIF_THRESHOLD, applies: release !== "4.1+" },
  };
}
