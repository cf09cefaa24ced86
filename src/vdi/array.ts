/**
 * The array behind one datastore: a RAID group of spinning disks, optionally fronted by a flash
 * cache (EMC FAST Cache in the reference architecture). Front-end I/Os that hit the cache are
 * served in about a millisecond; misses reach the disks, writes multiplied by the RAID penalty.
 * Source: spec sdrs.md §4.2 (back-end IOPS and utilisation equations); FAST Cache lowering
 * response time for reads and writes is EMC's qualitative statement (XenDesktop 5.6 MCS on VNX).
 * Simplifications [A]: per-disk IOPS and service times are rules of thumb; the cache's hit ratios
 * are inputs, not simulated; one M/M/1-like curve serviceMs/(1 − ρ) per RAID group, with ρ held
 * at 0.999 for the curve and any excess kept as a backlog by the caller (morning.ts).
 */
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkRecord } from "../shared/index.ts";

export const DISK_TYPES = ["15k", "10k", "sata"] as const;
export type DiskType = (typeof DISK_TYPES)[number];
export const RAID_LEVELS = ["raid5", "raid10"] as const;
export type RaidLevel = (typeof RAID_LEVELS)[number];

/** Rules of thumb [A]: IOPS one disk sustains for small random I/O, and its unloaded service time. */
export const DISKS: Record<DiskType, { label: string; iops: number; serviceMs: number }> = {
  "15k": { label: "15,000 rpm FC/SAS", iops: 180, serviceMs: 5 },
  "10k": { label: "10,000 rpm SAS", iops: 140, serviceMs: 7 },
  sata: { label: "7,200 rpm SATA/NL-SAS", iops: 80, serviceMs: 12 },
};
/** Back-end writes per front-end write: the standard rule (RAID 5: read data + parity, write both). */
export const RAID_WRITE_PENALTY: Record<RaidLevel, number> = { raid5: 4, raid10: 2 };
/** Latency of a front-end I/O served from flash [A]. */
export const CACHE_HIT_MS = 1;
/** The utilisation the latency curve is evaluated at, at most (spec §4.2). */
export const MAX_CURVE_RHO = 0.999;

export interface ArrayConfig {
  spindles: number;
  diskType: DiskType;
  raid: RaidLevel;
  flashCache: boolean;
  /** Share of reads / writes absorbed by the flash cache when it is on, 0..100 %. */
  readHitPct: number;
  writeHitPct: number;
}

/** Spec §4.2 defaults: hit ratio 0.8 for reads, 0.5 for writes [A]. */
export const DEFAULT_ARRAY: ArrayConfig = { spindles: 40, diskType: "15k", raid: "raid10", flashCache: true, readHitPct: 80, writeHitPct: 50 };

export function checkArrayConfig(value: unknown, field = "array"): ArrayConfig {
  const a = checkRecord(field, value);
  return {
    spindles: checkInteger(`${field}.spindles`, a.spindles, { min: 1, max: 1000 }),
    diskType: checkOneOf(`${field}.diskType`, a.diskType, DISK_TYPES),
    raid: checkOneOf(`${field}.raid`, a.raid, RAID_LEVELS),
    flashCache: checkBoolean(`${field}.flashCache`, a.flashCache),
    readHitPct: checkNumber(`${field}.readHitPct`, a.readHitPct, { min: 0, max: 100 }),
    writeHitPct: checkNumber(`${field}.writeHitPct`, a.writeHitPct, { min: 0, max: 100 }),
  };
}

export interface ArrayLoad {
  /** Back-end disk IOPS the front-end load turns into. */
  backendIops: number;
  /** What the disks can do: spindles × per-disk IOPS. */
  capacityIops: number;
  /** backendIops / capacityIops; above 1 the disks cannot keep up. */
  rho: number;
  /** Share of front-end I/Os served by the flash cache. */
  hitShare: number;
  /** Mean front-end latency with no backlog. */
  latencyMs: number;
}

/** Hit ratios in effect: zero when the cache is off. */
function hitRatios(array: ArrayConfig): { read: number; write: number } {
  return array.flashCache ? { read: array.readHitPct / 100, write: array.writeHitPct / 100 } : { read: 0, write: 0 };
}

/** Back-end I/Os per front-end I/O for a read share: r(1 − h_r) + (1 − r)·penalty·(1 − h_w). */
export function backendPerFrontIo(array: ArrayConfig, readPct: number): number {
  const h = hitRatios(array);
  const r = readPct / 100;
  return r * (1 - h.read) + (1 - r) * RAID_WRITE_PENALTY[array.raid] * (1 - h.write);
}

/** Front-end IOPS at which the disks are fully busy (ρ = 1) for this read share. */
export function frontCapacityIops(array: ArrayConfig, readPct: number): number {
  const perIo = backendPerFrontIo(array, readPct);
  const capacity = array.spindles * DISKS[array.diskType].iops;
  // Everything served by flash (hit ratios of 100 %): the disks never limit; report a large finite figure.
  return perIo > 0 ? capacity / perIo : capacity * 1e6;
}

/** Unchecked: callers validate `array` once and call this per time step. */
export function arrayLoadUnchecked(array: ArrayConfig, frontIops: number, readPct: number): ArrayLoad {
  const h = hitRatios(array);
  const r = readPct / 100;
  const hitShare = r * h.read + (1 - r) * h.write;
  const backendIops = frontIops * backendPerFrontIo(array, readPct);
  const disk = DISKS[array.diskType];
  const capacityIops = array.spindles * disk.iops;
  const rho = backendIops / capacityIops;
  const missMs = disk.serviceMs / (1 - Math.min(rho, MAX_CURVE_RHO));
  return { backendIops, capacityIops, rho, hitShare, latencyMs: hitShare * CACHE_HIT_MS + (1 - hitShare) * missMs };
}

/** The load a front-end IOPS figure with a given read share puts on the array. */
export function arrayLoad(array: ArrayConfig, frontIops: number, readPct: number): ArrayLoad {
  return arrayLoadUnchecked(
    checkArrayConfig(array),
    checkNumber("frontIops", frontIops, { min: 0, max: 1e9 }),
    checkNumber("readPct", readPct, { min: 0, max: 100 }),
  );
}
