/**
 * The storage array as a closed queueing system: N outstanding I/Os see latency L0 + 1000·N/C and
 * complete at X = 1000·N/latency IOPS (Little's law), which approaches but never reaches C.
 * Also the vSphere 5.1+ automatic congestion threshold: the latency at which the datastore delivers
 * a given percentage (default 90 %) of its peak throughput.
 * Sources: curve is spec §3.4 [A]; automatic mode from the vSphere API enum StorageIORMThresholdMode
 * and IORMConfigInfo.congestionThresholdPercentOfPeakThroughput (50–100 %, default 90).
 * Simplifications: one service centre, no read/write or I/O-size mix; the real I/O injector that
 * measures the peak is replaced by this analytic curve.
 */
import { checkNumbers } from "../shared/fields.ts";
import { checkNumber, checkRecord } from "../shared/index.ts";

export interface ArrayParams {
  /** Saturation throughput C, IOPS. */
  maxIops: number;
  /** Service latency with no queueing L0, ms. */
  baseLatencyMs: number;
}

/** Unchecked kernel for the simulation loop; callers validate first. */
export function latencyMsUnchecked(maxIops: number, baseLatencyMs: number, outstandingIos: number): number {
  return baseLatencyMs + (1000 * outstandingIos) / maxIops;
}

function checkArrayParams(value: unknown): ArrayParams {
  return checkNumbers(checkRecord("array", value), {
    maxIops: { min: 1, max: 10_000_000 },
    baseLatencyMs: { min: 0.01, max: 100 },
  });
}

function checkOutstanding(value: unknown): number {
  return checkNumber("outstandingIos", value, { min: 0, max: 10_000_000 });
}

/** Device latency (ms) with `outstandingIos` I/Os queued at the array. */
export function arrayLatencyMs(array: ArrayParams, outstandingIos: number): number {
  const { maxIops, baseLatencyMs } = checkArrayParams(array);
  return latencyMsUnchecked(maxIops, baseLatencyMs, checkOutstanding(outstandingIos));
}

/** Array throughput (IOPS) with `outstandingIos` I/Os queued: 1000·N / latency, always < C. */
export function arrayIops(array: ArrayParams, outstandingIos: number): number {
  const { maxIops, baseLatencyMs } = checkArrayParams(array);
  const n = checkOutstanding(outstandingIos);
  return (1000 * n) / latencyMsUnchecked(maxIops, baseLatencyMs, n);
}

export interface AutomaticThresholdInput extends ArrayParams {
  /** Σ wMax over the hosts: the most I/Os the hosts can keep queued, which defines the peak. */
  totalSlots: number;
  /** Percentage of peak throughput, 50..100, default 90. */
  peakPercent?: number;
}

export interface AutomaticThresholdPoint {
  thresholdMs: number;
  /** Outstanding I/Os N* at which the array delivers `iops`. */
  outstandingIos: number;
  iops: number;
  peakIops: number;
}

/**
 * The operating point of the automatic threshold. With X(N) = C·N/(N + K), K = L0·C/1000 and
 * X_peak = X(N_max), solving X(N*) = p·X_peak gives N* = p·N_max·K / (K + (1 − p)·N_max), a form
 * with no cancellation as p → 1 (where it lands exactly on N_max).
 */
export function automaticThresholdPoint(input: AutomaticThresholdInput): AutomaticThresholdPoint {
  const record = checkRecord("input", input);
  const { maxIops, baseLatencyMs } = checkArrayParams(record);
  const totalSlots = checkNumber("totalSlots", record.totalSlots, { min: 1, max: 10_000_000 });
  const peakPercent =
    record.peakPercent === undefined ? 90 : checkNumber("peakPercent", record.peakPercent, { min: 50, max: 100 });
  const peakIops = (1000 * totalSlots) / latencyMsUnchecked(maxIops, baseLatencyMs, totalSlots);
  const p = peakPercent / 100;
  const k = (baseLatencyMs * maxIops) / 1000;
  const outstandingIos = Math.min(totalSlots, (p * totalSlots * k) / (k + (1 - p) * totalSlots));
  return {
    thresholdMs: latencyMsUnchecked(maxIops, baseLatencyMs, outstandingIos),
    outstandingIos,
    iops: p * peakIops,
    peakIops,
  };
}

/**
 * The congestion threshold (ms) that vSphere 5.1+ picks in automatic mode. Not clamped to the
 * 5–100 ms range of the manual setting: a fast array can yield less than 5 ms.
 */
export function automaticThreshold(input: AutomaticThresholdInput): number {
  return automaticThresholdPoint(input).thresholdMs;
}
