/**
 * How loaded each datastore of a cluster is, in the terms Storage DRS compares: space utilisation,
 * latency (the measured 90th percentile, or the device model's prediction) and BASIL's normalised
 * load, plus the cluster-wide fairness of that load.
 * Sources: BASIL (Gulati et al., FAST 2010) §3 for the workload "intensity" and the linear device
 * model; spec sdrs.md §3.1–3.2 for the constants [A] and the fairness metric in [0, 1] [A: the
 * product's own metric is not published; this is one concrete metric of that shape].
 */
import type { Cluster, ClusterVm, Datastore, Workload } from "./cluster.ts";

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
  /** Device model's latency for the outstanding I/Os placed here. */
  predictedLatencyMs: number;
  /** What SDRS compares with its threshold: the measured p90 (moved by predicted changes), else the prediction. */
  latencyMs: number;
  /** BASIL normalised load: Σ W / P with P = 1/slope. */
  normalisedLoad: number;
}

/** Loads of every datastore; `latencyOffsetMs[j]` carries measured-minus-predicted through moves. */
export function datastoreLoads(datastores: readonly Datastore[], vms: readonly ClusterVm[]): DatastoreLoad[] {
  return datastores.map((ds) => {
    const here = vms.filter((vm) => vm.datastore === ds.name);
    const usedGiB = here.reduce((total, vm) => total + vm.sizeGiB, 0);
    const outstandingIos = here.reduce((total, vm) => total + vm.workload.oio, 0);
    const intensity = here.reduce((total, vm) => total + workloadIntensity(vm.workload), 0);
    const predictedLatencyMs = ds.device.interceptMs + ds.device.slopeMsPerOio * outstandingIos;
    return {
      name: ds.name,
      capacityGiB: ds.capacityGiB,
      usedGiB,
      utilPct: (100 * usedGiB) / ds.capacityGiB,
      outstandingIos,
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
