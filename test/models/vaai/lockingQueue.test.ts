import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vaai } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";

const load = fc.record({
  hosts: fc.integer({ min: 1, max: 64 }),
  vms: fc.integer({ min: 0, max: 5000 }),
  opsPerVmPerMin: fc.double({ min: 0, max: 600, noNaN: true }),
  reservationHoldMs: fc.double({ min: 0.1, max: 100, noNaN: true }),
  atsMs: fc.double({ min: 0.1, max: 100, noNaN: true }),
  locksPerVm: fc.integer({ min: 1, max: 10 }),
  sharedLockFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  targetUtilisation: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
});
/** null wait = saturated: longer than any finite wait. */
const waitOf = (s: vaai.SchemeLoad) => (s.meanWaitMs === null ? Number.MAX_VALUE : s.meanWaitMs);
/** null limit = locking sets no limit: more than any number. */
const limitOf = (s: vaai.SchemeLoad) => (s.maxVms === null ? Number.MAX_VALUE : s.maxVms);

describe("steady locking load (spec §3 equations)", () => {
  test("worked example: 64 VMs × 6 updates/min = 6.4 updates/s; × 20 ms = 0.128 of the LUN reserved", () => {
    const r = vaai.lockingLoad({ hosts: 8, vms: 64, opsPerVmPerMin: 6, reservationHoldMs: 20 });
    expect(r.opsPerS).toBeCloseTo(6.4, 12);
    expect(r.scsi2.utilisation).toBeCloseTo(0.128, 12);
    // M/D/1: ρ·D / (2(1 − ρ)) = 0.128 · 20 / 1.744 ms.
    expect(r.scsi2.meanWaitMs).toBeCloseTo((0.128 * 20) / (2 * 0.872), 12);
    expect(r.scsi2.blockedFraction).toBeCloseTo(0.128 * (7 / 8), 12);
    // 0.3 / (0.1 updates/s · 0.02 s) = 150 VMs.
    expect(r.scsi2.maxVms).toBe(150);
    expect(r.ats.blockedFraction).toBe(0);
  });
  test("a LUN reserved all the time is reported saturated, never Infinity", () => {
    const r = vaai.lockingLoad({ vms: 5000, opsPerVmPerMin: 60, reservationHoldMs: 50 });
    expect(r.scsi2.saturated).toBe(true);
    expect(r.scsi2.meanWaitMs).toBeNull();
    expect(r.scsi2.blockedFraction).toBeLessThanOrEqual(1);
  });
  test.prop([load, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 63 }), fc.double({ min: 0, max: 100, noNaN: true })], { numRuns: 1000 })(
    "SCSI-2 utilisation, wait and blocked share never fall as VMs, hosts or the update rate grow; ATS never blocks data I/O",
    (p, moreVms, moreHosts, moreOps) => {
      const a = vaai.lockingLoad(p);
      for (const q of [{ vms: Math.min(100_000, p.vms + moreVms) }, { hosts: Math.min(64, p.hosts + moreHosts) }, { opsPerVmPerMin: p.opsPerVmPerMin + moreOps }]) {
        const b = vaai.lockingLoad({ ...p, ...q });
        expect(b.scsi2.utilisation).toBeGreaterThanOrEqual(a.scsi2.utilisation);
        expect(waitOf(b.scsi2)).toBeGreaterThanOrEqual(waitOf(a.scsi2));
        expect(b.scsi2.blockedFraction).toBeGreaterThanOrEqual(a.scsi2.blockedFraction * (1 - 1e-12));
        expect(b.ats.blockedFraction).toBe(0);
      }
      for (const v of [a.scsi2.utilisation, a.scsi2.blockedFraction, a.scsi2.conflictsPerS, a.ats.utilisation, a.ats.conflictsPerS]) expect(Number.isFinite(v)).toBe(true);
    },
  );
  test.prop([load], { numRuns: 1000 })("when an ATS update is no slower than a reservation: ATS waits no longer and allows at least as many VMs", (p0) => {
    const p = { ...p0, atsMs: Math.min(p0.atsMs, p0.reservationHoldMs) };
    const r = vaai.lockingLoad(p);
    expect(waitOf(r.ats)).toBeLessThanOrEqual(waitOf(r.scsi2) * (1 + 1e-12));
    expect(limitOf(r.ats)).toBeGreaterThanOrEqual(limitOf(r.scsi2));
  });
  test("invalid input throws ModelInputError", () => {
    expectModelInputError(() => vaai.lockingLoad({ targetUtilisation: 1 }), "targetUtilisation");
    expectModelInputError(() => vaai.lockingLoad({ hosts: 0 }), "hosts");
  });
});
