import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { sdrs } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";
import { cluster, settings, workload } from "./arbitraries.ts";

const used = (c: sdrs.Cluster) => c.vms.reduce((total, vm) => total + vm.sizeGiB, 0);

describe("documented defaults (vSphere API 5.0 StorageDrs*Config)", () => {
  test("15 ms, imbalance 5, 80 % space, 5 points difference, every 8 hours", () => {
    expect(sdrs.SDRS_DEFAULTS).toMatchObject({ latencyThresholdMs: 15, ioImbalanceThreshold: 5, spaceThresholdPct: 80, minSpaceDiffPct: 5, intervalMin: 480 });
    expect(sdrs.SDRS_LIMITS.latencyThresholdMs).toEqual({ min: 5, max: 100 });
    expect(sdrs.SDRS_LIMITS.intervalMin).toEqual({ min: 60, max: 43_200 });
  });
});

describe("the vSphere 5.0 example: 82 % and 79 % differ by 3 points, less than 5, so nothing moves", () => {
  const vm = (name: string, datastore: string, sizeGiB: number) => ({ name, datastore, sizeGiB, workload: { oio: 1, ioSizeKiB: 8, readPct: 50, randomPct: 50 } });
  const device = sdrs.DEVICES.fc15k;
  const twoDatastores = (secondUsed: number): sdrs.Cluster => ({
    datastores: [{ name: "a", capacityGiB: 100, device }, { name: "b", capacityGiB: 100, device }],
    vms: [vm("x", "a", 70), vm("y", "a", 12), vm("z", "b", secondUsed)],
  });
  test("82 % vs 79 %: no recommendation", () => {
    const run = sdrs.balance(twoDatastores(79), { ioMetricEnabled: false });
    expect(run.recommendations).toEqual([]);
    expect(run.stoppedBy).toBe("no legal move");
  });
  test("82 % vs 60 %: the smaller VM that fits under 80 % moves", () => {
    const run = sdrs.balance(twoDatastores(60), { ioMetricEnabled: false });
    expect(run.recommendations.map((r) => [r.vm, r.from, r.to, r.reason])).toEqual([["y", "a", "b", "space"]]);
  });
});

describe("Storage vMotion cost comes from the VAAI full-copy model", () => {
  test("a moved VM costs less time and almost no host traffic with VAAI", () => {
    const cost = sdrs.moveCost(40);
    expect(cost.withVaaiS).toBeLessThan(cost.withoutVaaiS);
    expect(cost.hostTrafficWithVaaiMB).toBeLessThan(0.01 * cost.hostTrafficWithoutVaaiMB);
  });
});

describe("invariants (spec §5)", () => {
  test.prop([cluster, settings], { numRuns: 1000 })("1. no move ends above the space threshold; space moves need the minimum difference", (c, s) => {
    const run = sdrs.balance(c, s);
    for (const r of run.recommendations) {
      expect(r.after.toUtilPct).toBeLessThanOrEqual(s.spaceThresholdPct + 1e-9);
      if (r.reason === "space") expect(r.before.fromUtilPct - r.before.toUtilPct).toBeGreaterThanOrEqual(s.minSpaceDiffPct);
    }
  });
  test.prop([cluster, settings], { numRuns: 1000 })("2. space moves never raise the highest utilisation; used space is conserved", (c, s) => {
    const run = sdrs.balance(c, { ...s, ioMetricEnabled: false });
    expect(sdrs.clusterLoad(run.after).maxUtilPct).toBeLessThanOrEqual(sdrs.clusterLoad(c).maxUtilPct + 1e-9);
    expect(used(run.after)).toBeCloseTo(used(c), 9);
    expect(run.after.vms.map((v) => v.name).sort()).toEqual(c.vms.map((v) => v.name).sort());
  });
  test.prop([cluster, settings], { numRuns: 1000 })("3. the I/O pass acts only when enabled and unfair, and never raises the worst latency", (c, s) => {
    const run = sdrs.balance(c, s);
    const io = run.recommendations.filter((r) => r.reason === "io");
    if (!s.ioMetricEnabled) expect(io).toEqual([]);
    // With no space move before it, the I/O pass saw the input's fairness: at or above the gate it must not act.
    if (run.recommendations[0]?.reason !== "space" && run.fairnessBefore >= 1 - s.ioImbalanceThreshold / 100) expect(io).toEqual([]);
    for (const r of io) {
      expect(Math.max(r.after.fromLatencyMs, r.after.toLatencyMs)).toBeLessThan(r.before.fromLatencyMs + 1e-9);
      expect(r.before.fromLatencyMs).toBeGreaterThan(s.latencyThresholdMs);
    }
  });
  test.prop([cluster, settings], { numRuns: 1000 })("4. a second run with no load change recommends nothing (unless the first hit the move cap)", (c, s) => {
    const first = sdrs.balance(c, s);
    fc.pre(first.stoppedBy !== "move cap");
    expect(sdrs.balance(first.after, s).recommendations).toEqual([]);
  });
  test.prop([cluster, settings, fc.integer({ min: 1, max: 600 })], { numRuns: 1000 })("5. placement keeps the space rule whenever a datastore allows it, and never exceeds capacity", (c, s, sizeGiB) => {
    const placement = sdrs.place(c, { name: "new", sizeGiB, workload: { oio: 2, ioSizeKiB: 8, readPct: 50, randomPct: 50 } }, s);
    const loads = sdrs.datastoreLoads(c.datastores, c.vms);
    const underThreshold = loads.filter((l) => (100 * (l.usedGiB + sizeGiB)) / l.capacityGiB <= s.spaceThresholdPct);
    const chosen = loads.find((l) => l.name === placement.datastore);
    if (underThreshold.length > 0) {
      expect(placement.thresholdExceeded).toBe(false);
      expect(underThreshold.map((l) => l.name)).toContain(placement.datastore);
    }
    if (chosen) expect(chosen.usedGiB + sizeGiB).toBeLessThanOrEqual(chosen.capacityGiB);
    else expect(loads.every((l) => l.usedGiB + sizeGiB > l.capacityGiB)).toBe(true);
  });
  test.prop([cluster, settings], { numRuns: 300 })("8. deterministic, finite", (c, s) => {
    const a = sdrs.balance(c, s);
    expect(sdrs.balance(c, s)).toEqual(a);
    for (const r of a.recommendations) for (const v of [...Object.values(r.before), ...Object.values(r.after), r.cost.withVaaiS, r.cost.withoutVaaiS]) expect(Number.isFinite(v)).toBe(true);
  });
});

describe("anti-affinity", () => {
  test("a VM is never placed beside a VM it must stay apart from", () => {
    const device = sdrs.DEVICES.fc15k;
    const w = { oio: 1, ioSizeKiB: 8, readPct: 50, randomPct: 50 };
    const c: sdrs.Cluster = {
      datastores: [{ name: "empty", capacityGiB: 1000, device }, { name: "busy", capacityGiB: 1000, device }],
      vms: [{ name: "sql1", datastore: "empty", sizeGiB: 10, workload: w }, { name: "filler", datastore: "busy", sizeGiB: 500, workload: w }],
      antiAffinity: [["sql1", "sql2"]],
    };
    const apart = sdrs.place(c, { name: "sql2", sizeGiB: 10, workload: w });
    expect(apart.datastore).toBe("busy");
    expect(apart.options.find((o) => o.datastore === "empty")?.excludedBy).toBe("anti-affinity");
    const placement = sdrs.place({ ...c, antiAffinity: [["sql1", "filler"]] }, { name: "sql2", sizeGiB: 10, workload: w });
    expect(placement.datastore).toBe("empty");
  });
});

describe("bad input", () => {
  test("throws ModelInputError naming the field", () => {
    const device = sdrs.DEVICES.fc15k;
    const good: sdrs.Cluster = { datastores: [{ name: "a", capacityGiB: 100, device }], vms: [] };
    expectModelInputError(() => sdrs.balance(good, { latencyThresholdMs: 2 }), "settings.latencyThresholdMs");
    expectModelInputError(() => sdrs.balance({ ...good, datastores: [{ name: "a", capacityGiB: Number.NaN, device }] }), "cluster.datastores[0].capacityGiB");
    expectModelInputError(() => sdrs.balance({ ...good, vms: [{ name: "v", datastore: "nope", sizeGiB: 1, workload: { oio: 1, ioSizeKiB: 8, readPct: 0, randomPct: 0 } }] }), "cluster.vms[0].datastore");
    expectModelInputError(() => sdrs.balance({ ...good, datastores: [good.datastores[0], good.datastores[0]] }), "cluster.datastores");
    expectModelInputError(() => sdrs.place(good, { name: "v", sizeGiB: -1, workload: { oio: 1, ioSizeKiB: 8, readPct: 0, randomPct: 0 } }), "vm.sizeGiB");
  });

  test("VMs sharing one workload object (a pool of clones) are checked as if each had its own copy", () => {
    const device = sdrs.DEVICES.fc15k;
    const datastores = [{ name: "a", capacityGiB: 100, device }, { name: "b", capacityGiB: 100, device }];
    const shared = { oio: 4, ioSizeKiB: 8, readPct: 50, randomPct: 50 };
    const vms = (workload: () => sdrs.Workload) => Array.from({ length: 6 }, (_, i) => ({ name: `v${i}`, datastore: "a", sizeGiB: 14, workload: workload() }));
    expect(sdrs.balance({ datastores, vms: vms(() => shared) })).toEqual(sdrs.balance({ datastores, vms: vms(() => ({ ...shared })) }));
    // A bad shared workload is refused at the first VM that carries it.
    expectModelInputError(() => sdrs.balance({ datastores, vms: vms(() => ({ ...shared, readPct: 101 })) }), "cluster.vms[0].workload.readPct");
    const bad = { ...shared, oio: -1 };
    expectModelInputError(() => sdrs.balance({ datastores, vms: [{ name: "ok", datastore: "b", sizeGiB: 1, workload: shared }, ...vms(() => bad)] }), "cluster.vms[1].workload.oio");
  });
});

describe("placing many VMs", () => {
  test.prop([cluster, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 200 })], { numRuns: 300 })(
    "placeAll agrees with placing one VM at a time, and never exceeds a datastore's capacity",
    (c, count, sizeGiB) => {
      const w = { oio: 2, ioSizeKiB: 8, readPct: 50, randomPct: 50 };
      const newVms = Array.from({ length: count }, (_, i) => ({ name: `new${i}`, sizeGiB, workload: w }));
      const all = sdrs.placeAll(c, newVms);
      let step: sdrs.Cluster = c;
      newVms.forEach((vm, i) => {
        const one = sdrs.place(step, vm);
        expect(one.datastore).toBe(all.placements[i].datastore);
        if (one.datastore) step = { ...step, vms: [...step.vms, { ...vm, datastore: one.datastore }] };
      });
      // The random cluster may start over capacity: then nothing new may land there.
      const before = sdrs.datastoreLoads(c.datastores, c.vms);
      sdrs.datastoreLoads(all.cluster.datastores, all.cluster.vms).forEach((load, j) =>
        expect(load.usedGiB).toBeLessThanOrEqual(Math.max(load.capacityGiB, before[j].usedGiB)));
    },
  );
});

describe("balancing the cluster placePool returned, with the measured latencies (balancePlaced)", () => {
  const pool = fc.record({ namePrefix: fc.constant("desktop"), count: fc.integer({ min: 0, max: 80 }), sizeGiB: fc.integer({ min: 1, max: 300 }), workload });
  /** The cluster and a measured p90 per datastore (some datastores' p90 already set by the arbitrary are overwritten). */
  const placedAndMeasured = fc.tuple(cluster, pool, settings).chain(([c, p, s]) =>
    fc.tuple(fc.constant(c), fc.constant(p), fc.constant(s), fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { minLength: c.datastores.length, maxLength: c.datastores.length })));

  test.prop([placedAndMeasured], { numRuns: 500 })("the same run as balance over that cluster with each datastore's p90 set", ([c, p, s, p90s]) => {
    const placement = sdrs.placePool(c, p, s);
    const measured: sdrs.Cluster = { ...placement.cluster, datastores: placement.cluster.datastores.map((ds, j) => ({ ...ds, p90LatencyMs: p90s[j] })) };
    expect(sdrs.balancePlaced(placement, p90s, s)).toEqual(sdrs.balance(measured, s));
  });

  test("worked cases: a measured p90 over the threshold moves the busy server only when the load is unfair", () => {
    const device = sdrs.DEVICES.fc15k;
    const w = { oio: 2, ioSizeKiB: 8, readPct: 50, randomPct: 50 };
    const c: sdrs.Cluster = { datastores: [{ name: "a", capacityGiB: 1000, device }, { name: "b", capacityGiB: 1000, device }], vms: [] };
    const even = sdrs.placePool(c, { namePrefix: "d", count: 6, sizeGiB: 10, workload: w });
    expect(even.placedPer).toEqual([3, 3]);
    // 40 ms measured on a, 5 ms on b, but the same load on both: the fairness gate holds the I/O pass back.
    const fair = sdrs.balancePlaced(even, [40, 5]);
    expect(fair.recommendations).toEqual([]);
    expect(fair.after.datastores.map((ds) => ds.p90LatencyMs)).toEqual([40, 5]);
    // A server with 20 outstanding I/Os alone on a: it moves to b, and a's measured 40 ms falls by the
    // device model's 0.35 ms per outstanding I/O (7 ms) while b's rises by as much.
    const server = { ...c, vms: [{ name: "server", datastore: "a", sizeGiB: 50, workload: { ...w, oio: 20 } }] };
    const unfair = sdrs.balancePlaced(sdrs.placePool(server, { namePrefix: "d", count: 0, sizeGiB: 10, workload: w }), [40, 5]);
    expect(unfair.recommendations.map((r) => [r.vm, r.from, r.to, r.reason])).toEqual([["server", "a", "b", "io"]]);
    expect(unfair.after.datastores.map((ds) => ds.p90LatencyMs)).toEqual([33, 12]);
  });

  test("bad latencies or settings: ModelInputError naming the field", () => {
    const device = sdrs.DEVICES.fc15k;
    const c: sdrs.Cluster = { datastores: [{ name: "a", capacityGiB: 100, device }, { name: "b", capacityGiB: 100, device }], vms: [] };
    const placement = sdrs.placePool(c, { namePrefix: "d", count: 2, sizeGiB: 1, workload: { oio: 1, ioSizeKiB: 8, readPct: 0, randomPct: 0 } });
    expectModelInputError(() => sdrs.balancePlaced(placement, [10]), "p90LatencyMs");
    expectModelInputError(() => sdrs.balancePlaced(placement, [10, 10, 10]), "p90LatencyMs");
    expectModelInputError(() => sdrs.balancePlaced(placement, [10, -1]), "p90LatencyMs[1]");
    expectModelInputError(() => sdrs.balancePlaced(placement, [Number.NaN, 10]), "p90LatencyMs[0]");
    expectModelInputError(() => sdrs.balancePlaced(placement, [10, 10], { spaceThresholdPct: 20 }), "settings.spaceThresholdPct");
    // a wrong placement argument is a ModelInputError, not a TypeError
    expectModelInputError(() => sdrs.balancePlaced(null as never, [10, 10]), "placement");
    expectModelInputError(() => sdrs.balancePlaced({ cluster: { datastores: "x", vms: [] } } as never, [10, 10]), "placement.cluster.datastores");
    expectModelInputError(() => sdrs.balancePlaced({ ...placement, cluster: { ...placement.cluster, vms: [7] } } as never, [10, 10]), "placement.cluster.vms[0]");
  });
});
