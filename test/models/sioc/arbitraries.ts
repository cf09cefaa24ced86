/**
 * fast-check generators and independent closed-form arithmetic shared by the SIOC tests. The
 * arithmetic here re-derives the spec's formulas (§3.4 array curve, §3.5 fixed point, the β rule
 * of parda.ts) from scratch, so tests never take an expected number from the implementation.
 */
import { fc } from "@fast-check/vitest";
import type { SiocConfig, VmConfig } from "../../../src/sioc/index.ts";

/** Any valid configuration, small enough for 1000 runs: used for invariants that must hold always. */
export const anyConfig = (maxSteps = 120): fc.Arbitrary<SiocConfig> =>
  fc
    .record({
      steps: fc.integer({ min: 1, max: maxSteps }),
      deviceQueueDepth: fc.integer({ min: 1, max: 256 }),
      maxIops: fc.oneof(fc.double({ min: 1, max: 10_000_000, noNaN: true }), fc.integer({ min: 100, max: 20_000 })),
      baseLatencyMs: fc.double({ min: 0.01, max: 100, noNaN: true }),
      thresholdMs: fc.double({ min: 5, max: 100, noNaN: true }),
      enabled: fc.boolean(),
      alpha: fc.option(fc.double({ min: 0, max: 0.99, noNaN: true }), { nil: undefined }),
      gamma: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
      wMinFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      hosts: fc.array(
        fc.array(
          fc.record({
            shares: fc.oneof(fc.constantFrom(500, 1000, 2000), fc.integer({ min: 1, max: 1_000_000 })),
            demandOio: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 256 }), fc.double({ min: 0, max: 256, noNaN: true })),
            limitIops: fc.option(fc.double({ min: 1, max: 100_000, noNaN: true }), { nil: undefined }),
            idle: fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
          }),
          { minLength: 0, maxLength: 4 },
        ),
        { minLength: 1, maxLength: 4 },
      ),
    })
    .map(({ hosts, wMinFraction, ...rest }) => ({
      ...rest,
      wMin: wMinFraction === undefined ? undefined : 1 + wMinFraction * (rest.deviceQueueDepth - 1),
      hosts: hosts.map((vms) => ({
        vms: vms.map(({ idle, ...vm }): VmConfig => {
          if (!idle) return vm;
          const idleFromStep = idle[0] % rest.steps;
          const length = idle[1] % (rest.steps + 1);
          return length > 0 ? { ...vm, idleFromStep, idleUntilStep: Math.min(rest.steps, idleFromStep + length) } : { ...vm, idleFromStep };
        }),
      })),
    }));

/** Every VM always backlogged (demand above any window), no limits, no idling. */
export const busyHosts = (maxHosts: number, maxVms: number, minHosts = 1) =>
  fc.array(fc.array(fc.integer({ min: 250, max: 4000 }), { minLength: 1, maxLength: maxVms }), {
    minLength: minHosts,
    maxLength: maxHosts,
  });

export function busyConfig(
  hostShares: number[][],
  params: Omit<SiocConfig, "hosts" | "enabled"> & { enabled?: boolean },
): SiocConfig {
  return {
    enabled: true,
    ...params,
    hosts: hostShares.map((vms) => ({ vms: vms.map((shares) => ({ shares, demandOio: 256 })) })),
  };
}

export interface CongestedArrayParams {
  thresholdMs: number;
  /** L0 as a fraction of the threshold. */
  baseLatencyFraction: number;
  deviceQueueDepth: number;
  /** Fraction of the hosts' total queue depth the array holds at the threshold. */
  load: number;
}

/**
 * Threshold 10–60 ms, DQLEN 16–128, and the ranges a test wants for L0/𝓛 (from 0.01) and `load`;
 * congestedArray turns a draw into array and controller settings.
 */
export const congestedArrayParams = (ranges: {
  maxBaseLatencyFraction: number;
  load: { min: number; max: number };
}): fc.Arbitrary<CongestedArrayParams> =>
  fc.record({
    thresholdMs: fc.double({ min: 10, max: 60, noNaN: true }),
    baseLatencyFraction: fc.double({ min: 0.01, max: ranges.maxBaseLatencyFraction, noNaN: true }),
    deviceQueueDepth: fc.constantFrom(16, 32, 64, 128),
    load: fc.double({ min: ranges.load.min, max: ranges.load.max, noNaN: true }),
  });

export function congestedArray(hostCount: number, p: CongestedArrayParams) {
  const baseLatencyMs = p.thresholdMs * p.baseLatencyFraction;
  // Pick C so that at the threshold the array holds `load` of the hosts' total queue depth.
  const maxIops = (1000 * p.load * hostCount * p.deviceQueueDepth) / (p.thresholdMs - baseLatencyMs);
  return { maxIops, baseLatencyMs, thresholdMs: p.thresholdMs, deviceQueueDepth: p.deviceQueueDepth };
}

/** Spec §3.4: latency with N outstanding I/Os. */
export const latencyAt = (maxIops: number, baseLatencyMs: number, n: number) => baseLatencyMs + (1000 * n) / maxIops;

/**
 * The β rule stated in parda.ts: Σ active shares / 1000 per host, all scaled by one factor so that
 * Σβ ≤ (hosts on the datastore × wMax) / 16.
 */
export function expectedBetas(activeSharesByHost: number[][], wMax: number): number[] {
  const raw = activeSharesByHost.map((shares) => shares.reduce((a, b) => a + b, 0) / 1000);
  const total = raw.reduce((a, b) => a + b, 0);
  const budget = (activeSharesByHost.length * wMax) / 16;
  return raw.map((b) => (total > budget ? (b * budget) / total : b));
}

/**
 * Spec §3.5 without clamping: B·L/(L − 𝓛) = (L − L0)·C/1000, i.e.
 * C·L² − (C·(L0 + 𝓛) + 1000·B)·L + C·L0·𝓛 = 0; the larger root is the one above 𝓛.
 */
export function unclampedSteadyLatencyMs(maxIops: number, baseLatencyMs: number, thresholdMs: number, betaTotal: number): number {
  const a = maxIops;
  const b = -(maxIops * (baseLatencyMs + thresholdMs) + 1000 * betaTotal);
  const c = maxIops * baseLatencyMs * thresholdMs;
  return (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
}

/**
 * The §3.5 steady state of backlogged hosts (busyConfig) on array `a`, windows left unclamped:
 * β from the shares, the latency root above, and each host's window β_i·L/(L − 𝓛).
 */
export function unclampedSteadyState(
  hostShares: number[][],
  a: { maxIops: number; baseLatencyMs: number; thresholdMs: number; deviceQueueDepth: number },
) {
  const betas = expectedBetas(hostShares, a.deviceQueueDepth);
  const B = betas.reduce((x, y) => x + y, 0);
  const latencyMs = unclampedSteadyLatencyMs(a.maxIops, a.baseLatencyMs, a.thresholdMs, B);
  const windows = betas.map((b) => (b * latencyMs) / (latencyMs - a.thresholdMs));
  return { betas, latencyMs, windows };
}

/** Collects every number anywhere inside a result (arrays, typed arrays, nested objects). */
export function allNumbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (ArrayBuffer.isView(value)) out.push(...Array.from(value as Float64Array));
  else if (Array.isArray(value)) for (const item of value) allNumbers(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) allNumbers(item, out);
  return out;
}

export const relClose = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
