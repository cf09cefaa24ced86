/**
 * Initial placement: which datastore of the cluster Storage DRS picks for a new VM's disks.
 * Source: spec sdrs.md §3.3 (vSphere 5.0/6.0 Resource Management, "Initial Placement and Ongoing
 * Balancing": space and I/O load both count; I/O metric off makes placement space-only).
 * Simplification [A]: score = utilisation after / 100 + λ · predicted latency after / threshold,
 * λ = 1 with the I/O metric on, else 0; when no datastore stays under the space threshold, the one
 * with the most free space that still holds the VM, flagged.
 */
import { ModelInputError } from "../shared/index.ts";
import { checkCluster, checkVm, type Cluster, type ClusterVm } from "./cluster.ts";
import { datastoreLoads } from "./load.ts";
import { antiAffinityAllows, utilAfterAddingPct } from "./rules.ts";
import { normaliseSettings, type SdrsSettings } from "./settings.ts";

export interface PlacementOption {
  datastore: string;
  utilAfterPct: number;
  latencyAfterMs: number;
  score: number;
  /** Why it was not eligible, if it was not. */
  excludedBy: "space threshold" | "capacity" | "anti-affinity" | null;
}

export interface Placement {
  /** The chosen datastore, or null when the VM fits nowhere. */
  datastore: string | null;
  /** The choice breaks the space threshold because no datastore could stay under it. */
  thresholdExceeded: boolean;
  options: PlacementOption[];
}

export type NewVm = Omit<ClusterVm, "datastore">;

function placeChecked(cluster: Cluster, vm: NewVm, settings: SdrsSettings): Placement {
  const lambda = settings.ioMetricEnabled ? 1 : 0;
  const options: PlacementOption[] = datastoreLoads(cluster.datastores, cluster.vms).map((load, j) => {
    const device = cluster.datastores[j].device;
    const utilAfterPct = utilAfterAddingPct(load, vm.sizeGiB);
    const latencyAfterMs = device.interceptMs + device.slopeMsPerOio * (load.outstandingIos + vm.workload.oio);
    const excludedBy = load.usedGiB + vm.sizeGiB > load.capacityGiB ? "capacity"
      : !antiAffinityAllows(vm.name, load.name, cluster.vms, cluster.antiAffinity ?? []) ? "anti-affinity"
      : utilAfterPct > settings.spaceThresholdPct ? "space threshold"
      : null;
    return { datastore: load.name, utilAfterPct, latencyAfterMs, score: utilAfterPct / 100 + (lambda * latencyAfterMs) / settings.latencyThresholdMs, excludedBy };
  });
  const eligible = options.filter((o) => o.excludedBy === null).sort((a, b) => a.score - b.score || a.datastore.localeCompare(b.datastore));
  if (eligible.length > 0) return { datastore: eligible[0].datastore, thresholdExceeded: false, options };
  const fallback = options.filter((o) => o.excludedBy === "space threshold").sort((a, b) => a.utilAfterPct - b.utilAfterPct || a.datastore.localeCompare(b.datastore));
  return { datastore: fallback[0]?.datastore ?? null, thresholdExceeded: fallback.length > 0, options };
}

/** Where Storage DRS would place `vm` in `cluster` now. */
export function place(cluster: Cluster, vm: NewVm, settings: Partial<SdrsSettings> = {}): Placement {
  const checked = checkCluster(cluster);
  const newVm = checkVm(vm, "vm");
  if (checked.vms.some((v) => v.name === newVm.name)) throw new ModelInputError("vm.name", newVm.name, "a name not already in the cluster");
  return placeChecked(checked, newVm, normaliseSettings(settings));
}

/** Places VMs one after another, each seeing the ones before; VMs that fit nowhere are left out. */
export function placeAll(cluster: Cluster, vms: NewVm[], settingsInput: Partial<SdrsSettings> = {}): { cluster: Cluster; placements: Placement[] } {
  const settings = normaliseSettings(settingsInput);
  let current = checkCluster(cluster);
  const placements: Placement[] = [];
  for (const vm of vms) {
    const placement = place(current, vm, settings);
    placements.push(placement);
    if (placement.datastore !== null) current = { ...current, vms: [...current.vms, { ...vm, datastore: placement.datastore }] };
  }
  return { cluster: current, placements };
}
