/**
 * The fixed point the SIOC loop settles at, without running it: at a common latency L each host's
 * window is w_i = clamp(β_i·L/(L − 𝓛), wMin, wMax) (wMax when L ≤ 𝓛 or SIOC is off; β as in
 * parda.ts), the host keeps min(w_i, its VMs' usable slots) at the array, and L must equal the
 * array's L0 + 1000·N/C.
 * Source: derived from PARDA (FAST '09) eqs. 1–2 and the array curve, spec §3.5.
 * Method: bisection on L over [L0, L0 + 1000·Σ wMax / C] with a hard iteration cap, so it always
 * returns; g(L) = L0 + 1000·N(L)/C − L is continuous, ≥ 0 at the bottom and ≤ 0 at the top.
 */
import { bisect, checkInteger, checkRecord } from "../shared/index.ts";
import { latencyMsUnchecked } from "./array.ts";
import type { SiocConfig } from "./config.ts";
import { activeUnchecked, prepare, type SiocModel } from "./model.ts";
import { BETA_SHARES_UNIT, betaScaleUnchecked, fixedPointUnchecked } from "./parda.ts";
import { limitSlotsUnchecked, waterFillUnchecked } from "./scheduler.ts";

export const STEADY_MAX_ITERATIONS = 200;

export interface SteadyHost {
  name: string;
  beta: number;
  windowSlots: number;
  /** Slots the host actually keeps busy at the array: min(window, usable demand). */
  outstandingIos: number;
  iops: number;
  /** The host's active shares over the datastore's active shares. */
  shareOfShares: number;
}

export interface SteadyVm {
  host: number;
  name: string;
  active: boolean;
  slots: number;
  iops: number;
  /** The VM's shares over the datastore's active shares (0 when idle). */
  shareOfShares: number;
  /** The VM's IOPS over the datastore's IOPS (0 when nothing runs). */
  iopsShare: number;
}

export interface SteadyState {
  enabled: boolean;
  latencyMs: number;
  totalIops: number;
  outstandingIos: number;
  /** SIOC is on and holds at least one active host below its device queue depth. */
  throttled: boolean;
  hosts: SteadyHost[];
  vms: SteadyVm[];
  /** How many times the solver evaluated g(L); never more than STEADY_MAX_ITERATIONS + 1. */
  solverEvaluations: number;
}

/** The fixed point for the set of VMs active at `step`; `enabled` false gives the uncontrolled state. */
export function solveSteadyUnchecked(model: SiocModel, step: number, enabled: boolean): SteadyState {
  const { hostCount, vmCount, hostStart, shares, demandOio, limitIops, config } = model;
  const { maxIops, baseLatencyMs, thresholdMs, wMin, deviceQueueDepth: wMax } = config;
  const active = new Uint8Array(vmCount);
  const hostShares = new Float64Array(hostCount);
  const unlimitedDemand = new Float64Array(hostCount);
  let limited = 0;
  for (let v = 0; v < vmCount; v++) if (activeUnchecked(model, v, step) && limitIops[v] !== Infinity) limited++;
  const limitedVms = new Int32Array(limited);
  const limitedEnd = new Int32Array(hostCount);
  let li = 0;
  for (let h = 0; h < hostCount; h++) {
    for (let v = hostStart[h]; v < hostStart[h + 1]; v++) {
      if (!activeUnchecked(model, v, step)) continue;
      active[v] = 1;
      hostShares[h] += shares[v];
      if (limitIops[v] === Infinity) unlimitedDemand[h] += demandOio[v];
      else limitedVms[li++] = v;
    }
    limitedEnd[h] = li;
  }
  let rawBetaTotal = 0;
  for (let h = 0; h < hostCount; h++) rawBetaTotal += hostShares[h] / BETA_SHARES_UNIT;
  const betas = new Float64Array(hostCount);
  const betaScale = betaScaleUnchecked(rawBetaTotal, hostCount, wMax);
  for (let h = 0; h < hostCount; h++) betas[h] = (hostShares[h] / BETA_SHARES_UNIT) * betaScale;

  const windowAt = (h: number, latencyMs: number): number =>
    enabled ? fixedPointUnchecked(betas[h], latencyMs, thresholdMs, wMin, wMax) : wMax;
  const outstandingAt = (latencyMs: number): number => {
    let total = 0;
    let k = 0;
    for (let h = 0; h < hostCount; h++) {
      let usable = unlimitedDemand[h];
      for (; k < limitedEnd[h]; k++) {
        const v = limitedVms[k];
        usable += Math.min(demandOio[v], limitSlotsUnchecked(limitIops[v], latencyMs));
      }
      if (hostShares[h] > 0) total += Math.min(windowAt(h, latencyMs), usable);
    }
    return total;
  };
  let solverEvaluations = 0;
  const gap = (latencyMs: number): number => {
    solverEvaluations++;
    return latencyMsUnchecked(maxIops, baseLatencyMs, outstandingAt(latencyMs)) - latencyMs;
  };
  const top = latencyMsUnchecked(maxIops, baseLatencyMs, hostCount * wMax);
  const solvedMs = bisect(gap, baseLatencyMs, top, { tolerance: 1e-12, maxIterations: STEADY_MAX_ITERATIONS });

  // Report the array's own latency for the outstanding I/Os found, so X = 1000·N/L < C holds exactly.
  const caps = new Float64Array(vmCount);
  for (let v = 0; v < vmCount; v++) {
    caps[v] = active[v] ? Math.min(demandOio[v], limitSlotsUnchecked(limitIops[v], solvedMs)) : 0;
  }
  const slots = new Float64Array(vmCount);
  const order = Int32Array.from(model.order);
  const keys = new Float64Array(vmCount);
  const windows = new Float64Array(hostCount);
  const outstanding = new Float64Array(hostCount);
  let outstandingIos = 0;
  let totalShares = 0;
  for (let h = 0; h < hostCount; h++) {
    windows[h] = hostShares[h] > 0 ? windowAt(h, solvedMs) : enabled ? wMin : wMax;
    outstanding[h] = hostShares[h] > 0 ? waterFillUnchecked(windows[h], hostStart[h], hostStart[h + 1], shares, caps, keys, order, slots) : 0;
    outstandingIos += outstanding[h];
    totalShares += hostShares[h];
  }
  const latencyMs = latencyMsUnchecked(maxIops, baseLatencyMs, outstandingIos);
  const vmIops = new Float64Array(vmCount);
  const hostIops = new Float64Array(hostCount);
  let totalIops = 0;
  for (let v = 0; v < vmCount; v++) {
    vmIops[v] = Math.min((1000 * slots[v]) / latencyMs, limitIops[v]);
    hostIops[model.vmHost[v]] += vmIops[v];
    totalIops += vmIops[v];
  }
  let throttled = false;
  const hosts: SteadyHost[] = config.hosts.map((host, h) => {
    if (enabled && hostShares[h] > 0 && windows[h] < wMax) throttled = true;
    return {
      name: host.name,
      beta: betas[h],
      windowSlots: windows[h],
      outstandingIos: outstanding[h],
      iops: hostIops[h],
      shareOfShares: totalShares > 0 ? hostShares[h] / totalShares : 0,
    };
  });
  const vms: SteadyVm[] = [];
  config.hosts.forEach((host, h) => {
    host.vms.forEach((vm, i) => {
      const v = hostStart[h] + i;
      vms.push({
        host: h,
        name: vm.name,
        active: active[v] === 1,
        slots: slots[v],
        iops: vmIops[v],
        shareOfShares: active[v] && totalShares > 0 ? shares[v] / totalShares : 0,
        iopsShare: totalIops > 0 ? vmIops[v] / totalIops : 0,
      });
    });
  });
  return { enabled, latencyMs, totalIops, outstandingIos, throttled, hosts, vms, solverEvaluations };
}

export interface SteadyOptions {
  /** Which VMs count as active (idle periods are evaluated at this step); default: the last step. */
  atStep?: number;
}

/** The closed-form steady state of a configuration (spec §3.5), honouring `config.enabled`. */
export function steadyState(config: SiocConfig, options: SteadyOptions = {}): SteadyState {
  const model = prepare(config);
  const opts = checkRecord("options", options);
  const atStep =
    opts.atStep === undefined ? model.config.steps - 1 : checkInteger("atStep", opts.atStep, { min: 0, max: model.config.steps });
  return solveSteadyUnchecked(model, atStep, model.config.enabled);
}
