import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { sioc } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";
import { relClose } from "./arbitraries.ts";

const array = fc.record({
  maxIops: fc.double({ min: 1, max: 10_000_000, noNaN: true }),
  baseLatencyMs: fc.double({ min: 0.01, max: 100, noNaN: true }),
});
const outstanding = fc.double({ min: 0, max: 100_000, noNaN: true });

describe("array curve (spec §3.4)", () => {
  test("the seed array is congested at 48 outstanding I/Os: 2 ms + 1000·48/1200 = 42 ms > 30 ms", () => {
    expect(sioc.arrayLatencyMs({ maxIops: 1200, baseLatencyMs: 2 }, 48)).toBeCloseTo(42, 12);
    expect(sioc.arrayIops({ maxIops: 1200, baseLatencyMs: 2 }, 48)).toBeCloseTo((1000 * 48) / 42, 9);
  });
  test.prop([array, outstanding], { numRuns: 1000 })("throughput stays strictly below C and obeys Little's law", (a, n) => {
    const x = sioc.arrayIops(a, n);
    const latency = sioc.arrayLatencyMs(a, n);
    expect(x).toBeLessThan(a.maxIops);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(relClose((x * latency) / 1000, n, 1e-12) || n === 0).toBe(true);
  });
  test.prop([array, outstanding, outstanding], { numRuns: 1000 })("latency and throughput never fall as the queue grows", (a, n1, n2) => {
    const [lo, hi] = n1 <= n2 ? [n1, n2] : [n2, n1];
    expect(sioc.arrayLatencyMs(a, hi)).toBeGreaterThanOrEqual(sioc.arrayLatencyMs(a, lo));
    expect(sioc.arrayIops(a, hi)).toBeGreaterThanOrEqual(sioc.arrayIops(a, lo) * (1 - 1e-12));
  });
});

describe("automatic threshold (vSphere 5.1+, % of peak throughput)", () => {
  test("worked example: C 3500, L0 1.5 ms, 4 × 32 slots, 90 %", () => {
    // Peak at N = 128: 128 000 / (1.5 + 128 000/3500) IOPS; the threshold is the latency at which
    // the curve delivers 90 % of that: X = C·N/(N + L0·C/1000) solved for N, then L0 + 1000·N/C.
    const peak = 128_000 / (1.5 + 128_000 / 3500);
    const target = 0.9 * peak;
    const n = (target * 5.25) / (3500 - target);
    const expected = 1.5 + (1000 * n) / 3500;
    const point = sioc.automaticThresholdPoint({ maxIops: 3500, baseLatencyMs: 1.5, totalSlots: 128 });
    expect(point.thresholdMs).toBeCloseTo(expected, 9);
    expect(point.thresholdMs).toBeCloseTo(11.07, 2);
    expect(point.peakIops).toBeCloseTo(peak, 9);
    expect(sioc.automaticThreshold({ maxIops: 3500, baseLatencyMs: 1.5, totalSlots: 128, peakPercent: 90 })).toBe(point.thresholdMs);
  });
  test("as the percentage approaches 100 the threshold approaches, and never passes, the latency at totalSlots", () => {
    // Regression: C − p·X_peak cancels catastrophically near p = 1; the closed form must not.
    const a = { maxIops: 101.6366396855622, baseLatencyMs: 0.041456744091444744 };
    const top = a.baseLatencyMs + (1000 * 3765.9137121393214) / a.maxIops;
    const t = sioc.automaticThreshold({ ...a, totalSlots: 3765.9137121393214, peakPercent: 99.99999999999999 });
    expect(t).toBeLessThanOrEqual(top);
    expect(t).toBeGreaterThan(top * 0.999);
    expect(sioc.automaticThreshold({ ...a, totalSlots: 3765.9137121393214, peakPercent: 100 })).toBe(top);
  });
  test.prop([array, fc.double({ min: 1, max: 100_000, noNaN: true }), fc.double({ min: 50, max: 100, noNaN: true })], { numRuns: 1000 })(
    "at the threshold latency the array delivers peakPercent of its peak",
    (a, totalSlots, peakPercent) => {
      const thresholdMs = sioc.automaticThreshold({ ...a, totalSlots, peakPercent });
      const peak = (1000 * totalSlots) / (a.baseLatencyMs + (1000 * totalSlots) / a.maxIops);
      // Invert the curve at the returned latency: N = (L − L0)·C/1000, X = 1000·N/L.
      const n = ((thresholdMs - a.baseLatencyMs) * a.maxIops) / 1000;
      const x = (1000 * n) / thresholdMs;
      expect(Math.abs(x - (peakPercent / 100) * peak)).toBeLessThanOrEqual(1e-6 * peak + 1e-9);
      expect(thresholdMs).toBeGreaterThanOrEqual(a.baseLatencyMs);
      expect(thresholdMs).toBeLessThanOrEqual(a.baseLatencyMs + (1000 * totalSlots) / a.maxIops + 1e-9);
    },
  );
  test.prop([array, fc.double({ min: 1, max: 10_000, noNaN: true }), fc.double({ min: 50, max: 100, noNaN: true }), fc.double({ min: 50, max: 100, noNaN: true })], {
    numRuns: 1000,
  })("a higher percentage of peak never gives a lower threshold", (a, totalSlots, p1, p2) => {
    const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
    expect(sioc.automaticThreshold({ ...a, totalSlots, peakPercent: hi })).toBeGreaterThanOrEqual(
      sioc.automaticThreshold({ ...a, totalSlots, peakPercent: lo }) * (1 - 1e-12),
    );
  });
});

describe("invalid input", () => {
  const ok = { maxIops: 3500, baseLatencyMs: 1.5 };
  const cases: Array<[string, () => unknown]> = [
    ["maxIops", () => sioc.arrayLatencyMs({ ...ok, maxIops: 0 }, 1)],
    ["baseLatencyMs", () => sioc.arrayIops({ ...ok, baseLatencyMs: -1 }, 1)],
    ["outstandingIos", () => sioc.arrayIops(ok, NaN)],
    ["outstandingIos", () => sioc.arrayLatencyMs(ok, -1)],
    ["array", () => sioc.arrayLatencyMs(null as never, 1)],
    ["totalSlots", () => sioc.automaticThreshold({ ...ok, totalSlots: 0 })],
    ["peakPercent", () => sioc.automaticThreshold({ ...ok, totalSlots: 64, peakPercent: 49 })],
    ["peakPercent", () => sioc.automaticThreshold({ ...ok, totalSlots: 64, peakPercent: 101 })],
    ["maxIops", () => sioc.automaticThreshold({ ...ok, maxIops: Infinity, totalSlots: 64 })],
  ];
  for (const [field, run] of cases) {
    test(`${field} ${run.toString()}`, () => expectModelInputError(run, field));
  }
});
