/**
 * The PARDA control law that SIOC productised: each host smooths the datastore-wide latency with an
 * EWMA and moves its issue-queue window toward (𝓛/L)·w + β, so windows shrink above the threshold,
 * grow below it, and settle in proportion to the host weights β.
 * Source: Gulati, Ahmad, Waldspurger, "PARDA: Proportional Allocation of Resources for Distributed
 * Storage Access", FAST '09, §3 eqs. 1–2 (control law), §3.4 and §5 Fig. 13 (β from active VMs).
 * Simplifications [A]: β_i = Σ shares of the host's active VMs / 1000, scaled down for the whole
 * datastore when Σβ would exceed 1/16 of all its hosts' queue depth; one step per second.
 */
import { checkNumbers } from "../shared/fields.ts";
import { checkArray, checkNumber, checkRecord } from "../shared/index.ts";

/** Shares that make β = 1: one Normal VM. */
export const BETA_SHARES_UNIT = 1000;

/**
 * Σβ may be at most this fraction of Σ wMax over the datastore's hosts [A]. At the fixed point each host
 * keeps w_i·(1 − 𝓛/L) = β_i I/Os "above" the threshold, so L/𝓛 = W/(W − B): with raw share-based β
 * a host with 31 Normal VMs and DQLEN 32 would have β = 31, its window would pin at wMax and SIOC
 * would never throttle. Scaling every β by one factor keeps their ratios, and the paper's runs
 * (mean host β ≤ wMax/16: Table 3, Figs. 8 and 12) are left unscaled. The budget counts every host
 * attached to the datastore, idle or not, so a VM or host going idle never lowers another's β.
 */
export const BETA_QUEUE_FRACTION = 1 / 16;

/** The common factor applied to raw share-based β values (1 when no scaling is needed). */
export function betaScaleUnchecked(rawBetaTotal: number, hostCount: number, wMax: number): number {
  const budget = hostCount * wMax * BETA_QUEUE_FRACTION;
  return rawBetaTotal > budget ? budget / rawBetaTotal : 1;
}

export function ewmaUnchecked(previousMs: number, observedMs: number, alpha: number): number {
  return (1 - alpha) * observedMs + alpha * previousMs;
}

export function windowUpdateUnchecked(
  windowSlots: number,
  latencyMs: number,
  thresholdMs: number,
  beta: number,
  gamma: number,
  wMin: number,
  wMax: number,
): number {
  if (beta <= 0) return wMin;
  const next = (1 - gamma) * windowSlots + gamma * ((thresholdMs / latencyMs) * windowSlots + beta);
  return next < wMin ? wMin : next > wMax ? wMax : next;
}

/**
 * The window the law settles at for a fixed latency: w = β·L/(L − 𝓛) clamped to [wMin, wMax];
 * wMax when L ≤ 𝓛 (the law only grows the window), wMin when β = 0.
 */
export function fixedPointUnchecked(beta: number, latencyMs: number, thresholdMs: number, wMin: number, wMax: number): number {
  if (beta <= 0) return wMin;
  if (latencyMs <= thresholdMs) return wMax;
  // Dividing first keeps β·L/(L − 𝓛) finite when L − 𝓛 is tiny: the clamp then catches it.
  const w = beta * (latencyMs / (latencyMs - thresholdMs));
  return w < wMin ? wMin : w > wMax ? wMax : w;
}

/** Ranges of the per-call entry points: latencies and slot counts, and the weights α and γ. */
const NON_NEGATIVE = { min: 0, max: 1e6 };
const POSITIVE = { min: 0, max: 1e6, exclusiveMin: true };
const WEIGHT = { min: 0, max: 1 };

export interface EwmaInput {
  previousMs: number;
  observedMs: number;
  /** Weight of the previous estimate, 0..1. */
  alpha: number;
}

/** PARDA eq. 1: L(t) = (1 − α)·l_observed + α·L(t − 1). */
export function ewmaLatencyMs(input: EwmaInput): number {
  const { previousMs, observedMs, alpha } = checkNumbers(checkRecord("input", input), {
    previousMs: NON_NEGATIVE,
    observedMs: NON_NEGATIVE,
    alpha: WEIGHT,
  });
  return ewmaUnchecked(previousMs, observedMs, alpha);
}

export interface WindowInput {
  windowSlots: number;
  /** The smoothed datastore-wide latency L(t). */
  latencyMs: number;
  thresholdMs: number;
  beta: number;
  gamma: number;
  wMin: number;
  wMax: number;
}

function checkWindowBounds(r: Record<string, unknown>): { wMin: number; wMax: number } {
  const wMin = checkNumber("wMin", r.wMin, NON_NEGATIVE);
  const wMax = checkNumber("wMax", r.wMax, { min: wMin, max: 1e6 });
  return { wMin, wMax };
}

/** PARDA eq. 2: w(t+1) = clamp((1 − γ)·w + γ·((𝓛/L)·w + β), wMin, wMax); wMin when β = 0. */
export function nextWindowSlots(input: WindowInput): number {
  const r = checkRecord("input", input);
  const { wMin, wMax } = checkWindowBounds(r);
  const { windowSlots, latencyMs, thresholdMs, beta, gamma } = checkNumbers(r, {
    windowSlots: NON_NEGATIVE,
    latencyMs: POSITIVE,
    thresholdMs: POSITIVE,
    beta: NON_NEGATIVE,
    gamma: WEIGHT,
  });
  return windowUpdateUnchecked(windowSlots, latencyMs, thresholdMs, beta, gamma, wMin, wMax);
}

/** The law's inputs other than the current window and γ, which do not move its fixed point. */
export type FixedPointInput = Pick<WindowInput, "beta" | "latencyMs" | "thresholdMs" | "wMin" | "wMax">;

/** The window at which the law stops moving for a given latency (spec §3.5). */
export function fixedPointWindowSlots(input: FixedPointInput): number {
  const r = checkRecord("input", input);
  const { wMin, wMax } = checkWindowBounds(r);
  const { beta, latencyMs, thresholdMs } = checkNumbers(r, { beta: NON_NEGATIVE, latencyMs: POSITIVE, thresholdMs: POSITIVE });
  return fixedPointUnchecked(beta, latencyMs, thresholdMs, wMin, wMax);
}

export interface HostBetasInput {
  /** For each host on the datastore, the shares of its VMs that currently have I/O outstanding. */
  activeShares: number[][];
  /** wMax, the per-host device queue depth. */
  deviceQueueDepth: number;
}

/**
 * β of every host from the shares of its active VMs (PARDA §3.4): Σ shares / 1000, all scaled by one
 * factor when needed so that Σβ ≤ (hosts × wMax) / 16. A host with no active VM gets β = 0.
 */
export function hostBetas(input: HostBetasInput): number[] {
  const r = checkRecord("input", input);
  const wMax = checkNumber("deviceQueueDepth", r.deviceQueueDepth, { min: 1, max: 1e6 });
  const hosts = checkArray("activeShares", r.activeShares, (host, hostField) =>
    checkArray(hostField, host, (value, field) => checkNumber(field, value, { min: 1, max: 1_000_000 })),
  );
  const raw = hosts.map((shares) => {
    let total = 0;
    for (let i = 0; i < shares.length; i++) total += shares[i];
    return total / BETA_SHARES_UNIT;
  });
  let rawTotal = 0;
  for (const beta of raw) rawTotal += beta;
  const scale = betaScaleUnchecked(rawTotal, raw.length, wMax);
  return raw.map((beta) => beta * scale);
}
