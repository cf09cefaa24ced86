/**
 * When completions reach the guest, for one workload, with and without interrupt coalescing:
 * completions arrive every 1/X; without coalescing each raises its own interrupt at once; with
 * coalescing every k-th completion raises one interrupt that delivers it and the k − 1 held
 * before it. The mean hold is (k − 1)/2 gaps, the wait latency.ts adds to PVSCSI's latency.
 * Source: the vIC mechanism (Ahmad et al., USENIX ATC 2011, §3: no timers, delivery ratio set
 * from the commands in flight); spec §3.2.
 * Simplifications: completions evenly spaced at the model's mean rate; a fractional k (at the
 * 4.1+ threshold) is drawn rounded to the nearest whole batch.
 */
import { checkInteger } from "../shared/index.ts";
import { checkObserved, compareUnchecked, type ObservedWorkload } from "./compare.ts";

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
  /** Completions per interrupt drawn (a whole number ≥ 1). */
  k: number;
  withoutCoalescing: TimelineEvent[];
  withCoalescing: TimelineEvent[];
  /** Interrupt times with coalescing (ms). */
  interruptsMs: number[];
  /** Mean time a completion waited in the drawn window (ms) = (k − 1)/2 · gap over whole batches. */
  meanWaitMs: number;
}

export const TIMELINE_MAX_COMPLETIONS = 64;

export function completionTimeline(workload: ObservedWorkload, count = 16): CompletionTimeline {
  const w = checkObserved(workload);
  const n = checkInteger("count", count, { min: 1, max: TIMELINE_MAX_COMPLETIONS });
  const pv = compareUnchecked(w.oio, w.deviceLatencyMs, w.release, w.costs, w.ioSizeKiB).pvscsi;
  const k = Math.max(1, Math.round(pv.completionsPerInterrupt));
  const gapMs = 1000 / pv.iops;
  // Whole batches only, so the drawn window shows the steady pattern.
  const total = Math.max(k, Math.floor(n / k) * k);
  const withoutCoalescing: TimelineEvent[] = [];
  const withCoalescing: TimelineEvent[] = [];
  const interruptsMs: number[] = [];
  let waited = 0;
  for (let i = 0; i < total; i++) {
    const completedMs = (i + 1) * gapMs;
    const batchEnd = (Math.floor(i / k) + 1) * k;
    const deliveredMs = batchEnd * gapMs;
    withoutCoalescing.push({ index: i, completedMs, deliveredMs: completedMs });
    withCoalescing.push({ index: i, completedMs, deliveredMs });
    if (i + 1 === batchEnd) interruptsMs.push(deliveredMs);
    waited += deliveredMs - completedMs;
  }
  return { iops: pv.iops, gapMs, k, withoutCoalescing, withCoalescing, interruptsMs, meanWaitMs: waited / total };
}
