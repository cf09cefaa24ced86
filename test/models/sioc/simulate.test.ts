import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { sioc } from "../../../src/index.ts";
import type { SiocConfig } from "../../../src/sioc/index.ts";
import { allNumbers, anyConfig, busyConfig, busyHosts, congestedArray, congestedArrayParams, expectedBetas, latencyAt, relClose, unclampedSteadyState } from "./arbitraries.ts";

const last = (xs: number[]) => xs[xs.length - 1];

describe("invariants that hold for every valid input", () => {
  test.prop([anyConfig()], { numRuns: 1000 })(
    "1: wMin ≤ w_i(t) ≤ wMax at every step and no NaN/Infinity anywhere in the result",
    (config) => {
      const r = sioc.simulate(config);
      const { wMin, deviceQueueDepth } = r.config;
      const outside = r.hosts.flatMap((h) => h.windowSlots.filter((w) => !(w >= wMin && w <= deviceQueueDepth)));
      expect(outside).toEqual([]);
      expect(allNumbers(r).every(Number.isFinite)).toBe(true);
      expect(r.timeS).toHaveLength(r.config.steps);
    },
  );

  test.prop([anyConfig()], { numRuns: 1000 })(
    "2: X_total < C at every step; Σ hosts = Σ VMs = X_total (±1e-9 relative); latency is the array's for the busy slots",
    (config) => {
      const r = sioc.simulate(config);
      expect(r.vmSeriesRecorded).toBe(true);
      const violations: string[] = [];
      for (let t = 0; t < r.timeS.length; t++) {
        const total = r.totalIops[t];
        if (!(total < config.maxIops)) violations.push(`t=${t}: X_total ${total} ≥ C`);
        const hostSum = r.hosts.reduce((s, h) => s + h.iops[t], 0);
        const vmSum = r.vms.reduce((s, v) => s + v.iopsSeries![t], 0);
        if (Math.abs(hostSum - total) > 1e-9 * Math.max(1, total)) violations.push(`t=${t}: Σ hosts ${hostSum} ≠ ${total}`);
        if (Math.abs(vmSum - total) > 1e-9 * Math.max(1, total)) violations.push(`t=${t}: Σ VMs ${vmSum} ≠ ${total}`);
        if (!relClose(r.latencyMs[t], latencyAt(config.maxIops, config.baseLatencyMs, r.outstandingIos[t]), 1e-12)) violations.push(`t=${t}: latency`);
      }
      expect(violations).toEqual([]);
    },
  );

  test.prop([anyConfig()], { numRuns: 1000 })(
    "3: Σ_v slots_v,i ≤ w_i on every host at every step; each VM's slots ≤ its OIO demand (0 while idle)",
    (config) => {
      const r = sioc.simulate(config);
      const violations: string[] = [];
      r.hosts.forEach((host, h) => {
        const vms = r.vms.filter((v) => v.host === h);
        for (let t = 0; t < r.timeS.length; t++) {
          let busy = 0;
          for (const vm of vms) {
            const slots = vm.slotsSeries![t];
            if (!(slots >= 0 && slots <= vm.demandOio * (1 + 1e-12))) violations.push(`host ${h} t=${t}: ${vm.name} has ${slots} slots, demand ${vm.demandOio}`);
            busy += slots;
          }
          if (busy > host.windowSlots[t] * (1 + 1e-12)) violations.push(`host ${h} t=${t}: ${busy} slots > window ${host.windowSlots[t]}`);
          if (Math.abs(busy - host.outstandingIos[t]) > 1e-9 * Math.max(1, busy)) violations.push(`host ${h} t=${t}: outstanding`);
        }
      });
      expect(violations).toEqual([]);
    },
  );

  test.prop([anyConfig()], { numRuns: 1000 })(
    "8 (first half): a VM with limitIops = x never exceeds x, at any step",
    (config) => {
      const r = sioc.simulate(config);
      const over = r.vms.flatMap((vm) => (vm.limitIops === null ? [] : vm.iopsSeries!.filter((x) => x > vm.limitIops! * (1 + 1e-12))));
      expect(over).toEqual([]);
    },
  );

  test.prop([anyConfig(60)], { numRuns: 1000 })(
    "9: same input ⇒ identical trajectory; step() from initialState() reproduces simulate()",
    (config) => {
      const a = sioc.simulate(config);
      const b = sioc.simulate(structuredClone(config));
      expect(b).toEqual(a);
      const model = sioc.prepare(config);
      const state = sioc.initialState(model);
      const latency: number[] = [];
      const total: number[] = [];
      const windows: number[][] = a.hosts.map(() => []);
      for (let t = 0; t < a.timeS.length; t++) {
        sioc.step(state, model);
        latency.push(state.latencyMs);
        total.push(state.totalIops);
        windows.forEach((w, i) => w.push(state.appliedWindowSlots[i]));
      }
      expect(latency).toEqual(a.latencyMs);
      expect(total).toEqual(a.totalIops);
      expect(windows).toEqual(a.hosts.map((h) => h.windowSlots));
    },
  );

  test.prop([anyConfig()], { numRuns: 1000 })("spec §3.2: β_i(t) = 0 ⇔ the host has no active VM ⇔ (SIOC on) its window is wMin and it does no I/O", (config) => {
    const r = sioc.simulate(config);
    const violations: string[] = [];
    r.hosts.forEach((host, h) => {
      const cfg = r.config.hosts[h].vms;
      for (let t = 0; t < r.timeS.length; t++) {
        // Active per the config alone: demand > 0 and t outside [idleFromStep, idleUntilStep).
        const active = cfg.some((vm) => vm.demandOio > 0 && !(vm.idleFromStep !== null && t >= vm.idleFromStep && (vm.idleUntilStep === null || t < vm.idleUntilStep)));
        if (active !== host.beta[t] > 0) violations.push(`host ${h} t=${t}: active ${active}, β ${host.beta[t]}`);
        if (!active && host.iops[t] !== 0) violations.push(`host ${h} t=${t}: idle host does I/O`);
        if (!active && r.config.enabled && host.windowSlots[t] !== r.config.wMin) violations.push(`host ${h} t=${t}: idle window ${host.windowSlots[t]}`);
      }
    });
    expect(violations).toEqual([]);
  });
});

/** Congested array settings: C chosen so the threshold corresponds to `load` of the hosts' queues. */
const controlParams = congestedArrayParams({ maxBaseLatencyFraction: 0.2, load: { min: 0.2, max: 0.8 } });

describe("invariant 4: proportional to shares after convergence", () => {
  test.prop([busyHosts(4, 3, 2), controlParams], { numRuns: 1000 })(
    "all hosts backlogged, no clamping: X_i/X_j within 5 % of β_i/β_j, and VMs on a host ∝ shares",
    (hostShares, p) => {
      const a = congestedArray(hostShares.length, p);
      const { betas, latencyMs: L, windows } = unclampedSteadyState(hostShares, a);
      fc.pre(windows.every((w) => w > 4 * 1.05 && w < a.deviceQueueDepth * 0.95));
      // Host-to-host differences decay by (1 − γ·(L − 𝓛)/L) per step: run ten time constants.
      const timeConstantS = L / (0.2 * (L - a.thresholdMs));
      fc.pre(timeConstantS <= 300);
      const steps = Math.max(200, Math.ceil(10 * timeConstantS));
      const r = sioc.simulate({ ...busyConfig(hostShares, a), steps });
      const x = r.hosts.map((h) => last(h.iops));
      for (let i = 0; i < x.length; i++) {
        for (let j = 0; j < x.length; j++) {
          const want = betas[i] / betas[j];
          expect(Math.abs(x[i] / x[j] - want)).toBeLessThanOrEqual(0.05 * want);
        }
      }
      r.vms.forEach((vm) => {
        const first = r.vms.find((v) => v.host === vm.host)!;
        expect(relClose(vm.iops / first.iops, vm.shares / first.shares, 1e-9)).toBe(true);
      });
    },
  );
});

describe("invariant 5: latency control", () => {
  const hosts = fc.array(
    fc.array(fc.record({ shares: fc.integer({ min: 250, max: 4000 }), demandOio: fc.oneof(fc.constant(256), fc.integer({ min: 1, max: 256 })) }), {
      minLength: 1,
      maxLength: 4,
    }),
    { minLength: 1, maxLength: 4 },
  );

  test.prop([hosts, controlParams], { numRuns: 1000 })(
    "congested (uncontrolled latency > 1.2·𝓛) and controllable ⇒ steady latency in [𝓛, 1.15·𝓛]",
    (vmsByHost, p) => {
      const a = congestedArray(vmsByHost.length, p);
      const wMax = a.deviceQueueDepth;
      const demand = vmsByHost.map((vms) => vms.reduce((s, v) => s + v.demandOio, 0));
      const uncontrolledL = latencyAt(a.maxIops, a.baseLatencyMs, demand.reduce((s, d) => s + Math.min(wMax, d), 0));
      fc.pre(uncontrolledL > 1.2 * a.thresholdMs);
      // "Controllable": at L = 1.12·𝓛 the windows the law would settle at (β·L/(L − 𝓛) clamped to
      // [4, wMax], used up to each host's demand) already fit in the array. Otherwise the floors
      // wMin or a Σβ comparable to the array's queue keep L higher — PARDA's L*/𝓛 = W/(W − B).
      const betas = expectedBetas(vmsByHost.map((vms) => vms.map((v) => v.shares)), wMax);
      const l1 = 1.12 * a.thresholdMs;
      const busyAtL1 = betas.reduce((s, b, i) => s + Math.min(demand[i], Math.min(wMax, Math.max(4, (b * l1) / (l1 - a.thresholdMs)))), 0);
      fc.pre(latencyAt(a.maxIops, a.baseLatencyMs, busyAtL1) <= l1);
      const config: SiocConfig = { ...a, enabled: true, steps: 600, hosts: vmsByHost.map((vms) => ({ vms })) };
      const r = sioc.simulate(config);
      expect(r.steady.latencyMs).toBeGreaterThanOrEqual(a.thresholdMs);
      expect(r.steady.latencyMs).toBeLessThanOrEqual(1.15 * a.thresholdMs);
      const simulated = last(r.latencyMs);
      expect(simulated).toBeGreaterThanOrEqual(a.thresholdMs * 0.995);
      expect(simulated).toBeLessThanOrEqual(1.15 * a.thresholdMs);
      expect(r.throttled).toBe(true);
    },
  );

  test.prop([hosts, controlParams, fc.double({ min: 1.01, max: 10, noNaN: true })], { numRuns: 1000 })(
    "uncongested ⇒ no throttling: every window stays at wMax and latency < 𝓛 at every step",
    (vmsByHost, p, headroom) => {
      const wMax = p.deviceQueueDepth;
      const baseLatencyMs = p.thresholdMs * p.baseLatencyFraction;
      const busy = vmsByHost.reduce((s, vms) => s + Math.min(wMax, vms.reduce((d, v) => d + v.demandOio, 0)), 0);
      // C large enough that the uncontrolled latency is below 𝓛 by the factor `headroom`.
      const maxIops = (1000 * busy * headroom) / (p.thresholdMs - baseLatencyMs);
      const r = sioc.simulate({ maxIops, baseLatencyMs, thresholdMs: p.thresholdMs, deviceQueueDepth: wMax, enabled: true, steps: 100, hosts: vmsByHost.map((vms) => ({ vms })) });
      for (const h of r.hosts) expect(h.windowSlots.every((w) => w === wMax)).toBe(true);
      expect(r.latencyMs.every((l) => l < p.thresholdMs)).toBe(true);
      expect(r.throttled).toBe(false);
    },
  );
});

describe("invariant 6: work conservation", () => {
  test.prop([busyHosts(4, 3, 2), controlParams, fc.nat()], { numRuns: 1000 })(
    "when one host goes idle the other hosts' windows grow",
    (hostShares, p, pick) => {
      const a = congestedArray(hostShares.length, p);
      const idleHost = pick % hostShares.length;
      const config = busyConfig(hostShares, { ...a, steps: 1200 });
      for (const vm of config.hosts[idleHost].vms) vm.idleFromStep = 600;
      // Closed form: the fixed point after the idle event has every other window ≥ before.
      const before = sioc.steadyState(config, { atStep: 599 });
      const after = sioc.steadyState(config, { atStep: 600 });
      before.hosts.forEach((h, i) => {
        if (i === idleHost) return;
        expect(after.hosts[i].windowSlots).toBeGreaterThanOrEqual(h.windowSlots * (1 - 1e-9));
        if (h.windowSlots > 4 && h.windowSlots < a.deviceQueueDepth * (1 - 1e-6)) expect(after.hosts[i].windowSlots).toBeGreaterThan(h.windowSlots);
      });
      // The loop gets there: if both runs have converged, the simulated windows grew too.
      const tau = before.latencyMs / (0.2 * Math.max(1e-9, before.latencyMs - a.thresholdMs));
      fc.pre(tau <= 100);
      const r = sioc.simulate(config);
      r.hosts.forEach((h, i) => {
        if (i === idleHost) return;
        expect(h.windowSlots[1199]).toBeGreaterThanOrEqual(h.windowSlots[599] - 0.01 * a.deviceQueueDepth);
      });
      expect(last(r.hosts[idleHost].windowSlots)).toBe(4);
    },
  );

  const hosts = fc.array(
    fc.array(fc.record({ shares: fc.integer({ min: 100, max: 5000 }), demandOio: fc.integer({ min: 1, max: 256 }) }), { minLength: 1, maxLength: 4 }),
    { minLength: 1, maxLength: 4 },
  );
  test.prop(
    [
      hosts,
      fc.record({
        maxIops: fc.integer({ min: 200, max: 20_000 }),
        thresholdMs: fc.double({ min: 5, max: 100, noNaN: true }),
        baseLatencyFraction: fc.double({ min: 0.002, max: 0.05, noNaN: true }),
        deviceQueueDepth: fc.constantFrom(8, 16, 32, 64, 128),
      }),
    ],
    { numRuns: 1000 },
  )("total throughput with SIOC ≥ 95 % of the uncontrolled total when 𝓛 ≥ 20·L0", (vmsByHost, p) => {
    // With L* ≥ 𝓛 the array delivers at least C·(1 − L0/𝓛) ≥ 0.95·C > 0.95·X_off.
    const config: SiocConfig = {
      maxIops: p.maxIops,
      thresholdMs: p.thresholdMs,
      baseLatencyMs: p.thresholdMs * p.baseLatencyFraction,
      deviceQueueDepth: p.deviceQueueDepth,
      enabled: true,
      steps: 400,
      hosts: vmsByHost.map((vms) => ({ vms })),
    };
    const { off, on } = sioc.compare(config);
    expect(on.steady.totalIops).toBeGreaterThanOrEqual(0.95 * off.steady.totalIops);
    expect(last(on.totalIops)).toBeGreaterThanOrEqual(0.95 * last(off.totalIops));
  });
});

describe("invariant 8 (second half): a limited VM's unused slots go to other VMs", () => {
  test.prop([busyHosts(3, 3), controlParams, fc.nat(), fc.nat(), fc.double({ min: 0.05, max: 0.9, noNaN: true })], { numRuns: 1000 })(
    "limiting one VM never lowers any other VM's steady slots or IOPS, and the limit holds",
    (hostShares, p, hostPick, vmPick, fraction) => {
      const a = congestedArray(hostShares.length, p);
      const base = busyConfig(hostShares, { ...a, steps: 50 });
      const h = hostPick % hostShares.length;
      const v = vmPick % hostShares[h].length;
      const free = sioc.steadyState(base);
      const index = hostShares.slice(0, h).reduce((n, vms) => n + vms.length, 0) + v;
      const limitIops = Math.max(1, free.vms[index].iops * fraction);
      const limited = structuredClone(base);
      limited.hosts[h].vms[v].limitIops = limitIops;
      const capped = sioc.steadyState(limited);
      expect(capped.vms[index].iops).toBeLessThanOrEqual(limitIops * (1 + 1e-12));
      capped.vms.forEach((vm, i) => {
        if (i === index) return;
        expect(vm.iops).toBeGreaterThanOrEqual(free.vms[i].iops * (1 - 1e-9));
        expect(vm.slots).toBeGreaterThanOrEqual(free.vms[i].slots * (1 - 1e-9));
      });
    },
  );
});

describe("the loop converges to the closed form", () => {
  const hosts = fc.array(
    fc.array(
      fc.record({
        shares: fc.integer({ min: 250, max: 4000 }),
        demandOio: fc.integer({ min: 1, max: 256 }),
        limitIops: fc.option(fc.integer({ min: 20, max: 3000 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    { minLength: 1, maxLength: 3 },
  );
  test.prop([hosts, controlParams, fc.boolean()], { numRuns: 1000 })("after 800 steps the simulated latency is within 0.5 % of steady.ts", (vmsByHost, p, enabled) => {
    const a = congestedArray(vmsByHost.length, p);
    const r = sioc.simulate({ ...a, enabled, steps: 800, hosts: vmsByHost.map((vms) => ({ vms })) });
    fc.pre(!enabled || r.steady.latencyMs > a.thresholdMs * 1.02 || r.steady.latencyMs < a.thresholdMs);
    expect(relClose(last(r.latencyMs), r.steady.latencyMs, 0.005)).toBe(true);
  });
});

describe("step API", () => {
  const config: SiocConfig = busyConfig([[1000]], { maxIops: 1000, baseLatencyMs: 2, deviceQueueDepth: 32, thresholdMs: 30, steps: 2 });
  test("rejects foreign models and states, and stepping past the configured steps", () => {
    const model = sioc.prepare(config);
    const state = sioc.initialState(model);
    expect(() => sioc.initialState({ ...model })).toThrow(ModelInputError);
    expect(() => sioc.step(state, sioc.prepare(config))).toThrow(/state/);
    expect(() => sioc.step({ ...state }, model)).toThrow(ModelInputError);
    sioc.step(state, model);
    sioc.step(state, model);
    expect(() => sioc.step(state, model)).toThrow(/state\.step = 2/);
  });
  test("per-VM series are dropped (null) above VM_SERIES_LIMIT VM-steps", () => {
    const big = busyConfig([Array(100).fill(1000)], { maxIops: 1000, baseLatencyMs: 2, deviceQueueDepth: 32, thresholdMs: 30, steps: 2001 });
    expect(100 * 2001).toBeGreaterThan(sioc.VM_SERIES_LIMIT);
    const r = sioc.simulate(big);
    expect(r.vmSeriesRecorded).toBe(false);
    expect(r.vms[0].iopsSeries).toBeNull();
    expect(r.hosts[0].windowSlots).toHaveLength(2001);
  });
});
