/**
 * What Storage I/O Control does at the boot storm's worst minute on one datastore shared by the
 * desktop hosts and one infrastructure host running a server VM (the desktop broker's database,
 * say). The storm is handed to the SIOC model (src/sioc) as closed-loop demand, so SIOC's own
 * control law decides the hosts' queue windows; nothing of SIOC is re-implemented here.
 * Sources: SIOC model (src/sioc: PARDA control law, SIOC 4.1 technical overview); storm from storm.ts.
 * Simplifications [A]: the array is SIOC's one-curve device, fitted to the RAID group's front-end
 * capacity and unloaded latency at the storm's read share; each desktop keeps Little's-law
 * outstanding I/Os (IOPS × the storm's latency); the desktops of a host act as one VM with their
 * summed shares, which divides that host's window exactly as separate equal VMs would.
 */
import * as sioc from "../sioc/index.ts";
import { checkInteger, checkNumber, checkRecord } from "../shared/index.ts";
import { arrayLoadUnchecked, checkArrayConfig, frontCapacityIops, type ArrayConfig } from "./array.ts";

export interface SiocAtPeakInput {
  array: ArrayConfig;
  desktops: number;
  /** Hosts the desktops run on, spread evenly. */
  desktopHosts: number;
  /** Front-end IOPS and read share of one desktop at the peak minute, and the storm's latency then. */
  desktopIops: number;
  readPct: number;
  stormLatencyMs: number;
  desktopShares: number;
  serverShares: number;
  serverOio: number;
  deviceQueueDepth: number;
  thresholdMs: number;
}

export interface SiocSide {
  /** Device latency at the array. */
  deviceLatencyMs: number;
  serverIops: number;
  /** The server VM's latency including the wait in its host's queue (Little's law on its demand). */
  serverLatencyMs: number;
  desktopIops: number;
  throttled: boolean;
}

export interface SiocAtPeak {
  off: SiocSide;
  on: SiocSide;
  /** The array as SIOC's model sees it. */
  maxIops: number;
  baseLatencyMs: number;
}

const SIOC_MAX_DEMAND_OIO = 256;

function side(state: sioc.SteadyState, serverOio: number): SiocSide {
  const server = state.vms[0];
  const desktopIops = state.vms.slice(1).reduce((total, vm) => total + vm.iops, 0);
  return {
    deviceLatencyMs: state.latencyMs,
    serverIops: server.iops,
    serverLatencyMs: server.iops > 0 ? (1000 * serverOio) / server.iops : state.latencyMs,
    desktopIops,
    throttled: state.throttled,
  };
}

export function siocAtPeak(input: SiocAtPeakInput): SiocAtPeak {
  const i = checkRecord("input", input);
  const array = checkArrayConfig(i.array);
  const desktops = checkInteger("desktops", i.desktops, { min: 1, max: 100_000 });
  const desktopHosts = checkInteger("desktopHosts", i.desktopHosts, { min: 1, max: 63 });
  const desktopIops = checkNumber("desktopIops", i.desktopIops, { min: 0, max: 1000 });
  const readPct = checkNumber("readPct", i.readPct, { min: 0, max: 100 });
  const stormLatencyMs = checkNumber("stormLatencyMs", i.stormLatencyMs, { min: 0, max: 1e7 });
  const desktopShares = checkNumber("desktopShares", i.desktopShares, { min: 100, max: 10_000 });
  const serverShares = checkNumber("serverShares", i.serverShares, { min: 100, max: 10_000 });
  const serverOio = checkNumber("serverOio", i.serverOio, { min: 1, max: SIOC_MAX_DEMAND_OIO });
  const deviceQueueDepth = checkInteger("deviceQueueDepth", i.deviceQueueDepth, { min: 1, max: 256 });
  const thresholdMs = checkNumber("thresholdMs", i.thresholdMs, { min: 5, max: 100 });

  const maxIops = frontCapacityIops(array, readPct);
  const baseLatencyMs = arrayLoadUnchecked(array, 0, readPct).latencyMs;
  const perDesktopOio = (desktopIops * stormLatencyMs) / 1000;
  // Fewer desktops than hosts leaves some hosts without desktops: they do not touch the datastore.
  const desktopHostVms = Array.from({ length: Math.min(desktopHosts, desktops) }, (_, h) => {
    const count = Math.floor(desktops / desktopHosts) + (h < desktops % desktopHosts ? 1 : 0);
    return {
      name: `Desktop host ${h + 1}`,
      vms: [{ name: `desktops ${h + 1}`, shares: Math.round(Math.min(1_000_000, desktopShares * count)), demandOio: Math.min(SIOC_MAX_DEMAND_OIO, count * perDesktopOio) }],
    };
  });
  const config = (enabled: boolean): sioc.SiocConfig => ({
    hosts: [{ name: "Infrastructure host", vms: [{ name: "server", shares: serverShares, demandOio: serverOio }] }, ...desktopHostVms],
    maxIops: Math.min(maxIops, 10_000_000),
    baseLatencyMs: Math.max(0.01, baseLatencyMs),
    deviceQueueDepth,
    thresholdMs,
    enabled,
  });
  return {
    off: side(sioc.steadyState(config(false)), serverOio),
    on: side(sioc.steadyState(config(true)), serverOio),
    maxIops,
    baseLatencyMs,
  };
}
