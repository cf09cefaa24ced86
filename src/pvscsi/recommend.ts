/**
 * Which adapter a VM should use, by how much, and why: the model's latency and CPU per I/O for
 * both adapters at the VM's measured IOPS and outstanding I/Os, the mechanism that decides it,
 * and what VMware's published rule says for the same workload.
 * Sources: VMware KB 1017652 (ESX 4.0: LSI Logic for < 2,000 IOPS with > 4 outstanding I/Os,
 * PVSCSI otherwise); Achtemichuk 2014 (resolved in vSphere 4.1); VROOM! 2010 (CPIO saving).
 * Simplifications: the verdict is on latency per I/O; the CPU saving is reported beside it.
 * The model's ESX 4.0 crossover is calibrated to the published 2,000 IOPS (policy.ts, HOLD_GAPS)
 * and lands within ±15 % of it for 5–64 outstanding I/Os with the default costs, so its verdict can
 * still differ from the published rule close to that line, or with other costs:
 * `agreesWithPublished` says when.
 */
import { checkObserved, compareUnchecked, type ObservedComparison, type ObservedWorkload } from "./compare.ts";
import { CIF_THRESHOLD, IOPS_THRESHOLD, hasIopsThreshold } from "./policy.ts";

export type Verdict = "pvscsi" | "lsi";

export interface Recommendation {
  /** The adapter with the lower latency per I/O in the model (PVSCSI on a tie: it costs less CPU). */
  adapter: Verdict;
  /** How much lower that adapter's latency is (ms, ≥ 0) and relative to the other (%). */
  latencySavingMs: number;
  latencySavingPercent: number;
  /** CPU per I/O PVSCSI saves over LSI Logic (µs, ≥ 0) and in % of LSI Logic's. */
  cpuSavingUs: number;
  cpuSavingPercent: number;
  /** What decides it, in one or two sentences with the model's numbers. */
  reason: string;
  /** The adapter VMware's published rule picks for this workload and release. */
  published: Verdict;
  agreesWithPublished: boolean;
  comparison: ObservedComparison;
}

const ms = (x: number) => (x >= 1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toPrecision(2));
const us = (x: number) => x.toFixed(1);
const int = (x: number) => Math.round(x).toLocaleString("en-US");

function explain(c: ObservedComparison, oio: number, iops: number, release: ObservedWorkload["release"]): string {
  const { lsi, pvscsi } = c;
  const cpuSavedMs = lsi.cpuPathMs - pvscsi.cpuPathMs;
  const k = pvscsi.completionsPerInterrupt;
  if (k === 1) {
    const why = oio <= CIF_THRESHOLD
      ? `With ${oio} outstanding I/O${oio === 1 ? "" : "s"} (not more than ${CIF_THRESHOLD}) PVSCSI does not coalesce interrupts`
      : pvscsi.iops < IOPS_THRESHOLD
        ? `From vSphere 4.1 PVSCSI does not coalesce interrupts below ${int(IOPS_THRESHOLD)} IOPS`
        : "From vSphere 4.1 PVSCSI coalesces only where that does not cost latency, and here it would";
    return `${why}: every completion gets its own interrupt, as with LSI Logic, so PVSCSI only saves CPU (${us(-c.deltaCpuPerIoUs)} µs per I/O) and its latency is ${ms(-c.deltaLatencyMs)} ms lower.`;
  }
  const held = `PVSCSI holds completions back until ${k} can share one interrupt: at ${int(pvscsi.iops)} IOPS that adds ${ms(pvscsi.coalesceWaitMs)} ms per I/O on average`;
  const release40 = hasIopsThreshold(release) ? "" : ` ESX ${release === "4.0" ? "4.0" : "4.0 Update 1"} coalesces on outstanding I/Os alone, whatever the IOPS.`;
  return c.deltaLatencyMs > 0
    ? `${held}, more than the ${ms(cpuSavedMs)} ms of CPU-path time it saves, so LSI Logic answers faster by ${ms(c.deltaLatencyMs)} ms.${release40}`
    : `${held}, less than the ${ms(cpuSavedMs)} ms of CPU-path time it saves, so PVSCSI answers faster by ${ms(-c.deltaLatencyMs)} ms.${release40}`;
}

/** The adapter for a workload measured on LSI Logic (its IOPS and outstanding I/Os), with the reason. */
export function recommend(workload: ObservedWorkload): Recommendation {
  const w = checkObserved(workload);
  const comparison = { ...compareUnchecked(w.oio, w.deviceLatencyMs, w.release, w.costs, w.ioSizeKiB), deviceLatencyMs: w.deviceLatencyMs };
  const { lsi, pvscsi, deltaLatencyMs, deltaCpuPerIoUs } = comparison;
  const adapter: Verdict = deltaLatencyMs > 0 ? "lsi" : "pvscsi";
  const slower = Math.max(lsi.latencyMs, pvscsi.latencyMs);
  const published: Verdict = comparison.worseZoneKb ? "lsi" : "pvscsi";
  return {
    adapter,
    latencySavingMs: Math.abs(deltaLatencyMs),
    latencySavingPercent: (100 * Math.abs(deltaLatencyMs)) / slower,
    cpuSavingUs: -deltaCpuPerIoUs,
    cpuSavingPercent: (100 * -deltaCpuPerIoUs) / lsi.cpuPerIoUs,
    reason: explain(comparison, w.oio, w.iops, w.release),
    published,
    agreesWithPublished: published === adapter,
    comparison,
  };
}
