/**
 * Initial placement: which datastore of the cluster Storage DRS picks for a new VM's disks.
 * Source: spec sdrs.md §3.3 (vSphere 5.0/6.0 Resource Management, "Initial Placement and Ongoing
 * Balancing": space and I/O load both count; I/O metric off makes placement space-only).
 * Simplification [A]: score = utilisation after / 100 + λ · predicted latency after / threshold,
 * λ = 1 with the I/O metric on, else 0; when no datastore stays under the space threshold, the one
 * with the most free space that still holds the VM, flagged.
 */
import { ModelInputError, checkArray } from "../shared/index.ts";
import { checkCluster, checkVm, type Cluster, type ClusterVm } from "./cluster.ts";
import { datastoreLoads, shiftedLoad, type DatastoreLoad } from "./load.ts";
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

function placeOn(cluster: Cluster, loads: readonly DatastoreLoad[], vm: NewVm, settings: SdrsSettings): Placement {
  const lambda = settings.ioMetricEnabled ? 1 : 0;
  const rules = cluster.antiAffinity ?? [];
  const options: PlacementOption[] = loads.map((load, j) => {
    const device = cluster.datastores[j].device;
    const utilAfterPct = utilAfterAddingPct(load, vm.sizeGiB);
    const latencyAfterMs = device.interceptMs + device.slopeMsPerOio * (load.outstandingIos + vm.workload.oio);
    const excludedBy = load.usedGiB + vm.sizeGiB > load.capacityGiB ? "capacity"
      : rules.length > 0 && !antiAffinityAllows(vm.name, load.name, cluster.vms, rules) ? "anti-affinity"
      : utilAfterPct > settings.spaceThresholdPct ? "space threshold"
      : null;
    return { datastore: load.name, utilAfterPct, latencyAfterMs, score: utilAfterPct / 100 + (lambda * latencyAfterMs) / settings.latencyThresholdMs, excludedBy };
  });
  const best = lowest(options.filter((o) => o.excludedBy === null), (o) => o.score);
  if (best) return { datastore: best.datastore, thresholdExceeded: false, options };
  const emptiest = lowest(options.filter((o) => o.excludedBy === "space threshold"), (o) => o.utilAfterPct);
  return { datastore: emptiest?.datastore ?? null, thresholdExceeded: emptiest !== undefined, options };
}

/** The option with the smallest key; ties go to the datastore whose name sorts first. */
function lowest(options: readonly PlacementOption[], key: (o: PlacementOption) => number): PlacementOption | undefined {
  let best: PlacementOption | undefined;
  for (const o of options) {
    if (!best || key(o) < key(best) || (key(o) === key(best) && o.datastore < best.datastore)) best = o;
  }
  return best;
}

function checkNewVm(taken: Set<string>, vm: unknown, field: string): NewVm {
  const newVm = checkVm(vm, field);
  if (taken.has(newVm.name)) throw new ModelInputError(`${field}.name`, newVm.name, "a name not already in the cluster");
  taken.add(newVm.name);
  return newVm;
}

/** Where Storage DRS would place `vm` in `cluster` now. */
export function place(cluster: Cluster, vm: NewVm, settings: Partial<SdrsSettings> = {}): Placement {
  const checked = checkCluster(cluster);
  const newVm = checkNewVm(new Set(checked.vms.map((v) => v.name)), vm, "vm");
  return placeOn(checked, datastoreLoads(checked.datastores, checked.vms), newVm, normaliseSettings(settings));
}

/** Places VMs one after another, each seeing the ones before; VMs that fit nowhere are left out. */
export function placeAll(cluster: Cluster, vms: NewVm[], settingsInput: Partial<SdrsSettings> = {}): { cluster: Cluster; placements: Placement[] } {
  const settings = normaliseSettings(settingsInput);
  const start = checkCluster(cluster);
  const taken = new Set(start.vms.map((v) => v.name));
  const newVms = checkArray("vms", vms, (vm, field) => checkNewVm(taken, vm, field), { maxLength: 20_000 });
  const hasRules = (start.antiAffinity ?? []).length > 0;
  let loads = datastoreLoads(start.datastores, start.vms);
  const placed: ClusterVm[] = [];
  const placements = newVms.map((vm) => {
    // Only anti-affinity looks at individual VMs; without rules the loads say everything.
    const seen = hasRules ? { ...start, vms: start.vms.concat(placed) } : start;
    const placement = placeOn(seen, loads, vm, settings);
    const j = loads.findIndex((l) => l.name === placement.datastore);
    if (j >= 0) {
      const landed = { ...vm, datastore: loads[j].name };
      placed.push(landed);
      loads = loads.map((l, k) => (k === j ? shiftedLoad(l, start.datastores[k].device, landed, 1) : l));
    }
    return placement;
  });
  return { cluster: { ...start, vms: start.vms.concat(placed) }, placements };
}
