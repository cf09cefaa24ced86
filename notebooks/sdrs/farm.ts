/**
 * The VDI farm the notebook models, built from the page's settings: a datastore cluster of equal
 * datastores, each with a copy of the master image (MCS keeps a replica per datastore), the
 * infrastructure servers on the first one, and the desktops, clones of one master, placed by Storage DRS
 * one by one.
 * Only model calls (src/sdrs, src/vdi) produce numbers; this file chooses what to ask.
 * Assumptions [A], shown on the page: image and differencing-disk sizes, the servers' size and
 * load, the desktops' I/O size and randomness, and the device model fitted to the RAID group.
 */
import * as sdrs from "../../src/sdrs/index.ts";
import * as vdi from "../../src/vdi/index.ts";

export interface FarmSettings {
  desktops: number;
  datastores: number;
  capacityGiB: number;
  imageGiB: number;
  diffDiskGiB: number;
  serverGiB: number;
  array: vdi.ArrayConfig;
  sdrs: Partial<sdrs.SdrsSettings>;
}

/** The infrastructure VMs (broker database, file server) and their outstanding I/Os [A]. */
export const SERVER_OIO = 8;
/** The desktops' steady-state I/O as BASIL describes a workload [A]: small, random, mostly writes. */
const DESKTOP_IO = { ioSizeKiB: 8, randomPct: 80 } as const;

export const datastoreName = (j: number): string => `ds${String(j + 1).padStart(2, "0")}`;

/**
 * The BASIL device model of a RAID group: unloaded latency, plus the time each queued I/O adds at
 * the steady state's read share (1000 / front-end capacity ms per outstanding I/O, as SIOC's curve).
 */
export function deviceModel(array: vdi.ArrayConfig): sdrs.DeviceModel {
  const readPct = vdi.DEFAULT_DESKTOP.steadyReadPct;
  return {
    interceptMs: vdi.arrayLoad(array, 0, readPct).latencyMs,
    slopeMsPerOio: Math.max(0.001, 1000 / vdi.frontCapacityIops(array, readPct)),
  };
}

/**
 * The farm as Storage DRS placed it: the cluster with the desktops that fit, how many went to each
 * datastore (`placedPer`, in datastore order), how many fit nowhere, and where one more would go.
 */
export type Farm = sdrs.PoolPlacement;

export function buildFarm(s: FarmSettings): Farm {
  const device = deviceModel(s.array);
  const datastores = Array.from({ length: s.datastores }, (_, j) => ({ name: datastoreName(j), capacityGiB: s.capacityGiB, device }));
  const idle = { oio: 0, ioSizeKiB: 64, readPct: 100, randomPct: 0 };
  const base: sdrs.ClusterVm[] = datastores.map((ds) => ({ name: `replica-${ds.name}`, datastore: ds.name, sizeGiB: s.imageGiB, workload: idle }));
  if (s.serverGiB > 0) {
    base.push({ name: "infrastructure servers", datastore: datastores[0].name, sizeGiB: s.serverGiB, workload: { oio: SERVER_OIO, ioSizeKiB: 8, readPct: 70, randomPct: 80 } });
  }
  const steadyOio = (vdi.DEFAULT_DESKTOP.steadyIops * device.interceptMs) / 1000;
  // The desktops are clones of one master: Storage DRS places them one by one (placePool gives
  // the same answer as placeAll over the list of desktops, without a placement object per desktop).
  const pool: sdrs.ClonePool = {
    namePrefix: "desktop",
    count: s.desktops,
    sizeGiB: s.diffDiskGiB,
    workload: { oio: steadyOio, readPct: vdi.DEFAULT_DESKTOP.steadyReadPct, ...DESKTOP_IO },
  };
  return sdrs.placePool({ datastores, vms: base }, pool, s.sdrs);
}

/**
 * The morning, per datastore, for the desktops where Storage DRS placed them (`Farm.placedPer`).
 * It takes the counts alone, not the farm: a setting that changes the farm but not where the
 * desktops are (a threshold, the space per desktop) then leaves the storm as it is.
 */
export function farmStorm(desktopsPer: readonly number[], array: vdi.ArrayConfig, schedule: vdi.StormSchedule): vdi.StormResult {
  return vdi.bootStorm({
    datastores: desktopsPer.map((desktops, j) => ({ name: datastoreName(j), desktops, array })),
    schedule,
  });
}

/** Each datastore's 90th-percentile latency over the day, in datastore order. */
export const dayP90Ms = (storm: vdi.StormResult): number[] => storm.datastores.map((d) => d.p90LatencyMs);
