/**
 * vShield Endpoint style offload: one partner security VM (SVM) per host scans for the desktops
 * on that host, and a shared scan cache skips files whose verdict is already known — the linked
 * clones' replica once, and files identical across desktops once.
 * Sources: spec vmsafe.md §5; VMware vCAT 3.1 "vShield Endpoint"; Trend Micro Deep Security
 * "Virtual Appliance Scan Caching" (a file already scanned on one VM is skipped on the others).
 * Simplifications: the duplicate fraction is an assumption [A], uniform over desktops; cache
 * lookups cost nothing; SVMs are balanced; on-access scanning in steady state reads only the data
 * the desktops change.
 */
import { checkInteger, checkNumber, checkRecord } from "../shared/index.ts";
import { POOL_LIMITS } from "./workload.ts";

export interface OffloadInput {
  desktops: number;
  hosts: number;
  usedGBPerDesktop: number;
  linkedCloneShare: number;
  /** Fraction of each desktop's own data that is identical to other desktops' files [A]. */
  dupAcrossDesktops: number;
  svmCores: number;
  scanMBpsPerCore: number;
  coreMHz: number;
  changedGBPerDayPerDesktop: number;
  windowH: number;
}

export interface OffloadResult {
  /** What agents in every desktop would read: N × used GB. */
  totalGB: number;
  /** What the shared cache leaves to scan once. */
  uniqueGB: number;
  /** totalGB / uniqueGB, at least 1. */
  dedupRatio: number;
  /** All SVMs together, MB/s. */
  svmMBps: number;
  /** Hours a first full pass over the pool takes. */
  hours: number;
  fitsWindow: boolean;
  /** Steady on-access work: the data desktops change, GB per day, and the hours of SVM time it takes. */
  onAccessGBPerDay: number;
  onAccessHoursPerDay: number;
  /** The scanning CPU can never exceed the SVMs' cores: no per-desktop summit. */
  peakScanCpuMHz: number;
}

export function offload(input: OffloadInput): OffloadResult {
  const r = checkRecord("input", input);
  const N = checkInteger("desktops", r.desktops, POOL_LIMITS.desktops);
  const hosts = checkInteger("hosts", r.hosts, { min: 1, max: 1024 });
  const U = checkNumber("usedGBPerDesktop", r.usedGBPerDesktop, POOL_LIMITS.usedGBPerDesktop);
  const s = checkNumber("linkedCloneShare", r.linkedCloneShare, POOL_LIMITS.linkedCloneShare);
  const dup = checkNumber("dupAcrossDesktops", r.dupAcrossDesktops, { min: 0, max: 0.99 });
  const svmCores = checkInteger("svmCores", r.svmCores, { min: 1, max: 64 });
  const rate = checkNumber("scanMBpsPerCore", r.scanMBpsPerCore, { min: 0, exclusiveMin: true, max: 10_000 });
  const coreMHz = checkNumber("coreMHz", r.coreMHz, { min: 0, exclusiveMin: true, max: 100_000 });
  const C = checkNumber("changedGBPerDayPerDesktop", r.changedGBPerDayPerDesktop, POOL_LIMITS.changedGBPerDayPerDesktop);
  const windowH = checkNumber("windowH", r.windowH, { min: 0, exclusiveMin: true, max: 168 });
  const totalGB = N * U;
  const uniqueGB = U * s + N * U * (1 - s) * (1 - dup);
  const svmMBps = hosts * svmCores * rate;
  const hours = (uniqueGB * 1024) / svmMBps / 3600;
  const onAccessGBPerDay = N * C;
  return {
    totalGB,
    uniqueGB,
    // uniqueGB ≤ totalGB by construction; max() keeps rounding from showing 0.9999999.
    dedupRatio: Math.max(1, totalGB / uniqueGB),
    svmMBps,
    hours,
    fitsWindow: hours <= windowH,
    onAccessGBPerDay,
    onAccessHoursPerDay: (onAccessGBPerDay * 1024) / svmMBps / 3600,
    peakScanCpuMHz: hosts * svmCores * coreMHz,
  };
}
