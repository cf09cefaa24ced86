/**
 * The sources' own examples. Expected numbers come from the published figures (PARDA Table 3,
 * Figs. 8, 12–13; spec §3.6 and §4) or from closed-form arithmetic written out here.
 */
import { describe, expect } from "vitest";
import { test } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { sioc } from "../../../src/index.ts";

const last = (xs: number[]) => xs[xs.length - 1];
const within = (value: number, target: number, rel: number) => Math.abs(value - target) <= rel * Math.abs(target);

describe("seed example (spec §3.6): 24 → 12", () => {
  const { off, on } = sioc.compare(sioc.scenario("seed-24-to-12").config);

  test("without SIOC each host fills its 24 slots: B's lone VM gets twice the IOPS of each VM on A", () => {
    expect(off.hosts.map((h) => last(h.windowSlots))).toEqual([24, 24]);
    // 48 outstanding I/Os on C = 1200, L0 = 2 ms: 2 + 1000·48/1200 = 42 ms, above the 30 ms threshold.
    expect(last(off.latencyMs)).toBeCloseTo(42, 9);
    const [a1, a2, b1] = off.vms.map((v) => v.iops);
    expect(a1).toBeCloseTo((1000 * 12) / 42, 9);
    expect(a2).toBeCloseTo(a1, 9);
    expect(b1 / a1).toBeCloseTo(2, 9);
  });

  test("with SIOC A stays at its 24-slot cap and B is driven to about 12", () => {
    // β_A = 2, β_B = 1. With A clamped at 24: 24 + L/(L − 30) = 1.2·(L − 2), i.e.
    // 1.2·L² − 63.4·L + 792 = 0; the root above 30 ms gives B's window L/(L − 30).
    const L = (63.4 + Math.sqrt(63.4 ** 2 - 4 * 1.2 * 792)) / (2 * 1.2);
    const wB = L / (L - 30);
    expect(wB).toBeGreaterThan(11);
    expect(wB).toBeLessThan(14);
    const [wA, wBsim] = on.hosts.map((h) => last(h.windowSlots));
    expect(wA).toBe(24);
    expect(within(wBsim, wB, 0.01)).toBe(true);
    expect(within(last(on.latencyMs), L, 0.01)).toBe(true);
    expect(on.hosts.map((h) => last(h.beta))).toEqual([2, 1]);
  });

  test("with SIOC every VM gets roughly the same IOPS (within 10 % of the mean)", () => {
    const iops = on.vms.map((v) => v.iops);
    const mean = iops.reduce((a, b) => a + b, 0) / iops.length;
    for (const x of iops) expect(within(x, mean, 0.1)).toBe(true);
  });
});

describe("PARDA Table 3: four hosts, equal β, 𝓛 = 30 ms (±5 %)", () => {
  const { off, on } = sioc.compare(sioc.scenario("parda-table-3").config);
  test("uncontrolled: 3360 IOPS aggregate, 37 ms mean latency", () => {
    expect(within(last(off.totalIops), 3360, 0.05)).toBe(true);
    expect(within(last(off.latencyMs), 37, 0.05)).toBe(true);
  });
  test("with PARDA: 3350 IOPS aggregate, 31 ms mean latency", () => {
    expect(within(last(on.totalIops), 3350, 0.05)).toBe(true);
    expect(within(last(on.latencyMs), 31, 0.05)).toBe(true);
    expect(within(on.steady.totalIops, 3350, 0.05)).toBe(true);
    expect(within(on.steady.latencyMs, 31, 0.05)).toBe(true);
  });
  test("work-conserving as the paper reports (3350 / 3360 ≈ 99.7 %): ≥ 95 % of the uncontrolled throughput, equal shares per host", () => {
    expect(last(on.totalIops) / last(off.totalIops)).toBeGreaterThanOrEqual(0.95);
    const hostIops = on.hosts.map((h) => last(h.iops));
    for (const x of hostIops) expect(x).toBeCloseTo(hostIops[0], 9);
  });
});

describe("PARDA Fig. 8: β = 1:1:2:2, 𝓛 = 25 ms", () => {
  const r = sioc.simulate(sioc.scenario("parda-fig-8").config);
  test("windows of hosts 3–4 ≈ 2 × hosts 1–2 (±5 %), latency close to 25 ms, IOPS in share ratio", () => {
    const w = r.hosts.map((h) => last(h.windowSlots));
    const x = r.hosts.map((h) => last(h.iops));
    expect(within((w[2] + w[3]) / (w[0] + w[1]), 2, 0.05)).toBe(true);
    expect(within(w[2] / w[0], 2, 0.05)).toBe(true);
    expect(within(x[3] / x[1], 2, 0.05)).toBe(true);
    expect(last(r.latencyMs)).toBeGreaterThanOrEqual(25);
    expect(last(r.latencyMs)).toBeLessThanOrEqual(25 * 1.1);
  });
});

describe("PARDA Figs. 12–13: a VM on host 1 idles at 140 s and resumes at 310 s", () => {
  const r = sioc.simulate(sioc.scenario("parda-fig-12-13").config);
  const ratio = (t: number) => r.hosts[0].windowSlots[t] / r.hosts[3].windowSlots[t];
  test("β of host 1 drops from 6 to 4 while the VM is idle and returns to 6", () => {
    expect(r.hosts.map((h) => h.beta[139])).toEqual([6, 4, 4, 2]);
    expect(r.hosts[0].beta[140]).toBe(4);
    expect(r.hosts[0].beta[309]).toBe(4);
    expect(r.hosts[0].beta[310]).toBe(6);
  });
  test("before the idle event windows are ∝ β (host 1 : host 4 = 3) and VMs get IOPS ∝ shares (Table 6: 2:1 and 1:1)", () => {
    expect(within(ratio(139), 3, 0.05)).toBe(true);
    expect(within(r.hosts[1].windowSlots[139] / r.hosts[3].windowSlots[139], 2, 0.05)).toBe(true);
    const vm = (name: string) => r.vms.find((v) => v.name === name)!.iopsSeries![139];
    expect(within(vm("OLTP 1") / vm("OLTP 2"), 2, 0.01)).toBe(true);
    expect(within(vm("OLTP 3") / vm("OLTP 4"), 1, 0.01)).toBe(true);
  });
  test("host 1's window starts shrinking at 140 s and by 300 s the windows have re-converged to 4 : 2 (±5 %)", () => {
    expect(r.hosts[0].windowSlots[141]).toBeLessThan(r.hosts[0].windowSlots[139]);
    expect(within(ratio(300), 2, 0.05)).toBe(true);
    // The remaining OLTP VM on host 1 now has host 1's whole window to itself.
    expect(r.vms.find((v) => v.name === "OLTP 2")!.iopsSeries![200]).toBe(0);
  });
  test("after the VM resumes host 1's window grows back toward 3 × host 4's", () => {
    expect(r.hosts[0].windowSlots[320]).toBeGreaterThan(r.hosts[0].windowSlots[309]);
    expect(within(ratio(449), 3, 0.05)).toBe(true);
  });
});

describe("shares across hosts (spec §4): 1500 alone vs 500 + 500", () => {
  const { off, on } = sioc.compare(sioc.scenario("cross-host-shares").config);
  const shareOf = (r: typeof on) => {
    const iops = r.vms.map((v) => v.iops);
    const total = iops.reduce((a, b) => a + b, 0);
    return iops.map((x) => x / total);
  };
  test("without SIOC each host gets about half the array: A 50 %, B and C 25 % each", () => {
    const [a, b, c] = shareOf(off);
    expect(a).toBeCloseTo(0.5, 9);
    expect(b).toBeCloseTo(0.25, 9);
    expect(c).toBeCloseTo(0.25, 9);
  });
  test("with SIOC A ≈ 60 %, B and C ≈ 20 % each (±1 percentage point); the entitlement is exactly that", () => {
    const [a, b, c] = shareOf(on);
    expect(Math.abs(a - 0.6)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(b - 0.2)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(c - 0.2)).toBeLessThanOrEqual(0.01);
    const total = on.steady.totalIops;
    expect(on.vms.map((v) => v.entitlementIops / total).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0.6, 0.2, 0.2]);
  });
});

describe("scenario()", () => {
  test("every preset is valid and returns a fresh copy", () => {
    for (const id of sioc.SCENARIO_IDS) {
      const s = sioc.scenario(id);
      expect(s.id).toBe(id);
      expect(() => sioc.normaliseConfig(s.config)).not.toThrow();
      expect(s.assumptions.every((a) => a.startsWith("[A]"))).toBe(true);
      s.config.hosts.length = 0;
      expect(sioc.scenario(id).config.hosts.length).toBeGreaterThan(0);
    }
  });
  test("unknown ids throw ModelInputError", () => {
    expect(() => sioc.scenario("table-4" as never)).toThrow(ModelInputError);
  });
});
