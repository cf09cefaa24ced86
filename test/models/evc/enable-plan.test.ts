import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";
import { ModelInputError } from "../../../src/shared/index.ts";
import { hostsArb, vendorArb } from "./arbitraries.ts";

const subset = (a: Iterable<string>, b: ReadonlySet<string>) => [...a].every((f) => b.has(f));
const strictSubset = (a: ReadonlySet<string>, b: ReadonlySet<string>) => subset(a, b) && a.size < b.size;

interface Drawn {
  cluster: evc.Cluster;
  usable: evc.Baseline[];
}

/**
 * A cluster of one vendor with a usable EVC mode set (or EVC off) and VMs on random hosts, each powered on,
 * suspended or off; running ones captured their flags at power-on under the cluster mode or a lower per-VM mode (§5, §6).
 */
const clusterArb = (evcOn: boolean): fc.Arbitrary<Drawn> =>
  vendorArb
    .chain((v) => hostsArb(v, { minLength: 1, maxLength: 5 }))
    .filter((hosts) => evc.usableBaselines(hosts).length > 0)
    .chain((hosts) => {
      const usable = evc.usableBaselines(hosts);
      return fc
        .tuple(
          evcOn ? fc.constantFrom(...usable) : fc.constant(null),
          fc.array(fc.record({ host: fc.nat(hosts.length - 1), power: fc.constantFrom<evc.PowerState>("on", "on", "suspended", "off"), perVm: fc.option(fc.constantFrom(...usable)) }), {
            maxLength: 8,
          }),
        )
        .map(([mode, vms]) => ({
          usable,
          cluster: {
            hosts,
            evcMode: mode?.id ?? null,
            vms: vms.map(({ host, power, perVm }, i): evc.Vm => {
              const vmEvc = perVm !== null && (mode === null || subset(perVm.features, mode.features)) ? perVm.id : null;
              const featureSet = power === "off" ? null : evc.featureSetAtPowerOn(hosts[host], { clusterEvc: mode?.id ?? null, vmEvc });
              return { id: `vm${i}`, name: `VM ${i}`, hostId: hosts[host].id, powerState: power, featureSet, vmEvc, hardwareVersion: 14 };
            }),
          },
        }));
    });

const activeIds = (c: evc.Cluster, pick: (vm: evc.Vm) => boolean) => c.vms.filter((vm) => vm.powerState !== "off" && pick(vm)).map((vm) => vm.id);

describe("which VMs block (§3, §8.11, §8.12)", () => {
  test.prop([clusterArb(true).chain((d) => fc.tuple(fc.constant(d), fc.constantFrom(...d.usable)))], { numRuns: 1000 })(
    "raising never blocks; lowering blocks exactly the running VMs whose set exceeds the target",
    ([{ cluster }, target]) => {
      const current = evc.getBaseline(cluster.evcMode!);
      const plan = evc.planEvcChange(cluster, target.id);
      if (subset(current.features, target.features)) {
        expect(plan.blockingVms).toEqual([]);
        expect(plan.canApply).toBe(true);
        expect(plan.kind).toBe(current === target ? "unchanged" : "raise");
      } else {
        expect(plan.blockingVms.map((b) => b.vmId)).toEqual(activeIds(cluster, (vm) => !subset(vm.featureSet!, target.features)));
        if (strictSubset(target.features, current.features)) {
          expect(plan.kind).toBe("lower");
          // In practice: every VM started under the higher mode without its own per-VM mode.
          for (const id of activeIds(cluster, (vm) => !vm.vmEvc)) expect(plan.blockingVms.map((b) => b.vmId)).toContain(id);
        } else expect(plan.kind).toBe("change");
      }
    },
  );

  test.prop([clusterArb(false).chain((d) => fc.tuple(fc.constant(d), fc.constantFrom(...d.usable)))], { numRuns: 1000 })(
    "enabling: a VM started without EVC blocks iff its host's features exceed the target; suspended counts, off never",
    ([{ cluster }, target]) => {
      const plan = evc.planEvcChange(cluster, target.id);
      expect(plan.kind).toBe("enable");
      const hostOf = (vm: evc.Vm) => cluster.hosts.find((h) => h.id === vm.hostId)!;
      const expected = activeIds(cluster, (vm) => (vm.vmEvc ? !subset(vm.featureSet!, target.features) : strictSubset(target.features, hostOf(vm).features)));
      expect(plan.blockingVms.map((b) => b.vmId)).toEqual(expected);
      expect(plan.hostsAboveTarget).toEqual(cluster.hosts.filter((h) => strictSubset(target.features, h.features)).map((h) => h.id));
      expect(plan.canApply).toBe(expected.length === 0);
      for (const b of plan.blockingVms) expect(b.extraFeatures.length).toBeGreaterThan(0);
    },
  );
});

describe("the source's cluster", () => {
  const { cluster } = evc.defaultScenario();

  test("enabling Merom is blocked by the X7460 host's three running VMs, vCenter among them", () => {
    const plan = evc.planEvcChange(cluster, "intel-merom");
    expect(plan.canApply).toBe(false);
    expect(plan.blockingVms).toHaveLength(3);
    expect(plan.blockingVms.every((vm) => vm.hostId === "esx02" && vm.extraFeatures.join() === "sse4_1")).toBe(true);
    expect(plan.vcenterBlocks).toBe(true);
    expect(plan.hostsAboveTarget).toEqual(["esx02"]);
    expect(plan.unsupportedHosts).toEqual([]);
    expect(plan.steps.join(" ")).toContain("KB 1013111");
  });

  test("Penryn is refused because the 7350 host lacks SSE4.1", () => {
    const plan = evc.planEvcChange(cluster, "intel-penryn");
    expect(plan.unsupportedHosts).toEqual([{ hostId: "esx01", missing: ["sse4_1"] }]);
    expect(plan.blockingVms).toEqual([]);
    expect(plan.canApply).toBe(false);
  });

  test("with the VMs powered off, enabling Merom is accepted", () => {
    const off = { ...cluster, vms: cluster.vms.map((vm) => ({ ...vm, powerState: "off" as const, featureSet: null })) };
    expect(evc.planEvcChange(off, "intel-merom").canApply).toBe(true);
  });
});

describe("other preconditions (§3)", () => {
  const base = (hosts: evc.Host[]): evc.Cluster => ({ hosts, evcMode: null, vms: [] });

  test("a host with NX switched off in the BIOS, a disconnected host and a mixed-vendor cluster each block", () => {
    const bios = evc.planEvcChange(base([evc.hostFromCpu("Intel Xeon X7350", { id: "a", disabledFeatures: ["nx"] })]), "intel-merom");
    expect(bios.unsupportedHosts).toEqual([{ hostId: "a", missing: ["nx"] }]);
    expect(bios.problems.join(" ")).toMatch(/BIOS/);
    const down = evc.planEvcChange(base([evc.hostFromCpu("Intel Xeon X7350", { id: "a", connected: false })]), "intel-merom");
    expect(down.canApply).toBe(false);
    expect(down.disconnectedHosts).toEqual(["a"]);
    const mixed = evc.planEvcChange(base([evc.hostFromCpu("Intel Xeon X7350", { id: "a" }), evc.hostFromCpu("AMD EPYC 7302", { id: "b" })]), "intel-merom");
    expect(mixed.mixedVendors).toBe(true);
    expect(mixed.canApply).toBe(false);
  });

  test("raising leaves running VMs on the old set until a full power cycle (vmx.reboot.powerCycle on 7.0+)", () => {
    const h = evc.hostFromCpu("Intel Xeon X7460", { id: "h" });
    const vm: evc.Vm = { id: "v", name: "v", hostId: "h", powerState: "on", featureSet: evc.featureSetAtPowerOn(h, { clusterEvc: "intel-merom" }) };
    const plan = evc.planEvcChange({ hosts: [h], evcMode: "intel-merom", vms: [vm] }, "intel-penryn");
    expect(plan.kind).toBe("raise");
    expect(plan.canApply).toBe(true);
    expect(plan.powerCycleAfter).toEqual(["v"]);
    expect(plan.steps.join(" ")).toContain("vmx.reboot.powerCycle");
  });

  test("the vCenter version must offer the mode (SOURCES.md: Skylake needs 6.7, Sapphire Rapids 8.0)", () => {
    expect(evc.modeAvailableIn("intel-skylake", "6.5").available).toBe(false);
    expect(evc.modeAvailableIn("intel-skylake", "6.7").available).toBe(true);
    expect(evc.modeAvailableIn("intel-sapphirerapids", "7.0 Update 3").available).toBe(false);
    expect(evc.modeAvailableIn("intel-sapphirerapids", "8.0U2").available).toBe(true);
    expect(evc.modeAvailableIn("intel-merom").available).toBeNull();
    const h = evc.hostFromCpu("Intel Xeon Gold 6430", { id: "spr" });
    const plan = evc.planEvcChange({ hosts: [h], evcMode: null, vms: [] }, "intel-sapphirerapids", { vcenterVersion: "7.0" });
    expect(plan.canApply).toBe(false);
    expect(plan.modeAvailability.confidence).toBe(evc.getBaseline("intel-sapphirerapids").confidence);
    expect(() => evc.modeAvailableIn("intel-merom", "latest")).toThrow(ModelInputError);
  });
});

describe("per-VM EVC (§5: vSphere 6.7+, hardware 14+, powered off, at or below the cluster mode)", () => {
  const h = evc.hostFromCpu("Intel Xeon E5-2680 v4", { id: "h" });
  const vm = (over: Partial<evc.Vm>): evc.Cluster => ({
    hosts: [h],
    evcMode: "intel-haswell",
    vms: [{ id: "v", name: "v", hostId: "h", powerState: "off", featureSet: null, hardwareVersion: 14, ...over }],
  });

  test("allowed when every condition holds", () => {
    expect(evc.canSetPerVmEvc(vm({}), "v", "intel-sandybridge", { vcenterVersion: "6.7" })).toEqual({ allowed: true, reasons: [] });
  });
  test("each condition on its own refuses", () => {
    const refused = (c: evc.Cluster, mode: string, version: string) => evc.canSetPerVmEvc(c, "v", mode, { vcenterVersion: version });
    expect(refused(vm({}), "intel-sandybridge", "6.5").reasons.join()).toMatch(/6\.7/);
    expect(refused(vm({ hardwareVersion: 13 }), "intel-sandybridge", "7.0").reasons.join()).toMatch(/hardware 14/);
    expect(refused(vm({ powerState: "on", featureSet: h.features }), "intel-sandybridge", "7.0").reasons.join()).toMatch(/powered off/);
    expect(refused(vm({}), "intel-broadwell", "7.0").reasons.join()).toMatch(/cluster/);
    expect(refused({ ...vm({}), evcMode: null }, "intel-skylake", "7.0").reasons.join()).toMatch(/cannot run/);
  });
  test("the source's VMs (hardware 7) cannot use per-VM EVC", () => {
    const { cluster } = evc.defaultScenario();
    const off = { ...cluster, vms: cluster.vms.map((v) => ({ ...v, powerState: "off" as const, featureSet: null })) };
    expect(evc.canSetPerVmEvc(off, "win2008r2-a", "intel-merom", { vcenterVersion: "6.7" }).allowed).toBe(false);
  });
});

describe("invalid input", () => {
  const h = evc.hostFromCpu("Intel Xeon X7350", { id: "h" });
  test("unknown target, VM on an unknown host, duplicate VM ids, running VM without a feature set", () => {
    expect(() => evc.planEvcChange({ hosts: [h], evcMode: null, vms: [] }, "intel-xeon")).toThrow(ModelInputError);
    const vm: evc.Vm = { id: "v", name: "v", hostId: "h", powerState: "on", featureSet: h.features };
    expect(() => evc.blockingVms({ hosts: [h], evcMode: null, vms: [{ ...vm, hostId: "nope" }] }, "intel-merom")).toThrow(/hostId/);
    expect(() => evc.blockingVms({ hosts: [h], evcMode: null, vms: [vm, vm] }, "intel-merom")).toThrow(/unique/);
    expect(() => evc.blockingVms({ hosts: [h], evcMode: null, vms: [{ ...vm, featureSet: null }] }, "intel-merom")).toThrow(/featureSet/);
    expect(() => evc.canSetPerVmEvc({ hosts: [h], evcMode: null, vms: [] }, "v", "intel-merom", { vcenterVersion: "6.7" })).toThrow(ModelInputError);
  });
});
