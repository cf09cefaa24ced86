import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";
import { ModelInputError } from "../../../src/shared/index.ts";
import { amdCpus, anyHostsArb, cpus, hostsArb, ids, intelCpus, realHostsArb, vendorArb } from "./arbitraries.ts";

const subset = (a: Iterable<string>, b: ReadonlySet<string>) => [...a].every((f) => b.has(f));
const host = (model: string, id = model) => evc.hostFromCpu(model, { id });

/**
 * The baseline order as models/evc.md §2 states it (the edges of its diagram, lower → higher), written out
 * here from the spec text, not from the code: Intel one chain; AMD rev-e < rev-f < greyhound, no3dnow <
 * greyhound, no3dnow < bulldozer < piledriver < steamroller, no3dnow < zen < zen2 < zen3 < zen4.
 */
const INTEL_CHAIN = ["merom", "penryn", "nehalem", "westmere", "sandybridge", "ivybridge", "haswell", "broadwell", "skylake", "cascadelake", "icelake", "sapphirerapids"].map((n) => `intel-${n}`);
const SPEC_EDGES: Record<evc.Vendor, [string, string][]> = {
  intel: INTEL_CHAIN.slice(1).map((to, i) => [INTEL_CHAIN[i], to]),
  amd: [
    ["amd-rev-e", "amd-rev-f"],
    ["amd-rev-f", "amd-greyhound"],
    ["amd-greyhound-no3dnow", "amd-greyhound"],
    ["amd-greyhound-no3dnow", "amd-bulldozer"],
    ["amd-bulldozer", "amd-piledriver"],
    ["amd-piledriver", "amd-steamroller"],
    ["amd-greyhound-no3dnow", "amd-zen"],
    ["amd-zen", "amd-zen2"],
    ["amd-zen2", "amd-zen3"],
    ["amd-zen3", "amd-zen4"],
  ],
};

/** Ancestors of a baseline in the spec's diagram (transitive closure of SPEC_EDGES). */
function specAncestors(id: string, vendor: evc.Vendor): Set<string> {
  const out = new Set<string>();
  const walk = (x: string) => {
    for (const [from, to] of SPEC_EDGES[vendor]) if (to === x && !out.has(from)) (out.add(from), walk(from));
  };
  walk(id);
  return out;
}

describe("every shipped CPU gets the data's expected answers (§8.9)", () => {
  test.each(cpus.map((c) => [c.model, c] as const))("%s", (_, cpu) => {
    const answer = evc.highestCommonBaseline([evc.hostFromCpu(cpu.id)]);
    expect(answer.found).toBe(true);
    if (!answer.found) return;
    expect(answer.baseline.id).toBe(cpu.maxEvc);
    expect(answer.ambiguous).toBe(false);
    expect(ids(answer.usable)).toEqual([...cpu.supportedEvc].sort());
  });
});

describe("the baseline order", () => {
  test("Intel: a single chain; parent is a strict subset and displayOrder agrees with inclusion (§8.5)", () => {
    const intel = evc.listBaselines("intel");
    expect(intel.map((b) => b.id)).toEqual(INTEL_CHAIN);
    for (const a of intel) {
      for (const b of intel) {
        expect(subset(a.features, b.features) || subset(b.features, a.features)).toBe(true);
        if (a.displayOrder < b.displayOrder) expect(subset(a.features, b.features) && a.features.size < b.features.size).toBe(true);
      }
      if (a.parent) {
        const p = evc.getBaseline(a.parent);
        expect(subset(p.features, a.features) && p.features.size < a.features.size).toBe(true);
      }
    }
  });

  test("the computed Hasse diagram is the spec's diagram, for both vendors (§8.5, §8.6)", () => {
    for (const vendor of ["intel", "amd"] as const) {
      const key = (e: { from: string; to: string } | [string, string]) => (Array.isArray(e) ? `${e[0]}<${e[1]}` : `${e.from}<${e.to}`);
      expect(evc.baselineOrder(vendor).map(key).sort()).toEqual(SPEC_EDGES[vendor].map(key).sort());
    }
  });

  test("AMD: no3dnow is below every AMD baseline except rev-e and rev-f; rev-f and no3dnow are incomparable (§2, §8.6)", () => {
    const no3dnow = evc.getBaseline("amd-greyhound-no3dnow");
    for (const b of evc.listBaselines("amd")) {
      const expected = !["amd-rev-e", "amd-rev-f"].includes(b.id);
      expect(subset(no3dnow.features, b.features), b.id).toBe(expected);
    }
    const revF = evc.getBaseline("amd-rev-f");
    expect(revF.features.has("3dnow") && !no3dnow.features.has("3dnow")).toBe(true);
    expect(["sse4a", "popcnt", "abm"].every((f) => no3dnow.features.has(f) && !revF.features.has(f))).toBe(true);
    // Zen dropped XOP, FMA4 and TBM, so it is not above Steamroller even though VMware numbers it next.
    const zen = evc.getBaseline("amd-zen");
    expect(zen.parent).toBe("amd-steamroller");
    expect(evc.isBaselineAtOrBelow("amd-steamroller", "amd-zen")).toBe(false);
    expect(["xop", "fma4", "tbm"].every((f) => evc.getBaseline("amd-steamroller").features.has(f) && !zen.features.has(f))).toBe(true);
  });

  test("isSupersetOfParent and strictSubsetBaselines in the data agree with the flags (§8.6)", () => {
    for (const b of evc.listBaselines()) {
      if (b.parent === null) expect(b.isSupersetOfParent).toBeNull();
      else {
        const p = evc.getBaseline(b.parent);
        expect(b.isSupersetOfParent, b.id).toBe(subset(p.features, b.features) && p.features.size < b.features.size);
      }
      expect(ids(evc.baselinesBelow(b.id)), b.id).toEqual([...b.strictSubsetBaselines].sort());
    }
  });

  test.prop([vendorArb.chain((v) => fc.tuple(fc.constantFrom(...evc.listBaselines(v)), fc.constantFrom(...evc.listBaselines(v))))], { numRuns: 1000 })(
    "each baseline's features include those of every ancestor in the spec's line (Intel) or tree (AMD)",
    ([a, b]) => {
      if (specAncestors(b.id, b.vendor).has(a.id)) expect(subset(a.features, b.features)).toBe(true);
      // And the converse: inclusion between two baselines happens only along the spec's diagram.
      if (a !== b && subset(a.features, b.features)) expect(specAncestors(b.id, b.vendor).has(a.id)).toBe(true);
    },
  );
});

describe("usable and highest baselines: invariants of §8", () => {
  test.prop([anyHostsArb], { numRuns: 1000 })("subset soundness and downward closure (§8.1, §8.4)", (hosts) => {
    const usable = evc.usableBaselines(hosts);
    for (const b of usable) for (const h of hosts) expect(subset(b.features, h.features)).toBe(true);
    for (const b of usable) for (const a of evc.listBaselines(b.vendor)) if (subset(a.features, b.features)) expect(usable).toContain(a);
    // And nothing usable is left out.
    for (const b of evc.listBaselines(hosts[0].vendor)) if (hosts.every((h) => subset(b.features, h.features))) expect(usable).toContain(b);
  });

  test.prop([vendorArb.chain((v) => fc.tuple(hostsArb(v), hostsArb(v, { maxLength: 1 })))], { numRuns: 1000 })(
    "adding a host never raises the cluster baseline (§8.2, §8.3)",
    ([hosts, [extra]]) => {
      const before = evc.highestCommonBaseline(hosts);
      const after = evc.highestCommonBaseline([...hosts, { ...extra, id: "added" }]);
      const usableBefore = ids(before.usable);
      expect(ids(after.usable).every((id) => usableBefore.includes(id))).toBe(true);
      if (after.found) {
        expect(before.found).toBe(true);
        if (!before.found) return;
        // Every new maximal baseline sits at or below some old maximal one.
        for (const b of after.maximal) expect(before.maximal.some((a) => subset(b.features, a.features))).toBe(true);
        if (after.vendor === "intel") expect(after.baseline.displayOrder).toBeLessThanOrEqual(before.baseline.displayOrder);
      }
    },
  );

  test.prop([vendorArb.chain((v) => realHostsArb(v, { maxLength: 8 }))], { numRuns: 1000 })(
    "clusters of real CPUs have at most one maximal baseline; Intel's highest is the usable one with the largest displayOrder (§2)",
    (hosts) => {
      const answer = evc.highestCommonBaseline(hosts);
      if (!answer.found) return;
      expect(answer.maximal).toHaveLength(1);
      expect(answer.ambiguous).toBe(false);
      if (answer.vendor === "intel") expect(answer.baseline.displayOrder).toBe(Math.max(...answer.usable.map((b) => b.displayOrder)));
    },
  );

  test.prop([anyHostsArb.chain((hosts) => fc.tuple(fc.constant(hosts), fc.shuffledSubarray(hosts, { minLength: hosts.length })))], { numRuns: 1000 })(
    "usable depends only on the set of distinct hosts, not their order or repeats (§8.10)",
    ([hosts, shuffled]) => {
      const doubled = [...shuffled, ...hosts.map((h) => ({ ...h, id: `${h.id}-copy` }))];
      expect(ids(evc.usableBaselines(doubled))).toEqual(ids(evc.usableBaselines(hosts)));
    },
  );

  test.prop([fc.constantFrom(...intelCpus), fc.constantFrom(...amdCpus), fc.array(fc.constantFrom(...cpus), { maxLength: 4 })], { numRuns: 1000 })(
    "mixed vendors: no usable baseline and a clear no-baseline answer (§8.8)",
    (i, a, more) => {
      const hosts = [i, a, ...more].map((c, n) => evc.hostFromCpu(c.id, { id: `h${n}` }));
      expect(evc.usableBaselines(hosts)).toEqual([]);
      const answer = evc.highestCommonBaseline(hosts);
      expect(answer.found).toBe(false);
      if (answer.found) return;
      expect(answer.reason).toBe("mixed-vendors");
      expect(answer.vendors).toEqual(["intel", "amd"]);
      expect(answer.explanation).toMatch(/Intel.*AMD/);
    },
  );
});

describe("examples from the sources", () => {
  test("Xeon 7350 + Xeon X7460 → Merom, held back by SSE4.1 on the 7350 (KB 1003212, the source's cluster)", () => {
    const answer = evc.highestCommonBaseline([host("Intel Xeon X7350", "esx01"), host("Intel Xeon X7460", "esx02")]);
    expect(answer.found && answer.baseline.id).toBe("intel-merom");
    if (!answer.found) return;
    expect(answer.limitedBy).toEqual([{ baselineId: "intel-penryn", hosts: [{ hostId: "esx01", missing: ["sse4_1"] }] }]);
    expect(answer.explanation).toContain("sse4_1");
  });

  test("a Bulldozer host supports B0 (no3dnow) but not A0, A1 or A3 (KB 1003212 via §2)", () => {
    const bulldozer = host("AMD Opteron 6276");
    for (const id of ["amd-rev-e", "amd-rev-f", "amd-greyhound"]) expect(evc.supports(bulldozer, id)).toBe(false);
    expect(evc.supports(bulldozer, "amd-greyhound-no3dnow")).toBe(true);
    const k10 = host("AMD Opteron 2384");
    const answer = evc.highestCommonBaseline([k10, bulldozer]);
    expect(answer.found && answer.baseline.id).toBe("amd-greyhound-no3dnow");
  });

  test("same vendor, no common mode: a K8 rev F host and a Bulldozer host (3DNow! against SSE4a/POPCNT/ABM)", () => {
    const answer = evc.highestCommonBaseline([host("AMD Opteron 2218", "revf"), host("AMD Opteron 6276", "bd")]);
    expect(answer.found).toBe(false);
    if (answer.found) return;
    expect(answer.reason).toBe("no-common-baseline");
    const byBaseline = Object.fromEntries(answer.blockedBy.map((b) => [b.baselineId, b.hosts]));
    expect(Object.keys(byBaseline).sort()).toEqual(["amd-greyhound-no3dnow", "amd-rev-e"]);
    expect(byBaseline["amd-rev-e"]).toEqual([{ hostId: "bd", missing: ["3dnow", "3dnowext"] }]);
    expect(byBaseline["amd-greyhound-no3dnow"][0].hostId).toBe("revf");
    expect(byBaseline["amd-greyhound-no3dnow"][0].missing).toEqual(expect.arrayContaining(["sse4a", "popcnt", "abm"]));
    expect(answer.explanation).toContain("3dnow");
  });

  test("a host whose BIOS hides NX supports no Intel baseline (§3)", () => {
    const answer = evc.highestCommonBaseline([evc.hostFromCpu("Intel Xeon E5-2680 v4", { id: "bios", disabledFeatures: ["nx"] })]);
    expect(answer.found).toBe(false);
    if (!answer.found) expect(answer.blockedBy).toEqual([{ baselineId: "intel-merom", hosts: [{ hostId: "bios", missing: ["nx"] }] }]);
  });

  test("several maximal AMD baselines: the largest displayOrder is picked and flagged (§2)", () => {
    // Not a real CPU: Steamroller's flags plus Zen's, which no shipped CPU has.
    const features = new Set([...evc.getBaseline("amd-steamroller").featureList, ...evc.getBaseline("amd-zen").featureList]);
    const answer = evc.highestCommonBaseline([evc.makeHost({ id: "chimera", vendor: "amd", features })]);
    expect(answer.found).toBe(true);
    if (!answer.found) return;
    expect(ids(answer.maximal)).toEqual(["amd-steamroller", "amd-zen"]);
    expect(answer.ambiguous).toBe(true);
    expect(answer.baseline.id).toBe(evc.getBaseline("amd-zen").displayOrder > evc.getBaseline("amd-steamroller").displayOrder ? "amd-zen" : "amd-steamroller");
    expect(answer.explanation).toMatch(/maximal/);
  });

  test("an empty cluster can use every baseline of the chosen vendor (§2)", () => {
    expect(ids(evc.usableBaselines([], "amd"))).toEqual(ids(evc.listBaselines("amd")));
    expect(evc.highestCommonBaseline([], "intel")).toMatchObject({ found: true, baseline: { id: "intel-sapphirerapids" } });
  });
});

describe("invalid input", () => {
  test("unknown CPU, unknown baseline, empty cluster without a vendor, non-hosts, duplicate ids", () => {
    expect(() => evc.hostFromCpu("Intel Xeon E9-9999")).toThrow(ModelInputError);
    expect(() => evc.supports(host("Intel Xeon X7460"), "intel-pentium4")).toThrow(ModelInputError);
    expect(() => evc.usableBaselines([])).toThrow(/vendor/);
    expect(() => evc.highestCommonBaseline([{ id: "x" } as unknown as evc.Host])).toThrow(ModelInputError);
    expect(() => evc.highestCommonBaseline("esx01" as unknown as evc.Host[])).toThrow(ModelInputError);
    const h = host("Intel Xeon X7460", "same");
    expect(() => evc.highestCommonBaseline([h, h])).toThrow(/unique/);
    expect(() => evc.highestCommonBaseline([h], "amd")).toThrow(ModelInputError);
    expect(() => evc.hostFromCpu("Intel Xeon X7460", { disabledFeatures: ["avx"] })).toThrow(ModelInputError);
    expect(() => evc.makeHost({ id: "x", vendor: "intel", features: ["SSE4.1"] })).toThrow(ModelInputError);
  });

  test.prop([fc.string({ maxLength: 30 })], { numRuns: 1000 })("any string that is not a shipped CPU is a ModelInputError naming cpuId", (name) => {
    const known = evc.listCpus().some((c) => c.id === name || c.model.toLowerCase() === name.toLowerCase());
    fc.pre(!known);
    try {
      evc.hostFromCpu(name);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelInputError);
      expect((e as ModelInputError).field).toBe("cpuId");
    }
  });
});
