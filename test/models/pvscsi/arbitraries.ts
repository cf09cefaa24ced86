import { fc } from "@fast-check/vitest";
import { pvscsi } from "../../../src/index.ts";

export const release = fc.constantFrom(...pvscsi.RELEASES);
export const oio = fc.integer({ min: 1, max: 256 });
export const deviceLatencyMs = fc.double({ min: 0.01, max: 10_000, noNaN: true });
/** Any valid costs: the paravirtual path below the emulated one. */
export const costs = fc
  .record({ cEmulUs: fc.double({ min: 1.01, max: 200, noNaN: true }), fraction: fc.double({ min: 0.005, max: 0.999, noNaN: true }), irqCostUs: fc.double({ min: 0, max: 100, noNaN: true }) })
  .map(({ cEmulUs, fraction, irqCostUs }) => ({ cEmulUs, cParaUs: Math.max(1, cEmulUs * fraction), irqCostUs }))
  .filter((c) => c.cParaUs < c.cEmulUs);
/** IOPS on a log scale, as the map's axis. */
export const iops = fc.double({ min: 0, max: Math.log(200_000), noNaN: true }).map((l) => Math.exp(l));
