/**
 * The SIOC loop, one control step per simulated second: each host divides its window among its
 * active VMs (scheduler.ts), the array answers with one latency for everyone (array.ts), the hosts
 * smooth that datastore-wide latency and move their windows (parda.ts). With SIOC off every window
 * stays at the device queue depth.
 * Source: PARDA (FAST '09) §3 and §4; SIOC 4.1 technical overview (per-datastore, threshold-driven).
 * Simplifications: fluid mean-value model, every host sees the same latency, a limited VM's slots
 * are sized from the previous step's latency, and it starts from the uncontrolled steady state.
 */
import { ModelInputError, checkRecord } from "../shared/index.ts";
import { latencyMsUnchecked } from "./array.ts";
import type { NormalisedSiocConfig, SiocConfig } from "./config.ts";
import { entitlementResult, entitlementUnchecked } from "./entitlement.ts";
import { activeUnchecked, checkModel, prepare, type SiocModel } from "./model.ts";
import { BETA_SHARES_UNIT, betaScaleUnchecked, ewmaUnchecked, windowUpdateUnchecked } from "./parda.ts";
import { limitSlotsUnchecked, waterFillUnchecked } from "./scheduler.ts";
import { solveSteadyUnchecked, type SteadyState } from "./steady.ts";

/** Everything one step reads and writes. step() updates it in place and returns it. */
export interface SiocState {
  /** Index of the next step to run (= simulated seconds so far). */
  step: number;
  /** The EWMA latency L(t) the windows were last updated with. */
  smoothedLatencyMs: number;
  /** Raw device latency of the last step (sizes the slots of limited VMs). */
  latencyMs: number;
  /** Window each host will use in the next step. */
  windowSlots: Float64Array;
  /** Outputs of the last step, per host: window applied, β, busy slots, IOPS. */
  appliedWindowSlots: Float64Array;
  beta: Float64Array;
  hostOutstandingIos: Float64Array;
  hostIops: Float64Array;
  /** Outputs of the last step, per VM. */
  vmSlots: Float64Array;
  vmIops: Float64Array;
  outstandingIos: number;
  totalIops: number;
}

const states = new WeakMap<object, SiocModel>();

/** The state SIOC starts from: windows at the device queue depth, latency of the uncontrolled datastore. */
export function initialState(model: SiocModel): SiocState {
  const m = checkModel(model);
  const off = solveSteadyUnchecked(m, 0, false);
  const windowSlots = new Float64Array(m.hostCount).fill(m.config.deviceQueueDepth);
  const state: SiocState = {
    step: 0,
    smoothedLatencyMs: off.latencyMs,
    latencyMs: off.latencyMs,
    windowSlots,
    appliedWindowSlots: Float64Array.from(windowSlots),
    beta: new Float64Array(m.hostCount),
    hostOutstandingIos: new Float64Array(m.hostCount),
    hostIops: new Float64Array(m.hostCount),
    vmSlots: new Float64Array(m.vmCount),
    vmIops: new Float64Array(m.vmCount),
    outstandingIos: off.outstandingIos,
    totalIops: off.totalIops,
  };
  states.set(state, m);
  return state;
}

/** Advances `state` by one control step (1 s) in place, without allocating, and returns it. */
export function step(state: SiocState, model: SiocModel): SiocState {
  const m = checkModel(model);
  if (typeof state !== "object" || state === null || states.get(state) !== m) {
    throw new ModelInputError("state", state, "a state returned by sioc.initialState(model) for this model");
  }
  if (state.step >= m.config.steps) {
    throw new ModelInputError("state.step", state.step, `< steps (${m.config.steps})`);
  }
  return stepUnchecked(state, m);
}

function stepUnchecked(state: SiocState, model: SiocModel): SiocState {
  const { hostCount, hostStart, shares, demandOio, limitIops, caps, keys, order, config } = model;
  const { maxIops, baseLatencyMs, thresholdMs, alpha, gamma, wMin, enabled, deviceQueueDepth: wMax } = config;
  const t = state.step;
  const { windowSlots, appliedWindowSlots, beta, hostOutstandingIos, hostIops, vmSlots, vmIops } = state;
  const previousLatencyMs = state.latencyMs;

  // Pass 1: which VMs are active, how many slots each could use, each host's raw β.
  let rawBetaTotal = 0;
  for (let h = 0; h < hostCount; h++) {
    let activeShares = 0;
    for (let v = hostStart[h]; v < hostStart[h + 1]; v++) {
      if (activeUnchecked(model, v, t)) {
        const limitCap = limitSlotsUnchecked(limitIops[v], previousLatencyMs);
        caps[v] = demandOio[v] < limitCap ? demandOio[v] : limitCap;
        activeShares += shares[v];
      } else {
        caps[v] = 0;
      }
    }
    beta[h] = activeShares / BETA_SHARES_UNIT;
    rawBetaTotal += beta[h];
  }
  const betaScale = betaScaleUnchecked(rawBetaTotal, hostCount, wMax);

  // Pass 2: apply each host's window and divide it among its VMs.
  let outstandingIos = 0;
  for (let h = 0; h < hostCount; h++) {
    const start = hostStart[h];
    const end = hostStart[h + 1];
    const active = beta[h] > 0;
    beta[h] *= betaScale;
    // PARDA §3.4: a host with no active VM holds wMin; SIOC off leaves every queue at DQLEN.
    const w = !enabled ? wMax : active ? windowSlots[h] : wMin;
    windowSlots[h] = w;
    appliedWindowSlots[h] = w;
    let busy = 0;
    if (active) busy = waterFillUnchecked(w, start, end, shares, caps, keys, order, vmSlots);
    else for (let v = start; v < end; v++) vmSlots[v] = 0;
    hostOutstandingIos[h] = busy;
    outstandingIos += busy;
  }

  const latencyMs = latencyMsUnchecked(maxIops, baseLatencyMs, outstandingIos);
  let totalIops = 0;
  for (let h = 0; h < hostCount; h++) {
    let iops = 0;
    for (let v = hostStart[h]; v < hostStart[h + 1]; v++) {
      const x = (1000 * vmSlots[v]) / latencyMs;
      const capped = x < limitIops[v] ? x : limitIops[v];
      vmIops[v] = capped;
      iops += capped;
    }
    hostIops[h] = iops;
    totalIops += iops;
  }

  // Every host sees the same device latency, so the I/O-weighted datastore average equals it.
  const smoothedLatencyMs = ewmaUnchecked(state.smoothedLatencyMs, latencyMs, alpha);
  if (enabled) {
    for (let h = 0; h < hostCount; h++) {
      windowSlots[h] = windowUpdateUnchecked(windowSlots[h], smoothedLatencyMs, thresholdMs, beta[h], gamma, wMin, wMax);
    }
  }
  state.step = t + 1;
  state.smoothedLatencyMs = smoothedLatencyMs;
  state.latencyMs = latencyMs;
  state.outstandingIos = outstandingIos;
  state.totalIops = totalIops;
  return state;
}

export interface SiocHostResult {
  name: string;
  /** Per step: β (active shares / 1000, scaled as in parda.ts), window applied, slots busy, IOPS. */
  beta: number[];
  windowSlots: number[];
  outstandingIos: number[];
  iops: number[];
}

export interface SiocVmResult {
  host: number;
  name: string;
  shares: number;
  demandOio: number;
  limitIops: number | null;
  /** Active during the last step. */
  active: boolean;
  /** Slots and IOPS in the last simulated step. */
  slots: number;
  iops: number;
  /** The closed-form fixed point (steady.ts) for the last step's active VMs. */
  steadyIops: number;
  /** Static share entitlement (entitlement.ts) of this run's steady datastore IOPS. */
  entitlementIops: number;
  /** Per-step IOPS and slots; recorded only when VMs × steps ≤ VM_SERIES_LIMIT, else null. */
  iopsSeries: number[] | null;
  slotsSeries: number[] | null;
}

export interface SiocResult {
  config: NormalisedSiocConfig;
  /** Seconds at the start of each step: 0, 1, …, steps − 1. All series are plain number[]. */
  timeS: number[];
  /** Device latency observed in each step. */
  latencyMs: number[];
  /** The EWMA latency the hosts acted on after each step. */
  smoothedLatencyMs: number[];
  totalIops: number[];
  outstandingIos: number[];
  hosts: SiocHostResult[];
  vms: SiocVmResult[];
  steady: SteadyState;
  /** SIOC holds at least one active host below its device queue depth in the last step. */
  throttled: boolean;
  vmSeriesRecorded: boolean;
}

/** Per-VM series are kept only up to this many VM-steps (a 64 × 2000 × 3600 run would need 3.7 GB). */
export const VM_SERIES_LIMIT = 200_000;

function toArray(source: Float64Array, start: number, length: number): number[] {
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) out[i] = source[start + i];
  return out;
}

/** Runs the configuration for `steps` seconds and returns the trajectory and the fixed point. */
export function simulate(config: SiocConfig): SiocResult {
  const model = prepare(config);
  const { hostCount, vmCount, config: normalised } = model;
  const steps = normalised.steps;
  const state = initialState(model);
  const recordVms = vmCount * steps <= VM_SERIES_LIMIT;
  const latency = new Float64Array(steps);
  const smoothed = new Float64Array(steps);
  const total = new Float64Array(steps);
  const outstanding = new Float64Array(steps);
  // Host-major blocks: host h's series occupies [h·steps, (h + 1)·steps).
  const hostBeta = new Float64Array(hostCount * steps);
  const hostWindow = new Float64Array(hostCount * steps);
  const hostBusy = new Float64Array(hostCount * steps);
  const hostIops = new Float64Array(hostCount * steps);
  const vmIopsSeries = new Float64Array(recordVms ? vmCount * steps : 0);
  const vmSlotsSeries = new Float64Array(recordVms ? vmCount * steps : 0);

  for (let t = 0; t < steps; t++) {
    stepUnchecked(state, model);
    latency[t] = state.latencyMs;
    smoothed[t] = state.smoothedLatencyMs;
    total[t] = state.totalIops;
    outstanding[t] = state.outstandingIos;
    for (let h = 0; h < hostCount; h++) {
      const i = h * steps + t;
      hostBeta[i] = state.beta[h];
      hostWindow[i] = state.appliedWindowSlots[h];
      hostBusy[i] = state.hostOutstandingIos[h];
      hostIops[i] = state.hostIops[h];
    }
    if (recordVms) {
      for (let v = 0; v < vmCount; v++) {
        vmIopsSeries[v * steps + t] = state.vmIops[v];
        vmSlotsSeries[v * steps + t] = state.vmSlots[v];
      }
    }
  }

  const lastStep = steps - 1;
  const steady = solveSteadyUnchecked(model, lastStep, normalised.enabled);
  const entitled = entitlementUnchecked(model, lastStep, steady.totalIops);
  const entitledResult = entitlementResult(normalised.hosts, model.hostStart, model.shares, entitled, steady.totalIops);
  const vms: SiocVmResult[] = [];
  normalised.hosts.forEach((host, h) => {
    host.vms.forEach((vm, i) => {
      const v = model.hostStart[h] + i;
      vms.push({
        host: h,
        name: vm.name,
        shares: vm.shares,
        demandOio: vm.demandOio,
        limitIops: vm.limitIops,
        active: activeUnchecked(model, v, lastStep),
        slots: state.vmSlots[v],
        iops: state.vmIops[v],
        steadyIops: steady.vms[v].iops,
        entitlementIops: entitledResult.vms[v].iops,
        iopsSeries: recordVms ? toArray(vmIopsSeries, v * steps, steps) : null,
        slotsSeries: recordVms ? toArray(vmSlotsSeries, v * steps, steps) : null,
      });
    });
  });
  let throttled = false;
  const hosts: SiocHostResult[] = normalised.hosts.map((host, h) => {
    if (normalised.enabled && state.beta[h] > 0 && state.appliedWindowSlots[h] < normalised.deviceQueueDepth) throttled = true;
    return {
      name: host.name,
      beta: toArray(hostBeta, h * steps, steps),
      windowSlots: toArray(hostWindow, h * steps, steps),
      outstandingIos: toArray(hostBusy, h * steps, steps),
      iops: toArray(hostIops, h * steps, steps),
    };
  });
  const timeS = new Array<number>(steps);
  for (let t = 0; t < steps; t++) timeS[t] = t;
  return {
    config: normalised,
    timeS,
    latencyMs: toArray(latency, 0, steps),
    smoothedLatencyMs: toArray(smoothed, 0, steps),
    totalIops: toArray(total, 0, steps),
    outstandingIos: toArray(outstanding, 0, steps),
    hosts,
    vms,
    steady,
    throttled,
    vmSeriesRecorded: recordVms,
  };
}

/** The same datastore before and after SIOC: `enabled` in `config` is ignored. */
export function compare(config: SiocConfig): { off: SiocResult; on: SiocResult } {
  const base = checkRecord("config", config);
  return { off: simulate({ ...base, enabled: false } as SiocConfig), on: simulate({ ...base, enabled: true } as SiocConfig) };
}
