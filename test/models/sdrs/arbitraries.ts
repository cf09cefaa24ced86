/** Random datastore clusters for the Storage DRS properties. */
import { fc } from "@fast-check/vitest";
import { sdrs } from "../../../src/index.ts";

const device = fc.constantFrom(sdrs.DEVICES.fc15k, sdrs.DEVICES.sata, sdrs.DEVICES.flash);

export const workload = fc.record({
  oio: fc.double({ min: 0, max: 64, noNaN: true }),
  ioSizeKiB: fc.constantFrom(4, 8, 16, 64),
  readPct: fc.integer({ min: 0, max: 100 }),
  randomPct: fc.integer({ min: 0, max: 100 }),
});

/** 2–6 datastores with 0–20 VMs spread over them; measured p90 latencies on some. */
export const cluster = fc
  .record({
    datastores: fc.array(
      fc.record({ capacityGiB: fc.integer({ min: 200, max: 4000 }), device, p90LatencyMs: fc.option(fc.double({ min: 1, max: 80, noNaN: true }), { nil: undefined }) }),
      { minLength: 2, maxLength: 6 },
    ),
    vms: fc.array(fc.record({ sizeGiB: fc.integer({ min: 1, max: 400 }), slot: fc.nat(), workload }), { maxLength: 20 }),
  })
  .map(({ datastores, vms }) => {
    const named = datastores.map((d, j) => ({ ...d, name: `ds${j + 1}` }));
    return {
      datastores: named,
      vms: vms.map((v, i) => ({ name: `vm${i + 1}`, datastore: named[v.slot % named.length].name, sizeGiB: v.sizeGiB, workload: v.workload })),
    } satisfies sdrs.Cluster;
  });

export const settings = fc.record({
  ioMetricEnabled: fc.boolean(),
  latencyThresholdMs: fc.integer({ min: 5, max: 100 }),
  ioImbalanceThreshold: fc.integer({ min: 1, max: 100 }),
  spaceThresholdPct: fc.integer({ min: 50, max: 100 }),
  minSpaceDiffPct: fc.integer({ min: 1, max: 50 }),
});
