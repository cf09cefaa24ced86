import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vdi } from "../../../src/index.ts";
import { percentile } from "../../../src/shared/index.ts";
import { perDesktopLoad, stormMinuteUnchecked, type StormMinute } from "../../../src/vdi/storm.ts";
import { expectModelInputError } from "../expect.ts";

const arrayArb = fc.record({
  spindles: fc.integer({ min: 1, max: 200 }),
  diskType: fc.constantFrom(...vdi.DISK_TYPES),
  raid: fc.constantFrom(...vdi.RAID_LEVELS),
  flashCache: fc.boolean(),
  readHitPct: fc.integer({ min: 0, max: 100 }),
  writeHitPct: fc.integer({ min: 0, max: 100 }),
});
const scheduleArb = fc
  .record({ bootMinutes: fc.integer({ min: 1, max: 120 }), startFraction: fc.double({ min: 0, max: 1, noNaN: true }), loginMinutes: fc.integer({ min: 1, max: 240 }) })
  .map(({ bootMinutes, startFraction, loginMinutes }) => ({
    bootStartMin: Math.floor(startFraction * (1440 - bootMinutes)),
    bootMinutes,
    loginMinutes,
    bootConcurrencyPct: 100,
  }));
const desktops = fc.integer({ min: 1, max: 3000 });

/** Every minute of the day in turn, each starting with the backlog the one before left: the fold bootStorm shortens. */
function minuteByMinute(ds: vdi.StormDatastore, schedule: vdi.StormSchedule): StormMinute[] {
  const minutes: StormMinute[] = [];
  for (let t = 0; t < vdi.MINUTES_PER_DAY; t++) minutes.push(stormMinuteUnchecked(ds, perDesktopLoad(vdi.DEFAULT_DESKTOP, schedule, t), minutes.at(-1)?.backlogIos ?? 0));
  return minutes;
}

function oneDatastore(n: number, array: vdi.ArrayConfig, schedule?: vdi.StormSchedule) {
  return vdi.bootStorm({ datastores: [{ name: "ds", desktops: n, array }], schedule }).datastores[0];
}

describe("published figures (Dell BP1018)", () => {
  test("defaults are the middle of the published per-desktop ranges and the boot read share", () => {
    const d = vdi.DEFAULT_DESKTOP;
    for (const [phase, iops] of [["boot", d.bootIops], ["login", d.loginIops], ["steady", d.steadyIops]] as const) {
      const range = vdi.PUBLISHED_IOPS[phase];
      expect(iops).toBeCloseTo((range.min + range.max) / 2, 9);
    }
    expect(d.bootReadPct).toBe(13);
    expect(100 - d.steadyReadPct).toBeCloseTo(99.8, 9);
  });
  test("the measured 15,000 IOPS peak of 1,270 desktops lies between all-steady and all-booting, as the per-desktop figures imply", () => {
    const test = vdi.PUBLISHED_BOOT_TEST;
    const array = { ...vdi.DEFAULT_ARRAY, spindles: 1000 };
    const everyoneBooting = oneDatastore(test.desktops, array).peakFrontIops;
    expect(everyoneBooting).toBeCloseTo(test.desktops * 17, 6);
    const allSteady = test.desktops * vdi.DEFAULT_DESKTOP.steadyIops;
    expect(test.peakIops).toBeGreaterThan(allSteady);
    expect(test.peakIops).toBeLessThan(everyoneBooting);
    // About 45 % of the desktops booting at once reproduces the measured peak within 2 %.
    const partial = vdi.bootStorm({ datastores: [{ name: "ds", desktops: test.desktops, array }], schedule: { ...vdi.DEFAULT_SCHEDULE, bootConcurrencyPct: 45 } });
    expect(Math.abs(partial.datastores[0].peakFrontIops / test.peakIops - 1)).toBeLessThan(0.02);
  });
});

describe("teaching points (spec §4.3)", () => {
  test("without flash cache the default storm saturates the disks; with it, it does not", () => {
    const withCache = oneDatastore(250, vdi.DEFAULT_ARRAY);
    const without = oneDatastore(250, { ...vdi.DEFAULT_ARRAY, flashCache: false });
    expect(withCache.saturatedMinutes).toBe(0);
    expect(without.saturatedMinutes).toBeGreaterThan(0);
  });
  test("a storm of minutes barely moves the day's 90th-percentile latency that Storage DRS looks at", () => {
    const without = oneDatastore(250, { ...vdi.DEFAULT_ARRAY, flashCache: false });
    expect(without.peakLatencyMs).toBeGreaterThan(15);
    expect(without.p90LatencyMs).toBeLessThan(15);
  });
});

describe("invariants (spec §5)", () => {
  test.prop([desktops, scheduleArb], { numRuns: 1000 })("7. with every desktop booting at the peak, front IOPS peak at N·b, and never fall below N·s", (n, schedule) => {
    const day = oneDatastore(n, vdi.DEFAULT_ARRAY, schedule);
    expect(Math.abs(day.peakFrontIops / (n * 17) - 1)).toBeLessThanOrEqual(0.01);
    for (const iops of day.frontIops) expect(iops).toBeGreaterThanOrEqual(n * 7.5 * (1 - 1e-12));
  });
  test.prop([desktops, arrayArb, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })], { numRuns: 1000 })(
    "7. a higher hit ratio (a larger cache) never raises latency for the same workload",
    (n, array, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const cached = { ...array, flashCache: true };
      const low = oneDatastore(n, { ...cached, readHitPct: lo, writeHitPct: lo });
      const high = oneDatastore(n, { ...cached, readHitPct: hi, writeHitPct: hi });
      for (let t = 0; t < low.latencyMs.length; t += 7) expect(high.latencyMs[t]).toBeLessThanOrEqual(low.latencyMs[t] * (1 + 1e-12));
    },
  );
  test.prop([desktops, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 120 })], { numRuns: 1000 })(
    "6. a storm shorter than 10 % of the day leaves the 24 h p90 at the non-storm p90 (within one sample)",
    (n, spindles, bootMinutes) => {
      const array = { ...vdi.DEFAULT_ARRAY, spindles };
      const schedule = { bootStartMin: 480, bootMinutes, loginMinutes: 1, bootConcurrencyPct: 100 };
      const day = oneDatastore(n, array, schedule);
      const backlog = minuteByMinute({ name: "ds", desktops: n, array }, schedule).map((m) => m.backlogIos);
      const stormEnd = backlog.findIndex((b, t) => t > 480 + bootMinutes + 1 && b === 0);
      const calm = day.latencyMs.filter((_, t) => t < 480 || t >= stormEnd);
      fc.pre(day.latencyMs.length - calm.length < 144);
      const sorted = [...calm].sort((x, y) => x - y);
      const rank = Math.ceil(0.9 * calm.length) - 1;
      expect(day.p90LatencyMs).toBeGreaterThanOrEqual(sorted[Math.max(0, rank - 1)]);
      expect(day.p90LatencyMs).toBeLessThanOrEqual(sorted[Math.min(sorted.length - 1, rank + 1)]);
      expect(percentile(calm, 90)).toBe(sorted[rank]);
    },
  );
  test.prop([fc.array(fc.record({ desktops, array: arrayArb }), { minLength: 1, maxLength: 4 }), scheduleArb], { numRuns: 200 })(
    "8. every output is finite and a run is deterministic",
    (stores, schedule) => {
      const input = { datastores: stores.map((s, j) => ({ name: `ds${j}`, ...s })), schedule };
      const a = vdi.bootStorm(input);
      expect(vdi.bootStorm(input)).toEqual(a);
      for (const d of a.datastores) for (const series of [d.frontIops, d.latencyMs]) expect(series.every(Number.isFinite)).toBe(true);
      expect([a.totalFrontIopsLow, a.totalFrontIopsPeak]).toEqual([Math.min(...a.totalFrontIops), Math.max(...a.totalFrontIops)]);
    },
  );
});

describe("the day is worked out minute by minute", () => {
  test.prop([fc.array(fc.record({ desktops: fc.integer({ min: 0, max: 3000 }), array: arrayArb }), { minLength: 1, maxLength: 2 }), scheduleArb, fc.integer({ min: 1, max: 100 })], { numRuns: 1000 })(
    "reusing repeated minutes and the days of alike datastores gives exactly the minute-by-minute fold",
    (stores, schedule, bootConcurrencyPct) => {
      // Each random datastore twice, so alike datastores always occur.
      const datastores = [...stores, ...stores].map((s, j) => ({ name: `ds${j}`, ...s }));
      const plan = { ...schedule, bootConcurrencyPct };
      const storm = vdi.bootStorm({ datastores, schedule: plan });
      datastores.forEach((ds, j) => {
        const day = storm.datastores[j];
        const minutes = minuteByMinute(ds, plan);
        const series = ["frontIops", "latencyMs"] as const;
        // Compared number by number here: expect() on 1,440-long arrays a thousand times is slow.
        const differing = series.filter((key) => day[key].length !== minutes.length || minutes.some((m, t) => !Object.is(m[key], day[key][t])));
        expect(differing).toEqual([]);
        expect([day.name, day.desktops, day.saturatedMinutes]).toEqual([ds.name, ds.desktops, minutes.filter((m) => m.saturated).length]);
        // The day's figures, from its runs of equal minutes, are those of the minute-by-minute series.
        const latency = minutes.map((m) => m.latencyMs);
        expect([day.peakFrontIops, day.peakLatencyMs, day.p90LatencyMs]).toEqual([Math.max(...minutes.map((m) => m.frontIops)), Math.max(...latency), percentile(latency, 90)]);
      });
    },
  );
});

describe("bad input", () => {
  test("throws ModelInputError naming the field", () => {
    const ds = { name: "ds", desktops: 10, array: vdi.DEFAULT_ARRAY };
    expectModelInputError(() => vdi.bootStorm({ datastores: [] }), "datastores");
    expectModelInputError(() => vdi.bootStorm({ datastores: [{ ...ds, desktops: -1 }] }), "datastores[0].desktops");
    expectModelInputError(() => vdi.bootStorm({ datastores: [{ ...ds, array: { ...vdi.DEFAULT_ARRAY, raid: "raid6" as never } }] }), "datastores[0].array.raid");
    expectModelInputError(() => vdi.bootStorm({ datastores: [ds], schedule: { ...vdi.DEFAULT_SCHEDULE, bootMinutes: Number.POSITIVE_INFINITY } }), "schedule.bootMinutes");
    expectModelInputError(() => vdi.bootStorm({ datastores: [ds], desktop: { ...vdi.DEFAULT_DESKTOP, bootIops: 1 } }), "desktop.bootIops");
    expectModelInputError(() => vdi.arrayLoad(vdi.DEFAULT_ARRAY, Number.NaN, 10), "frontIops");
  });
});
