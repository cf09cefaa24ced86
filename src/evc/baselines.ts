/**
 * Which EVC baselines a set of hosts can use, and the highest one.
 * Source: KB 1003212 (levels; the two AMD sequences A0-A3 and B0 upwards), KB 1005764 (one vendor per
 * EVC cluster), models/evc.md §2. supports(h, b) := same vendor and b.features ⊆ h.features.
 * Simplifications: the order is computed from the flag lists, not from VMware's `parent` numbering. Intel's
 * modes form a chain, so the highest is unique. AMD's form a tree (3DNow! split, Zen dropping XOP/FMA4/TBM),
 * so "highest" is the set of maximal usable modes. If there are several, the largest displayOrder is picked and flagged.
 */
import { ModelInputError, checkArray, checkOneOf, checkRecord } from "../shared/index.ts";
import { VENDORS, getBaseline, listBaselines, type Baseline, type Vendor } from "./data.ts";
import { difference, isSubset } from "./features.ts";
import { checkHost, checkHosts, type Host } from "./host.ts";

const all = listBaselines();

/** belowIds.get(b) = ids of the baselines whose flags are a strict subset of b's (same vendor), computed once. */
const belowIds = new Map(
  all.map((b) => [b.id, new Set(all.filter((a) => a.vendor === b.vendor && a.features.size < b.features.size && isSubset(a.featureList, b.features)).map((a) => a.id))]),
);

/** a ⊂ b by the flags. */
function strictlyBelow(a: Baseline, b: Baseline): boolean {
  return belowIds.get(b.id)!.has(a.id);
}

const below = new Map(all.map((b) => [b.id, all.filter((a) => strictlyBelow(a, b))]));
const above = new Map(all.map((b) => [b.id, all.filter((c) => strictlyBelow(b, c))]));
/** The baselines directly below b (its lower covers in the Hasse diagram). */
const covers = new Map(all.map((b) => [b.id, below.get(b.id)!.filter((a) => !below.get(b.id)!.some((c) => strictlyBelow(a, c)))]));
/** The flags b has beyond all of its lower covers: b ⊆ h iff every cover ⊆ h and delta ⊆ h. */
const delta = new Map(all.map((b) => [b.id, b.featureList.filter((f) => !covers.get(b.id)!.some((c) => c.features.has(f)))]));
/** Each vendor's baselines with every baseline after all of its subsets. */
const bottomUp = new Map(VENDORS.map((v) => [v, [...listBaselines(v)].sort((a, b) => a.features.size - b.features.size)]));
const byVendor = new Map(VENDORS.map((v) => [v, listBaselines(v)]));
/** The baselines directly above b, each with the flags it adds over b. */
const upper = new Map(all.map((b) => [b.id, above.get(b.id)!.filter((c) => covers.get(c.id)!.includes(b)).map((c) => ({ baseline: c, gain: c.featureList.filter((f) => !b.features.has(f)) }))]));

/** Per feature set (and vendor): the supported ids and the set's size then; hosts recur in every pair of a matrix. */
const supportedCache = new WeakMap<object, { vendor: Vendor; size: number; ids: Set<string> }>();

/** Ids of the baselines one host supports, checking only each baseline's new flags (used for clusters). */
function supportedIds(host: Host): Set<string> {
  const cached = supportedCache.get(host.features);
  if (cached && cached.vendor === host.vendor && cached.size === host.features.size) return cached.ids;
  const ok = new Set<string>();
  for (const b of bottomUp.get(host.vendor)!) {
    if (covers.get(b.id)!.every((c) => ok.has(c.id)) && isSubset(delta.get(b.id)!, host.features)) ok.add(b.id);
  }
  supportedCache.set(host.features, { vendor: host.vendor, size: host.features.size, ids: ok });
  return ok;
}

/** The baselines whose features are a strict subset of this one's (the real partial order). */
export function baselinesBelow(baselineId: string): Baseline[] {
  return [...below.get(getBaseline(baselineId).id)!];
}

/** The baselines whose features strictly include this one's. */
export function baselinesAbove(baselineId: string): Baseline[] {
  return [...above.get(getBaseline(baselineId).id)!];
}

/** Is `a`'s feature set a subset of (or equal to) `b`'s? */
export function isBaselineAtOrBelow(aId: string, bId: string): boolean {
  const a = getBaseline(aId);
  const b = getBaseline(bId);
  return a === b || strictlyBelow(a, b);
}

export interface OrderEdge {
  /** The lower baseline. */
  from: string;
  /** The baseline directly above it: no baseline lies strictly between the two. */
  to: string;
}

/** The Hasse diagram of feature-set inclusion: the edges a notebook draws as the baseline tree. */
export function baselineOrder(vendor: Vendor): OrderEdge[] {
  checkOneOf("vendor", vendor, VENDORS);
  return listBaselines(vendor).flatMap((b) => covers.get(b.id)!.map((a) => ({ from: a.id, to: b.id })));
}

/** supports(host, b): the host is from b's vendor and has every flag b exposes. */
export function supports(host: Host, baselineId: string): boolean {
  checkHost("host", host);
  const b = getBaseline(baselineId);
  return host.vendor === b.vendor && isSubset(b.featureList, host.features);
}

/** The flags of baseline b that the host lacks (all of them when the vendor differs). */
export function missingFeatures(host: Host, baselineId: string): string[] {
  checkHost("host", host);
  const b = getBaseline(baselineId);
  return host.vendor === b.vendor ? difference(b.featureList, host.features) : [...b.featureList];
}

function vendorOf(hosts: readonly Host[], vendor: Vendor | undefined): { vendors: Vendor[]; vendor: Vendor } {
  if (vendor !== undefined) checkOneOf("vendor", vendor, VENDORS);
  const vendors = VENDORS.filter((v) => hosts.some((h) => h.vendor === v));
  if (hosts.length === 0 && vendor === undefined) throw new ModelInputError("vendor", vendor, '"intel" or "amd" when the cluster has no hosts');
  if (vendor !== undefined && vendors.length === 1 && vendors[0] !== vendor) {
    throw new ModelInputError("vendor", vendor, `the hosts' vendor (${JSON.stringify(vendors[0])}), or leave it out`);
  }
  return { vendors, vendor: vendor ?? vendors[0] };
}

function usableFor(hosts: readonly Host[], vendor: Vendor): Baseline[] {
  if (hosts.some((h) => h.vendor !== vendor)) return [];
  const perHost = hosts.map(supportedIds);
  return byVendor.get(vendor)!.filter((b) => perHost.every((ids) => ids.has(b.id)));
}

/**
 * usable(C) = { b | every host supports b }, in VMware's display order. A cluster that mixes vendors
 * has none. An empty cluster can use every baseline of `vendor` (which it must then name).
 */
export function usableBaselines(hosts: readonly Host[], vendor?: Vendor): Baseline[] {
  checkHosts("hosts", hosts);
  const v = vendorOf(hosts, vendor);
  return v.vendors.length > 1 ? [] : usableFor(hosts, v.vendor);
}

/** The maximal elements of a set of same-vendor baselines under feature inclusion. */
export function maximalBaselines(baselines: readonly Baseline[]): Baseline[] {
  const ids = checkArray("baselines", baselines, (b, field) => getBaseline(checkRecord(field, b).id as string));
  return ids.filter((b) => !ids.some((c) => strictlyBelow(b, c)));
}

export interface HostShortfall {
  hostId: string;
  /** The baseline's flags this host lacks. */
  missing: string[];
}

export interface BaselineShortfall {
  baselineId: string;
  hosts: HostShortfall[];
}

export interface BaselineFound {
  found: true;
  vendor: Vendor;
  /** The baseline to use: the only maximal one, or (flagged by `ambiguous`) the one with the largest displayOrder. */
  baseline: Baseline;
  /** Every maximal usable baseline; one element for any real set of same-vendor hosts. */
  maximal: Baseline[];
  ambiguous: boolean;
  usable: Baseline[];
  /** For each baseline directly above the chosen one: the hosts that keep the cluster from using it, and why. */
  limitedBy: BaselineShortfall[];
  explanation: string;
}

export interface NoBaseline {
  found: false;
  reason: "mixed-vendors" | "no-common-baseline";
  vendors: Vendor[];
  usable: [];
  /** For "no-common-baseline": each lowest baseline of the vendor and the hosts that lack its flags. */
  blockedBy: BaselineShortfall[];
  explanation: string;
}

export type HighestBaselineAnswer = BaselineFound | NoBaseline;

/** The hosts that lack some of `flags` (a baseline's flags, or just those it adds over one every host supports). */
function shortfall(hosts: readonly Host[], b: Baseline, flags: readonly string[] = b.featureList): BaselineShortfall {
  const short: HostShortfall[] = [];
  for (const h of hosts) {
    const missing = difference(flags, h.features);
    if (missing.length > 0) short.push({ hostId: h.id, missing });
  }
  return { baselineId: b.id, hosts: short };
}

function describeShortfall(s: BaselineShortfall): string {
  return `${getBaseline(s.baselineId).displayName} needs ${s.hosts.map((h) => `${h.missing.join(", ")} (missing on ${h.hostId})`).join("; ")}`;
}

/**
 * The highest EVC baseline the hosts can share, with the full usable list; or a "no baseline" answer that
 * says why (mixed vendors, or same-vendor hosts with no common mode such as an AMD 3DNow! CPU with a Bulldozer).
 */
export function highestCommonBaseline(hosts: readonly Host[], vendor?: Vendor): HighestBaselineAnswer {
  checkHosts("hosts", hosts);
  const v = vendorOf(hosts, vendor);
  if (v.vendors.length > 1) {
    const list = (x: Vendor) =>
      hosts
        .filter((h) => h.vendor === x)
        .map((h) => h.id)
        .join(", ");
    return {
      found: false,
      reason: "mixed-vendors",
      vendors: v.vendors,
      usable: [],
      blockedBy: [],
      explanation:
        `No EVC baseline: the hosts mix Intel (${list("intel")}) and AMD (${list("amd")}) CPUs. ` +
        "EVC only hides features within one vendor's CPU line, so vCenter refuses EVC on such a cluster (KB 1005764), " +
        "and VMs cannot vMotion between Intel and AMD hosts.",
    };
  }
  const usable = usableFor(hosts, v.vendor);
  if (usable.length === 0) {
    const roots = listBaselines(v.vendor).filter((b) => below.get(b.id)!.length === 0);
    const blockedBy = roots.map((b) => shortfall(hosts, b));
    return {
      found: false,
      reason: "no-common-baseline",
      vendors: v.vendors,
      usable: [],
      blockedBy,
      explanation: `No EVC baseline: no ${v.vendor === "intel" ? "Intel" : "AMD"} mode is supported by every host. ${blockedBy.map(describeShortfall).join(". ")}.`,
    };
  }
  // usable is closed downwards, so b is maximal iff none of the baselines directly above it is usable.
  const maximal = usable.filter((b) => !upper.get(b.id)!.some((u) => usable.includes(u.baseline)));
  const baseline = maximal.reduce((best, b) => (b.displayOrder > best.displayOrder ? b : best));
  const limitedBy = hosts.length === 0 ? [] : upper.get(baseline.id)!.map((u) => shortfall(hosts, u.baseline, u.gain));
  const ambiguous = maximal.length > 1;
  const why = limitedBy.length === 0 ? "It is the highest mode in the data." : `It goes no higher because ${limitedBy.map(describeShortfall).join("; and ")}.`;
  const flag = ambiguous
    ? ` Several modes are maximal (${maximal.map((b) => b.displayName).join(", ")}): none contains the others, so this picks the one VMware lists last. Check which one vCenter offers.`
    : "";
  return {
    found: true,
    vendor: v.vendor,
    baseline,
    maximal,
    ambiguous,
    usable,
    limitedBy,
    explanation: `${hosts.length === 0 ? "An empty cluster can use any mode" : "Highest common EVC baseline"}: ${baseline.displayName} (${baseline.kbLevel}). ${why}${flag}`,
  };
}
