import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { sioc } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";
import { relClose } from "./arbitraries.ts";

const vm = fc.record({
  shares: fc.oneof(fc.constantFrom(500, 1000, 2000), fc.integer({ min: 1, max: 1_000_000 })),
  capSlots: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 256, noNaN: true })),
});
const split = fc.record({ windowSlots: fc.double({ min: 0, max: 512, noNaN: true }), vms: fc.array(vm, { maxLength: 12 }) });

describe("splitSlots: water-filling by shares (spec §3.3)", () => {
  test("worked examples", () => {
    // The seed's host A: 24 slots, two Normal VMs with plenty of demand ⇒ 12 each.
    expect(sioc.splitSlots({ windowSlots: 24, vms: [{ shares: 1000, capSlots: 32 }, { shares: 1000, capSlots: 32 }] })).toEqual([12, 12]);
    // One VM can only use 5: the other 19 go to its neighbour.
    expect(sioc.splitSlots({ windowSlots: 24, vms: [{ shares: 1000, capSlots: 5 }, { shares: 1000, capSlots: 32 }] })).toEqual([5, 19]);
    // High : Normal : Low = 2000 : 1000 : 500 of 35 slots ⇒ 20 : 10 : 5.
    const s = sioc.splitSlots({ windowSlots: 35, vms: [{ shares: 2000, capSlots: 64 }, { shares: 1000, capSlots: 64 }, { shares: 500, capSlots: 64 }] });
    expect(s[0]).toBeCloseTo(20, 12);
    expect(s[1]).toBeCloseTo(10, 12);
    expect(s[2]).toBeCloseTo(5, 12);
    // An idle VM (cap 0) gets nothing; a host with spare window hands every VM its whole demand.
    expect(sioc.splitSlots({ windowSlots: 32, vms: [{ shares: 1000, capSlots: 0 }, { shares: 1000, capSlots: 3 }] })).toEqual([0, 3]);
    // Found by the property below (seed 1440494953): at subnormal sizes shares × level rounded above the VM's cap.
    const [tiny] = sioc.splitSlots({ windowSlots: 2e-323, vms: [{ shares: 6, capSlots: 2.5e-323 }] });
    expect(tiny).toBeLessThanOrEqual(2.5e-323);
  });

  test.prop([split], { numRuns: 1000 })(
    "invariant 3: Σ slots ≤ window, each VM ≤ its demand; and work-conserving: Σ = min(window, Σ caps)",
    ({ windowSlots, vms }) => {
      const slots = sioc.splitSlots({ windowSlots, vms });
      const total = slots.reduce((a, b) => a + b, 0);
      const capTotal = vms.reduce((a, v) => a + v.capSlots, 0);
      expect(total).toBeLessThanOrEqual(windowSlots * (1 + 1e-12) + 1e-12);
      slots.forEach((s, i) => {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(vms[i].capSlots * (1 + 1e-12));
      });
      expect(Math.abs(total - Math.min(windowSlots, capTotal))).toBeLessThanOrEqual(1e-9 * Math.max(1, windowSlots));
    },
  );

  test.prop([split], { numRuns: 1000 })(
    "invariant 4 inside a host: every VM below its cap gets the same slots per share, and no capped VM gets more per share",
    ({ windowSlots, vms }) => {
      const slots = sioc.splitSlots({ windowSlots, vms });
      const uncapped = slots.map((s, i) => ({ s, i })).filter(({ s, i }) => vms[i].capSlots > 0 && s < vms[i].capSlots * (1 - 1e-9));
      if (uncapped.length === 0) return;
      const level = uncapped[0].s / vms[uncapped[0].i].shares;
      for (const { s, i } of uncapped) expect(relClose(s / vms[i].shares, level, 1e-9)).toBe(true);
      slots.forEach((s, i) => expect(s / vms[i].shares).toBeLessThanOrEqual(level * (1 + 1e-9)));
    },
  );

  test.prop([split.filter((x) => x.vms.length >= 2), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: 1000 })(
    "invariant 8 inside a host: capping one VM (e.g. by its IOPS limit) never lowers another's slots; its spare goes to them",
    ({ windowSlots, vms }, pick, fraction) => {
      const k = pick % vms.length;
      const before = sioc.splitSlots({ windowSlots, vms });
      const capped = vms.map((v, i) => (i === k ? { ...v, capSlots: v.capSlots * fraction } : v));
      const after = sioc.splitSlots({ windowSlots, vms: capped });
      after.forEach((s, i) => {
        if (i !== k) expect(s).toBeGreaterThanOrEqual(before[i] * (1 - 1e-9) - 1e-12);
      });
      const othersGain = after.reduce((a, s, i) => a + (i === k ? 0 : s - before[i]), 0);
      const freed = before[k] - after[k];
      const othersCanTake = capped.reduce((a, v, i) => a + (i === k ? 0 : v.capSlots - before[i]), 0);
      expect(Math.abs(othersGain - Math.min(freed, othersCanTake))).toBeLessThanOrEqual(1e-9 * Math.max(1, windowSlots));
    },
  );

  test("limitSlots: 100 IOPS at 30 ms keep 3 I/Os outstanding (Little's law)", () => {
    expect(sioc.limitSlots({ limitIops: 100, latencyMs: 30 })).toBeCloseTo(3, 12);
  });
});

describe("invalid input", () => {
  const cases: Array<[string, () => unknown]> = [
    ["windowSlots", () => sioc.splitSlots({ windowSlots: -1, vms: [] })],
    ["vms", () => sioc.splitSlots({ windowSlots: 1, vms: null as never })],
    ["vms[0]", () => sioc.splitSlots({ windowSlots: 1, vms: [7 as never] })],
    ["vms[0].shares", () => sioc.splitSlots({ windowSlots: 1, vms: [{ shares: 0, capSlots: 1 }] })],
    ["vms[1].capSlots", () => sioc.splitSlots({ windowSlots: 1, vms: [{ shares: 1, capSlots: 1 }, { shares: 1, capSlots: NaN }] })],
    ["limitIops", () => sioc.limitSlots({ limitIops: -5, latencyMs: 1 })],
    ["latencyMs", () => sioc.limitSlots({ limitIops: 5, latencyMs: Infinity })],
  ];
  for (const [field, run] of cases) {
    test(`${field} ${run.toString()}`, () => expectModelInputError(run, field));
  }
});
