import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { sioc } from "../../../src/index.ts";
import type { SiocConfig } from "../../../src/sioc/index.ts";
import { allNumbers, anyConfig, busyConfig, busyHosts, congestedArray, congestedArrayParams, latencyAt, relClose, unclampedSteadyState } from "./arbitraries.ts";

/** Array and controller settings drawn so the controlled windows usually land inside [wMin, wMax]. */
const arrayParams = congestedArrayParams({ maxBaseLatencyFraction: 0.3, load: { min: 0.3, max: 0.9 } });

describe("closed-form steady state (spec §3.5)", () => {
  test.prop([busyHosts(4, 3), arrayParams], { numRuns: 1000 })(
    "without clamping it is the root of C·L² − (C·(L0 + 𝓛) + 1000·B)·L + C·L0·𝓛 = 0 and windows are β_i·L/(L − 𝓛), so w_i/w_j = β_i/β_j",
    (hostShares, p) => {
      const a = congestedArray(hostShares.length, p);
      const { betas, latencyMs: expectedL, windows } = unclampedSteadyState(hostShares, a);
      fc.pre(windows.every((w) => w > 4 && w < a.deviceQueueDepth));
      const steady = sioc.steadyState(busyConfig(hostShares, a));
      expect(relClose(steady.latencyMs, expectedL, 1e-7)).toBe(true);
      steady.hosts.forEach((h, i) => {
        expect(relClose(h.windowSlots, windows[i], 1e-6)).toBe(true);
        expect(relClose(h.iops / steady.hosts[0].iops, betas[i] / betas[0], 1e-6)).toBe(true);
      });
      expect(steady.latencyMs).toBeGreaterThan(a.thresholdMs);
      expect(steady.throttled).toBe(true);
    },
  );

  test.prop([busyHosts(4, 3), arrayParams, fc.boolean()], { numRuns: 1000 })(
    "SIOC off: every host fills its queue and latency = L0 + 1000·Σ min(DQLEN, demand)/C",
    (hostShares, p, enabledButUncongested) => {
      const a = congestedArray(hostShares.length, p);
      const config = busyConfig(hostShares, { ...a, enabled: false });
      const steady = sioc.steadyState(config);
      const n = hostShares.length * a.deviceQueueDepth;
      expect(relClose(steady.latencyMs, latencyAt(a.maxIops, a.baseLatencyMs, n), 1e-12)).toBe(true);
      steady.hosts.forEach((h) => expect(h.windowSlots).toBe(a.deviceQueueDepth));
      expect(steady.throttled).toBe(false);
      if (enabledButUncongested) {
        // With the array 10× faster the uncontrolled latency sits below 𝓛: SIOC changes nothing.
        const fast = sioc.steadyState({ ...config, enabled: true, maxIops: Math.max(a.maxIops, (1000 * n) / (a.thresholdMs - a.baseLatencyMs)) * 10 });
        fast.hosts.forEach((h) => expect(h.windowSlots).toBe(a.deviceQueueDepth));
        expect(fast.latencyMs).toBeLessThan(a.thresholdMs);
        expect(fast.throttled).toBe(false);
      }
    },
  );

  test.prop([anyConfig(50)], { numRuns: 1000 })(
    "invariants 2 and 10: returns within the iteration cap, finite, X_total < C, Σ_v X_v = X_total, windows in [wMin, wMax]",
    (config) => {
      const steady = sioc.steadyState(config);
      expect(steady.solverEvaluations).toBeLessThanOrEqual(sioc.STEADY_MAX_ITERATIONS + 1);
      expect(allNumbers(steady).every(Number.isFinite)).toBe(true);
      expect(steady.totalIops).toBeLessThan(config.maxIops);
      const vmTotal = steady.vms.reduce((s, v) => s + v.iops, 0);
      expect(Math.abs(vmTotal - steady.totalIops)).toBeLessThanOrEqual(1e-9 * Math.max(1, steady.totalIops));
      const normal = sioc.normaliseConfig(config);
      steady.hosts.forEach((h, i) => {
        expect(h.windowSlots).toBeGreaterThanOrEqual(normal.wMin);
        expect(h.windowSlots).toBeLessThanOrEqual(normal.deviceQueueDepth);
        expect(h.outstandingIos).toBeLessThanOrEqual(h.windowSlots * (1 + 1e-12));
        const vms = steady.vms.filter((v) => v.host === i);
        vms.forEach((v, k) => {
          expect(v.slots).toBeLessThanOrEqual(normal.hosts[i].vms[k].demandOio * (1 + 1e-12));
          const limit = normal.hosts[i].vms[k].limitIops;
          if (limit !== null) expect(v.iops).toBeLessThanOrEqual(limit * (1 + 1e-12));
        });
      });
      // The reported latency is the array's own for the outstanding I/Os found.
      expect(relClose(steady.latencyMs, latencyAt(config.maxIops, config.baseLatencyMs, steady.outstandingIos), 1e-12)).toBe(true);
    },
  );
});

describe("invariant 7: monotonicity of the steady state", () => {
  /** Hosts with busy VMs plus, optionally, VMs with small demands or limits next to them. */
  const mixedHosts = fc.array(
    fc.array(
      fc.record({
        shares: fc.integer({ min: 100, max: 5000 }),
        demandOio: fc.oneof(fc.constant(256), fc.integer({ min: 1, max: 40 })),
        limitIops: fc.option(fc.integer({ min: 10, max: 2000 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    { minLength: 1, maxLength: 4 },
  );
  const settings = fc.record({
    maxIops: fc.integer({ min: 200, max: 20_000 }),
    baseLatencyMs: fc.double({ min: 0.1, max: 10, noNaN: true }),
    thresholdMs: fc.double({ min: 5, max: 100, noNaN: true }),
    deviceQueueDepth: fc.constantFrom(8, 16, 24, 32, 64, 128),
  });
  const build = (hosts: Array<Array<{ shares: number; demandOio: number; limitIops?: number }>>, s: Omit<SiocConfig, "hosts" | "enabled">): SiocConfig => ({
    ...s,
    enabled: true,
    hosts: hosts.map((vms) => ({ vms })),
  });

  test.prop([mixedHosts, settings, fc.nat(), fc.nat(), fc.double({ min: 1, max: 10, noNaN: true })], { numRuns: 1000 })(
    "raising a backlogged VM's shares (others fixed) never lowers its steady throughput",
    (hosts, s, hostPick, vmPick, factor) => {
      const h = hostPick % hosts.length;
      const v = vmPick % hosts[h].length;
      hosts[h][v] = { shares: hosts[h][v].shares, demandOio: 256, limitIops: undefined };
      const before = sioc.steadyState(build(hosts, s));
      const raised = hosts.map((vms, i) => vms.map((vm, k) => (i === h && k === v ? { ...vm, shares: Math.min(1_000_000, Math.round(vm.shares * factor)) } : vm)));
      const after = sioc.steadyState(build(raised, s));
      const index = hosts.slice(0, h).reduce((n, vms) => n + vms.length, 0) + v;
      expect(after.vms[index].iops).toBeGreaterThanOrEqual(before.vms[index].iops * (1 - 1e-9));
    },
  );

  test.prop([mixedHosts, settings, fc.nat(), fc.nat(), fc.double({ min: 1, max: 10, noNaN: true })], { numRuns: 1000 })(
    "raising any unlimited VM's shares never lowers its slots; a demand-capped VM can lose IOPS only to higher latency",
    (hosts, s, hostPick, vmPick, factor) => {
      const h = hostPick % hosts.length;
      const v = vmPick % hosts[h].length;
      const before = sioc.steadyState(build(hosts, s));
      const raised = hosts.map((vms, i) => vms.map((vm, k) => (i === h && k === v ? { ...vm, shares: Math.min(1_000_000, Math.round(vm.shares * factor)) } : vm)));
      const after = sioc.steadyState(build(raised, s));
      const index = hosts.slice(0, h).reduce((n, vms) => n + vms.length, 0) + v;
      // Its IOPS are 1000·slots/L (or its limit): any loss is exactly the latency ratio. A limited
      // VM's slots are limit·L/1000, so they follow the latency instead.
      const limit = hosts[h][v].limitIops ?? Infinity;
      if (limit === Infinity) expect(after.vms[index].slots).toBeGreaterThanOrEqual(before.vms[index].slots * (1 - 1e-9) - 1e-12);
      const floor = Math.min(limit, before.vms[index].iops * (before.latencyMs / after.latencyMs));
      expect(after.vms[index].iops).toBeGreaterThanOrEqual(floor * (1 - 1e-9) - 1e-12);
    },
  );

  test.prop([mixedHosts, settings, fc.double({ min: 5, max: 100, noNaN: true })], { numRuns: 1000 })(
    "lowering the threshold never raises the steady latency",
    (hosts, s, otherThresholdMs) => {
      const [low, high] = otherThresholdMs < s.thresholdMs ? [otherThresholdMs, s.thresholdMs] : [s.thresholdMs, otherThresholdMs];
      const lowL = sioc.steadyState(build(hosts, { ...s, thresholdMs: low })).latencyMs;
      const highL = sioc.steadyState(build(hosts, { ...s, thresholdMs: high })).latencyMs;
      expect(lowL).toBeLessThanOrEqual(highL * (1 + 1e-9));
    },
  );
});

describe("β = 0 ⇔ no active VM (spec §3.2)", () => {
  test("a host whose only VM is idle holds wMin and does no I/O; the others share the array", () => {
    const config: SiocConfig = {
      ...busyConfig([[1000], [1000]], { maxIops: 1200, baseLatencyMs: 2, deviceQueueDepth: 32, thresholdMs: 30, steps: 100 }),
    };
    config.hosts[1].vms[0].idleFromStep = 50;
    const before = sioc.steadyState(config, { atStep: 49 });
    const after = sioc.steadyState(config, { atStep: 50 });
    expect(before.hosts.map((h) => h.beta)).toEqual([1, 1]);
    expect(after.hosts.map((h) => h.beta)).toEqual([1, 0]);
    expect(after.hosts[1].windowSlots).toBe(4);
    expect(after.hosts[1].iops).toBe(0);
    // Invariant 6: the remaining host's window grows.
    expect(after.hosts[0].windowSlots).toBeGreaterThan(before.hosts[0].windowSlots);
  });
});
