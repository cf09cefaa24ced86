/**
 * Initial placement: which datastore of the cluster Storage DRS picks for a new VM's disks.
 * Source: spec sdrs.md §3.3 (vSphere 5.0/6.0 Resource Management, "Initial Placement and Ongoing
 * Balancing": space and I/O load both count; I/O metric off makes placement space-only).
 * Simplification [A]: score = utilisation after / 100 + λ · predicted latency after / threshold,
 * λ = 1 with the I/O metric on, else 0; when no datastore stays under the space threshold, the one
 * with the most free space that still holds the VM, flagged.
 * placeAll states the rule for many VMs (one after another, each seeing the ones before);
 * placePool gives the same answer for a pool of identical clones without a placement per clone.
 */
import { ModelInputError, checkArray, checkInteger, checkNumber, checkRecord, checkString } from "../shared/index.ts";
import { checkCluster, checkVm, checkWorkload, type Cluster, type ClusterVm, type DeviceModel, type Workload } from "./cluster.ts";
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

/** What of a datastore's load a placement option depends on. */
type SpaceAndIos = Pick<DatastoreLoad, "name" | "capacityGiB" | "usedGiB" | "outstandingIos">;

/** How one datastore scores for `vm` at its current load, and why it is not eligible, if it is not. */
function optionFor(load: SpaceAndIos, device: DeviceModel, vm: NewVm, settings: SdrsSettings, rulesAllow: (datastore: string) => boolean): PlacementOption {
  const lambda = settings.ioMetricEnabled ? 1 : 0;
  const utilAfterPct = utilAfterAddingPct(load, vm.sizeGiB);
  const latencyAfterMs = device.interceptMs + device.slopeMsPerOio * (load.outstandingIos + vm.workload.oio);
  const excludedBy = load.usedGiB + vm.sizeGiB > load.capacityGiB ? "capacity"
    : !rulesAllow(load.name) ? "anti-affinity"
    : utilAfterPct > settings.spaceThresholdPct ? "space threshold"
    : null;
  return { datastore: load.name, utilAfterPct, latencyAfterMs, score: utilAfterPct / 100 + (lambda * latencyAfterMs) / settings.latencyThresholdMs, excludedBy };
}

/**
 * The documented choice: the lowest score among the eligible datastores; when none is eligible,
 * the emptiest one that only the space threshold excludes, flagged; else nowhere.
 */
function choose(options: readonly PlacementOption[]): Omit<Placement, "options"> {
  const best = lowest(options, isEligible, byScore);
  if (best) return { datastore: best.datastore, thresholdExceeded: false };
  const emptiest = lowest(options, onlySpaceThresholdExcludes, byUtilisationAfter);
  return { datastore: emptiest?.datastore ?? null, thresholdExceeded: emptiest !== undefined };
}

const isEligible = (o: PlacementOption) => o.excludedBy === null;
const onlySpaceThresholdExcludes = (o: PlacementOption) => o.excludedBy === "space threshold";
const byScore = (o: PlacementOption) => o.score;
const byUtilisationAfter = (o: PlacementOption) => o.utilAfterPct;

function placeOn(cluster: Cluster, loads: readonly DatastoreLoad[], vm: NewVm, settings: SdrsSettings): Placement {
  const rules = cluster.antiAffinity ?? [];
  const rulesAllow = (datastore: string) => rules.length === 0 || antiAffinityAllows(vm.name, datastore, cluster.vms, rules);
  const options = loads.map((load, j) => optionFor(load, cluster.datastores[j].device, vm, settings, rulesAllow));
  return { ...choose(options), options };
}

/** Among the options `among` accepts, the one with the smallest key; ties go to the datastore whose name sorts first. */
function lowest(options: readonly PlacementOption[], among: (o: PlacementOption) => boolean, key: (o: PlacementOption) => number): PlacementOption | undefined {
  let best: PlacementOption | undefined;
  let bestKey = Infinity;
  for (const o of options) {
    if (!among(o)) continue;
    const k = key(o);
    if (!best || k < bestKey || (k === bestKey && o.datastore < best.datastore)) {
      best = o;
      bestKey = k;
    }
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

/** `count` identical VMs, clones of one template, named `${namePrefix}-1` to `${namePrefix}-${count}`. */
export interface ClonePool {
  namePrefix: string;
  count: number;
  sizeGiB: number;
  workload: Workload;
}

export interface PoolPlacement {
  /** The cluster with the clones that fit added, in the order they were placed. */
  cluster: Cluster;
  /** Clones placed on each datastore, in the cluster's datastore order. */
  placedPer: number[];
  /** Clones that fit nowhere. */
  unplaced: number;
  /** Where one more clone would go now. */
  next: Placement;
}

const cloneName = (pool: ClonePool, i: number) => `${pool.namePrefix}-${i + 1}`;

/** The clone number `name` stands for in `pool` (1 to count), or 0 when it is no clone's name. */
function cloneNumber(pool: ClonePool, name: string): number {
  const prefix = `${pool.namePrefix}-`;
  if (!name.startsWith(prefix)) return 0;
  const number = Number(name.slice(prefix.length));
  return Number.isInteger(number) && number >= 1 && number <= pool.count && cloneName(pool, number - 1) === name ? number : 0;
}

function checkPool(value: unknown, cluster: Cluster): ClonePool {
  const p = checkRecord("pool", value);
  const pool: ClonePool = {
    namePrefix: checkString("pool.namePrefix", p.namePrefix, { maxLength: 60 }),
    count: checkInteger("pool.count", p.count, { min: 0, max: 20_000 }),
    sizeGiB: checkNumber("pool.sizeGiB", p.sizeGiB, { min: 0, max: 62 * 1024 }),
    workload: checkWorkload(p.workload, "pool.workload"),
  };
  // Looking the cluster's few names up among the clones' is cheaper than the other way round.
  const taken = cluster.vms.find((vm) => cloneNumber(pool, vm.name) > 0);
  if (taken) throw new ModelInputError("pool.namePrefix", pool.namePrefix, `a prefix whose clone names are not already in the cluster (${taken.name} is)`);
  // A clone under a rule is no longer interchangeable with the others: placeAll handles it.
  const ruled = (cluster.antiAffinity ?? []).flat().find((name) => cloneNumber(pool, name) > 0);
  if (ruled) throw new ModelInputError("pool.namePrefix", pool.namePrefix, `a prefix whose clones no anti-affinity rule names (${ruled} is named)`);
  return pool;
}

/**
 * placeAll for a pool of identical clones, with the same result (a property test holds the two
 * together), in time proportional to the clones times the datastores rather than allocating a
 * placement per clone. Two facts about identical clones make the shortcuts exact: placing one
 * changes only the receiving datastore's option, so the others are kept, not recomputed; and a
 * clone that fits nowhere changes nothing, so no later clone fits either.
 */
export function placePool(cluster: Cluster, poolInput: ClonePool, settingsInput: Partial<SdrsSettings> = {}): PoolPlacement {
  const settings = normaliseSettings(settingsInput);
  const start = checkCluster(cluster);
  const pool = checkPool(poolInput, start);
  const devices = start.datastores.map((ds) => ds.device);
  const index = new Map(start.datastores.map((ds, j) => [ds.name, j]));
  const clone: ClusterVm = { name: cloneName(pool, pool.count), datastore: "", sizeGiB: pool.sizeGiB, workload: pool.workload };
  const everywhere = () => true;
  // An option depends on the space used and the I/Os in flight alone: those are summed here clone
  // by clone, as shiftedLoad sums them for placeAll, without a new load object per clone.
  const loads: SpaceAndIos[] = datastoreLoads(start.datastores, start.vms)
    .map(({ name, capacityGiB, usedGiB, outstandingIos }) => ({ name, capacityGiB, usedGiB, outstandingIos }));
  const optionAt = (j: number) => optionFor(loads[j], devices[j], clone, settings, everywhere);
  const options = loads.map((_, j) => optionAt(j));
  const placed: ClusterVm[] = [];
  const placedPer = loads.map(() => 0);
  let choice = choose(options);
  while (placed.length < pool.count && choice.datastore !== null) {
    const j = index.get(choice.datastore)!;
    placed.push({ name: cloneName(pool, placed.length), datastore: choice.datastore, sizeGiB: pool.sizeGiB, workload: pool.workload });
    loads[j].usedGiB += clone.sizeGiB;
    loads[j].outstandingIos += clone.workload.oio;
    options[j] = optionAt(j);
    placedPer[j]++;
    choice = choose(options);
  }
  return {
    cluster: { ...start, vms: start.vms.concat(placed) },
    placedPer,
    unplaced: pool.count - placed.length,
    next: { ...choice, options: [...options] },
  };
}
