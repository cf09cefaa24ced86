import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vdi } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";

const base: vdi.SiocAtPeakInput = {
  array: { ...vdi.DEFAULT_ARRAY, flashCache: false },
  desktops: 250,
  desktopHosts: 4,
  desktopIops: 17,
  readPct: 13,
  stormLatencyMs: 200,
  desktopShares: 1000,
  serverShares: 2000,
  serverOio: 8,
  deviceQueueDepth: 32,
  thresholdMs: 30,
};

const input = fc.record({
  desktops: fc.integer({ min: 1, max: 2000 }),
  desktopHosts: fc.integer({ min: 1, max: 16 }),
  stormLatencyMs: fc.double({ min: 1, max: 5000, noNaN: true }),
  desktopShares: fc.constantFrom(500, 1000, 2000),
  serverShares: fc.constantFrom(500, 1000, 2000, 4000),
  thresholdMs: fc.integer({ min: 5, max: 100 }),
  spindles: fc.integer({ min: 4, max: 120 }),
});

describe("SIOC at the storm's peak (the sioc model, reused)", () => {
  test("a saturated datastore: SIOC throttles and holds the device latency near its threshold", () => {
    const r = vdi.siocAtPeak(base);
    expect(r.off.throttled).toBe(false);
    expect(r.off.deviceLatencyMs).toBeGreaterThan(base.thresholdMs);
    expect(r.on.throttled).toBe(true);
    expect(r.on.deviceLatencyMs).toBeLessThan(r.off.deviceLatencyMs);
  });
  test.prop([input], { numRuns: 1000 })("SIOC never raises the device latency, and changes nothing below the threshold", (i) => {
    const r = vdi.siocAtPeak({ ...base, ...i, array: { ...base.array, spindles: i.spindles } });
    expect(r.on.deviceLatencyMs).toBeLessThanOrEqual(r.off.deviceLatencyMs * (1 + 1e-9));
    if (r.off.deviceLatencyMs < i.thresholdMs * 0.99) expect(r.on.throttled).toBe(false);
    for (const side of [r.on, r.off]) for (const v of Object.values(side)) if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
  });
  test("bad input names its field", () => {
    expectModelInputError(() => vdi.siocAtPeak({ ...base, thresholdMs: 1 }), "thresholdMs");
    expectModelInputError(() => vdi.siocAtPeak({ ...base, desktops: 0 }), "desktops");
  });
});
