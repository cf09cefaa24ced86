/**
 * How much disk an offline scan pass has to read: every desktop's used space (full) or only what
 * changed since the last pass (incremental), with the linked clones' shared replica read once or
 * once per desktop.
 * Source: spec vmsafe.md §3 (bytesToScanGB); VMware Horizon "Storage Sizing for Instant-Clone and
 * Linked-Clone Desktop Pools" for the shared replica. Simplifications: uniform desktops; an
 * incremental pass leaves out the first full pass and the re-read after a base-image recompose.
 */
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkRecord } from "../shared/index.ts";

export const SCAN_MODES = ["full", "incremental"] as const;
export type ScanMode = (typeof SCAN_MODES)[number];

export interface PoolInput {
  desktops: number;
  usedGBPerDesktop: number;
  mode: ScanMode;
  /** Data each desktop changes per day, GB (incremental passes read only this). */
  changedGBPerDayPerDesktop: number;
  /** Fraction of a desktop's used space that is the shared replica (0 for full clones). */
  linkedCloneShare: number;
  /** Read the shared replica once for the pool instead of once per desktop. */
  scanSharedOnce: boolean;
}

export const POOL_LIMITS = {
  desktops: { min: 1, max: 20_000 },
  usedGBPerDesktop: { min: 0, max: 2048, exclusiveMin: true },
  changedGBPerDayPerDesktop: { min: 0, max: 1024, exclusiveMin: true },
  linkedCloneShare: { min: 0, max: 0.99 },
} as const;

export function checkPool(r: Record<string, unknown>): PoolInput {
  return {
    desktops: checkInteger("desktops", r.desktops, POOL_LIMITS.desktops),
    usedGBPerDesktop: checkNumber("usedGBPerDesktop", r.usedGBPerDesktop, POOL_LIMITS.usedGBPerDesktop),
    mode: checkOneOf("mode", r.mode, SCAN_MODES),
    changedGBPerDayPerDesktop: checkNumber("changedGBPerDayPerDesktop", r.changedGBPerDayPerDesktop, POOL_LIMITS.changedGBPerDayPerDesktop),
    linkedCloneShare: checkNumber("linkedCloneShare", r.linkedCloneShare, POOL_LIMITS.linkedCloneShare),
    scanSharedOnce: checkBoolean("scanSharedOnce", r.scanSharedOnce),
  };
}

export function bytesToScanGBUnchecked(p: PoolInput): number {
  if (p.mode === "incremental") return p.desktops * p.changedGBPerDayPerDesktop;
  const own = p.desktops * p.usedGBPerDesktop * (1 - p.linkedCloneShare);
  const shared = p.usedGBPerDesktop * p.linkedCloneShare * (p.scanSharedOnce ? 1 : p.desktops);
  return own + shared;
}

/** GB one offline pass over the pool reads (and scans). */
export function bytesToScanGB(input: PoolInput): number {
  return bytesToScanGBUnchecked(checkPool(checkRecord("input", input)));
}
