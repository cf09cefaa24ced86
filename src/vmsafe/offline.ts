/**
 * Offline antivirus scanning from appliances that read each desktop's disk through VDDK: the
 * pool's bytes over the slowest of three ceilings (the appliances' scanning CPU, their transport,
 * the datastores' spare read IOPS) give the hours a pass takes, set against the scan window.
 * Sources: spec vmsafe.md §3; VDDK Programming Guide, Virtual Disk Transport Methods; the seed
 * blog's objection that one appliance holds a small share of the cluster's CPU.
 * Simplifications: the scan rate is a flat MB/s per core (no file-count, archive or heuristic
 * effects); appliances and datastores are perfectly balanced; snapshot creation and removal for
 * each running desktop is not counted.
 */
import { checkInteger, checkNumber, checkRecord } from "../shared/index.ts";
import { checkTransport, type TransportMode, type TransportRate } from "./transport.ts";
import { bytesToScanGBUnchecked, checkPool, type PoolInput } from "./workload.ts";

export type Bottleneck = "appliance CPU" | "transport" | "datastore IOPS";

export interface ApplianceInput {
  appliances: number;
  coresPerAppliance: number;
  scanMBpsPerCore: number;
  transport: TransportMode;
  parallelStreams: number;
  streamMBps?: number;
  linkMBps?: number | null;
}

export interface DatastoreInput {
  datastores: number;
  /** Read IOPS each datastore can spare for scanning. */
  datastoreReadIOPS: number;
  ioSizeKB: number;
}

export interface OfflineScanInput extends PoolInput, ApplianceInput, DatastoreInput {
  windowH: number;
}

export interface OfflineScanResult {
  bytesToScanGB: number;
  /** One appliance's rate: min(cores × per-core scan rate, transport). */
  perApplianceMBps: number;
  /** The three ceilings on the whole pass, MB/s. */
  applianceCpuMBps: number;
  transportMBps: number;
  datastoreMBps: number;
  /** The rate the pass runs at: the smallest ceiling. */
  clusterMBps: number;
  bottleneck: Bottleneck;
  hours: number;
  windowH: number;
  fitsWindow: boolean;
  /** Desktops one appliance gets through in the window at this pass's average GB per desktop. */
  desktopsPerWindowPerAppliance: number;
}

export const WINDOW_LIMITS = { min: 0, max: 168, exclusiveMin: true } as const;

export interface CheckedOffline {
  pool: PoolInput;
  appliances: number;
  coresPerAppliance: number;
  scanMBpsPerCore: number;
  transport: TransportRate;
  datastoreMBps: number;
  windowH: number;
}

export function checkOffline(value: unknown): CheckedOffline {
  const r = checkRecord("input", value);
  const pool = checkPool(r);
  const appliances = checkInteger("appliances", r.appliances, { min: 1, max: 64 });
  const coresPerAppliance = checkInteger("coresPerAppliance", r.coresPerAppliance, { min: 1, max: 64 });
  const scanMBpsPerCore = checkNumber("scanMBpsPerCore", r.scanMBpsPerCore, { min: 0, exclusiveMin: true, max: 10_000 });
  const transport = checkTransport({ mode: r.transport, parallelStreams: r.parallelStreams, streamMBps: r.streamMBps, linkMBps: r.linkMBps }, "transport");
  const datastores = checkInteger("datastores", r.datastores, { min: 1, max: 256 });
  const iops = checkNumber("datastoreReadIOPS", r.datastoreReadIOPS, { min: 0, exclusiveMin: true, max: 10_000_000 });
  const ioSizeKB = checkNumber("ioSizeKB", r.ioSizeKB, { min: 0, exclusiveMin: true, max: 4096 });
  const windowH = checkNumber("windowH", r.windowH, WINDOW_LIMITS);
  return { pool, appliances, coresPerAppliance, scanMBpsPerCore, transport, datastoreMBps: (datastores * iops * ioSizeKB) / 1024, windowH };
}

export function perApplianceMBpsUnchecked(c: CheckedOffline): number {
  return Math.min(c.coresPerAppliance * c.scanMBpsPerCore, c.transport.applianceMBps);
}

export function offlineScanUnchecked(c: CheckedOffline): OfflineScanResult {
  const bytes = bytesToScanGBUnchecked(c.pool);
  const applianceCpuMBps = c.appliances * c.coresPerAppliance * c.scanMBpsPerCore;
  const transportMBps = c.appliances * c.transport.applianceMBps;
  const ceilings: Array<[Bottleneck, number]> = [
    ["appliance CPU", applianceCpuMBps],
    ["transport", transportMBps],
    ["datastore IOPS", c.datastoreMBps],
  ];
  // The first of equal ceilings is named: CPU before transport before the datastores.
  const [bottleneck, clusterMBps] = ceilings.reduce((low, next) => (next[1] < low[1] ? next : low));
  const hours = (bytes * 1024) / clusterMBps / 3600;
  const perApplianceMBps = perApplianceMBpsUnchecked(c);
  const gbPerDesktop = bytes / c.pool.desktops;
  return {
    bytesToScanGB: bytes,
    perApplianceMBps,
    applianceCpuMBps,
    transportMBps,
    datastoreMBps: c.datastoreMBps,
    clusterMBps,
    bottleneck,
    hours,
    windowH: c.windowH,
    fitsWindow: hours <= c.windowH,
    desktopsPerWindowPerAppliance: (c.windowH * 3600 * perApplianceMBps) / (gbPerDesktop * 1024),
  };
}

/** Hours one offline pass over the pool takes, its bottleneck and whether it fits the window. */
export function offlineScan(input: OfflineScanInput): OfflineScanResult {
  return offlineScanUnchecked(checkOffline(input));
}

/** Percent of the pool's bytes scanned `timeH` hours into a pass (the pass runs at a constant rate). */
export function progressPercent(result: Pick<OfflineScanResult, "hours">, timeH: number): number {
  const hours = checkNumber("hours", result?.hours, { min: 0, exclusiveMin: true, max: 1e12 });
  const t = checkNumber("timeH", timeH, { min: 0, max: 1e12 });
  return Math.min(100, (100 * t) / hours);
}

export interface CpuShareInput {
  hosts: number;
  coresPerHost: number;
  appliances: number;
  coresPerAppliance: number;
}

export interface CpuShareResult {
  clusterCores: number;
  applianceCores: number;
  /** Fraction of the cluster's cores the appliances hold. */
  share: number;
  /** clusterCores / applianceCores: how many times longer the offline pass takes than an in-guest
   * scan that could use every core at the same per-core speed (storage ignored). */
  slowdown: number;
}

/** The seed blog's point as a number: the appliances' share of the cluster's CPU. */
export function cpuShare(input: CpuShareInput): CpuShareResult {
  const r = checkRecord("input", input);
  const hosts = checkInteger("hosts", r.hosts, { min: 1, max: 1024 });
  const coresPerHost = checkInteger("coresPerHost", r.coresPerHost, { min: 1, max: 1024 });
  const appliances = checkInteger("appliances", r.appliances, { min: 1, max: 64 });
  const coresPerAppliance = checkInteger("coresPerAppliance", r.coresPerAppliance, { min: 1, max: 64 });
  const clusterCores = hosts * coresPerHost;
  const applianceCores = appliances * coresPerAppliance;
  return { clusterCores, applianceCores, share: applianceCores / clusterCores, slowdown: clusterCores / applianceCores };
}
