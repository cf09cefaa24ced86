import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vaai } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";

/** Small storms, so 1000 runs stay quick; durations are whole steps to keep the arithmetic exact. */
const storm = fc.record({
  hosts: fc.integer({ min: 1, max: 8 }),
  vms: fc.integer({ min: 0, max: 40 }),
  opsPerVm: fc.integer({ min: 1, max: 6 }),
  thinkMs: fc.integer({ min: 0, max: 60 }),
  reservationHoldMs: fc.integer({ min: 1, max: 40 }),
  atsMs: fc.integer({ min: 1, max: 40 }),
  retryBackoffMs: fc.integer({ min: 1, max: 30 }),
  sharedLockFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  dataIopsPerVm: fc.double({ min: 0, max: 100, noNaN: true }),
  stepMs: fc.constantFrom(1, 2),
});

describe("locking: worked examples", () => {
  test("SCSI-2 with no think time serialises every operation on the LUN: 64 VMs × 10 ops × 20 ms = 12.8 s", () => {
    const r = vaai.simulateLocking({ scheme: "scsi2", hosts: 8, vms: 64, opsPerVm: 10, thinkMs: 0, reservationHoldMs: 20 });
    // The last hold ends at 640 × 20 ms; the run counts the step in which it ends.
    expect(r.finishS).toBeCloseTo(12.8, 6);
    expect(r.reservedFraction).toBeGreaterThan(0.99);
  });
  test("ATS with no shared operations: each host only waits for itself, ops × (think + ATS)", () => {
    const r = vaai.simulateLocking({ scheme: "ats", hosts: 8, vms: 64, opsPerVm: 10, thinkMs: 50, atsMs: 2, sharedLockFraction: 0 });
    // 8 VMs per host, 80 operations, each 2 ms of lock and 50 ms of think time but the last.
    expect(r.finishS).toBeCloseTo((80 * 2 + 79 * 50) / 1000, 6);
    expect(r.conflicts).toBe(0);
    expect(r.stalledIos).toBe(0);
  });
  test("one host alone never conflicts and never stalls anybody's data I/O", () => {
    const r = vaai.simulateLocking({ scheme: "scsi2", hosts: 1, vms: 20 });
    expect(r.conflicts).toBe(0);
    expect(r.stalledHostS).toBe(0);
  });
  test("the default storm: ATS finishes sooner, stalls no data I/O and has far fewer conflicts", () => {
    const { scsi2, ats } = vaai.compareLocking();
    expect(ats.finishS!).toBeLessThan(scsi2.finishS!);
    expect(scsi2.stalledIos).toBeGreaterThan(0);
    expect(ats.stalledIos).toBe(0);
    expect(ats.conflicts).toBeLessThan(scsi2.conflicts);
  });
  test("a run cut short by maxTimeS reports finished: false and a null finish time, never Infinity", () => {
    const r = vaai.simulateLocking({ vms: 200, maxTimeS: 1 });
    expect(r.finished).toBe(false);
    expect(r.finishS).toBeNull();
    expect(r.opsDone).toBeLessThan(r.opsTotal);
  });
  test("lockingStep() is the loop: running it by hand gives the same totals as simulateLocking", () => {
    const p = vaai.normaliseLocking({ hosts: 3, vms: 7, opsPerVm: 3 });
    const s = vaai.initialLockingState(p);
    while (s.opsDone < s.opsTotal) vaai.lockingStep(s, p);
    const r = vaai.simulateLocking({ hosts: 3, vms: 7, opsPerVm: 3 });
    expect(s.conflicts).toBe(r.conflicts);
    expect(((s.stepIndex - 1) * p.stepMs) / 1000).toBe(r.finishS);
  });
  test("two hosts, one VM each, SCSI-2, no think time: the second waits one hold and is refused at every back-off", () => {
    // Both ask at step 0; host 1 (the lower number) holds 0–20 ms, host 2 waits and retries at 0 and 10 ms, then holds 20–40 ms.
    const r = vaai.simulateLocking({ scheme: "scsi2", hosts: 2, vms: 2, opsPerVm: 1, thinkMs: 0, reservationHoldMs: 20, retryBackoffMs: 10, dataIopsPerVm: 100 });
    expect(r.finishS).toBe(0.04);
    expect(r.hosts.map((h) => h.conflicts)).toEqual([0, 2]);
    expect(r.hosts.map((h) => h.lockWaitS)).toEqual([0, 0.02]);
    expect(r.hosts.map((h) => h.finishS)).toEqual([0.02, 0.04]);
    // Each hold stalls the one VM on the other host: 2 × 20 ms × 100 IOPS = 4 I/Os.
    expect(r.stalledIos).toBeCloseTo(4, 9);
    expect(r.reservedFraction).toBeCloseTo(40 / 41, 9);
  });
});

describe("locking: properties", () => {
  test.prop([storm], { numRuns: 1000 })("every operation finishes, counts are conserved, numbers finite, ATS never stalls data I/O", (p) => {
    for (const r of Object.values(vaai.compareLocking(p))) {
      expect(r.finished).toBe(true);
      expect(r.opsDone).toBe(p.vms * p.opsPerVm);
      expect(r.hosts.reduce((s, h) => s + h.vms, 0)).toBe(p.vms);
      expect(Number.isFinite(r.finishS)).toBe(true);
      expect(Number.isFinite(r.meanLockWaitMs)).toBe(true);
      for (const row of r.waitFraction) for (const f of row) expect(f >= 0 && f <= 1).toBe(true);
    }
    const { ats } = vaai.compareLocking(p);
    expect(ats.stalledIos).toBe(0);
    expect(ats.stalledHostS).toBe(0);
  }, 30_000);
  test.prop([storm], { numRuns: 1000 })("boot-storm time with ATS <= with SCSI-2 reservations when an ATS lock is no slower than a reservation", (p0) => {
    const p = { ...p0, atsMs: Math.min(p0.atsMs, p0.reservationHoldMs) };
    const { scsi2, ats } = vaai.compareLocking(p);
    expect(ats.finishS!).toBeLessThanOrEqual(scsi2.finishS!);
  }, 30_000);
  test.prop([storm, fc.integer({ min: 1, max: 20 })], { numRuns: 1000 })("boot-storm time never falls when VMs are added", (p, extra) => {
    for (const scheme of vaai.LOCK_SCHEMES) {
      const a = vaai.simulateLocking({ ...p, scheme });
      const b = vaai.simulateLocking({ ...p, scheme, vms: p.vms + extra });
      expect(b.finishS!).toBeGreaterThanOrEqual(a.finishS!);
    }
  }, 30_000);
});

/** Any storm the stepping form can run quickly, including runs cut off by maxTimeS and coarse steps or buckets. */
const anyStorm = fc.record({
  scheme: fc.constantFrom(...vaai.LOCK_SCHEMES),
  hosts: fc.integer({ min: 1, max: 10 }),
  vms: fc.integer({ min: 0, max: 50 }),
  opsPerVm: fc.integer({ min: 1, max: 8 }),
  thinkMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 80, noNaN: true })),
  reservationHoldMs: fc.double({ min: 0.5, max: 40, noNaN: true }),
  atsMs: fc.double({ min: 0.5, max: 40, noNaN: true }),
  retryBackoffMs: fc.double({ min: 0.5, max: 30, noNaN: true }),
  sharedLockFraction: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  dataIopsPerVm: fc.double({ min: 0, max: 200, noNaN: true }),
  stepMs: fc.constantFrom(0.5, 1, 2, 3),
  bucketMs: fc.constantFrom(3, 7, 50, 1000),
  maxTimeS: fc.oneof(fc.constant(3600), fc.double({ min: 0.01, max: 3, noNaN: true })),
});

describe("locking: the grant-to-grant run is the step-by-step model", () => {
  test.prop([anyStorm], { numRuns: 1000 })("simulateLocking gives exactly what stepping every step, retry by retry, gives", (storm) => {
    const stepped = vaai.simulateLockingByStep(storm);
    const jumped = vaai.simulateLocking(storm);
    // Stalled I/Os are sums of fractions added in a different order: equal to rounding.
    expect(jumped.stalledIos).toBeCloseTo(stepped.stalledIos, 6);
    expect({ ...jumped, stalledIos: 0 }).toEqual({ ...stepped, stalledIos: 0 });
  }, 60_000);
});

describe("locking: input validation", () => {
  test("invalid fields throw ModelInputError naming the field", () => {
    expectModelInputError(() => vaai.simulateLocking({ hosts: 0 }), "hosts");
    expectModelInputError(() => vaai.simulateLocking({ hosts: 65 }), "hosts");
    expectModelInputError(() => vaai.simulateLocking({ vms: 2.5 }), "vms");
    expectModelInputError(() => vaai.simulateLocking({ scheme: "nfs" as "ats" }), "scheme");
    expectModelInputError(() => vaai.simulateLocking({ reservationHoldMs: Number.NaN }), "reservationHoldMs");
    expectModelInputError(() => vaai.simulateLocking({ stepMs: 0.1, maxTimeS: 36_000 }), "maxTimeS");
    expectModelInputError(() => vaai.simulateLocking({ stepMs: 5, bucketMs: 2 }), "bucketMs");
  });
});
