import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { sioc } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";
import { expectedBetas, relClose } from "./arbitraries.ts";

const positive = (max: number) => fc.double({ min: 0.01, max, noNaN: true });
const windowInput = fc
  .record({
    windowSlots: fc.double({ min: 0, max: 300, noNaN: true }),
    latencyMs: positive(1000),
    thresholdMs: fc.double({ min: 5, max: 100, noNaN: true }),
    beta: fc.oneof(fc.constant(0), positive(100)),
    gamma: fc.double({ min: 0, max: 1, noNaN: true }),
    wMin: fc.double({ min: 1, max: 8, noNaN: true }),
    extra: fc.double({ min: 0, max: 250, noNaN: true }),
  })
  .map(({ extra, ...r }) => ({ ...r, wMax: r.wMin + extra }));

describe("EWMA (PARDA eq. 1)", () => {
  test.prop([positive(1000), positive(1000), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: 1000 })(
    "lies between the previous estimate and the new observation",
    (previousMs, observedMs, alpha) => {
      const l = sioc.ewmaLatencyMs({ previousMs, observedMs, alpha });
      expect(l).toBeGreaterThanOrEqual(Math.min(previousMs, observedMs) * (1 - 1e-12));
      expect(l).toBeLessThanOrEqual(Math.max(previousMs, observedMs) * (1 + 1e-12));
    },
  );
  test("α = 0 follows the observation, α = 1 ignores it, α = 0.5 averages", () => {
    expect(sioc.ewmaLatencyMs({ previousMs: 10, observedMs: 30, alpha: 0 })).toBe(30);
    expect(sioc.ewmaLatencyMs({ previousMs: 10, observedMs: 30, alpha: 1 })).toBe(10);
    expect(sioc.ewmaLatencyMs({ previousMs: 10, observedMs: 30, alpha: 0.5 })).toBe(20);
  });
});

describe("window law (PARDA eq. 2)", () => {
  test.prop([windowInput], { numRuns: 1000 })("invariant 1: the next window stays inside [wMin, wMax]", (input) => {
    const w = sioc.nextWindowSlots(input);
    expect(Number.isFinite(w)).toBe(true);
    expect(w).toBeGreaterThanOrEqual(input.wMin);
    expect(w).toBeLessThanOrEqual(input.wMax);
  });
  test.prop([windowInput], { numRuns: 1000 })("equals (1 − γ)·w + γ·((𝓛/L)·w + β) clamped; wMin when β = 0", (input) => {
    const { windowSlots: w, latencyMs: l, thresholdMs, beta, gamma, wMin, wMax } = input;
    const raw = (1 - gamma) * w + gamma * ((thresholdMs / l) * w + beta);
    const expected = beta === 0 ? wMin : Math.min(wMax, Math.max(wMin, raw));
    expect(relClose(sioc.nextWindowSlots(input), expected, 1e-12)).toBe(true);
  });
  test("shrinks above the threshold, grows below it", () => {
    const base = { windowSlots: 32, thresholdMs: 30, beta: 1, gamma: 0.2, wMin: 4, wMax: 64 };
    expect(sioc.nextWindowSlots({ ...base, latencyMs: 45 })).toBeLessThan(32);
    expect(sioc.nextWindowSlots({ ...base, latencyMs: 20 })).toBeGreaterThan(32);
  });
  test.prop([windowInput.filter((i) => i.beta > 0 && i.gamma > 0 && i.latencyMs > i.thresholdMs * 1.001)], { numRuns: 1000 })(
    "the fixed point β·L/(L − 𝓛) (clamped) does not move under the law",
    (input) => {
      const fixed = sioc.fixedPointWindowSlots(input);
      const unclamped = (input.beta * input.latencyMs) / (input.latencyMs - input.thresholdMs);
      expect(relClose(fixed, Math.min(input.wMax, Math.max(input.wMin, unclamped)), 1e-12)).toBe(true);
      expect(relClose(sioc.nextWindowSlots({ ...input, windowSlots: fixed }), fixed, 1e-9)).toBe(true);
    },
  );
  test("at or below the threshold the fixed point is wMax (the law only grows the window)", () => {
    expect(sioc.fixedPointWindowSlots({ beta: 1, latencyMs: 30, thresholdMs: 30, wMin: 4, wMax: 32 })).toBe(32);
    expect(sioc.fixedPointWindowSlots({ beta: 0, latencyMs: 50, thresholdMs: 30, wMin: 4, wMax: 32 })).toBe(4);
  });
});

describe("host β from active shares (PARDA §3.4, spec §3.2)", () => {
  test("one Normal VM ⇒ β = 1; the paper's 1:1:2:2 and 6:4:4:2 hosts are not rescaled", () => {
    expect(sioc.hostBetas({ activeShares: [[1000]], deviceQueueDepth: 32 })).toEqual([1]);
    expect(sioc.hostBetas({ activeShares: [[1000], [1000], [2000], [2000]], deviceQueueDepth: 32 })).toEqual([1, 1, 2, 2]);
    expect(sioc.hostBetas({ activeShares: [[4000, 2000], [2000, 2000], [4000], [2000]], deviceQueueDepth: 64 })).toEqual([6, 4, 4, 2]);
    // PARDA Fig. 13: the 2000-share VM on host 1 stops, β(host 1) drops from 6 to 4.
    expect(sioc.hostBetas({ activeShares: [[4000], [2000, 2000], [4000], [2000]], deviceQueueDepth: 64 })[0]).toBe(4);
  });
  test.prop([fc.array(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 6 }), { minLength: 2, maxLength: 8 }), fc.nat(), fc.integer({ min: 1, max: 256 })], { numRuns: 1000 })(
    "a host going idle never lowers another host's β (the budget counts every host on the datastore)",
    (activeShares, pick, wMax) => {
      const k = pick % activeShares.length;
      const before = sioc.hostBetas({ activeShares, deviceQueueDepth: wMax });
      const after = sioc.hostBetas({ activeShares: activeShares.map((s, i) => (i === k ? [] : s)), deviceQueueDepth: wMax });
      after.forEach((b, i) => {
        if (i !== k) expect(b).toBeGreaterThanOrEqual(before[i] * (1 - 1e-12));
      });
    },
  );
  test("β of the paper's Fig. 13 hosts after the idle event is 4:4:4:2", () => {
    expect(sioc.hostBetas({ activeShares: [[4000], [2000, 2000], [4000], [2000]], deviceQueueDepth: 64 })).toEqual([4, 4, 4, 2]);
  });
  test("31 Normal VMs per host on DQLEN 32 are scaled so Σβ = hosts × 32 / 16", () => {
    const betas = sioc.hostBetas({ activeShares: [Array(31).fill(1000), Array(31).fill(1000)], deviceQueueDepth: 32 });
    expect(betas[0]).toBeCloseTo(2, 12);
    expect(betas[1]).toBeCloseTo(2, 12);
  });
  const hosts = fc.array(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 6 }), { minLength: 1, maxLength: 8 });
  test.prop([hosts, fc.integer({ min: 1, max: 256 })], { numRuns: 1000 })(
    "ratios equal share-sum ratios, Σβ = min(Σ shares / 1000, hosts × wMax / 16), β = 0 ⇔ no active VM",
    (activeShares, wMax) => {
      const betas = sioc.hostBetas({ activeShares, deviceQueueDepth: wMax });
      const expected = expectedBetas(activeShares, wMax);
      betas.forEach((b, i) => {
        expect(relClose(b, expected[i], 1e-12)).toBe(true);
        expect(b === 0).toBe(activeShares[i].length === 0);
      });
      const sums = activeShares.map((s) => s.reduce((a, b) => a + b, 0));
      for (let i = 0; i < sums.length; i++)
        for (let j = 0; j < sums.length; j++) if (sums[j] > 0) expect(relClose(betas[i] / betas[j], sums[i] / sums[j], 1e-9)).toBe(true);
      const total = betas.reduce((a, b) => a + b, 0);
      const rawTotal = sums.reduce((a, b) => a + b, 0) / 1000;
      expect(relClose(total, Math.min(rawTotal, (sums.length * wMax) / 16), 1e-9) || total === 0).toBe(true);
    },
  );
});

describe("invalid input", () => {
  const ok = { windowSlots: 32, latencyMs: 40, thresholdMs: 30, beta: 1, gamma: 0.2, wMin: 4, wMax: 32 };
  const cases: Array<[string, () => unknown]> = [
    ["alpha", () => sioc.ewmaLatencyMs({ previousMs: 1, observedMs: 1, alpha: 2 })],
    ["observedMs", () => sioc.ewmaLatencyMs({ previousMs: 1, observedMs: NaN, alpha: 0.5 })],
    ["previousMs", () => sioc.ewmaLatencyMs({ previousMs: -1, observedMs: 1, alpha: 0.5 })],
    ["latencyMs", () => sioc.nextWindowSlots({ ...ok, latencyMs: 0 })],
    ["thresholdMs", () => sioc.nextWindowSlots({ ...ok, thresholdMs: Infinity })],
    ["beta", () => sioc.nextWindowSlots({ ...ok, beta: -1 })],
    ["gamma", () => sioc.nextWindowSlots({ ...ok, gamma: 1.1 })],
    ["wMax", () => sioc.nextWindowSlots({ ...ok, wMax: 2 })],
    ["windowSlots", () => sioc.nextWindowSlots({ ...ok, windowSlots: "32" as never })],
    ["wMin", () => sioc.fixedPointWindowSlots({ ...ok, wMin: -1 })],
    ["activeShares", () => sioc.hostBetas({ activeShares: "x" as never, deviceQueueDepth: 32 })],
    ["activeShares[0][1]", () => sioc.hostBetas({ activeShares: [[1000, 0]], deviceQueueDepth: 32 })],
    ["deviceQueueDepth", () => sioc.hostBetas({ activeShares: [[1000]], deviceQueueDepth: 0 })],
    ["input", () => sioc.nextWindowSlots(null as never)],
  ];
  for (const [field, run] of cases) {
    test(`${field} ${run.toString()}`, () => expectModelInputError(run, field));
  }
});
