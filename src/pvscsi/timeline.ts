/**
 * When completions reach the guest, for one workload, with and without interrupt coalescing:
 * without it each completion raises its own interrupt at once; with it only every k-th does, and
 * it delivers the k − 1 held before it. In the closed loop the guest re-issues a delivered batch
 * at once, so the next batch's completions come back bunched: drawn here as batches every k/X,
 * their members 2·HOLD_GAPS/(k·X) apart, which makes the drawn mean hold exactly the wait
 * latency.ts adds, HOLD_GAPS·(1 − 1/k)/X.
 * Source: the vIC mechanism (Ahmad et al., USENIX ATC 2011: batch size from the commands in
 * flight, no timers); US patent 8,478,924 claim 1 (ratio of delivered interrupts to completions);
 * spec §3.2, with the calibrated hold of policy.ts.
 * Simplifications: the bunching is drawn regular (real completions scatter around it).
 */
import { checkInteger } from "../shared/index.ts";
import { checkObserved, compareUnchecked, type ObservedWorkload } from "./compare.ts";
import { HOLD_GAPS } from "./policy.ts";

export interface TimelineEvent {
  /** Completion number, 0-based. */
  index: number;
  completedMs: number;
  /** When the guest hears of it: at once without coalescing, at its batch's interrupt with. */
  deliveredMs: number;
}

export interface CompletionTimeline {
  /** PVSCSI's throughput for the workload and the gap between completions (ms). */
  iops: number;
  gapMs: number;
  /** Completions per interrupt (a whole number ≥ 1). */
  k: number;
  withoutCoalescing: TimelineEvent[];
  withCoalescing: TimelineEvent[];
  /** Interrupt times with coalescing (ms). */
  interruptsMs: number[];
  /** Mean time a completion waited in the drawn window (ms): the model's coalescing wait. */
  meanWaitMs: number;
}

export const TIMELINE_MAX_COMPLETIONS = 64;

export function completionTimeline(workload: ObservedWorkload, count = 16): CompletionTimeline {
  const w = checkObserved(workload);
  const n = checkInteger("count", count, { min: 1, max: TIMELINE_MAX_COMPLETIONS });
  const pv = compareUnchecked(w.oio, w.deviceLatencyMs, w.release, w.costs, w.ioSizeKiB).pvscsi;
  const k = pv.completionsPerInterrupt;
  const gapMs = 1000 / pv.iops;
  // Members of one batch, this far apart, the last one closing the batch at the end of its period.
  const spacingMs = k === 1 ? 0 : (2 * HOLD_GAPS * gapMs) / k;
  // Whole batches only, so the drawn window shows the steady pattern.
  const total = Math.max(k, Math.floor(n / k) * k);
  const withoutCoalescing: TimelineEvent[] = [];
  const withCoalescing: TimelineEvent[] = [];
  const interruptsMs: number[] = [];
  let waited = 0;
  for (let i = 0; i < total; i++) {
    const batch = Math.floor(i / k);
    const deliveredMs = (batch + 1) * k * gapMs;
    const completedMs = deliveredMs - (k - 1 - (i % k)) * spacingMs;
    withoutCoalescing.push({ index: i, completedMs, deliveredMs: completedMs });
    withCoalescing.push({ index: i, completedMs, deliveredMs });
    if (i % k === k - 1) interruptsMs.push(deliveredMs);
    waited += deliveredMs - completedMs;
  }
  return { iops: pv.iops, gapMs, k, withoutCoalescing, withCoalescing, interruptsMs, meanWaitMs: waited / total };
}
