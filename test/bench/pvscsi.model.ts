/**
 * Times pvscsi.crossoverMap() on the notebook's grid, 100 IOPS columns × 64 outstanding-I/O rows,
 * for both release policies (4.0 and 4.1+, the latter with its threshold branch), as the heat map
 * asks for it on every move of a cost slider or the release.
 */
import { pvscsi } from "../../src/index.ts";
import { median, timeRuns, type BenchRow, type ModelBench } from "./types.ts";

const BUDGET_MS = 8;

const bench: ModelBench = ({ smoke }) => {
  const rows: BenchRow[] = [];
  for (const release of ["4.0", "4.1+"] as const) {
    const times = timeRuns(() => pvscsi.crossoverMap({ release, columns: 100, oioMax: 64 }), smoke ? 5 : 51);
    const value = median(times);
    rows.push({
      name: `pvscsi crossoverMap 100 x 64 grid, release ${release}`,
      value: Math.round(value * 100) / 100,
      unit: "ms",
      budget: `<= ${BUDGET_MS} ms`,
      pass: value <= BUDGET_MS,
    });
  }
  return rows;
};

export default bench;
