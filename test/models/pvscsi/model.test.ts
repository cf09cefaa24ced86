import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { pvscsi, ModelInputError } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";
import { costs, deviceLatencyMs, iops, oio, release } from "./arbitraries.ts";

const RUNS = { numRuns: 1000 };
const finite = (x: number) => Number.isFinite(x);

describe("coalescing policy (spec §3.1)", () => {
  test.prop([oio, iops, release], RUNS)("LSI Logic never coalesces; PVSCSI only above 4 OIO, and from 4.1 only at ≥ 2,000 IOPS", (o, x, r) => {
    expect(pvscsi.coalescingFactor({ adapter: "lsi", oio: o, iops: x, release: r })).toBe(1);
    const k = pvscsi.coalescingFactor({ adapter: "pvscsi", oio: o, iops: x, release: r });
    if (o <= 4 || (r === "4.1+" && x < 2000)) expect(k).toBe(1);
    else expect(k).toBe(Math.min(8, Math.max(2, Math.floor(o / 4))));
  });
});

describe("closed loop per adapter (spec §3.2, invariants 5, 6, 8)", () => {
  test.prop([fc.constantFrom(...pvscsi.ADAPTERS), oio, deviceLatencyMs, release, costs], RUNS)(
    "Little's law, the CPU and device caps, ρ < 1, finite numbers, interrupts ≤ IOPS",
    (adapter, o, d, r, c) => {
      const a = pvscsi.adapterLatency({ adapter, oio: o, deviceLatencyMs: d, release: r, costs: c });
      for (const v of Object.values(a)) if (typeof v === "number") expect(finite(v)).toBe(true);
      expect(Math.abs((a.iops * a.latencyMs) / 1000 - o)).toBeLessThanOrEqual(1e-6 * o);
      expect(a.iops).toBeGreaterThan(0);
      expect(a.iops).toBeLessThanOrEqual(1e6 / a.cpuPerIoUs);
      expect(a.iops).toBeLessThanOrEqual((1000 * o) / d * (1 + 1e-12));
      expect(a.vcpuUtilisation).toBeLessThan(1);
      expect(a.interruptsPerSec).toBeLessThanOrEqual(a.iops * (1 + 1e-12));
      if (a.completionsPerInterrupt === 1) expect(a.interruptsPerSec).toBe(a.iops);
      expect(a.latencyMs).toBeCloseTo(a.deviceLatencyMs + a.cpuPathMs + a.coalesceWaitMs, 9);
    },
  );

  test.prop([oio, oio, deviceLatencyMs, release], RUNS)("invariant 7: throughput never falls as the queue deepens; nor does latency without coalescing", (o1, o2, d, r) => {
    const [lo, hi] = o1 <= o2 ? [o1, o2] : [o2, o1];
    for (const adapter of pvscsi.ADAPTERS) {
      const a = pvscsi.adapterLatency({ adapter, oio: lo, deviceLatencyMs: d, release: r });
      const b = pvscsi.adapterLatency({ adapter, oio: hi, deviceLatencyMs: d, release: r });
      expect(b.iops).toBeGreaterThanOrEqual(a.iops * (1 - 1e-9));
      // On a device of fixed service time the batch fills faster as the queue grows (the wait is
      // (k − 1)/(2X) and X grows with OIO), so PVSCSI's latency with coalescing may fall: the spec's
      // invariant 7 holds for latency only without it. At a fixed IOPS it holds always (below).
      if (b.completionsPerInterrupt === 1) expect(b.latencyMs).toBeGreaterThanOrEqual(a.latencyMs * (1 - 1e-9));
    }
  });
});

describe("the two adapters compared (spec §4)", () => {
  test.prop([oio, deviceLatencyMs, release, costs], RUNS)("PVSCSI never costs more CPU per I/O than LSI Logic (strictly less)", (o, d, r, c) => {
    const cmp = pvscsi.compareAdapters({ oio: o, deviceLatencyMs: d, release: r, costs: c });
    expect(cmp.pvscsi.cpuPerIoUs).toBeLessThan(cmp.lsi.cpuPerIoUs);
    expect(cmp.deltaCpuPerIoUs).toBeLessThan(0);
  });

  test.prop([fc.integer({ min: 1, max: 4 }), deviceLatencyMs, release, costs], RUNS)("invariant 1: at ≤ 4 OIO no coalescing and PVSCSI is never slower", (o, d, r, c) => {
    const cmp = pvscsi.compareAdapters({ oio: o, deviceLatencyMs: d, release: r, costs: c });
    expect(cmp.pvscsi.completionsPerInterrupt).toBe(1);
    expect(cmp.pvscsi.coalesceWaitMs).toBe(0);
    expect(cmp.deltaLatencyMs).toBeLessThanOrEqual(0);
  });

  test.prop([fc.integer({ min: 5, max: 256 }), deviceLatencyMs, costs], RUNS)("invariant 2: on 4.1+ below 2,000 IOPS there is no wait and PVSCSI is never slower", (o, d, c) => {
    const cmp = pvscsi.compareAdapters({ oio: o, deviceLatencyMs: d, release: "4.1+", costs: c });
    if (cmp.pvscsi.iops < 2000) {
      expect(cmp.pvscsi.coalesceWaitMs).toBe(0);
      expect(cmp.deltaLatencyMs).toBeLessThanOrEqual(0);
    }
  });

  test.prop([fc.integer({ min: 5, max: 256 }), deviceLatencyMs, deviceLatencyMs, costs], RUNS)(
    "invariant 3: on 4.0 above 4 OIO the wait is positive and falls as throughput rises",
    (o, d1, d2, c) => {
      const [fast, slow] = d1 <= d2 ? [d1, d2] : [d2, d1];
      const a = pvscsi.adapterLatency({ adapter: "pvscsi", oio: o, deviceLatencyMs: fast, release: "4.0", costs: c });
      const b = pvscsi.adapterLatency({ adapter: "pvscsi", oio: o, deviceLatencyMs: slow, release: "4.0", costs: c });
      expect(a.completionsPerInterrupt).toBeGreaterThan(1);
      expect(a.coalesceWaitMs).toBeGreaterThan(0);
      if (b.iops < a.iops * (1 - 1e-9)) expect(b.coalesceWaitMs).toBeGreaterThan(a.coalesceWaitMs);
    },
  );

  test.prop([fc.integer({ min: 8, max: 256 }), deviceLatencyMs, release], RUNS)("invariant 4: with default costs and k ≥ 2 PVSCSI's CPU per I/O is 70–90 % of LSI Logic's (the published 10–30 % saving)", (o, d, r) => {
    const cmp = pvscsi.compareAdapters({ oio: o, deviceLatencyMs: d, release: r });
    if (cmp.pvscsi.completionsPerInterrupt >= 2) {
      const ratio = cmp.pvscsi.cpuPerIoUs / cmp.lsi.cpuPerIoUs;
      expect(ratio).toBeGreaterThanOrEqual(0.7);
      expect(ratio).toBeLessThanOrEqual(0.9);
    }
  });
});

describe("a workload as measured on LSI Logic", () => {
  test.prop([oio, iops, release, costs], RUNS)("the implied device reproduces the measured IOPS on LSI Logic, or the input is refused", (o, x, r, c) => {
    let cmp;
    try {
      cmp = pvscsi.compareObserved({ iops: x, oio: o, release: r, costs: c });
    } catch (e) {
      expect(e).toBeInstanceOf(ModelInputError);
      expect((e as ModelInputError).field).toBe("iops");
      return;
    }
    expect(Math.abs(cmp.lsi.iops - x)).toBeLessThanOrEqual(1e-9 * x);
    expect(cmp.deviceLatencyMs).toBeGreaterThanOrEqual(0.01);
  });

  test.prop([fc.integer({ min: 1, max: 64 }), fc.double({ min: Math.log(100), max: Math.log(15_000), noNaN: true }), fc.integer({ min: 0, max: 63 })], RUNS)(
    "where queueing dominates, latency at a fixed IOPS rises with the outstanding I/Os (both adapters)",
    (o1, logX, step) => {
      const x = Math.exp(logX);
      const o2 = Math.min(64, o1 + step);
      try {
        const a = pvscsi.compareObserved({ iops: x, oio: o1, release: "4.0" });
        const b = pvscsi.compareObserved({ iops: x, oio: o2, release: "4.0" });
        expect(b.lsi.latencyMs).toBeGreaterThanOrEqual(a.lsi.latencyMs * (1 - 1e-12));
        expect(b.pvscsi.latencyMs).toBeGreaterThanOrEqual(a.pvscsi.latencyMs * (1 - 1e-12));
      } catch (e) {
        expect(e).toBeInstanceOf(ModelInputError); // unreachable at that depth: nothing to compare
      }
    },
  );
});

describe("the published boundary (KB 1017652) on the default device costs", () => {
  const v40 = pvscsi.crossoverMap({ release: "4.0" });
  const v41 = pvscsi.crossoverMap({ release: "4.1+" });

  test("the grid is 100 IOPS columns (100–20,000, log) by 64 OIO rows", () => {
    expect(v40.columns).toBe(100);
    expect(v40.rows).toBe(64);
    expect(v40.iops[0]).toBeCloseTo(100, 9);
    expect(v40.iops[99]).toBe(20_000);
  });

  test("OIO edge at 4, exactly: PVSCSI is never slower at ≤ 4 OIO, and on 4.0 is slower at every reachable IOPS below 2,000 from 5 OIO up", () => {
    for (let row = 0; row < v40.rows; row++) {
      for (let c = 0; c < v40.columns; c++) {
        const i = row * v40.columns + c;
        if (!v40.reachable[i]) continue;
        if (v40.oio[row] <= 4) expect(v40.deltaMs[i]).toBeLessThanOrEqual(0);
        else if (v40.iops[c] < 2000) expect(v40.deltaMs[i], `oio ${v40.oio[row]} iops ${v40.iops[c]}`).toBeGreaterThan(0);
      }
    }
  });

  test("IOPS edge at 2,000 (tolerance: one grid column, 5.5 %): what 4.1 removed is exactly the published zone below 2,000 IOPS and above 4 OIO", () => {
    const step = v40.iops[1] / v40.iops[0];
    expect(step).toBeLessThan(1.055);
    let removed = 0;
    for (let row = 0; row < v40.rows; row++) {
      for (let c = 0; c < v40.columns; c++) {
        const i = row * v40.columns + c;
        if (!v40.reachable[i]) continue;
        const fixed = v40.deltaMs[i] > 0 && v41.deltaMs[i] <= 0;
        const x = v40.iops[c];
        const inZone = x < 2000 && v40.oio[row] > 4;
        // Cells more than one column away from 2,000 IOPS must match the zone exactly.
        if (x < 2000 / step || x > 2000 * step) expect(fixed, `oio ${v40.oio[row]} iops ${x}`).toBe(inZone);
        if (fixed) removed++;
      }
    }
    expect(removed).toBeGreaterThan(1000);
  });

  test("4.1+ shows no crossover below 2,000 IOPS at any queue depth; at ≤ 4 OIO no release shows one at all", () => {
    for (let row = 0; row < v41.rows; row++) {
      for (let c = 0; c < v41.columns && v41.iops[c] < 2000; c++) {
        const i = row * v41.columns + c;
        if (v41.reachable[i]) expect(v41.deltaMs[i]).toBeLessThanOrEqual(0);
      }
    }
    for (const map of [v40, v41]) for (let row = 0; row < 4; row++) expect(map.pvSlowerSomewhere[row]).toBe(false);
  });

  test("the model's own sign change on 4.0 lies above the published 2,000 IOPS (its CPU costs are assumptions: spec §3.4)", () => {
    for (let row = 4; row < v40.rows; row++) {
      const x = v40.crossoverIops[row];
      if (x !== null) expect(x).toBeGreaterThan(2000);
    }
    // With the default costs the sign change for 8 OIO (k = 2) sits where 500/X ms of wait equals the
    // CPU-path time saved, 60/(1 − 60e-6·X) − 49.5/(1 − 49.5e-6·X) µs: about 9,900 IOPS.
    expect(v40.crossoverIops[7]).toBeGreaterThan(9500);
    expect(v40.crossoverIops[7]).toBeLessThan(10_300);
  });
});

describe("published figures", () => {
  test("VROOM! 2010: PVSCSI saves 10–30 % CPU per I/O once coalescing is on (defaults: 17.5 % at k = 2, 27 % at k = 8)", () => {
    const lsi = pvscsi.cpuPerIoUs("lsi", 1);
    expect(lsi).toBe(60);
    expect(1 - pvscsi.cpuPerIoUs("pvscsi", 2) / lsi).toBeCloseTo(0.175, 12);
    expect(1 - pvscsi.cpuPerIoUs("pvscsi", 8) / lsi).toBeCloseTo(0.26875, 12);
  });

  test("KB 1017652 example workloads on ESX 4.0: 1,000 IOPS at 16 OIO → LSI Logic; 1,000 IOPS at 4 OIO → PVSCSI; published and model agree", () => {
    const light = pvscsi.recommend({ iops: 1000, oio: 16, release: "4.0" });
    expect(light.adapter).toBe("lsi");
    expect(light.published).toBe("lsi");
    expect(light.reason).toMatch(/holds each completion until 4 completions/);
    // Wait (k − 1)/(2X) with k = 4 at PVSCSI's own throughput.
    expect(light.comparison.pvscsi.coalesceWaitMs).toBeCloseTo(1500 / light.comparison.pvscsi.iops, 12);
    const shallow = pvscsi.recommend({ iops: 1000, oio: 4, release: "4.0" });
    expect(shallow.adapter).toBe("pvscsi");
    expect(shallow.agreesWithPublished).toBe(true);
    expect(shallow.cpuSavingUs).toBeCloseTo(3, 12);
  });

  test("vSphere 4.1 fixed it (Achtemichuk 2014): the same 1,000 IOPS at 16 OIO goes to PVSCSI", () => {
    const r = pvscsi.recommend({ iops: 1000, oio: 16, release: "4.1+" });
    expect(r.adapter).toBe("pvscsi");
    expect(r.reason).toMatch(/From vSphere 4\.1/);
  });

  test("at the 4.1+ threshold the modes alternate: X is held at 2,000 IOPS with a fractional k and Little's law exact", () => {
    // A device time that puts LSI Logic just above 2,000 IOPS at 8 OIO.
    const cmp = pvscsi.compareAdapters({ oio: 8, deviceLatencyMs: 3.9, release: "4.1+" });
    expect(cmp.pvscsi.iops).toBe(2000);
    expect(cmp.pvscsi.completionsPerInterrupt).toBeGreaterThan(1);
    expect(cmp.pvscsi.completionsPerInterrupt).toBeLessThan(2);
    expect((cmp.pvscsi.iops * cmp.pvscsi.latencyMs) / 1000).toBeCloseTo(8, 9);
  });
});

describe("completion timeline", () => {
  test("with k = 4 every 4th completion raises the interrupt; the mean hold is 1.5 gaps", () => {
    const t = pvscsi.completionTimeline({ iops: 1000, oio: 16, release: "4.0" }, 12);
    expect(t.k).toBe(4);
    expect(t.interruptsMs).toHaveLength(3);
    expect(t.withCoalescing[0].deliveredMs).toBe(t.withCoalescing[3].completedMs);
    expect(t.withoutCoalescing.every((e) => e.deliveredMs === e.completedMs)).toBe(true);
    expect(t.meanWaitMs).toBeCloseTo(1.5 * t.gapMs, 12);
  });
  test.prop([oio, iops, release], RUNS)("the drawn mean hold equals the model's coalescing wait whenever k is whole", (o, x, r) => {
    let t;
    let cmp;
    try {
      t = pvscsi.completionTimeline({ iops: x, oio: o, release: r }, 64);
      cmp = pvscsi.compareObserved({ iops: x, oio: o, release: r });
    } catch (e) {
      expect(e).toBeInstanceOf(ModelInputError);
      return;
    }
    for (const e of t.withCoalescing) expect(e.deliveredMs).toBeGreaterThanOrEqual(e.completedMs);
    if (Number.isInteger(cmp.pvscsi.completionsPerInterrupt)) expect(t.meanWaitMs).toBeCloseTo(cmp.pvscsi.coalesceWaitMs, 9);
  });
});

describe("booting from PVSCSI", () => {
  test("Windows Server 2008: not on ESX 4.0; floppy route for a new install and switch route for an installed VM from 4.0 U1", () => {
    expect(pvscsi.bootDecision({ guestOs: "windows-2008", release: "4.0", situation: "new-install" })).toMatchObject({ canBoot: false, route: "data-disks-only" });
    expect(pvscsi.bootDecision({ guestOs: "windows-2008", release: "4.0u1", situation: "new-install" })).toMatchObject({ canBoot: true, route: "floppy-driver", assumption: true });
    expect(pvscsi.bootDecision({ guestOs: "windows-2008", release: "4.1+", situation: "existing-vm" })).toMatchObject({ canBoot: true, route: "install-on-lsi-then-switch" });
    expect(pvscsi.bootDecision({ guestOs: "rhel-5", release: "4.1+", situation: "new-install" }).route).toBe("install-on-lsi-then-switch");
    expect(pvscsi.bootDecision({ guestOs: "other", release: "4.1+", situation: "new-install" })).toMatchObject({ canBoot: false, pvscsiSupported: false });
  });
});

describe("invalid input throws ModelInputError naming the field", () => {
  const cases: Array<[string, () => unknown]> = [
    ["oio", () => pvscsi.adapterLatency({ adapter: "lsi", oio: 0, deviceLatencyMs: 1, release: "4.0" })],
    ["oio", () => pvscsi.compareAdapters({ oio: NaN, deviceLatencyMs: 1, release: "4.0" })],
    ["deviceLatencyMs", () => pvscsi.compareAdapters({ oio: 4, deviceLatencyMs: Infinity, release: "4.0" })],
    ["release", () => pvscsi.compareAdapters({ oio: 4, deviceLatencyMs: 1, release: "3.5" as never })],
    ["adapter", () => pvscsi.adapterLatency({ adapter: "buslogic" as never, oio: 4, deviceLatencyMs: 1, release: "4.0" })],
    ["costs.cParaUs", () => pvscsi.compareAdapters({ oio: 4, deviceLatencyMs: 1, release: "4.0", costs: { cEmulUs: 40, cParaUs: 45, irqCostUs: 15 } })],
    ["costs.irqCostUs", () => pvscsi.compareAdapters({ oio: 4, deviceLatencyMs: 1, release: "4.0", costs: { cEmulUs: 45, cParaUs: 42, irqCostUs: -1 } })],
    ["ioSizeKiB", () => pvscsi.compareAdapters({ oio: 4, deviceLatencyMs: 1, release: "4.0", ioSizeKiB: 65_536 })],
    ["iops", () => pvscsi.recommend({ iops: 50_000, oio: 1, release: "4.0" })],
    ["iops", () => pvscsi.recommend({ iops: 0, oio: 1, release: "4.0" })],
    ["workload", () => pvscsi.recommend(null as never)],
    ["iopsMax", () => pvscsi.crossoverMap({ release: "4.0", iopsMin: 5000, iopsMax: 100 })],
    ["columns", () => pvscsi.crossoverMap({ release: "4.0", columns: 1 })],
    ["count", () => pvscsi.completionTimeline({ iops: 1000, oio: 16, release: "4.0" }, 1000)],
    ["k", () => pvscsi.cpuPerIoUs("pvscsi", 0)],
    ["guestOs", () => pvscsi.bootDecision({ guestOs: "windows-2012" as never, release: "4.0", situation: "new-install" })],
    ["situation", () => pvscsi.bootDecision({ guestOs: "windows-2008", release: "4.0", situation: "p2v" as never })],
  ];
  for (const [field, run] of cases) test(`${field}: ${run.toString().slice(6, 90)}`, () => expectModelInputError(run, field));

  test.prop([fc.anything()], RUNS)("any junk as a workload either works or throws ModelInputError, never NaN", (junk) => {
    try {
      const r = pvscsi.recommend(junk as never);
      expect(Number.isFinite(r.latencySavingMs)).toBe(true);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelInputError);
    }
  });
});
