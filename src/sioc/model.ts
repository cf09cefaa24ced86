/**
 * A validated SIOC configuration compiled into flat typed arrays (VMs grouped by host), plus the
 * scratch buffers the scheduler reuses, so the simulation loop and the steady-state solver run
 * without allocating. Nothing is modelled here; see config.ts for the inputs and their sources.
 * Internally an unlimited VM has limit = Infinity and a VM that never idles has idle bounds at
 * Infinity; neither value ever reaches a result.
 */
import { ModelInputError } from "../shared/index.ts";
import { normaliseConfig, type NormalisedSiocConfig, type SiocConfig } from "./config.ts";

export interface SiocModel {
  readonly config: NormalisedSiocConfig;
  readonly hostCount: number;
  readonly vmCount: number;
  /** VMs of host h are the indices [hostStart[h], hostStart[h + 1]). */
  readonly hostStart: Int32Array;
  readonly vmHost: Int32Array;
  readonly shares: Float64Array;
  readonly demandOio: Float64Array;
  readonly limitIops: Float64Array;
  readonly idleFromStep: Float64Array;
  readonly idleUntilStep: Float64Array;
  readonly hasIdleEvents: boolean;
  /** Scratch: per-VM slot caps, sort keys and the per-host sort order kept between steps. */
  readonly caps: Float64Array;
  readonly keys: Float64Array;
  readonly order: Int32Array;
}

const prepared = new WeakSet<object>();

/** Validates `config` (throws ModelInputError) and compiles it for simulate/step/steady. */
export function prepare(config: SiocConfig): SiocModel {
  const normalised = normaliseConfig(config);
  const hostCount = normalised.hosts.length;
  let vmCount = 0;
  for (const host of normalised.hosts) vmCount += host.vms.length;
  const hostStart = new Int32Array(hostCount + 1);
  const vmHost = new Int32Array(vmCount);
  const shares = new Float64Array(vmCount);
  const demandOio = new Float64Array(vmCount);
  const limitIops = new Float64Array(vmCount);
  const idleFromStep = new Float64Array(vmCount);
  const idleUntilStep = new Float64Array(vmCount);
  const order = new Int32Array(vmCount);
  let hasIdleEvents = false;
  let v = 0;
  normalised.hosts.forEach((host, h) => {
    hostStart[h] = v;
    for (const vm of host.vms) {
      vmHost[v] = h;
      shares[v] = vm.shares;
      demandOio[v] = vm.demandOio;
      limitIops[v] = vm.limitIops ?? Infinity;
      idleFromStep[v] = vm.idleFromStep ?? Infinity;
      idleUntilStep[v] = vm.idleUntilStep ?? Infinity;
      if (vm.idleFromStep !== null) hasIdleEvents = true;
      order[v] = v;
      v++;
    }
  });
  hostStart[hostCount] = v;
  const model: SiocModel = {
    config: normalised,
    hostCount,
    vmCount,
    hostStart,
    vmHost,
    shares,
    demandOio,
    limitIops,
    idleFromStep,
    idleUntilStep,
    hasIdleEvents,
    caps: new Float64Array(vmCount),
    keys: new Float64Array(vmCount),
    order,
  };
  prepared.add(model);
  return model;
}

/** Throws unless `model` came from prepare(): the cheap check that lets step() skip revalidation. */
export function checkModel(model: unknown): SiocModel {
  if (typeof model !== "object" || model === null || !prepared.has(model)) {
    throw new ModelInputError("model", model, "a model returned by sioc.prepare(config)");
  }
  return model as SiocModel;
}

/** Whether VM v issues I/O during `step`: it has demand and is not inside its idle period. */
export function activeUnchecked(model: Pick<SiocModel, "demandOio" | "idleFromStep" | "idleUntilStep">, v: number, step: number): boolean {
  return model.demandOio[v] > 0 && !(step >= model.idleFromStep[v] && step < model.idleUntilStep[v]);
}
