/**
 * Where a VM may go: the space rules Storage DRS applies to every move and placement, and the
 * anti-affinity rules the administrator set.
 * Sources: vSphere 5.0 docs (space threshold, minimum utilisation difference: 82 % vs 79 % is no
 * move); vSphere 5.0 Resource Management guide, "Storage DRS anti-affinity rules".
 */
import type { ClusterVm } from "./cluster.ts";
import type { DatastoreLoad } from "./load.ts";

export function utilAfterAddingPct(load: Pick<DatastoreLoad, "usedGiB" | "capacityGiB">, sizeGiB: number): number {
  return (100 * (load.usedGiB + sizeGiB)) / load.capacityGiB;
}

/** No VM of the same anti-affinity group already sits on `datastore` (the VM itself aside). */
export function antiAffinityAllows(vmName: string, datastore: string, vms: readonly ClusterVm[], rules: readonly string[][]): boolean {
  const partners = new Set(rules.filter((rule) => rule.includes(vmName)).flat());
  partners.delete(vmName);
  return partners.size === 0 || !vms.some((other) => other.datastore === datastore && partners.has(other.name));
}

/** The destination stays at or under the space threshold once the VM lands there. */
export function fitsUnderThreshold(dest: DatastoreLoad, sizeGiB: number, spaceThresholdPct: number): boolean {
  return utilAfterAddingPct(dest, sizeGiB) <= spaceThresholdPct;
}
