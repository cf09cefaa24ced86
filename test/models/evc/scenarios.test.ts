import { describe, expect } from "vitest";
import { test } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";
import { ModelInputError } from "../../../src/shared/index.ts";

/**
 * The source's own example (issue 4): a Xeon 7350 host and a Xeon X7460 host; vMotion fails on SSE4.1;
 * KB 1003212 says both run the Merom baseline, which masks SSE4.1; enabling it is blocked by the X7460
 * host's three powered-on Windows 2008 R2 VMs, one of them vCenter (KB 1013111).
 */
describe("the default scenario reproduces the source's example", () => {
  const scenario = evc.defaultScenario();
  const { cluster } = scenario;
  const analysis = evc.analyzeCluster(cluster);
  const hostWith = (model: string) => cluster.hosts.find((h) => h.cpuId === evc.getCpu(model).id)!;

  test("two hosts: a Xeon 7350 (Tigerton) and a Xeon X7460 (Dunnington)", () => {
    expect(cluster.hosts.map((h) => evc.getCpu(h.cpuId!).model).sort()).toEqual(["Intel Xeon X7350", "Intel Xeon X7460"]);
    expect(cluster.evcMode).toBeNull();
  });

  test("the cluster's highest baseline is Merom", () => {
    expect(analysis.highest.found && analysis.highest.baseline.id).toBe("intel-merom");
  });

  test("Merom masks SSE4.1 on the X7460 host and nothing on the 7350 host", () => {
    const masked = Object.fromEntries(analysis.masks.map((m) => [m.hostId, m.masked]));
    expect(masked[hostWith("Intel Xeon X7460").id]).toEqual(["sse4_1"]);
    expect(masked[hostWith("Intel Xeon X7350").id]).toEqual([]);
  });

  test("vMotion from the X7460 host to the 7350 host fails without EVC and works with Merom", () => {
    const from = analysis.vmotionWithoutEvc.hostIds.indexOf(hostWith("Intel Xeon X7460").id);
    const to = analysis.vmotionWithoutEvc.hostIds.indexOf(hostWith("Intel Xeon X7350").id);
    expect(analysis.vmotionWithoutEvc.cells[from][to]).toMatchObject({ compatible: false, missing: ["sse4_1"] });
    expect(analysis.vmotionWithEvc!.cells[from][to].compatible).toBe(true);
  });

  test("the X7460 host's three powered-on Windows 2008 R2 VMs block enabling, one of them vCenter", () => {
    const x7460 = hostWith("Intel Xeon X7460").id;
    const blocking = analysis.plan!.blockingVms;
    expect(blocking).toHaveLength(3);
    for (const b of blocking) {
      const vm = cluster.vms.find((v) => v.id === b.vmId)!;
      expect(vm.hostId).toBe(x7460);
      expect(vm.powerState).toBe("on");
      expect(vm.guestOs).toBe("Windows Server 2008 R2");
    }
    expect(blocking.filter((b) => b.isVcenter)).toHaveLength(1);
    expect(analysis.canEnableInPlace).toBe(false);
    expect(scenario.targetId).toBe("intel-merom");
  });

  test("the documented procedure gets EVC enabled at Merom", () => {
    const { status, stuck } = evc.runDocumentedProcedure(evc.startCatch22(cluster, "intel-merom"));
    expect(stuck).toBeNull();
    expect(status.evcEnabled && status.vcenterAtTarget).toBe(true);
  });

  test("each call builds a fresh scenario", () => {
    expect(evc.defaultScenario()).not.toBe(scenario);
    expect(evc.defaultScenario().cluster.hosts[0]).not.toBe(cluster.hosts[0]);
  });
});

describe("the other scenarios", () => {
  test("AMD 3DNow! split: K10 + Bulldozer share only Gen 3 without 3DNow! (B0)", () => {
    const s = evc.getScenario("amd-3dnow-split");
    const a = evc.analyzeCluster(s.cluster);
    expect(a.highest.found && a.highest.baseline.id).toBe("amd-greyhound-no3dnow");
    expect(s.targetId).toBe("amd-greyhound-no3dnow");
  });
  test("mixed vendors: no baseline, no vMotion either way, no plan", () => {
    const a = evc.analyzeCluster(evc.getScenario("mixed-vendors").cluster);
    expect(a.highest).toMatchObject({ found: false, reason: "mixed-vendors" });
    expect(a.vmotionWithoutEvc.compatiblePairs).toBe(0);
    expect(a.vmotionWithEvc).toBeNull();
    expect(a.plan).toBeNull();
  });
  test("scenario ids are listed and checked", () => {
    expect(evc.listScenarios().map((s) => s.id)).toEqual([...evc.SCENARIO_IDS]);
    expect(evc.listScenarios()[0].id).toBe(evc.defaultScenario().id);
    expect(() => evc.getScenario("nope")).toThrow(ModelInputError);
    expect(() => evc.analyzeCluster({ hosts: [], evcMode: null, vms: [] })).toThrow(/vendor/);
    expect(evc.analyzeCluster({ hosts: [], evcMode: null, vms: [] }, "amd").highest.found).toBe(true);
  });
});
