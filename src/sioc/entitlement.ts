/**
 * The static share entitlement behind a SIOC chart: the datastore's IOPS are split among hosts by
 * the totals of their active VMs' shares, then inside each host by VM shares. IOPS a VM cannot use
 * (it is idle, or capped by its limit) go first to the other VMs on its host, then to other hosts.
 * Source: spec §3.3; the arithmetic follows M. Meyer, "SIOC: I/O Distribution with Reservations &
 * Limits" (VMware vSphere blog, 2015, parts 1–2).
 * Simplifications: a VM's outstanding-I/O demand is ignored (every active VM is assumed able to use
 * whatever it is entitled to, up to its limit); reservations (mClock, 6.5+) are not modelled.
 */
import { checkInteger, checkNumber, checkRecord } from "../shared/index.ts";
import { LIMITS, normaliseHosts, type HostConfig } from "./config.ts";
import { activeUnchecked, type SiocModel } from "./model.ts";
import { waterFillUnchecked } from "./scheduler.ts";

export interface EntitlementResult {
  hosts: Array<{ name: string; iops: number; shareOfShares: number }>;
  vms: Array<{ host: number; name: string; iops: number; shareOfShares: number }>;
  /** Capacity nobody could use (every active VM capped by its limit). */
  unallocatedIops: number;
}

interface EntitlementArrays {
  hostIops: Float64Array;
  vmIops: Float64Array;
  hostShares: Float64Array;
  active: Uint8Array;
  totalShares: number;
}

type EntitlementSource = Pick<SiocModel, "hostCount" | "vmCount" | "hostStart" | "shares" | "limitIops" | "demandOio" | "idleFromStep" | "idleUntilStep">;

export function entitlementUnchecked(model: EntitlementSource, step: number, capacityIops: number): EntitlementArrays {
  const { hostCount, vmCount, hostStart, shares, limitIops } = model;
  const vmCaps = new Float64Array(vmCount);
  const active = new Uint8Array(vmCount);
  const hostShares = new Float64Array(hostCount);
  const hostCaps = new Float64Array(hostCount);
  let totalShares = 0;
  for (let h = 0; h < hostCount; h++) {
    let limitSum = 0;
    for (let v = hostStart[h]; v < hostStart[h + 1]; v++) {
      if (!activeUnchecked(model, v, step)) continue;
      active[v] = 1;
      vmCaps[v] = limitIops[v];
      hostShares[h] += shares[v];
      limitSum += limitIops[v];
    }
    // A host can absorb at most the sum of its VMs' limits (Infinity if any active VM is unlimited).
    hostCaps[h] = hostShares[h] > 0 ? limitSum : 0;
    totalShares += hostShares[h];
  }
  const hostIops = new Float64Array(hostCount);
  const hostOrder = new Int32Array(hostCount);
  for (let h = 0; h < hostCount; h++) hostOrder[h] = h;
  waterFillUnchecked(capacityIops, 0, hostCount, hostShares, hostCaps, new Float64Array(hostCount), hostOrder, hostIops);
  const vmIops = new Float64Array(vmCount);
  const vmOrder = new Int32Array(vmCount);
  for (let v = 0; v < vmCount; v++) vmOrder[v] = v;
  const keys = new Float64Array(vmCount);
  for (let h = 0; h < hostCount; h++) {
    waterFillUnchecked(hostIops[h], hostStart[h], hostStart[h + 1], shares, vmCaps, keys, vmOrder, vmIops);
  }
  return { hostIops, vmIops, hostShares, active, totalShares };
}

export interface EntitlementInput {
  hosts: HostConfig[];
  /** The datastore IOPS to divide. */
  capacityIops: number;
  /** Evaluate VMs' idle periods at this step (default 0); a VM with demandOio 0 is always idle. */
  atStep?: number;
}

/** Share entitlement of every host and VM for `capacityIops` of datastore throughput. */
export function entitlement(input: EntitlementInput): EntitlementResult {
  const r = checkRecord("input", input);
  const capacityIops = checkNumber("capacityIops", r.capacityIops, { min: 0, max: 1e9 });
  const atStep = r.atStep === undefined ? 0 : checkInteger("atStep", r.atStep, LIMITS.steps);
  const hosts = normaliseHosts(r.hosts, LIMITS.steps.max);
  let vmCount = 0;
  for (const host of hosts) vmCount += host.vms.length;
  const hostStart = new Int32Array(hosts.length + 1);
  const shares = new Float64Array(vmCount);
  const limitIops = new Float64Array(vmCount);
  const demandOio = new Float64Array(vmCount);
  const idleFromStep = new Float64Array(vmCount);
  const idleUntilStep = new Float64Array(vmCount);
  let v = 0;
  hosts.forEach((host, h) => {
    hostStart[h] = v;
    for (const vm of host.vms) {
      shares[v] = vm.shares;
      limitIops[v] = vm.limitIops ?? Infinity;
      demandOio[v] = vm.demandOio;
      idleFromStep[v] = vm.idleFromStep ?? Infinity;
      idleUntilStep[v] = vm.idleUntilStep ?? Infinity;
      v++;
    }
  });
  hostStart[hosts.length] = v;
  const arrays = entitlementUnchecked(
    { hostCount: hosts.length, vmCount, hostStart, shares, limitIops, demandOio, idleFromStep, idleUntilStep },
    atStep,
    capacityIops,
  );
  return entitlementResult(hosts, hostStart, shares, arrays, capacityIops);
}

export function entitlementResult(
  hosts: ReadonlyArray<{ name: string; vms: ReadonlyArray<{ name: string }> }>,
  hostStart: Int32Array,
  shares: Float64Array,
  { hostIops, vmIops, hostShares, active, totalShares }: EntitlementArrays,
  capacityIops: number,
): EntitlementResult {
  let allocated = 0;
  const vms: EntitlementResult["vms"] = [];
  hosts.forEach((host, h) => {
    host.vms.forEach((vm, i) => {
      const v = hostStart[h] + i;
      allocated += vmIops[v];
      vms.push({ host: h, name: vm.name, iops: vmIops[v], shareOfShares: active[v] ? shares[v] / totalShares : 0 });
    });
  });
  return {
    hosts: hosts.map((host, h) => ({ name: host.name, iops: hostIops[h], shareOfShares: totalShares > 0 ? hostShares[h] / totalShares : 0 })),
    vms,
    unallocatedIops: Math.max(0, capacityIops - allocated),
  };
}
