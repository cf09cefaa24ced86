import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vmsafe, ModelInputError } from "../../../src/index.ts";
import { offlineInput, offloadInput, relClose } from "./arbitraries.ts";

const RUNS = { numRuns: 1000 };

describe("per-host security VMs with a shared scan cache (spec §5)", () => {
  test("the seed pool behind 16 SVMs of 2 cores, half the files shared: 3,000 GB unique, 1.3 h", () => {
    const r = vmsafe.offload(vmsafe.scenario("seed-1000-xp").offload);
    expect(r.uniqueGB).toBeCloseTo(1000 * 6 * 0.5, 9);
    expect(r.dedupRatio).toBeCloseTo(2, 9);
    expect(r.hours).toBeCloseTo((3000 * 1024) / (16 * 2 * 20) / 3600, 9);
    expect(r.peakScanCpuMHz).toBe(16 * 2 * 2600);
  });

  test.prop([offloadInput()], RUNS)("unique data = U·s + N·U·(1 − s)·(1 − dup) ≤ N·U, so the dedup ratio is at least 1", (i) => {
    const r = vmsafe.offload(i);
    const U = i.usedGBPerDesktop;
    expect(relClose(r.uniqueGB, U * i.linkedCloneShare + i.desktops * U * (1 - i.linkedCloneShare) * (1 - i.dupAcrossDesktops))).toBe(true);
    expect(r.uniqueGB).toBeLessThanOrEqual(r.totalGB * (1 + 1e-12));
    expect(r.dedupRatio).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(r.hours) && r.hours > 0).toBe(true);
  });

  test.prop([offloadInput(), fc.double({ min: 0, max: 0.95, noNaN: true })], RUNS)("more duplicate files never mean more work or more hours", (i, dup) => {
    const lo = Math.min(dup, i.dupAcrossDesktops);
    const hi = Math.max(dup, i.dupAcrossDesktops);
    expect(vmsafe.offload({ ...i, dupAcrossDesktops: hi }).hours).toBeLessThanOrEqual(vmsafe.offload({ ...i, dupAcrossDesktops: lo }).hours);
  });

  test.prop([offlineInput(), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 0.95, noNaN: true })], RUNS)(
    "with at least the appliances' cores in SVMs and the same scan rate, offload is never slower than a full offline pass",
    (off, hosts, svmCores, dup) => {
      fc.pre(hosts * svmCores >= off.appliances * off.coresPerAppliance);
      const full = { ...off, mode: "full" as const };
      const r = vmsafe.offload({
        desktops: full.desktops, hosts, usedGBPerDesktop: full.usedGBPerDesktop, linkedCloneShare: full.linkedCloneShare,
        dupAcrossDesktops: dup, svmCores, scanMBpsPerCore: full.scanMBpsPerCore, coreMHz: 2600,
        changedGBPerDayPerDesktop: full.changedGBPerDayPerDesktop, windowH: full.windowH,
      });
      expect(r.hours).toBeLessThanOrEqual(vmsafe.offlineScan(full).hours * (1 + 1e-12));
    },
  );

  test.each<[string, unknown]>([["dupAcrossDesktops", 1], ["svmCores", 0], ["hosts", 1.5], ["scanMBpsPerCore", 0], ["windowH", -1]])(
    "%s = %s throws ModelInputError", (field, value) => {
      expect(() => vmsafe.offload({ ...vmsafe.scenario("seed-1000-xp").offload, [field]: value })).toThrow(ModelInputError);
    },
  );
});
