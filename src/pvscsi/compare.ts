/**
 * Both adapters on the same device and queue depth, side by side, and the same comparison for a
 * workload described the way an administrator measures it: the IOPS and outstanding I/Os esxtop
 * shows for the VM on its LSI Logic adapter today. The device time that workload implies follows
 * from Little's law (d = 1000·oio/X − LSI's CPU-path time); PVSCSI is then run on that device.
 * Sources: spec §3.3 (models/pvscsi.md); the zone VMware KB 1017652 publishes for ESX 4.0 (fewer
 * than 2,000 IOPS and more than 4 outstanding I/Os: LSI Logic has the lower latency).
 * Simplifications: as latency.ts. I/O size only sets how many requests PVSCSI splits an I/O into
 * (above 512 KB, per VMware's "PVSCSI and Large I/Os", 2014); it does not change the costs here.
 */
import { ModelInputError, checkNumber, checkOneOf, checkRecord } from "../shared/index.ts";
import { checkCosts, cpuPerIoUsUnchecked, type CpuCosts } from "./costs.ts";
import { adapterLatencyUnchecked, checkDeviceLatency, checkOio, DEVICE_LATENCY_RANGE, type AdapterResult } from "./latency.ts";
import { CIF_THRESHOLD, IOPS_THRESHOLD, RELEASES, type Release } from "./policy.ts";

/** Guest I/O sizes the model accepts (KiB): 512 bytes up to LSI Logic's 32 MB. */
export const IO_SIZE_RANGE = { min: 0.5, max: 32_768 } as const;
/** PVSCSI splits larger guest I/Os into pieces of this size (KiB). */
export const PVSCSI_MAX_IO_KIB = 512;
export const DEFAULT_IO_SIZE_KIB = 8;

export interface Comparison {
  lsi: AdapterResult;
  pvscsi: AdapterResult;
  /** PVSCSI − LSI Logic latency per I/O (ms): positive means LSI Logic is faster. */
  deltaLatencyMs: number;
  /** PVSCSI − LSI Logic CPU per I/O (µs): never positive. */
  deltaCpuPerIoUs: number;
  /** The published ESX 4.0 rule puts this workload in LSI Logic's zone (< 2,000 IOPS, > 4 OIO). */
  worseZoneKb: boolean;
  /** Requests PVSCSI issues for one guest I/O of this size (1 up to 512 KiB). */
  pvRequestsPerIo: number;
}

export function inKbZone(release: Release, iops: number, oio: number): boolean {
  return release !== "4.1+" && iops < IOPS_THRESHOLD && oio > CIF_THRESHOLD;
}

export function compareUnchecked(oio: number, deviceLatencyMs: number, release: Release, costs: CpuCosts, ioSizeKiB: number): Comparison {
  const lsi = adapterLatencyUnchecked("lsi", oio, deviceLatencyMs, release, costs);
  const pvscsi = adapterLatencyUnchecked("pvscsi", oio, deviceLatencyMs, release, costs);
  return {
    lsi,
    pvscsi,
    deltaLatencyMs: pvscsi.latencyMs - lsi.latencyMs,
    deltaCpuPerIoUs: pvscsi.cpuPerIoUs - lsi.cpuPerIoUs,
    worseZoneKb: inKbZone(release, lsi.iops, oio),
    pvRequestsPerIo: Math.ceil(ioSizeKiB / PVSCSI_MAX_IO_KIB),
  };
}

function checkIoSize(value: unknown): number {
  return value === undefined ? DEFAULT_IO_SIZE_KIB : checkNumber("ioSizeKiB", value, IO_SIZE_RANGE);
}

export interface CompareInput {
  oio: number;
  deviceLatencyMs: number;
  release: Release;
  /** Guest I/O size, KiB (default 8). */
  ioSizeKiB?: number;
  costs?: CpuCosts;
}

/** LSI Logic and PVSCSI on the same device at the same queue depth (spec §3.3). */
export function compareAdapters(input: CompareInput): Comparison {
  const r = checkRecord("input", input);
  const oio = checkOio(r.oio);
  const deviceLatencyMs = checkDeviceLatency(r.deviceLatencyMs);
  const release = checkOneOf("release", r.release, RELEASES);
  const ioSizeKiB = checkIoSize(r.ioSizeKiB);
  return compareUnchecked(oio, deviceLatencyMs, release, checkCosts(r.costs), ioSizeKiB);
}

/**
 * The device time (ms) that makes LSI Logic deliver `iops` at `oio` outstanding I/Os, or null
 * when no device in DEVICE_LATENCY_RANGE does (the vCPU cannot keep up, or the queue is so deep
 * for so few IOPS that the device would take longer than 10 s).
 */
export function impliedDeviceLatencyUnchecked(iops: number, oio: number, costs: CpuCosts): number | null {
  const c = cpuPerIoUsUnchecked("lsi", 1, costs);
  const rho = (iops * c) / 1e6;
  if (rho >= 1) return null;
  const d = (1000 * oio) / iops - c / (1 - rho) / 1000;
  return d >= DEVICE_LATENCY_RANGE.min && d <= DEVICE_LATENCY_RANGE.max ? d : null;
}

/** The most IOPS LSI Logic reaches at `oio` outstanding I/Os on the fastest device the model allows. */
export function maxLsiIopsUnchecked(oio: number, costs: CpuCosts, release: Release): number {
  return adapterLatencyUnchecked("lsi", oio, DEVICE_LATENCY_RANGE.min, release, costs).iops;
}

export interface ObservedWorkload {
  /** The VM's IOPS as measured today on LSI Logic. */
  iops: number;
  /** Its outstanding I/Os (esxtop's ACTV for the VM's disk), 1..256. */
  oio: number;
  release: Release;
  ioSizeKiB?: number;
  costs?: CpuCosts;
}

export interface ObservedComparison extends Comparison {
  /** The device time the observed workload implies (ms). */
  deviceLatencyMs: number;
}

/** Checks an observed workload; the IOPS must be reachable by LSI Logic at that queue depth. */
export function checkObserved(input: ObservedWorkload): { iops: number; oio: number; release: Release; ioSizeKiB: number; costs: CpuCosts; deviceLatencyMs: number } {
  const r = checkRecord("workload", input);
  const oio = checkOio(r.oio);
  const iops = checkNumber("iops", r.iops, { min: 1, max: 1_000_000 });
  const release = checkOneOf("release", r.release, RELEASES);
  const ioSizeKiB = checkIoSize(r.ioSizeKiB);
  const costs = checkCosts(r.costs);
  const deviceLatencyMs = impliedDeviceLatencyUnchecked(iops, oio, costs);
  if (deviceLatencyMs === null) {
    const most = maxLsiIopsUnchecked(oio, costs, release);
    const least = (1000 * oio) / DEVICE_LATENCY_RANGE.max;
    throw new ModelInputError("iops", iops, `between ${Math.ceil(least).toLocaleString("en-US")} and ${Math.floor(most).toLocaleString("en-US")} IOPS for ${oio} outstanding I/O${oio === 1 ? "" : "s"} (what LSI Logic can deliver on a device of 0.01 ms to 10 s)`);
  }
  return { iops, oio, release, ioSizeKiB, costs, deviceLatencyMs };
}

/** The comparison for a workload as measured on LSI Logic: its IOPS and outstanding I/Os. */
export function compareObserved(input: ObservedWorkload): ObservedComparison {
  const w = checkObserved(input);
  return { ...compareUnchecked(w.oio, w.deviceLatencyMs, w.release, w.costs, w.ioSizeKiB), deviceLatencyMs: w.deviceLatencyMs };
}
