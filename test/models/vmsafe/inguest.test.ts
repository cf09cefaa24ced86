import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vmsafe, ModelInputError } from "../../../src/index.ts";
import type { InGuestInput, ScanSchedule } from "../../../src/vmsafe/index.ts";
import { inGuestBase, relClose, schedule, windowS } from "./arbitraries.ts";

const RUNS = { numRuns: 1000 };
/** Each run simulates a day or more at one-minute steps; on a shared machine 1000 runs take a while. */
const SLOW_MS = 120_000;
const withSchedule = inGuestBase().chain((base) =>
  fc.tuple(fc.constant(base), schedule(base.desktops), schedule(base.desktops)));

function allFinite(r: ReturnType<typeof vmsafe.inGuestScan>): boolean {
  const arrays = [r.timeH, r.scanning, r.cpuDemandPercent, r.hostCpuPercent, r.datastoreIops];
  const scalars = [r.peakConcurrent, r.peakCpuDemandMHz, r.peakHostUtil, r.peakIops, r.waveDurationS, r.scannedGB, r.unscannedGB, r.scanCpuMHzS, r.scanIos];
  return arrays.every((a) => a.every(Number.isFinite)) && scalars.every(Number.isFinite);
}

describe("in-guest scheduled scans: the summit (spec §4)", () => {
  test("1,000 XP desktops starting together ask for 5.3× the cluster's CPU; spread at random over 8 h, under it", () => {
    const s = vmsafe.scenario("seed-1000-xp").inGuest;
    const capacity = 16 * 8 * 2600;
    const all = vmsafe.inGuestScan(s);
    expect(relClose(all.peakHostUtil, (1000 * 250 + 1000 * 1500) / capacity)).toBe(true);
    expect(all.saturated).toBe(true);
    // Saturated, every scan stretches by the load: total scan CPU over capacity left by nothing.
    // The wave lasts N·d·scanMHz / (capacity − baseline share) at least: > the 10 min of one scan.
    expect(all.waveDurationS).toBeGreaterThan(all.scanDurationS * 4);
    const spread = vmsafe.inGuestScan({ ...s, schedule: { kind: "random", windowS: 8 * 3600 } });
    const mean = (1000 * (6 * 1024) / 10) / (8 * 3600); // N·d/W ≈ 21.3 desktops scanning
    expect(relClose(spread.peakConcurrent, mean + 2 * Math.sqrt(mean))).toBe(true);
    expect(spread.saturated).toBe(false);
    expect(Math.max(...spread.scanning)).toBeCloseTo(mean, 6);
  });

  test.prop([withSchedule], RUNS)("bytes, scan CPU·s and I/Os are conserved whatever the schedule; every number finite", ([base, a, b]) => {
    const ra = vmsafe.inGuestScan({ ...base, schedule: a });
    const rb = vmsafe.inGuestScan({ ...base, schedule: b });
    const total = base.desktops * base.usedGBPerDesktop;
    for (const r of [ra, rb]) {
      expect(allFinite(r)).toBe(true);
      expect(relClose(r.scannedGB + r.unscannedGB, total, 1e-9)).toBe(true);
      if (r.finished) expect(relClose(r.scannedGB, total, 1e-9)).toBe(true);
      expect(r.hostCpuPercent.every((p) => p <= 100)).toBe(true);
    }
    if (ra.finished && rb.finished) {
      expect(relClose(ra.scanCpuMHzS, rb.scanCpuMHzS, 1e-9)).toBe(true);
      expect(relClose(ra.scanIos, rb.scanIos, 1e-9)).toBe(true);
    }
  }, SLOW_MS);

  test.prop([inGuestBase(false), schedule(20_000)], RUNS)(
    "unsaturated: ∫ desktops scanning dt = N·d, and the wave ends one scan after the last start",
    (base, raw) => {
      const sched: ScanSchedule = raw.kind === "staggered" ? { ...raw, batchSize: Math.min(raw.batchSize, base.desktops) } : raw;
      const r = vmsafe.inGuestScan({ ...base, schedule: sched });
      expect(r.saturated).toBe(false);
      const d = (base.usedGBPerDesktop * 1024) / base.perVmScanMBps;
      let integral = 0;
      for (const c of r.scanning) integral += c * r.stepS;
      expect(relClose(integral, base.desktops * d, 1e-9)).toBe(true);
      expect(r.finished).toBe(true);
      const lastStart = sched.kind === "simultaneous" ? 0 : sched.windowS;
      // Starts are counted at the start of their minute: up to one step early.
      expect(r.waveDurationS).toBeLessThanOrEqual(lastStart + d + 1e-6);
      expect(r.waveDurationS).toBeGreaterThanOrEqual(d * (1 - 1e-9));
    },
    SLOW_MS,
  );

  test.prop([inGuestBase(), windowS()], RUNS)("randomising the start never raises the peak: desktops at once, CPU asked, IOPS, busiest minute", (base, w) => {
    const together = vmsafe.inGuestScan({ ...base, schedule: { kind: "simultaneous" } });
    const random = vmsafe.inGuestScan({ ...base, schedule: { kind: "random", windowS: w } });
    expect(together.peakConcurrent).toBe(base.desktops);
    expect(random.peakConcurrent).toBeLessThanOrEqual(together.peakConcurrent);
    expect(random.peakCpuDemandMHz).toBeLessThanOrEqual(together.peakCpuDemandMHz);
    expect(random.peakIops).toBeLessThanOrEqual(together.peakIops);
    expect(Math.max(...random.cpuDemandPercent)).toBeLessThanOrEqual(Math.max(...together.cpuDemandPercent) * (1 + 1e-12));
  }, SLOW_MS);

  test.prop([inGuestBase(), windowS(), fc.double({ min: 1, max: 10, noNaN: true })], RUNS)("the peak never rises as the random window widens", (base, w, factor) => {
    const narrow = vmsafe.inGuestScan({ ...base, schedule: { kind: "random", windowS: w } });
    const wide = vmsafe.inGuestScan({ ...base, schedule: { kind: "random", windowS: Math.min(86_400, w * factor) } });
    expect(wide.peakConcurrent).toBeLessThanOrEqual(narrow.peakConcurrent * (1 + 1e-12));
  }, SLOW_MS);

  test.prop([inGuestBase().filter((b) => b.desktops <= 2000), windowS(), fc.integer({ min: 1, max: 2000 })], RUNS)(
    "staggered: the peak is the most batch starts inside any scan-long interval, times the batch (counted by hand)",
    (base, w, kRaw) => {
      const k = Math.min(kRaw, base.desktops);
      const r = vmsafe.inGuestScan({ ...base, schedule: { kind: "staggered", windowS: w, batchSize: k } });
      const d = (base.usedGBPerDesktop * 1024) / base.perVmScanMBps;
      const interval = (w * k) / base.desktops;
      const batches = Math.ceil(base.desktops / k);
      const size = (j: number) => Math.min(k, base.desktops - j * k);
      // A scan started at s runs over [s, s + d): at time j·interval every batch started in (j·interval − d, j·interval] runs.
      let most = 0;
      for (let j = 0, from = 0, running = 0; j < batches; j++) {
        running += size(j);
        while (from < j && from * interval <= j * interval - d * (1 - 1e-12)) running -= size(from++);
        most = Math.max(most, running);
      }
      // The model's closed form rounds up to whole batches (the last batch may be smaller).
      expect(r.peakConcurrent).toBeGreaterThanOrEqual(most);
      expect(r.peakConcurrent - most).toBeLessThan(k);
      expect(r.peakConcurrent).toBeLessThanOrEqual(base.desktops);
      // Spec §6.5: for W ≥ d, ⌈N·d/W⌉ rounded up to whole batches (never more than the N desktops).
      if (w >= d) expect(r.peakConcurrent).toBe(Math.min(base.desktops, k * Math.ceil((base.desktops * d) / (w * k) - 1e-9)));
    },
    SLOW_MS,
  );
});

describe("bad input", () => {
  const base = vmsafe.scenario("seed-1000-xp").inGuest;
  test.each<[string, unknown]>([
    ["desktops", 0], ["hosts", 0], ["hostMHz", 0], ["usedGBPerDesktop", -1], ["perVmScanMBps", 0],
    ["scanCpuMHz", Number.NaN], ["scanIOPS", -1], ["baselineCpuMHzPerVm", Number.POSITIVE_INFINITY],
  ])("%s = %s throws ModelInputError", (field, value) => {
    expect(() => vmsafe.inGuestScan({ ...base, [field]: value } as InGuestInput)).toThrow(ModelInputError);
  });

  test.each<[unknown]>([
    [{ kind: "later" }], [{ kind: "random", windowS: 0 }], [{ kind: "random", windowS: 86_401 }],
    [{ kind: "staggered", windowS: 3600, batchSize: 0 }], [{ kind: "staggered", windowS: 3600, batchSize: 1001 }], [null],
  ])("schedule %j throws ModelInputError", (sched) => {
    expect(() => vmsafe.inGuestScan({ ...base, schedule: sched as ScanSchedule })).toThrow(ModelInputError);
  });
});
