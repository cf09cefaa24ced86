/**
 * What EVC hides: under baseline b, VMs on host h see h.features ∩ b.features (= b.features whenever h
 * supports b), and lose masked(h, b) = h.features \ b.features.
 * Source: KB 1005764 (EVC masks CPUID feature bits down to the baseline), models/evc.md §2 "Masking".
 * Simplifications: masking is all-or-nothing per flag; a host that lacks some of b's flags cannot join
 * a cluster at b, and its missing flags are reported rather than "masked".
 */
import { IGNORED_FLAGS, getBaseline, listBaselines, type Baseline, type Vendor } from "./data.ts";
import { difference, intersection } from "./features.ts";
import { checkHost, checkHosts, type Host } from "./host.ts";

export interface HostMask {
  hostId: string;
  baselineId: string;
  /** True when the host is from the baseline's vendor and has every flag of the baseline. */
  supported: boolean;
  /** The host is from the other vendor: it can never join a cluster at this baseline. */
  vendorMismatch: boolean;
  /** Flags of the host that the baseline also exposes: what VMs on this host can see. */
  guestVisible: string[];
  /** Flags the host has but EVC hides from its VMs. */
  masked: string[];
  /** Flags the baseline exposes that this host lacks (empty when supported). */
  missing: string[];
}

export function maskHost(host: Host, baselineId: string): HostMask {
  checkHost("host", host);
  const b = getBaseline(baselineId);
  const missing = difference(b.featureList, host.features);
  const vendorMismatch = host.vendor !== b.vendor;
  return {
    hostId: host.id,
    baselineId: b.id,
    supported: !vendorMismatch && missing.length === 0,
    vendorMismatch,
    guestVisible: intersection(host.features, b.features),
    masked: difference(host.features, b.features),
    missing,
  };
}

/** masked(h, b) = h.features \ b.features. */
export function maskedFeatures(host: Host, baselineId: string): string[] {
  return maskHost(host, baselineId).masked;
}

/** guestVisible(h, b) = h.features ∩ b.features. */
export function guestVisibleFeatures(host: Host, baselineId: string): string[] {
  return maskHost(host, baselineId).guestVisible;
}

/** visible: the VM sees it; masked: the host has it, EVC hides it; absent: neither; missing: the baseline needs it, the host lacks it. */
export type FeatureCell = "visible" | "masked" | "absent" | "missing";

export interface FeatureColumn {
  flag: string;
  /** The lowest baseline of the column vendor that exposes the flag, or null when no baseline does. */
  introducedBy: string | null;
}

export interface FeatureMatrix {
  baselineId: string | null;
  columns: FeatureColumn[];
  /** One row per host, cells in column order; `supported` is false for a host that cannot join at the baseline. */
  rows: { hostId: string; supported: boolean; cells: FeatureCell[]; maskedCount: number }[];
}

function firstBaseline(vendor: Vendor): Map<string, Baseline> {
  const first = new Map<string, Baseline>();
  for (const b of listBaselines(vendor)) for (const f of b.featureList) if (!first.has(f)) first.set(f, b);
  return first;
}

/**
 * Hosts × flags, each cell marked visible / masked / absent / missing under the baseline (or with EVC off
 * when baselineId is null). Columns: the union of the hosts' and the baseline's flags, ordered by the
 * baseline that introduced them, then by name; flags no baseline exposes come last.
 */
export function featureMatrix(hosts: readonly Host[], baselineId: string | null = null): FeatureMatrix {
  checkHosts("hosts", hosts);
  const b = baselineId === null ? null : getBaseline(baselineId);
  const vendor: Vendor = b?.vendor ?? hosts[0]?.vendor ?? "intel";
  const first = firstBaseline(vendor);
  const flags = new Set<string>(b?.featureList ?? []);
  for (const h of hosts) for (const f of h.features) flags.add(f);
  const rank = (f: string) => first.get(f)?.displayOrder ?? Number.MAX_SAFE_INTEGER;
  const columns = [...flags]
    .filter((f) => !IGNORED_FLAGS.has(f))
    .sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0))
    .map((flag) => ({ flag, introducedBy: first.get(flag)?.id ?? null }));
  const rows = hosts.map((h) => {
    const cells = columns.map(({ flag }): FeatureCell => {
      const has = h.features.has(flag);
      if (b === null) return has ? "visible" : "absent";
      if (b.features.has(flag)) return has ? "visible" : "missing";
      return has ? "masked" : "absent";
    });
    const supported = b === null || (h.vendor === b.vendor && !cells.includes("missing"));
    return { hostId: h.id, supported, cells, maskedCount: cells.filter((c) => c === "masked").length };
  });
  return { baselineId: b?.id ?? null, columns, rows };
}
