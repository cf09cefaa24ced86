import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { sioc } from "../../../src/index.ts";
import type { HostConfig } from "../../../src/sioc/index.ts";
import { expectModelInputError } from "../expect.ts";
import { relClose } from "./arbitraries.ts";

const vm = (shares: number, extra: object = {}) => ({ shares, demandOio: 32, ...extra });

describe("share entitlement (spec §3.3)", () => {
  test("1500 alone on host 1 vs 500 + 500 on host 2: 60 % / 20 % / 20 % (spec §4)", () => {
    const e = sioc.entitlement({ capacityIops: 1000, hosts: [{ vms: [vm(1500)] }, { vms: [vm(500), vm(500)] }] });
    expect(e.vms.map((v) => v.iops)).toEqual([600, 200, 200]);
    expect(e.hosts.map((h) => h.shareOfShares)).toEqual([0.6, 0.4]);
    expect(e.unallocatedIops).toBe(0);
  });
  test("an idle VM's share goes to the other VMs on its host first", () => {
    const e = sioc.entitlement({ capacityIops: 1000, hosts: [{ vms: [vm(1000), vm(1000, { demandOio: 0 })] }, { vms: [vm(1000)] }] });
    expect(e.vms.map((v) => v.iops)).toEqual([500, 0, 500]);
  });
  test("a VM's idle period is honoured at atStep", () => {
    const hosts = [{ vms: [vm(1000), vm(1000, { idleFromStep: 10, idleUntilStep: 20 })] }];
    expect(sioc.entitlement({ capacityIops: 900, hosts, atStep: 5 }).vms.map((v) => v.iops)).toEqual([450, 450]);
    expect(sioc.entitlement({ capacityIops: 900, hosts, atStep: 15 }).vms.map((v) => v.iops)).toEqual([900, 0]);
  });
  test("a limited VM's unused IOPS go to its host siblings, then to other hosts", () => {
    const sibling = sioc.entitlement({ capacityIops: 1000, hosts: [{ vms: [vm(1000, { limitIops: 100 }), vm(1000)] }, { vms: [vm(1000), vm(1000)] }] });
    expect(sibling.vms.map((v) => v.iops)).toEqual([100, 400, 250, 250]);
    const spill = sioc.entitlement({ capacityIops: 1000, hosts: [{ vms: [vm(1000, { limitIops: 100 }), vm(1000, { limitIops: 100 })] }, { vms: [vm(1000), vm(1000)] }] });
    expect(spill.vms.map((v) => v.iops)).toEqual([100, 100, 400, 400]);
    const nobody = sioc.entitlement({ capacityIops: 1000, hosts: [{ vms: [vm(1000, { limitIops: 100 })] }] });
    expect(nobody.vms[0].iops).toBe(100);
    expect(nobody.unallocatedIops).toBe(900);
  });

  const hosts = fc.array(
    fc.record({
      vms: fc.array(
        fc.record({
          shares: fc.integer({ min: 1, max: 1_000_000 }),
          demandOio: fc.constantFrom(0, 1, 32),
          limitIops: fc.option(fc.double({ min: 1, max: 5000, noNaN: true }), { nil: undefined }),
        }),
        { maxLength: 5 },
      ),
    }),
    { minLength: 1, maxLength: 6 },
  );
  test.prop([hosts, fc.double({ min: 0, max: 100_000, noNaN: true })], { numRuns: 1000 })(
    "limits hold, idle VMs get 0, the capacity is all handed out unless every active VM is capped, and uncapped VMs are ∝ shares within a host",
    (hostList: HostConfig[], capacityIops) => {
      const e = sioc.entitlement({ capacityIops, hosts: hostList });
      let allocated = 0;
      let anyUnlimitedActive = false;
      let limitTotal = 0;
      hostList.forEach((host, h) => {
        const vms = e.vms.filter((v) => v.host === h);
        const level: number[] = [];
        host.vms.forEach((cfg, i) => {
          const iops = vms[i].iops;
          allocated += iops;
          expect(iops).toBeGreaterThanOrEqual(0);
          const limit = cfg.limitIops ?? null;
          if (cfg.demandOio === 0) expect(iops).toBe(0);
          else if (limit === null) anyUnlimitedActive = true;
          else limitTotal += limit;
          if (limit !== null) expect(iops).toBeLessThanOrEqual(limit * (1 + 1e-12));
          if (cfg.demandOio > 0 && (limit === null || iops < limit * (1 - 1e-9))) level.push(iops / cfg.shares);
        });
        for (const l of level) expect(relClose(l, level[0], 1e-9)).toBe(true);
      });
      const expected = anyUnlimitedActive ? capacityIops : Math.min(capacityIops, limitTotal);
      expect(Math.abs(allocated - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, capacityIops));
      expect(Math.abs(allocated + e.unallocatedIops - capacityIops)).toBeLessThanOrEqual(1e-9 * Math.max(1, capacityIops));
    },
  );
});

describe("invalid input", () => {
  const ok = { capacityIops: 1000, hosts: [{ vms: [vm(1000)] }] };
  const cases: Array<[string, () => unknown]> = [
    ["input", () => sioc.entitlement(undefined as never)],
    ["capacityIops", () => sioc.entitlement({ ...ok, capacityIops: -1 })],
    ["capacityIops", () => sioc.entitlement({ ...ok, capacityIops: Infinity })],
    ["atStep", () => sioc.entitlement({ ...ok, atStep: 0.5 })],
    ["hosts", () => sioc.entitlement({ ...ok, hosts: [] })],
    ["hosts[0].vms[0].shares", () => sioc.entitlement({ ...ok, hosts: [{ vms: [vm(-3)] }] })],
    ["hosts[0].vms[0].limitIops", () => sioc.entitlement({ ...ok, hosts: [{ vms: [vm(1000, { limitIops: 0 })] }] })],
  ];
  for (const [field, run] of cases) {
    test(`${field} ${run.toString()}`, () => expectModelInputError(run, field));
  }
});
