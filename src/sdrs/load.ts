/**
 * How loaded each datastore of a cluster is, in the terms Storage DRS compares: space utilisation,
 * latency (the measured 90th percentile, or the device model's prediction) and BASIL's normalised
 * load, plus the cluster-wide fairness of that load.
 * Sources: BASIL (Gulati et al., FAST 2010) §3 for the workload "intensity" and the linear device
 * model; spec sdrs.md §3.1–3.2 for the constants [A] and the fairness metric in [0, 1] [A: the
 * product's own metric is not published; this is one concrete metric of that shape].
 */
import type { Cluster, ClusterVm, Datastore, DeviceModel, Workload } from "./cluster.ts";

/** BASIL's workload-model constants (spec §3.1 defaults) [A]. */
export const BASIL_K = { k1: 1, k2: 8, k3: 0.5, k4: 0.5, k5: 100 } as const;

/** BASIL workload intensity W = (K1 + oio)(K2 + ioSize)(K3 + read)(K4 + random)/K5. */
export function workloadIntensity(w: Workload): number {
  const { k1, k2, k3, k4, k5 } = BASIL_K;
  return ((k1 + w.oio) * (k2 + w.ioSizeKiB) * (k3 + w.readPct / 100) * (k4 + w.randomPct / 100)) / k5;
}

export interface DatastoreLoad {
  name: string;
  capacityGiB: number;
  usedGiB: number;
  utilPct: number;
  outstandingIos: number;
  /** Σ W of the VMs placed here. */
  intensity: number;
  /** Device model's latency for the outstanding I/Os placed here. */
  predictedLatencyMs: number;
  /** What SDRS compares with its threshold: the measured p90 (moved by predicted changes), else the prediction. */
  latencyMs: number;
  /** BASIL normalised load: Σ W / P with P = 1/slope. */
  normalisedLoad: number;
}

/** A datastore's load with nothing on it. */
export function emptyLoad(ds: Datastore): DatastoreLoad {
  const predictedLatencyMs = ds.device.interceptMs;
  return {
    name: ds.name,
    capacityGiB: ds.capacityGiB,
    usedGiB: 0,
    utilPct: 0,
    outstandingIos: 0,
    intensity: 0,
    predictedLatencyMs,
    latencyMs: predictedLatencyMs,
    normalisedLoad: 0,
  };
}

/**
 * The load once `vm` arrives (sign +1) or leaves (sign −1). A measured latency moves by the
 * device model's predicted change, so measured and modelled figures stay comparable.
 */
export function shiftedLoad(load: DatastoreLoad, device: DeviceModel, vm: ClusterVm, sign: 1 | -1): DatastoreLoad {
  const usedGiB = load.usedGiB + sign * vm.sizeGiB;
  const outstandingIos = load.outstandingIos + sign * vm.workload.oio;
  const intensity = load.intensity + sign * workloadIntensity(vm.workload);
  const predictedLatencyMs = device.interceptMs + device.slopeMsPerOio * outstandingIos;
  return {
    ...load,
    usedGiB,
    utilPct: (100 * usedGiB) / load.capacityGiB,
    outstandingIos,
    intensity,
    predictedLatencyMs,
    latencyMs: Math.max(0, load.latencyMs + predictedLatencyMs - load.predictedLatencyMs),
    normalisedLoad: intensity * device.slopeMsPerOio,
  };
}

/**
 * Loads of every datastore in the cluster's order; a measured p90 already includes the VMs there.
 * The sums run in the VMs' order, as adding them one by one with shiftedLoad would.
 */
export function datastoreLoads(datastores: readonly Datastore[], vms: readonly ClusterVm[]): DatastoreLoad[] {
  const index = new Map(datastores.map((ds, j) => [ds.name, j]));
  const sums = datastores.map(() => ({ usedGiB: 0, outstandingIos: 0, intensity: 0 }));
  for (const vm of vms) {
    const j = index.get(vm.datastore);
    if (j === undefined) continue;
    sums[j].usedGiB += vm.sizeGiB;
    sums[j].outstandingIos += vm.workload.oio;
    sums[j].intensity += workloadIntensity(vm.workload);
  }
  return datastores.map((ds, j) => {
    const { usedGiB, outstandingIos, intensity } = sums[j];
    const predictedLatencyMs = ds.device.interceptMs + ds.device.slopeMsPerOio * outstandingIos;
    return {
      name: ds.name,
      capacityGiB: ds.capacityGiB,
      usedGiB,
      utilPct: (100 * usedGiB) / ds.capacityGiB,
      outstandingIos,
      intensity,
      predictedLatencyMs,
      latencyMs: ds.p90LatencyMs ?? predictedLatencyMs,
      normalisedLoad: intensity * ds.device.slopeMsPerOio,
    };
  });
}

/** 1 − (max NL − min NL)/(max NL + min NL): 1 when every datastore carries the same normalised load. */
export function fairness(loads: readonly DatastoreLoad[]): number {
  const nl = loads.map((l) => l.normalisedLoad);
  const max = Math.max(...nl);
  const min = Math.min(...nl);
  return max + min > 0 ? 1 - (max - min) / (max + min) : 1;
}

/** The datastore-level figures of a whole cluster. */
export function clusterLoad(cluster: Cluster): { datastores: DatastoreLoad[]; fairness: number; maxUtilPct: number; maxLatencyMs: number; usedGiB: number } {
  const datastores = datastoreLoads(cluster.datastores, cluster.vms);
  return {
    datastores,
    fairness: fairness(datastores),
    maxUtilPct: Math.max(...datastores.map((d) => d.utilPct)),
    maxLatencyMs: Math.max(...datastores.map((d) => d.latencyMs)),
    usedGiB: datastores.reduce((total, d) => total + d.usedGiB, 0),
  };
}
