import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { evc } from "../../../src/index.ts";
import { ModelInputError } from "../../../src/shared/index.ts";

const dataDir = new URL("../../../src/evc/data/", import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(name, dataDir)), "utf8"));
const rawBaselines = read("baselines.json");
const rawCpus = read("cpus.json");
const baselineIndex = (id: string): number => rawBaselines.baselines.findIndex((b: { id: string }) => b.id === id);
const cpuIndex = (model: string): number => rawCpus.cpus.findIndex((c: { model: string }) => c.model === model);
const X7460 = cpuIndex("Intel Xeon X7460");

/** Runs the loader on copies of the shipped JSON after `mutate` changed one of them; returns the error. */
function loadError(mutate: (baselines: any, cpus: any) => void): ModelInputError {
  const b = structuredClone(rawBaselines);
  const c = structuredClone(rawCpus);
  mutate(b, c);
  try {
    evc.loadEvcData(b, c);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelInputError);
    return e as ModelInputError;
  }
  throw new Error("the loader accepted malformed data");
}

describe("shipped data", () => {
  /**
   * The shipped copies are the shared data plus the corrections of issue #16, and nothing else: every flag
   * that differs from shared/data/evc is listed here (and in src/evc/data/README.md) with its reason there.
   */
  const BASELINE_CHANGES: Record<string, { added: string[]; removed: string[] }> = {
    "intel-sandybridge": { added: ["rdtscp", "xsaveopt"], removed: [] },
    "intel-ivybridge": { added: ["rdtscp", "xsaveopt"], removed: [] },
    "intel-haswell": { added: ["pcid", "rdtscp", "xsaveopt"], removed: [] },
    "intel-broadwell": { added: ["pcid", "rdtscp", "xsaveopt"], removed: [] },
    "intel-skylake": { added: ["pcid", "rdtscp", "xsaveopt"], removed: [] },
    "intel-cascadelake": { added: ["pcid", "rdtscp", "xsaveopt"], removed: [] },
    "intel-icelake": { added: ["pcid", "rdtscp", "xsaveopt"], removed: [] },
    "intel-sapphirerapids": { added: ["pcid", "rdtscp", "xsaveopt"], removed: [] },
    "amd-zen3": { added: [], removed: ["ssbd"] },
    "amd-zen4": { added: ["erms"], removed: ["ssbd"] },
  };
  const HOST_CHANGES: Record<string, { added: string[]; removed: string[] }> = {
    "Skylake-SP": { added: ["xgetbv1"], removed: [] },
    "Zen (Naples)": { added: ["xgetbv1"], removed: [] },
    "Sapphire Rapids-SP": { added: ["fsrc", "fsrs", "fzrm"], removed: [] },
    "Zen 3 (Milan)": { added: ["erms", "fsrm"], removed: ["ssbd"] },
    "Zen 4 (Genoa)": { added: ["erms", "la57"], removed: ["ssbd"] },
  };
  const NEW_CPUS = ["Intel Xeon E5-2680", "Intel Xeon Gold 6230", "Intel Xeon Gold 6330"];
  const diff = (ours: string[], theirs: string[]) => ({
    added: ours.filter((f) => !theirs.includes(f)).sort(),
    removed: theirs.filter((f) => !ours.includes(f)).sort(),
  });

  test("the shipped copies differ from the project's shared data only by the documented corrections", () => {
    const shared = new URL("../../../../shared/data/evc/", import.meta.url);
    let original: { baselines: any; cpus: any };
    try {
      original = {
        baselines: JSON.parse(readFileSync(fileURLToPath(new URL("baselines.json", shared)), "utf8")),
        cpus: JSON.parse(readFileSync(fileURLToPath(new URL("cpus.json", shared)), "utf8")),
      };
    } catch {
      return; // a clone without shared/ beside it: nothing to compare against
    }
    expect(rawBaselines.baselines.map((b: any) => b.id)).toEqual(original.baselines.baselines.map((b: any) => b.id));
    for (const theirs of original.baselines.baselines) {
      const ours = rawBaselines.baselines[baselineIndex(theirs.id)];
      expect(diff(ours.features, theirs.features), theirs.id).toEqual(BASELINE_CHANGES[theirs.id] ?? { added: [], removed: [] });
    }
    const ourModels = rawCpus.cpus.map((c: any) => c.model);
    expect(ourModels.filter((m: string) => !original.cpus.cpus.some((c: any) => c.model === m))).toEqual(NEW_CPUS);
    for (const theirs of original.cpus.cpus) {
      const ours = rawCpus.cpus[cpuIndex(theirs.model)];
      expect(ours, theirs.model).toBeDefined();
      expect(ours.maxEvc, theirs.model).toBe(theirs.maxEvc);
      const base = original.baselines.baselines.find((b: any) => b.id === theirs.featuresRef.baseline);
      const hostOnly = (features: string[], b: any) => features.filter((f) => !b.features.includes(f));
      // What the host has beyond its own mode, before and after: the mode's own changes are checked above.
      const oursBase = rawBaselines.baselines[baselineIndex(ours.featuresRef.baseline)];
      const change = HOST_CHANGES[theirs.microarchitecture] ?? { added: [], removed: [] };
      const expected = [...new Set([...hostOnly(theirs.features, base), ...change.added])].filter((f) => !change.removed.includes(f) && !oursBase.features.includes(f)).sort();
      expect(hostOnly(ours.features, oursBase).sort(), theirs.model).toEqual(expected);
    }
  });

  test("loads every record of both files", () => {
    expect(evc.listBaselines()).toHaveLength(rawBaselines.baselines.length);
    expect(evc.listCpus()).toHaveLength(rawCpus.cpus.length);
    expect(evc.listBaselines("intel").map((b) => b.kbLevel)).toEqual(["L0", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "L10", "L11"]);
  });

  test("at least 60 real CPU models, each with family/model and launch year (issue 4)", () => {
    const cpus = evc.listCpus();
    expect(cpus.length).toBeGreaterThanOrEqual(60);
    for (const cpu of cpus) {
      expect(cpu.family).toBeGreaterThan(0);
      expect(cpu.launchYear).toBeGreaterThanOrEqual(2000);
    }
  });

  test("each baseline carries a confidence and its sources, for the page to show", () => {
    for (const b of evc.listBaselines()) {
      expect(["high", "medium", "low"]).toContain(b.confidence);
      expect(b.sources.length).toBeGreaterThan(0);
      expect(b.introducedIn).toMatch(/\d+\.\d+/);
    }
    // The reconstructed (low-confidence) modes carry their verification notes: no VMware source was seen (SOURCES.md).
    for (const b of evc.listBaselines().filter((x) => x.confidence === "low")) expect(b.verification?.vmwareSourceSeen, b.id).toBe(false);
  });

  test("features are stored once and without the ignored virtualization/platform flags", () => {
    for (const x of [...evc.listBaselines(), ...evc.listCpus()]) {
      expect(x.features.size).toBe(x.featureList.length);
      for (const f of evc.IGNORED_FLAGS) expect(x.features.has(f)).toBe(false);
    }
  });

  test("lookups by id and by exact model name; unknown ids are ModelInputErrors", () => {
    expect(evc.getCpu("Intel Xeon X7460").id).toBe("intel-xeon-x7460");
    expect(evc.getCpu("intel-xeon-x7460").model).toBe("Intel Xeon X7460");
    expect(evc.getCpu("Intel Xeon Platinum 8480+").id).toBe("intel-xeon-platinum-8480-plus");
    expect(() => evc.getCpu("Intel Xeon 9999")).toThrow(ModelInputError);
    expect(() => evc.getBaseline("intel-nehalem-ex")).toThrow(ModelInputError);
    expect(() => evc.getCpu(42 as unknown as string)).toThrow(ModelInputError);
  });
});

describe("searching CPUs", () => {
  test("by name, by CPUID family/model, by microarchitecture and by vendor", () => {
    expect(evc.searchCpus("X7460").map((c) => c.model)).toEqual(["Intel Xeon X7460"]);
    // Dunnington is family 6 model 29 (Linux CORE2_DUNNINGTON 0x1D, SOURCES.md).
    expect(evc.searchCpus("6/29").map((c) => c.model)).toEqual(expect.arrayContaining(["Intel Xeon X7460"]));
    expect(evc.searchCpus({ family: 6, modelNumber: 15 }).every((c) => c.maxEvc === "intel-merom")).toBe(true);
    const milan = evc.searchCpus("epyc milan");
    expect(milan.length).toBeGreaterThan(0);
    expect(milan.every((c) => c.vendor === "amd" && c.microarchitecture === "Zen 3 (Milan)")).toBe(true);
    expect(evc.searchCpus({ microarchitecture: "Zen 3 (Milan)" })).toEqual(milan);
    expect(evc.searchCpus({ vendor: "amd" }).length + evc.searchCpus({ vendor: "intel" }).length).toBe(evc.listCpus().length);
    expect(evc.searchCpus("no such cpu anywhere")).toEqual([]);
    expect(() => evc.searchCpus({ vendor: "via" as evc.Vendor })).toThrow(ModelInputError);
  });

  test("microarchitecture groups cover every CPU once", () => {
    const groups = evc.listMicroarchitectures();
    expect(groups.reduce((n, g) => n + g.cpus.length, 0)).toBe(evc.listCpus().length);
    for (const g of groups) for (const c of g.cpus) expect(c.microarchitecture).toBe(g.name);
  });

  test.prop([fc.constantFrom(...evc.listCpus())], { numRuns: 1000 })("every CPU is found by its own model name", (cpu) => {
    expect(evc.searchCpus(cpu.model)).toContain(cpu);
  });
});

describe("loader errors name the record and the field", () => {
  test("a baseline with a malformed flag", () => {
    const e = loadError((b) => (b.baselines[baselineIndex("intel-penryn")].features[3] = "SSE 4.1"));
    expect(e.field).toContain('"intel-penryn"');
    expect(e.field).toContain("features[3]");
    expect(e.message).toContain("intel-penryn");
  });
  test("a baseline whose parent is unknown", () => {
    const e = loadError((b) => (b.baselines[baselineIndex("intel-nehalem")].parent = "intel-pentium"));
    expect(e.field).toMatch(/"intel-nehalem".*\.parent/);
  });
  test("a parent cycle", () => {
    const e = loadError((b) => {
      const merom = b.baselines[baselineIndex("intel-merom")];
      merom.parent = "intel-penryn";
      merom.isSupersetOfParent = false;
    });
    expect(e.field).toMatch(/"intel-merom"\)\.parent$/);
    expect(e.allowed).toContain("cycles");
  });
  test("duplicate baseline ids", () => {
    const e = loadError((b) => (b.baselines[baselineIndex("intel-penryn")].id = "intel-merom"));
    expect(e.field).toContain('"intel-merom"');
  });
  test("a CPU whose maxEvc names the other vendor's baseline", () => {
    const e = loadError((_, c) => (c.cpus[X7460].maxEvc = "amd-zen"));
    expect(e.field).toContain('"Intel Xeon X7460"');
    expect(e.field).toContain("maxEvc");
  });
  test("a CPU whose feature list disagrees with featuresRef", () => {
    const e = loadError((_, c) => c.cpus[X7460].features.push("avx"));
    expect(e.field).toMatch(/"Intel Xeon X7460".*\.features$/);
    expect(e.value).toBe("avx");
  });
  test("a missing CPU list and a wrong schema version", () => {
    expect(loadError((_, c) => delete c.cpus).field).toBe("cpus.json.cpus");
    expect(loadError((b) => (b.schemaVersion = 2)).field).toBe("baselines.json.schemaVersion");
  });

  const baselineFields = ["id", "displayName", "vendor", "kbLevel", "introducedIn", "displayOrder", "confidence", "lineage", "features", "addedFeatures", "removedFeatures", "strictSubsetBaselines", "sources", "parent", "featureSource"];
  const cpuFields = ["model", "vendor", "family", "microarchitecture", "launchYear", "maxEvc", "supportedEvc", "features", "featuresRef", "confidence"];
  const junk = fc.constantFrom<unknown>({}, "", -1, [3], null, undefined);

  test.prop([fc.nat(rawBaselines.baselines.length - 1), fc.constantFrom(...baselineFields), junk], { numRuns: 1000 })(
    "junk in any required baseline field is refused, naming the record and the field",
    (i, field, value) => {
      // null is a legal parent (a root baseline), so it is not junk there.
      fc.pre(!(field === "parent" && (value === null || value === undefined)));
      const id = rawBaselines.baselines[i].id;
      const e = loadError((b) => (b.baselines[i][field] = value));
      expect(e.field).toContain(`baselines[${i}]`);
      if (field !== "id") expect(e.field).toContain(JSON.stringify(id));
      expect(e.field).toContain(`.${field}`);
    },
    30_000,
  );

  test.prop([fc.nat(rawCpus.cpus.length - 1), fc.constantFrom(...cpuFields), junk], { numRuns: 1000 })(
    "junk in any required CPU field is refused, naming the record and the field",
    (i, field, value) => {
      const model = rawCpus.cpus[i].model;
      const e = loadError((_, c) => (c.cpus[i][field] = value));
      expect(e.field).toContain(`cpus[${i}]`);
      if (field !== "model") expect(e.field).toContain(JSON.stringify(model));
      expect(e.field).toContain(`.${field}`);
    },
    30_000,
  );
});
