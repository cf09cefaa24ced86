/**
 * vMotion CPU compatibility, with and without EVC: a VM keeps the feature set it captured at power-on,
 * and may move to a host only if that set is a subset of what the destination offers.
 * Source: vSphere "CPU compatibility and EVC" docs, KB 1005764, models/evc.md §5 (effective mode with
 * per-VM EVC), §6 (host-to-host rule) and §7 (moving a running VM into an EVC cluster).
 * Simplifications: every guest-visible flag counts (vCenter is more lenient about kernel-only flags such
 * as NX/XD); Intel <-> AMD vMotion is always refused; no other vMotion checks (network, storage) are modelled.
 */
import { ModelInputError, checkOneOf, checkRecord } from "../shared/index.ts";
import { VENDORS, getBaseline, type FeatureSet, type Vendor } from "./data.ts";
import { difference, isSubset } from "./features.ts";
import { checkHost, checkHosts, type Host } from "./host.ts";

/**
 * The EVC mode a VM runs under (§5): per-VM EVC wins when both are set (and must not exceed the cluster's),
 * otherwise whichever exists; null means "the host's full feature set".
 */
export function effectiveEvcMode(clusterEvc: string | null, vmEvc: string | null = null): string | null {
  const cluster = clusterEvc === null ? null : getBaseline(clusterEvc);
  const vm = vmEvc === null ? null : getBaseline(vmEvc);
  if (cluster && vm && (cluster.vendor !== vm.vendor || !isSubset(vm.featureList, cluster.features))) {
    throw new ModelInputError("vmEvc", vmEvc, `a baseline at or below the cluster's ${cluster.id}`);
  }
  return (vm ?? cluster)?.id ?? null;
}

/**
 * vm.featureSet captured when a VM powers on on `host` (§6): the effective mode's flags, or the host's own
 * flags when no mode applies. Throws when the host cannot run the effective mode.
 */
export function featureSetAtPowerOn(host: Host, modes: { clusterEvc?: string | null; vmEvc?: string | null } = {}): FeatureSet {
  checkHost("host", host);
  const { clusterEvc = null, vmEvc = null } = checkRecord("modes", modes);
  const mode = effectiveEvcMode(clusterEvc as string | null, vmEvc as string | null);
  if (mode === null) return host.features;
  const b = getBaseline(mode);
  if (host.vendor !== b.vendor || !isSubset(b.featureList, host.features)) {
    throw new ModelInputError("host", host.id, `a host that supports ${b.id} (it lacks ${difference(b.featureList, host.features).join(", ") || "the vendor"})`);
  }
  return b.features;
}

export interface VmotionAnswer {
  compatible: boolean;
  /** Flags the VM was started with that the destination cannot offer. */
  missing: string[];
  reason: string;
}

/**
 * Can a running VM with `featureSet` (captured on a `vmVendor` host) move to `destination`? When the
 * destination is in an EVC cluster (`destinationEvc`), the host must support that mode and the VM's set
 * must fit inside the mode (§7), not just inside the host.
 */
export function canMigrateVm(featureSet: FeatureSet, vmVendor: Vendor, destination: Host, destinationEvc: string | null = null): VmotionAnswer {
  if (!(featureSet instanceof Set)) throw new ModelInputError("featureSet", featureSet, "a Set of CPU flag names");
  checkOneOf("vmVendor", vmVendor, VENDORS);
  checkHost("destination", destination);
  if (vmVendor !== destination.vendor) {
    return { compatible: false, missing: [], reason: `${destination.id} has an ${destination.vendor === "intel" ? "Intel" : "AMD"} CPU; vMotion never crosses CPU vendors.` };
  }
  if (destinationEvc !== null) {
    const b = getBaseline(destinationEvc);
    const lacks = difference(b.featureList, destination.features);
    if (b.vendor !== destination.vendor || lacks.length > 0) {
      return { compatible: false, missing: [], reason: `${destination.id} cannot run EVC mode ${b.displayName}${lacks.length ? ` (it lacks ${lacks.join(", ")})` : ""}.` };
    }
    const missing = difference(featureSet, b.features);
    return missing.length === 0
      ? { compatible: true, missing, reason: `The VM's features fit inside EVC mode ${b.displayName}.` }
      : { compatible: false, missing, reason: `The VM uses ${missing.join(", ")}, which EVC mode ${b.displayName} hides; power it off and on inside the cluster first.` };
  }
  const missing = difference(featureSet, destination.features);
  return missing.length === 0
    ? { compatible: true, missing, reason: `${destination.id} has every feature the VM started with.` }
    : { compatible: false, missing, reason: `${destination.id} lacks ${missing.join(", ")}, which the VM has used since it powered on.` };
}

/**
 * Host-to-host check for a VM powered on on `source` (§6): without EVC the VM carries the source's full
 * feature set; with `evcMode`, both hosts must support the mode and the VM carries the mode's set.
 * Reflexive and transitive, not symmetric.
 */
export function vmotionCompatible(source: Host, destination: Host, evcMode: string | null = null): VmotionAnswer {
  checkHost("source", source);
  checkHost("destination", destination);
  if (evcMode !== null) {
    const b = getBaseline(evcMode);
    const lacks = difference(b.featureList, source.features);
    if (source.vendor !== b.vendor || lacks.length > 0) {
      return { compatible: false, missing: [], reason: `${source.id} cannot run EVC mode ${b.displayName}${lacks.length ? ` (it lacks ${lacks.join(", ")})` : ""}.` };
    }
    return canMigrateVm(b.features, source.vendor, destination, b.id);
  }
  return canMigrateVm(source.features, source.vendor, destination, null);
}

export interface VmotionMatrix {
  evcMode: string | null;
  hostIds: string[];
  /** cells[i][j]: a VM powered on on hostIds[i] moving to hostIds[j]. */
  cells: VmotionAnswer[][];
  /** Number of ordered pairs (i ≠ j) that are compatible, out of n × (n − 1). */
  compatiblePairs: number;
}

/** Every ordered pair of hosts, with EVC off (null) or at `evcMode`. */
export function vmotionMatrix(hosts: readonly Host[], evcMode: string | null = null): VmotionMatrix {
  checkHosts("hosts", hosts);
  if (evcMode !== null) getBaseline(evcMode);
  const cells = hosts.map((a) => hosts.map((b) => vmotionCompatible(a, b, evcMode)));
  let compatiblePairs = 0;
  cells.forEach((row, i) => row.forEach((c, j) => (compatiblePairs += i !== j && c.compatible ? 1 : 0)));
  return { evcMode, hostIds: hosts.map((h) => h.id), cells, compatiblePairs };
}
