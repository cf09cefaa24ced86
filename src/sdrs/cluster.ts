/**
 * A datastore cluster as Storage DRS sees it: datastores with a capacity, a device model and the
 * latency SIOC measured; VMs with their disks' size and workload, each VM's disks kept together
 * (SDRS's default intra-VM affinity) and optional anti-affinity rules between VMs.
 * Sources: vSphere 5.0 Resource Management guide, "Storage DRS anti-affinity rules" and the
 * default intra-VM affinity; device and workload descriptors from BASIL (Gulati et al., FAST 2010).
 * Simplification: a VM moves as one unit (all its disks), so VMDK anti-affinity is not modelled.
 */
import { ModelInputError, checkArray, checkNumber, checkRecord, checkString, type NumberRange } from "../shared/index.ts";

export interface DeviceModel {
  /** BASIL device model: latency = interceptMs + slopeMsPerOio · outstanding I/Os. */
  slopeMsPerOio: number;
  interceptMs: number;
}

/** Spec §3.1 device defaults [A]. */
export const DEVICES = {
  fc15k: { label: "15k FC RAID 5 (4+1)", slopeMsPerOio: 0.35, interceptMs: 4 },
  sata: { label: "SATA pool", slopeMsPerOio: 1, interceptMs: 8 },
  flash: { label: "SSD / FAST Cache backed", slopeMsPerOio: 0.05, interceptMs: 1 },
} as const satisfies Record<string, DeviceModel & { label: string }>;

export interface Workload {
  oio: number;
  ioSizeKiB: number;
  readPct: number;
  randomPct: number;
}

export interface Datastore {
  name: string;
  capacityGiB: number;
  device: DeviceModel;
  /** 90th-percentile latency over the last day, from SIOC; omitted: the device model's prediction. */
  p90LatencyMs?: number;
}

export interface ClusterVm {
  name: string;
  datastore: string;
  sizeGiB: number;
  workload: Workload;
}

export interface Cluster {
  datastores: Datastore[];
  vms: ClusterVm[];
  /** Groups of VMs whose disks must sit on different datastores. */
  antiAffinity?: string[][];
}

/** A measured 90th-percentile latency, as SIOC reports it for a datastore. */
export const MEASURED_LATENCY_MS = { min: 0, max: 1e7 } as const satisfies NumberRange;

export function checkDevice(value: unknown, field: string): DeviceModel {
  const d = checkRecord(field, value);
  return {
    slopeMsPerOio: checkNumber(`${field}.slopeMsPerOio`, d.slopeMsPerOio, { min: 0.001, max: 100 }),
    interceptMs: checkNumber(`${field}.interceptMs`, d.interceptMs, { min: 0, max: 1000 }),
  };
}

export function checkWorkload(value: unknown, field: string): Workload {
  const w = checkRecord(field, value);
  return {
    oio: checkNumber(`${field}.oio`, w.oio, { min: 0, max: 1024 }),
    ioSizeKiB: checkNumber(`${field}.ioSizeKiB`, w.ioSizeKiB, { min: 0.5, max: 4096 }),
    readPct: checkNumber(`${field}.readPct`, w.readPct, { min: 0, max: 100 }),
    randomPct: checkNumber(`${field}.randomPct`, w.randomPct, { min: 0, max: 100 }),
  };
}

export function checkDatastore(value: unknown, field: string): Datastore {
  const d = checkRecord(field, value);
  return {
    name: checkString(`${field}.name`, d.name, { maxLength: 80 }),
    capacityGiB: checkNumber(`${field}.capacityGiB`, d.capacityGiB, { min: 1, max: 64 * 1024 }),
    device: checkDevice(d.device, `${field}.device`),
    p90LatencyMs: d.p90LatencyMs === undefined ? undefined : checkNumber(`${field}.p90LatencyMs`, d.p90LatencyMs, MEASURED_LATENCY_MS),
  };
}

export function checkVm(value: unknown, field: string, workloadCheck: typeof checkWorkload = checkWorkload): Omit<ClusterVm, "datastore"> & { datastore?: string } {
  const v = checkRecord(field, value);
  return {
    name: checkString(`${field}.name`, v.name, { maxLength: 80 }),
    datastore: v.datastore === undefined ? undefined : checkString(`${field}.datastore`, v.datastore, { maxLength: 80 }),
    sizeGiB: checkNumber(`${field}.sizeGiB`, v.sizeGiB, { min: 0, max: 62 * 1024 }),
    workload: workloadCheck(v.workload, `${field}.workload`),
  };
}

/**
 * checkWorkload, once per workload object: the VMs of a pool of clones (placePool) share one, and
 * a farm has thousands of them. For one validation only, so the object cannot change in between;
 * VMs that shared a workload object share its checked copy.
 */
function checkWorkloadOnce(): typeof checkWorkload {
  const checked = new Map<unknown, Workload>();
  return (value, field) => {
    const known = checked.get(value);
    if (known) return known;
    const workload = checkWorkload(value, field);
    if (typeof value === "object" && value !== null) checked.set(value, workload);
    return workload;
  };
}

function unique(field: string, names: string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ModelInputError(field, name, "unique names");
    seen.add(name);
  }
}

/** Validates a cluster: unique names, every VM on a datastore of the cluster. */
export function checkCluster(value: unknown): Cluster {
  const c = checkRecord("cluster", value);
  const datastores = checkArray("cluster.datastores", c.datastores, checkDatastore, { minLength: 1, maxLength: 64 });
  unique("cluster.datastores", datastores.map((d) => d.name));
  const names = new Set(datastores.map((d) => d.name));
  const workloadCheck = checkWorkloadOnce();
  const vms = checkArray("cluster.vms", c.vms, (v, field) => {
    const vm = checkVm(v, field, workloadCheck);
    if (vm.datastore === undefined || !names.has(vm.datastore)) {
      throw new ModelInputError(`${field}.datastore`, vm.datastore, "the name of a datastore in the cluster");
    }
    return vm as ClusterVm;
  }, { maxLength: 20_000 });
  unique("cluster.vms", vms.map((v) => v.name));
  // A rule may name VMs not created yet: it applies when they are placed.
  const antiAffinity = checkArray("cluster.antiAffinity", c.antiAffinity ?? [], (rule, field) =>
    checkArray(field, rule, (name, nameField) => checkString(nameField, name, { maxLength: 80 }), { minLength: 2, maxLength: 64 }),
    { maxLength: 100 });
  return { datastores, vms, antiAffinity };
}
