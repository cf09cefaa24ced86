import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vaai } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";

const input = fc
  .record({
    poolGB: fc.double({ min: 1, max: 100_000, noNaN: true }),
    usedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    vms: fc.integer({ min: 1, max: 60 }),
    overwriteShare: fc.double({ min: 0, max: 1, noNaN: true }),
    growthGBPerHourPerVm: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true })),
    growthSpread: fc.double({ min: 0, max: 0.95, noNaN: true }),
    softThresholdPct: fc.double({ min: 1, max: 100, noNaN: true }),
    vaaiTP: fc.boolean(),
    adminResponseH: fc.option(fc.double({ min: 0, max: 200, noNaN: true }), { nil: null }),
    addGB: fc.double({ min: 0, max: 50_000, noNaN: true }),
    horizonH: fc.double({ min: 1, max: 1000, noNaN: true }),
    steps: fc.integer({ min: 1, max: 200 }),
  })
  .map(({ usedShare, overwriteShare, ...p }) => ({
    ...p,
    initialUsedGB: usedShare * p.poolGB,
    overwriteOnlyVms: Math.floor(overwriteShare * p.vms),
  }));

describe("thin provisioning: worked example (defaults)", () => {
  // 10 TB pool, 6 TB used, 80 growing VMs averaging 0.5 GB/h = 40 GB/h in total.
  test("warning at 75 % after (7680 − 6144) / 40 = 38.4 h (to the next half-hour step); full after 4096 / 40 = 102.4 h without the API", () => {
    const withApi = vaai.simulateThin();
    expect(withApi.warningH).toBe(38.5);
    const without = vaai.simulateThin({ vaaiTP: false });
    expect(without.warningH).toBeNull();
    expect(without.fullH).toBe(102.5);
    expect(without.crashed).toBe(80);
  });
  test("with the API the 20 overwrite-only VMs keep running while the 80 growing ones are stunned, then resume when space is added", () => {
    const r = vaai.simulateThin();
    expect(r.peakStunned).toBe(80);
    expect(r.crashed).toBe(0);
    const stun = r.events.find((e) => e.kind === "stun")!;
    const atStun = r.series.find((s) => s.tH === stun.atH)!;
    expect(atStun.running).toBe(20);
    expect(r.events.some((e) => e.kind === "resume" && e.vms === 80)).toBe(true);
  });
});

describe("thin provisioning: properties", () => {
  test.prop([input], { numRuns: 1000 })("pool usage never negative nor above capacity, never falls; VM counts add up", (p) => {
    const r = vaai.simulateThin(p);
    // Plain checks collected first: one expect per point would make 1000 runs slow.
    const bad = r.series.filter((s, i) =>
      !(s.usedGB >= 0 && s.usedGB <= s.capacityGB && (i === 0 || s.usedGB >= r.series[i - 1].usedGB) && s.running + s.stunned + s.crashed === p.vms));
    expect(bad).toEqual([]);
  });
  test.prop([input], { numRuns: 1000 })("with the API nobody crashes; without it nobody is stunned and no warning is raised", (p) => {
    const r = vaai.simulateThin(p);
    if (p.vaaiTP) expect(r.crashed).toBe(0);
    else {
      expect(r.peakStunned).toBe(0);
      expect(r.warningH).toBeNull();
      expect(r.events.some((e) => e.kind === "warning" || e.kind === "stun")).toBe(false);
    }
  });
  test.prop([input], { numRuns: 1000 })("warning before full when the soft threshold is below 100 %; nobody hit before the pool is full", (p) => {
    const r = vaai.simulateThin(p);
    if (p.vaaiTP && r.warningH !== null && r.fullH !== null && p.softThresholdPct < 100) expect(r.warningH).toBeLessThanOrEqual(r.fullH);
    expect(r.series.filter((s) => (r.fullH === null || s.tH < r.fullH) && s.stunned + s.crashed > 0)).toEqual([]);
  });
  test.prop([input], { numRuns: 1000 })("no growth: never full (null, not Infinity)", (p) => {
    const r = vaai.simulateThin({ ...p, growthGBPerHourPerVm: 0 });
    expect(r.fullH).toBeNull();
    expect(r.peakStunned + r.crashed).toBe(0);
  });
  test("UNMAP returns a migrated VM's blocks; without it nothing comes back", () => {
    expect(vaai.reclaimedGB(120, true)).toBe(120);
    expect(vaai.reclaimedGB(120, false)).toBe(0);
  });
  test("invalid fields throw ModelInputError", () => {
    expectModelInputError(() => vaai.simulateThin({ initialUsedGB: 20_000 }), "initialUsedGB");
    expectModelInputError(() => vaai.simulateThin({ overwriteOnlyVms: 101 }), "overwriteOnlyVms");
    expectModelInputError(() => vaai.simulateThin({ softThresholdPct: 0 }), "softThresholdPct");
    expectModelInputError(() => vaai.simulateThin({ steps: 0 }), "steps");
    expectModelInputError(() => vaai.reclaimedGB(-1, true), "vmAllocatedGB");
  });
});
