import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { sdrs } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";
import { cluster, settings, workload } from "./arbitraries.ts";

/** A random cluster, sometimes with an anti-affinity rule between two of its own VMs. */
const clusterWithRules = fc.tuple(cluster, fc.boolean()).map(([c, ruled]): sdrs.Cluster =>
  ruled && c.vms.length >= 2 ? { ...c, antiAffinity: [[c.vms[0].name, c.vms[1].name]] } : c);

/** Up to 60 clones, sometimes too big for the small datastores, so every branch of the rule runs. */
const pool = fc.record({
  namePrefix: fc.constant("clone"),
  count: fc.integer({ min: 0, max: 60 }),
  sizeGiB: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.double({ min: 0, max: 100, noNaN: true })),
  workload,
});

const clones = (p: sdrs.ClonePool): sdrs.NewVm[] =>
  Array.from({ length: p.count }, (_, i) => ({ name: `${p.namePrefix}-${i + 1}`, sizeGiB: p.sizeGiB, workload: p.workload }));

describe("placing a pool of identical clones", () => {
  test.prop([clusterWithRules, pool, settings], { numRuns: 1000 })(
    "placePool gives exactly what placeAll gives one clone at a time, and where one more would go",
    (c, p, s) => {
      const one = sdrs.placeAll(c, clones(p), s);
      const bulk = sdrs.placePool(c, p, s);
      expect(bulk.cluster).toEqual(one.cluster);
      expect(bulk.placedPer).toEqual(c.datastores.map((ds) => one.placements.filter((x) => x.datastore === ds.name).length));
      expect(bulk.unplaced).toBe(one.placements.filter((x) => x.datastore === null).length);
      expect(bulk.next).toEqual(sdrs.place(one.cluster, { name: "one more", sizeGiB: p.sizeGiB, workload: p.workload }, s));
    },
  );

  test("a worked case: 10 clones of 30 GiB on two empty 100 GiB datastores under an 80 % threshold", () => {
    const device = sdrs.DEVICES.fc15k;
    const c: sdrs.Cluster = { datastores: [{ name: "a", capacityGiB: 100, device }, { name: "b", capacityGiB: 100, device }], vms: [] };
    const w = { oio: 1, ioSizeKiB: 8, readPct: 50, randomPct: 50 };
    const result = sdrs.placePool(c, { namePrefix: "vm", count: 10, sizeGiB: 30, workload: w }, { ioMetricEnabled: false });
    // Two fit under 80 % on each (60 %); the third on each crosses it (90 %), placed flagged on the
    // emptier one in turn; a fourth fits on neither (120 GiB > 100): 6 placed, 4 left over.
    expect(result.placedPer).toEqual([3, 3]);
    expect(result.unplaced).toBe(4);
    expect(result.cluster.vms.map((v) => `${v.name}@${v.datastore}`)).toEqual(["vm-1@a", "vm-2@b", "vm-3@a", "vm-4@b", "vm-5@a", "vm-6@b"]);
    expect(result.next.datastore).toBeNull();
  });

  test("bad input: a clone name already taken, or a clone under an anti-affinity rule", () => {
    const device = sdrs.DEVICES.fc15k;
    const w = { oio: 1, ioSizeKiB: 8, readPct: 50, randomPct: 50 };
    const c: sdrs.Cluster = { datastores: [{ name: "a", capacityGiB: 100, device }], vms: [{ name: "vm-2", datastore: "a", sizeGiB: 1, workload: w }] };
    expectModelInputError(() => sdrs.placePool(c, { namePrefix: "vm", count: 3, sizeGiB: 1, workload: w }), "pool.namePrefix");
    expectModelInputError(() => sdrs.placePool({ ...c, vms: [], antiAffinity: [["vm-1", "x"]] }, { namePrefix: "vm", count: 3, sizeGiB: 1, workload: w }), "pool.namePrefix");
    expectModelInputError(() => sdrs.placePool(c, { namePrefix: "new", count: -1, sizeGiB: 1, workload: w }), "pool.count");
    expectModelInputError(() => sdrs.placePool(c, { namePrefix: "new", count: 2, sizeGiB: Number.NaN, workload: w }), "pool.sizeGiB");
  });
});
