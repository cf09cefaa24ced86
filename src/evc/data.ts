/**
 * EVC data: the VMware EVC baselines (cluster CPU modes) and real server CPU models, validated at load.
 * Source: ./data/SOURCES.md (KB 1003212 levels L0-L11, A0-A3, B0-B7; libvirt cpu_map feature lists).
 * Simplifications: feature sets are per microarchitecture, not per SKU; flags use Linux /proc/cpuinfo
 * names, and the virtualization/platform flags named in baselines.json `flagNaming` are dropped
 * (IGNORED_FLAGS), so every comparison in this folder is over guest-visible flags only.
 * The JSON's expected answers (`maxEvc`, `supportedEvc`) are loaded as data, never trusted as results.
 */
import baselinesJson from "./data/baselines.json" with { type: "json" };
import cpusJson from "./data/cpus.json" with { type: "json" };
import { ModelInputError, checkArray, checkInteger, checkOneOf, checkRecord, checkString } from "../shared/index.ts";

export type Vendor = "intel" | "amd";
export type Confidence = "high" | "medium" | "low";
export type FeatureSet = ReadonlySet<string>;

export const VENDORS: readonly Vendor[] = ["intel", "amd"];
export const CONFIDENCES: readonly Confidence[] = ["high", "medium", "low"];

/** Virtualization-only and platform flags that baselines.json `flagNaming` leaves out of every comparison. */
export const IGNORED_FLAGS: FeatureSet = new Set(["vmx", "svm", "x2apic", "tsc_deadline_timer", "arat", "monitor", "pdpe1gb", "vme", "mpx"]);

/**
 * Speculation-control flags, left out of every mode and every host (baselines.json `flagNaming`): they follow
 * microcode, BIOS and hypervisor patches on the same CPU, so they say nothing about its generation.
 */
export const SPECULATION_FLAGS: FeatureSet = new Set([
  "spec_ctrl", "intel_stibp", "ssbd", "amd_ssbd", "virt_ssbd", "ibrs", "ibpb", "stibp", "amd_stibp", "ibrs_enhanced",
  "md_clear", "flush_l1d", "arch_capabilities", "spec_ctrl_ssbd", "amd_ibpb", "amd_ibrs", "psfd", "v_spec_ctrl",
]);

export interface LibvirtComparison {
  /** The libvirt CPU model compared with, or null when libvirt has none for this generation. */
  model: string | null;
  onlyInEvcBaseline: readonly string[];
  onlyInLibvirtModel: readonly string[];
  note: string;
}

export interface Baseline {
  id: string;
  displayName: string;
  vendor: Vendor;
  /** VMware's level name: L0..L11 (Intel), A0..A3 and B0..B7 (AMD). */
  kbLevel: string;
  /** The vCenter release that introduced the mode (KB 1003212 Table 2, partly recalled: see confidence). */
  introducedIn: string;
  /** Next-lower mode in VMware's published sequence; not always a feature subset (see isSupersetOfParent). */
  parent: string | null;
  displayOrder: number;
  confidence: Confidence;
  lineage: string;
  features: FeatureSet;
  /** Where the feature list comes from (an independent CPU model list) and how it differs from it, for readers. */
  featureSource: string;
  /** The same flags as `features`, sorted, for display and fast iteration. */
  featureList: readonly string[];
  addedFeatures: readonly string[];
  removedFeatures: readonly string[];
  /** As the data states it; null for a mode without parent. Tests check it against the features. */
  isSupersetOfParent: boolean | null;
  /** As the data states it (the real partial order); tests check it against the features. */
  strictSubsetBaselines: readonly string[];
  libvirtModel: string | null;
  libvirtComparison: LibvirtComparison | null;
  notes: string;
  sources: readonly string[];
  /** Flags VMware's mode lists that this data leaves out on purpose (TSX). */
  excludedFlags: readonly string[];
  /** What was checked against which source (only for the reconstructed modes), for the page to show. */
  verification: Verification | null;
}

/** Per-field notes on how a value was checked, e.g. { vmwareSourceSeen: false, introducedIn: "not verified" }. */
export type Verification = Readonly<Record<string, string | boolean>>;

export interface Cpu {
  /** Slug of the model name, e.g. "intel-xeon-x7460"; stable, used in URLs. */
  id: string;
  model: string;
  vendor: Vendor;
  /** Decimal CPUID family / model / stepping; model and stepping are null where the data has none. */
  family: number;
  modelNumber: number | null;
  stepping: number | null;
  microarchitecture: string;
  launchYear: number;
  /** Expected answer from the data: the highest baseline this CPU runs (KB 1003212 by generation). */
  maxEvc: string;
  /** Expected answer from the data: every baseline this CPU runs. */
  supportedEvc: readonly string[];
  /** Flags added on top of the reference baseline (`featuresRef`). */
  featuresBaseline: string;
  extraFlags: readonly string[];
  features: FeatureSet;
  featureList: readonly string[];
  confidence: Confidence;
  sources: Readonly<Record<string, string>>;
  notes: string | null;
  verification: Verification | null;
}

export interface EvcData {
  baselines: readonly Baseline[];
  cpus: readonly Cpu[];
  /** The shared `flagNaming` text, shown next to feature tables. */
  flagNaming: string;
  confidenceLegend: { baselines: Readonly<Record<string, string>>; cpus: Readonly<Record<string, string>> };
  caveats: readonly string[];
}

const FLAG = /^[a-z0-9_]{1,40}$/;
const BASELINE_ID = /^(intel|amd)-[a-z0-9-]{1,40}$/;

/** "Intel Xeon Platinum 8480+" -> "intel-xeon-platinum-8480-plus". */
export function cpuIdFromModel(model: string): string {
  checkString("model", model, { maxLength: 200 });
  return model
    .toLowerCase()
    .replace(/\+/g, " plus")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function checkFlag(field: string, value: unknown): string {
  if (typeof value !== "string" || !FLAG.test(value)) {
    throw new ModelInputError(field, value, "a CPU flag name in /proc/cpuinfo spelling (lower case letters, digits, _)");
  }
  return value;
}

function checkFlagList(field: string, value: unknown): string[] {
  const flags = checkArray(field, value, (v, f) => checkFlag(f, v), { maxLength: 1000 });
  const seen = new Set<string>();
  flags.forEach((flag, i) => {
    if (seen.has(flag)) throw new ModelInputError(`${field}[${i}]`, flag, "each flag listed once");
    seen.add(flag);
  });
  return flags;
}

function checkText(field: string, value: unknown): string {
  const text = checkString(field, value, { maxLength: 5000 });
  if (text.trim() === "") throw new ModelInputError(field, value, "a non-empty string");
  return text;
}

function optional<T>(value: unknown, check: (v: unknown) => T): T | null {
  return value === undefined || value === null ? null : check(value);
}

function stringRecord(field: string, value: unknown): Record<string, string> {
  const record = checkRecord(field, value);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(record)) out[key] = checkString(`${field}.${key}`, v, { maxLength: 5000 });
  return out;
}

function verification(field: string, value: unknown): Verification | null {
  if (value === undefined || value === null) return null;
  const record = checkRecord(field, value);
  const out: Record<string, string | boolean> = {};
  for (const [key, v] of Object.entries(record)) {
    out[key] = typeof v === "boolean" ? v : checkString(`${field}.${key}`, v, { maxLength: 5000 });
  }
  return out;
}

function guestVisible(flags: readonly string[]): string[] {
  return flags.filter((f) => !IGNORED_FLAGS.has(f) && !SPECULATION_FLAGS.has(f)).sort();
}

function sameFlags(a: readonly string[], b: ReadonlySet<string>): boolean {
  return a.length === b.size && a.every((f) => b.has(f));
}

function loadBaseline(value: unknown, where: string): Baseline {
  const r = checkRecord(where, value);
  const id = checkString(`${where}.id`, r.id, { maxLength: 60 });
  if (!BASELINE_ID.test(id)) throw new ModelInputError(`${where}.id`, id, 'an id like "intel-merom" or "amd-zen2"');
  const at = `${where} (id ${JSON.stringify(id)})`;
  const vendor = checkOneOf(`${at}.vendor`, r.vendor, VENDORS);
  if (!id.startsWith(`${vendor}-`)) throw new ModelInputError(`${at}.vendor`, vendor, `the vendor the id starts with ("${id.split("-")[0]}")`);
  const features = guestVisible(checkFlagList(`${at}.features`, r.features));
  if (features.length === 0) throw new ModelInputError(`${at}.features`, r.features, "at least one guest-visible flag");
  const comparison = optional(r.libvirtComparison, (v) => {
    const c = checkRecord(`${at}.libvirtComparison`, v);
    return {
      // model and both lists are null where libvirt has no model for the generation (Steamroller).
      model: optional(c.model, (m) => checkText(`${at}.libvirtComparison.model`, m)),
      onlyInEvcBaseline: optional(c.onlyInEvcBaseline, (l) => checkFlagList(`${at}.libvirtComparison.onlyInEvcBaseline`, l)) ?? [],
      onlyInLibvirtModel: optional(c.onlyInLibvirtModel, (l) => checkFlagList(`${at}.libvirtComparison.onlyInLibvirtModel`, l)) ?? [],
      note: checkString(`${at}.libvirtComparison.note`, c.note, { maxLength: 5000 }),
    };
  });
  const superset = r.isSupersetOfParent;
  if (superset !== null && typeof superset !== "boolean") {
    throw new ModelInputError(`${at}.isSupersetOfParent`, superset, "true, false or null");
  }
  return {
    id,
    displayName: checkText(`${at}.displayName`, r.displayName),
    vendor,
    kbLevel: checkText(`${at}.kbLevel`, r.kbLevel),
    introducedIn: checkText(`${at}.introducedIn`, r.introducedIn),
    parent: optional(r.parent, (v) => checkString(`${at}.parent`, v, { maxLength: 60 })),
    displayOrder: checkInteger(`${at}.displayOrder`, r.displayOrder, { min: 1, max: 1000 }),
    confidence: checkOneOf(`${at}.confidence`, r.confidence, CONFIDENCES),
    lineage: checkText(`${at}.lineage`, r.lineage),
    features: new Set(features),
    featureSource: checkText(`${at}.featureSource`, r.featureSource),
    featureList: features,
    addedFeatures: checkFlagList(`${at}.addedFeatures`, r.addedFeatures),
    removedFeatures: checkFlagList(`${at}.removedFeatures`, r.removedFeatures),
    isSupersetOfParent: superset,
    strictSubsetBaselines: checkArray(`${at}.strictSubsetBaselines`, r.strictSubsetBaselines, (v, f) => checkString(f, v, { maxLength: 60 })),
    libvirtModel: optional(r.libvirtModel, (v) => checkText(`${at}.libvirtModel`, v)),
    libvirtComparison: comparison,
    notes: checkString(`${at}.notes`, r.notes, { maxLength: 5000 }),
    sources: checkArray(`${at}.sources`, r.sources, (v, f) => checkText(f, v), { minLength: 1 }),
    excludedFlags: r.vmwareListsButExcludedHere === undefined ? [] : checkFlagList(`${at}.vmwareListsButExcludedHere`, r.vmwareListsButExcludedHere),
    verification: verification(`${at}.verification`, r.verification),
  };
}

function loadCpu(value: unknown, where: string, baselineById: ReadonlyMap<string, Baseline>): Cpu {
  const r = checkRecord(where, value);
  const model = checkText(`${where}.model`, r.model);
  const at = `${where} (model ${JSON.stringify(model)})`;
  const vendor = checkOneOf(`${at}.vendor`, r.vendor, VENDORS);
  const baselineOf = (field: string, v: unknown): string => {
    const allowed = [...baselineById.values()].filter((b) => b.vendor === vendor).map((b) => b.id);
    return checkOneOf(field, v, allowed);
  };
  const ref = checkRecord(`${at}.featuresRef`, r.featuresRef);
  const featuresBaseline = baselineOf(`${at}.featuresRef.baseline`, ref.baseline);
  const extraFlags = checkFlagList(`${at}.featuresRef.extraFlags`, ref.extraFlags);
  const featureList = guestVisible(checkFlagList(`${at}.features`, r.features));
  // The data states features twice (as a list and as baseline + extras); they must agree.
  const expected = new Set(guestVisible([...baselineById.get(featuresBaseline)!.featureList, ...extraFlags]));
  if (!sameFlags(featureList, expected)) {
    const differ = [...new Set([...featureList, ...expected])].filter((f) => featureList.includes(f) !== expected.has(f));
    throw new ModelInputError(`${at}.features`, differ.join(" "), `the flags of featuresRef (${featuresBaseline} + extraFlags)`);
  }
  const nullableInt = (field: string, v: unknown, max: number) => (v === null ? null : checkInteger(field, v, { min: 0, max }));
  return {
    id: cpuIdFromModel(model),
    model,
    vendor,
    family: checkInteger(`${at}.family`, r.family, { min: 1, max: 255 }),
    modelNumber: nullableInt(`${at}.modelNumber`, r.modelNumber, 255),
    stepping: nullableInt(`${at}.stepping`, r.stepping, 15),
    microarchitecture: checkText(`${at}.microarchitecture`, r.microarchitecture),
    launchYear: checkInteger(`${at}.launchYear`, r.launchYear, { min: 1990, max: 2100 }),
    maxEvc: baselineOf(`${at}.maxEvc`, r.maxEvc),
    supportedEvc: checkArray(`${at}.supportedEvc`, r.supportedEvc, (v, f) => baselineOf(f, v), { minLength: 1 }),
    featuresBaseline,
    extraFlags,
    features: new Set(featureList),
    featureList,
    confidence: checkOneOf(`${at}.confidence`, r.confidence, CONFIDENCES),
    sources: stringRecord(`${at}.sources`, r.sources),
    notes: optional(r.notes, (v) => checkText(`${at}.notes`, v)),
    verification: verification(`${at}.verification`, r.verification),
  };
}

function deepFreeze(value: object): void {
  for (const v of Object.values(value)) if (typeof v === "object" && v !== null && !(v instanceof Set)) deepFreeze(v);
  Object.freeze(value);
}

/**
 * Validates and types the two JSON documents. Any malformed record throws a ModelInputError whose
 * field names the file, the record (index and id or model) and the offending field.
 */
export function loadEvcData(baselinesDoc: unknown, cpusDoc: unknown): EvcData {
  const b = checkRecord("baselines.json", baselinesDoc);
  checkOneOf("baselines.json.schemaVersion", b.schemaVersion, [1]);
  const baselines = checkArray("baselines.json.baselines", b.baselines, (v, f) => loadBaseline(v, `baselines.json ${f.slice("baselines.json.".length)}`), {
    minLength: 1,
    maxLength: 200,
  });
  const byId = new Map<string, Baseline>();
  const where = (i: number) => `baselines.json baselines[${i}] (id ${JSON.stringify(baselines[i].id)})`;
  baselines.forEach((baseline, i) => {
    if (byId.has(baseline.id)) throw new ModelInputError(`${where(i)}.id`, baseline.id, "a unique id");
    byId.set(baseline.id, baseline);
  });
  for (const [i, baseline] of baselines.entries()) {
    const at = where(i);
    const sameVendor = baselines.filter((x) => x.vendor === baseline.vendor);
    if (baseline.parent !== null) checkOneOf(`${at}.parent`, baseline.parent, sameVendor.filter((x) => x.id !== baseline.id).map((x) => x.id));
    if ((baseline.parent === null) !== (baseline.isSupersetOfParent === null)) {
      throw new ModelInputError(`${at}.isSupersetOfParent`, baseline.isSupersetOfParent, "null exactly when parent is null");
    }
    if (sameVendor.some((x) => x !== baseline && x.displayOrder === baseline.displayOrder)) {
      throw new ModelInputError(`${at}.displayOrder`, baseline.displayOrder, `a displayOrder unique among ${baseline.vendor} baselines`);
    }
    baseline.strictSubsetBaselines.forEach((id, i) => checkOneOf(`${at}.strictSubsetBaselines[${i}]`, id, sameVendor.map((x) => x.id)));
    // Walking parents must end: a cycle would make the published sequence meaningless.
    const seen = new Set<string>([baseline.id]);
    for (let p = baseline.parent; p !== null; p = byId.get(p)!.parent) {
      if (seen.has(p)) throw new ModelInputError(`${at}.parent`, baseline.parent, "a parent chain without cycles");
      seen.add(p);
    }
  }

  const c = checkRecord("cpus.json", cpusDoc);
  checkOneOf("cpus.json.schemaVersion", c.schemaVersion, [1]);
  const cpus = checkArray("cpus.json.cpus", c.cpus, (v, f) => loadCpu(v, `cpus.json ${f.slice("cpus.json.".length)}`, byId), {
    minLength: 1,
    maxLength: 10_000,
  });
  const cpuIds = new Set<string>();
  for (const [i, cpu] of cpus.entries()) {
    if (cpuIds.has(cpu.id)) throw new ModelInputError(`cpus.json cpus[${i}] (model ${JSON.stringify(cpu.model)}).model`, cpu.model, "a model name unique after slugging");
    cpuIds.add(cpu.id);
  }
  // Records are shared by every caller, so they are frozen (their Sets are typed ReadonlySet instead).
  for (const record of [...baselines, ...cpus]) deepFreeze(record);
  const legend = (field: string, v: unknown) => (v === undefined ? {} : stringRecord(field, v));
  return {
    baselines: Object.freeze([...baselines].sort((x, y) => (x.vendor === y.vendor ? x.displayOrder - y.displayOrder : x.vendor === "intel" ? -1 : 1))),
    cpus: Object.freeze(cpus),
    flagNaming: checkText("baselines.json.flagNaming", b.flagNaming),
    confidenceLegend: { baselines: legend("baselines.json.confidenceLegend", b.confidenceLegend), cpus: legend("cpus.json.confidenceLegend", c.confidenceLegend) },
    caveats: c.caveats === undefined ? [] : checkArray("cpus.json.caveats", c.caveats, (v, f) => checkText(f, v)),
  };
}

/** The shipped data, validated once when this module loads. */
export const evcData: EvcData = loadEvcData(baselinesJson, cpusJson);

const baselineIndex = new Map(evcData.baselines.map((b) => [b.id, b]));
const cpuIndex = new Map(evcData.cpus.map((c) => [c.id, c]));
const cpuByModel = new Map(evcData.cpus.map((c) => [c.model.toLowerCase(), c]));

/** Every shipped baseline, Intel first, each vendor in VMware's display order; or one vendor's. */
export function listBaselines(vendor?: Vendor): readonly Baseline[] {
  if (vendor === undefined) return evcData.baselines;
  checkOneOf("vendor", vendor, VENDORS);
  return evcData.baselines.filter((b) => b.vendor === vendor);
}

export function getBaseline(id: string): Baseline {
  const baseline = typeof id === "string" ? baselineIndex.get(id) : undefined;
  if (!baseline) throw new ModelInputError("baselineId", id, `a known EVC baseline id (${[...baselineIndex.keys()].join(", ")})`);
  return baseline;
}

export function listCpus(): readonly Cpu[] {
  return evcData.cpus;
}

/** A shipped CPU by id ("intel-xeon-x7460") or by its exact model name ("Intel Xeon X7460", any case). */
export function getCpu(idOrModel: string): Cpu {
  const cpu = typeof idOrModel === "string" ? (cpuIndex.get(idOrModel) ?? cpuByModel.get(idOrModel.toLowerCase())) : undefined;
  if (!cpu) throw new ModelInputError("cpuId", idOrModel, `the id or model name of a shipped CPU, e.g. ${JSON.stringify(evcData.cpus[0].id)}`);
  return cpu;
}

export interface CpuQuery {
  /** Words matched (all of them, any case) against model, microarchitecture, max baseline and year. "6/29" matches family/model. */
  text?: string;
  vendor?: Vendor;
  microarchitecture?: string;
  family?: number;
  modelNumber?: number;
}

function searchText(cpu: Cpu): string {
  const max = baselineIndex.get(cpu.maxEvc)!;
  return [cpu.id, cpu.model, cpu.microarchitecture, cpu.vendor, String(cpu.launchYear), max.id, max.displayName, max.kbLevel, `${cpu.family}/${cpu.modelNumber ?? "?"}`]
    .join(" ")
    .toLowerCase();
}

const searchIndex = new Map(evcData.cpus.map((c) => [c, searchText(c)]));

/** Shipped CPUs matching every given criterion, in data order (oldest Intel first, then AMD). */
export function searchCpus(query: string | CpuQuery = {}): Cpu[] {
  const q: CpuQuery = typeof query === "string" ? { text: query } : checkRecord("query", query);
  const text = q.text === undefined ? "" : checkString("query.text", q.text, { maxLength: 200 }).toLowerCase();
  if (q.vendor !== undefined) checkOneOf("query.vendor", q.vendor, VENDORS);
  if (q.microarchitecture !== undefined) checkString("query.microarchitecture", q.microarchitecture, { maxLength: 200 });
  if (q.family !== undefined) checkInteger("query.family", q.family, { min: 0, max: 255 });
  if (q.modelNumber !== undefined) checkInteger("query.modelNumber", q.modelNumber, { min: 0, max: 255 });
  const words = text.split(/\s+/).filter(Boolean);
  return evcData.cpus.filter(
    (cpu) =>
      (q.vendor === undefined || cpu.vendor === q.vendor) &&
      (q.microarchitecture === undefined || cpu.microarchitecture === q.microarchitecture) &&
      (q.family === undefined || cpu.family === q.family) &&
      (q.modelNumber === undefined || cpu.modelNumber === q.modelNumber) &&
      words.every((w) => searchIndex.get(cpu)!.includes(w)),
  );
}

export interface Microarchitecture {
  name: string;
  vendor: Vendor;
  launchYear: number;
  cpus: readonly Cpu[];
}

/** The shipped CPUs grouped by microarchitecture, in data order; for picking hosts by generation. */
export function listMicroarchitectures(): Microarchitecture[] {
  const groups = new Map<string, Cpu[]>();
  for (const cpu of evcData.cpus) {
    const list = groups.get(cpu.microarchitecture) ?? [];
    list.push(cpu);
    groups.set(cpu.microarchitecture, list);
  }
  return [...groups].map(([name, cpus]) => ({ name, vendor: cpus[0].vendor, launchYear: Math.min(...cpus.map((c) => c.launchYear)), cpus }));
}
