import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";
import { ModelInputError } from "../../../src/shared/index.ts";
import { hostsArb, vendorArb } from "./arbitraries.ts";

const subset = (a: Iterable<string>, b: ReadonlySet<string>) => [...a].every((f) => b.has(f));
const x7350 = evc.hostFromCpu("Intel Xeon X7350", { id: "esx01" });
const x7460 = evc.hostFromCpu("Intel Xeon X7460", { id: "esx02" });

describe("the source's vMotion failure (§6 example)", () => {
  test("without EVC: X7460 → 7350 fails on sse4_1; 7350 → X7460 works", () => {
    const down = evc.vmotionCompatible(x7460, x7350);
    expect(down.compatible).toBe(false);
    expect(down.missing).toEqual(["sse4_1"]);
    expect(evc.vmotionCompatible(x7350, x7460).compatible).toBe(true);
  });
  test("with EVC at Merom both directions work", () => {
    expect(evc.vmotionCompatible(x7460, x7350, "intel-merom").compatible).toBe(true);
    expect(evc.vmotionCompatible(x7350, x7460, "intel-merom").compatible).toBe(true);
    const m = evc.vmotionMatrix([x7350, x7460], "intel-merom");
    expect(m.compatiblePairs).toBe(2);
    expect(evc.vmotionMatrix([x7350, x7460], null).compatiblePairs).toBe(1);
  });
  test("Penryn EVC does not help: the 7350 cannot run it", () => {
    const r = evc.vmotionCompatible(x7460, x7350, "intel-penryn");
    expect(r.compatible).toBe(false);
    expect(r.reason).toContain("sse4_1");
  });
});

describe("properties (§8.13)", () => {
  const triple = vendorArb.chain((v) => hostsArb(v, { minLength: 3, maxLength: 3 }));

  test.prop([triple], { numRuns: 1000 })("without EVC: compatible iff A ⊆ B; reflexive and transitive", ([a, b, c]) => {
    expect(evc.vmotionCompatible(a, b).compatible).toBe(subset(a.features, b.features));
    expect(evc.vmotionCompatible(a, a).compatible).toBe(true);
    if (evc.vmotionCompatible(a, b).compatible && evc.vmotionCompatible(b, c).compatible) expect(evc.vmotionCompatible(a, c).compatible).toBe(true);
  });

  test.prop([vendorArb.chain((v) => hostsArb(v, { minLength: 2, maxLength: 5 }))], { numRuns: 1000 })(
    "under any baseline every host supports, all pairs are compatible, hence reflexive and transitive",
    (hosts) => {
      const usable = evc.usableBaselines(hosts);
      fc.pre(usable.length > 0);
      for (const b of usable) {
        const m = evc.vmotionMatrix(hosts, b.id);
        expect(m.cells.flat().every((c) => c.compatible)).toBe(true);
        expect(m.compatiblePairs).toBe(hosts.length * (hosts.length - 1));
      }
    },
  );

  test("not symmetric without EVC", () => {
    expect(evc.vmotionCompatible(x7350, x7460).compatible).not.toBe(evc.vmotionCompatible(x7460, x7350).compatible);
  });

  test.prop([fc.constantFrom(...evc.listCpus().filter((c) => c.vendor === "intel")), fc.constantFrom(...evc.listCpus().filter((c) => c.vendor === "amd"))], {
    numRuns: 1000,
  })("never across vendors, whatever the flags", (i, a) => {
    const intel = evc.hostFromCpu(i.id);
    const amd = evc.hostFromCpu(a.id);
    expect(evc.vmotionCompatible(intel, amd).compatible).toBe(false);
    expect(evc.vmotionCompatible(amd, intel).compatible).toBe(false);
  });
});

describe("feature set at power-on and per-VM EVC (§5, §6, §7)", () => {
  test("effective mode: per-VM wins, either alone applies, neither means the host's flags", () => {
    expect(evc.effectiveEvcMode("intel-penryn", "intel-merom")).toBe("intel-merom");
    expect(evc.effectiveEvcMode("intel-penryn", null)).toBe("intel-penryn");
    expect(evc.effectiveEvcMode(null, "intel-merom")).toBe("intel-merom");
    expect(evc.effectiveEvcMode(null, null)).toBeNull();
    expect(() => evc.effectiveEvcMode("intel-merom", "intel-penryn")).toThrow(ModelInputError);
    expect(() => evc.effectiveEvcMode("intel-merom", "amd-rev-e")).toThrow(ModelInputError);
  });

  test("a VM captures the host's flags, or the effective mode's", () => {
    expect(evc.featureSetAtPowerOn(x7460)).toBe(x7460.features);
    expect(evc.featureSetAtPowerOn(x7460, { clusterEvc: "intel-merom" })).toBe(evc.getBaseline("intel-merom").features);
    expect(() => evc.featureSetAtPowerOn(x7350, { clusterEvc: "intel-penryn" })).toThrow(ModelInputError);
  });

  test("a VM started outside EVC on the X7460 cannot vMotion into a Merom cluster, even onto an X7460 host", () => {
    const vmFlags = evc.featureSetAtPowerOn(x7460);
    const other = evc.hostFromCpu("Intel Xeon X7460", { id: "esx03" });
    expect(evc.canMigrateVm(vmFlags, "intel", other, null).compatible).toBe(true);
    const intoEvc = evc.canMigrateVm(vmFlags, "intel", other, "intel-merom");
    expect(intoEvc.compatible).toBe(false);
    expect(intoEvc.missing).toEqual(["sse4_1"]);
    expect(evc.canMigrateVm(evc.featureSetAtPowerOn(x7460, { clusterEvc: "intel-merom" }), "intel", x7350, "intel-merom").compatible).toBe(true);
  });

  test("bad input is a ModelInputError", () => {
    expect(() => evc.vmotionCompatible(x7350, x7460, "merom")).toThrow(ModelInputError);
    expect(() => evc.canMigrateVm(["sse"] as unknown as evc.FeatureSet, "intel", x7350)).toThrow(ModelInputError);
    expect(() => evc.canMigrateVm(new Set(["sse"]), "cyrix" as evc.Vendor, x7350)).toThrow(ModelInputError);
    expect(() => evc.vmotionMatrix([x7350, x7350])).toThrow(ModelInputError);
  });
});
