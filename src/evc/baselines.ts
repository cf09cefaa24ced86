/**
 * Which EVC baselines a set of hosts can use, and the highest one.
 * Source: KB 1003212 (levels; the two AMD sequences A0-A3 and B0 upwards), KB 1005764 (one vendor per
 * EVC cluster), models/evc.md §2. supports(h, b) := same vendor and b.features ⊆ h.features.
 * Simplifications: the order is computed from the flag lists, not from VMware's `parent` numbering. Intel's
 * modes form a chain, so the highest is unique. AMD's form a tree (3DNow! split, Zen dropping XOP/FMA4/TBM),
 * so "highest" is the set of maximal usable modes. If there are several, the largest displayOrder is picked and flagged.
 */
import { ModelInputError, checkOneOf } from "../shared/index.ts";
import { VENDORS, getBaseline, listBaselines, type Baseline, type Vendor } from "./data.ts";
import { difference, isSubset } from "./features.ts";
import { checkHost, checkHosts, type Host } from "./host.ts";

/** a ⊂ b, computed from the flags (same vendor only). */
function strictlyBelow(a: Baseline, b: Baseline): boolean {
  return a.vendor === b.vendor && a.features.size < b.features.size && isSubset(a.featureList, b.features);
}

const all = listBaselines();
const below = new Map(all.map((b) => [b.id, all.filter((a) => strictlyBelow(a, b))]));
const above = new Map(all.map((b) => [b.id, all.filter((c) => strictlyBelow(b, c))]));

/** IDs of the baselines whose features are a strict subset of this one's (the real partial order). */
export function baselinesBelow(baselineId: string): Baseline[] {
  return [...below.get(getBaseline(baselineId).id)!];
}

/** IDs of the baselines whose features strictly include this one's. */
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
  const edges: OrderEdge[] = [];
  for (const b of listBaselines(vendor)) {
    const lower = below.get(b.id)!;
    for (const a of lower) if (!lower.some((c) => strictlyBelow(a, c))) edges.push({ from: a.id, to: b.id });
  }
  return edges;
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
  return listBaselines(vendor).filter((b) => hosts.every((h) => h.vendor === vendor && isSubset(b.featureList, h.features)));
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
  const ids = baselines.map((b, i) => {
    if (typeof b !== "object" || b === null) throw new ModelInputError(`baselines[${i}]`, b, "a baseline");
    return getBaseline(b.id);
  });
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

function shortfall(hosts: readonly Host[], b: Baseline): BaselineShortfall {
  return {
    baselineId: b.id,
    hosts: hosts.map((h) => ({ hostId: h.id, missing: difference(b.featureList, h.features) })).filter((s) => s.missing.length > 0),
  };
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
  const maximal = maximalBaselines(usable);
  const baseline = maximal.reduce((best, b) => (b.displayOrder > best.displayOrder ? b : best));
  const limitedBy = hosts.length === 0 ? [] : above.get(baseline.id)!.filter((c) => !above.get(baseline.id)!.some((d) => strictlyBelow(d, c))).map((c) => shortfall(hosts, c));
  const ambiguous = maximal.length > 1;
  const why = limitedBy.length === 0 ? "It is the highest mode in the data." : `It goes no higher because ${limitedBy.map(describeShortfall).join("; and ")}.`;
  const flag = ambiguous
    ? ` Several modes are maximal (${maximal.map((b) => b.id).join(", ")}): none contains the others, so this picks the one VMware lists last. Check which one vCenter offers.`
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
