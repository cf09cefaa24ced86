/**
 * Latency per I/O and throughput of one adapter for a guest that keeps `oio` I/Os outstanding
 * (a closed loop), on a device with service time d:
 *   latency = d + CPU-path time c/(1 − ρ) + coalescing wait (k − 1)/(2X),  ρ = X·c,
 *   X = 1000·oio / latency (Little's law).
 * A held completion waits, on average, for (k − 1)/2 of the completions that follow it, each 1/X
 * apart. Multiplying by X turns the fixed point into a quadratic in X with exactly one root
 * below the CPU cap 1/c, so it is solved in closed form rather than iterated.
 * Source: spec §3.2 (models/pvscsi.md), built on the vIC paper's mechanism (USENIX ATC 2011, §3).
 * Simplifications [A]: one vCPU serves the I/O path as a single queue (mean-value, c/(1 − ρ));
 * completions are evenly spaced; the physical HBA's own coalescing, guest driver queue limits
 * and I/O size are left out. Where the 4.1+ policy would switch coalescing on exactly at the
 * IOPS threshold, vIC's periodic re-evaluation makes it alternate: we model that as a time share
 * of the two modes (a fractional k) that keeps X at the threshold.
 */
import { bisect, checkNumber, checkOneOf, checkRecord } from "../shared/index.ts";
import { checkCosts, cpuPerIoUsUnchecked, type CpuCosts } from "./costs.ts";
import { ADAPTERS, IOPS_THRESHOLD, OIO_RANGE, RELEASES, cifFactorUnchecked, hasIopsThreshold, type Adapter, type Release } from "./policy.ts";

/** Device service time the model accepts (ms): from a fast flash array to a badly overloaded one. */
export const DEVICE_LATENCY_RANGE = { min: 0.01, max: 10_000 } as const;

export interface AdapterResult {
  adapter: Adapter;
  /** Throughput the guest achieves (IOPS). */
  iops: number;
  /** Latency per I/O the guest sees (ms) = device + CPU path + coalescing wait. */
  latencyMs: number;
  deviceLatencyMs: number;
  /** Time on the vCPU's I/O path, queueing included (ms). */
  cpuPathMs: number;
  /** Mean time a completion is held for a shared interrupt (ms); 0 without coalescing. */
  coalesceWaitMs: number;
  /** CPU per I/O (µs). */
  cpuPerIoUs: number;
  /** Completions per virtual interrupt, k ≥ 1 (fractional only at the 4.1+ threshold). */
  completionsPerInterrupt: number;
  interruptsPerSec: number;
  /** Share of the vCPU the I/O path keeps busy, ρ < 1. */
  vcpuUtilisation: number;
}

/**
 * The X > 0 with a·X + ρ/(1 − ρ) + (k − 1)/2 = oio, ρ = b·X < 1, where a = d/1000 s and b = c/10⁶ s:
 * the smaller root of ab·X² − (a + b(1 + m))·X + m = 0, m = oio − (k − 1)/2, written in the form
 * that does not cancel (2m / (B + √disc)), with disc = (a − b(1 + m))² + 4ab > 0.
 */
function closedLoopIops(oio: number, deviceLatencyMs: number, cpuUs: number, k: number): number {
  const a = deviceLatencyMs / 1000;
  const b = cpuUs / 1e6;
  const m = oio - (k - 1) / 2;
  const B = a + b * (1 + m);
  const diff = a - b * (1 + m);
  return (2 * m) / (B + Math.sqrt(diff * diff + 4 * a * b));
}

function result(adapter: Adapter, iops: number, deviceLatencyMs: number, k: number, costs: CpuCosts): AdapterResult {
  const cpuPerIoUs = cpuPerIoUsUnchecked(adapter, k, costs);
  const rho = (iops * cpuPerIoUs) / 1e6;
  const cpuPathMs = cpuPerIoUs / (1 - rho) / 1000;
  const coalesceWaitMs = ((k - 1) / (2 * iops)) * 1000;
  return {
    adapter,
    iops,
    latencyMs: deviceLatencyMs + cpuPathMs + coalesceWaitMs,
    deviceLatencyMs,
    cpuPathMs,
    coalesceWaitMs,
    cpuPerIoUs,
    completionsPerInterrupt: k,
    interruptsPerSec: iops / k,
    vcpuUtilisation: rho,
  };
}

/**
 * The completions per interrupt the adapter settles at for this queue depth and device: the
 * release's policy evaluated at the throughput it produces (a fixed point, spec §3.1–3.2).
 */
export function settledFactorUnchecked(adapter: Adapter, oio: number, deviceLatencyMs: number, release: Release, costs: CpuCosts): number {
  const kCif = adapter === "lsi" ? 1 : cifFactorUnchecked(oio);
  if (kCif === 1 || !hasIopsThreshold(release)) return kCif;
  // 4.1+: coalescing only at or above the IOPS threshold. Below it, k = 1 is self-consistent…
  if (closedLoopIops(oio, deviceLatencyMs, cpuPerIoUsUnchecked(adapter, 1, costs), 1) < IOPS_THRESHOLD) return 1;
  // …above it, k = kCif is…
  if (closedLoopIops(oio, deviceLatencyMs, cpuPerIoUsUnchecked(adapter, kCif, costs), kCif) >= IOPS_THRESHOLD) return kCif;
  // …and between, the policy flips each epoch: the time share of the two modes (a fractional k)
  // that holds X exactly at the threshold.
  const x = IOPS_THRESHOLD;
  const a = deviceLatencyMs / 1000;
  const gap = (k: number) => {
    const rho = (x * cpuPerIoUsUnchecked(adapter, k, costs)) / 1e6;
    return a * x + rho / (1 - rho) + (k - 1) / 2 - oio;
  };
  return bisect(gap, 1, kCif, { tolerance: 1e-13 });
}

/** The throughput at a settled k: a whole k solves the loop; a fractional one is the threshold time share. */
function iopsAt(adapter: Adapter, oio: number, deviceLatencyMs: number, k: number, costs: CpuCosts): number {
  return Number.isInteger(k) ? closedLoopIops(oio, deviceLatencyMs, cpuPerIoUsUnchecked(adapter, k, costs), k) : IOPS_THRESHOLD;
}

/** Throughput alone, with no result object: the crossover map's inner loop. */
export function adapterIopsUnchecked(adapter: Adapter, oio: number, deviceLatencyMs: number, release: Release, costs: CpuCosts): number {
  return iopsAt(adapter, oio, deviceLatencyMs, settledFactorUnchecked(adapter, oio, deviceLatencyMs, release, costs), costs);
}

export function adapterLatencyUnchecked(adapter: Adapter, oio: number, deviceLatencyMs: number, release: Release, costs: CpuCosts): AdapterResult {
  const k = settledFactorUnchecked(adapter, oio, deviceLatencyMs, release, costs);
  return result(adapter, iopsAt(adapter, oio, deviceLatencyMs, k, costs), deviceLatencyMs, k, costs);
}

export interface AdapterLatencyInput {
  adapter: Adapter;
  /** Outstanding I/Os the guest keeps, 1..256. */
  oio: number;
  /** The device's (array + fabric) service time, ms. */
  deviceLatencyMs: number;
  release: Release;
  costs?: CpuCosts;
}

export function checkOio(value: unknown): number {
  return checkNumber("oio", value, OIO_RANGE);
}

export function checkDeviceLatency(value: unknown): number {
  return checkNumber("deviceLatencyMs", value, DEVICE_LATENCY_RANGE);
}

/** One adapter in the closed loop: its throughput, latency per I/O and CPU per I/O (spec §3.2). */
export function adapterLatency(input: AdapterLatencyInput): AdapterResult {
  const r = checkRecord("input", input);
  const adapter = checkOneOf("adapter", r.adapter, ADAPTERS);
  const oio = checkOio(r.oio);
  const deviceLatencyMs = checkDeviceLatency(r.deviceLatencyMs);
  const release = checkOneOf("release", r.release, RELEASES);
  return adapterLatencyUnchecked(adapter, oio, deviceLatencyMs, release, checkCosts(r.costs));
}
