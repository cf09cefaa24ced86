/**
 * Failure events on a vDS as pure transitions `apply(state, event) -> state` (spec section 3,
 * E1-E5, plus the vCenter VM placed on the switch), with the inverse of each reversible one.
 * Sources: spec section 6 "Rules for the model" ([1][2][5][7][12][16]).
 * Simplifications: a reboot powers off the host's VMs (they come back by a powerOn event, as an
 * administrator or HA would start them); an HA restart is the failure of the VM's host plus the
 * restart of that one VM elsewhere; an operation the model refuses (moving a NIC to a static
 * portgroup without vCenter) leaves the state as it was; vCenter's service comes back only by
 * the vcenterUp event, and only when its VM can serve.
 */
import { checkOneOf, checkRecord, ModelInputError } from "../shared/index.ts";
import { recoveryUnchecked } from "./recovery.ts";
import { checkState, hostOf, portgroupOf, vcenterVmServes, vmOf, type Host, type Nic, type VdsState, type Vm } from "./state.ts";

export type VdsEvent =
  | { type: "vcenterDown" }
  | { type: "vcenterUp" }
  | { type: "hostLosesDatastore"; host: string; datastore: string }
  | { type: "hostRegainsDatastore"; host: string; datastore: string }
  | { type: "hostReboot"; host: string }
  | { type: "mgmtNetworkLoss"; host: string }
  | { type: "mgmtNetworkRestore"; host: string }
  | { type: "haRestart"; vm: string; toHost: string }
  | { type: "vcenterVmOnVds"; vm: string }
  | { type: "vcenterVmOffVds" }
  | { type: "powerOn"; vm: string }
  | { type: "moveNic"; vm: string; portgroup: string };

export const EVENT_TYPES = [
  "vcenterDown",
  "vcenterUp",
  "hostLosesDatastore",
  "hostRegainsDatastore",
  "hostReboot",
  "mgmtNetworkLoss",
  "mgmtNetworkRestore",
  "haRestart",
  "vcenterVmOnVds",
  "vcenterVmOffVds",
  "powerOn",
  "moveNic",
] as const satisfies ReadonlyArray<VdsEvent["type"]>;

/** The event that undoes this one, or null for those nothing undoes (a reboot, an HA restart, a power-on). */
export function inverse(event: VdsEvent): VdsEvent | null {
  switch (event.type) {
    case "vcenterDown":
      return { type: "vcenterUp" };
    case "vcenterUp":
      return { type: "vcenterDown" };
    case "hostLosesDatastore":
      return { ...event, type: "hostRegainsDatastore" };
    case "hostRegainsDatastore":
      return { ...event, type: "hostLosesDatastore" };
    case "mgmtNetworkLoss":
      return { ...event, type: "mgmtNetworkRestore" };
    case "mgmtNetworkRestore":
      return { ...event, type: "mgmtNetworkLoss" };
    case "vcenterVmOnVds":
      return { type: "vcenterVmOffVds" };
    default:
      return null;
  }
}

function checkEvent(state: VdsState, value: unknown): VdsEvent {
  const e = checkRecord("event", value);
  const type = checkOneOf("event.type", e.type, EVENT_TYPES);
  if ("host" in e) hostOf(state, e.host as string);
  if ("toHost" in e) hostOf(state, e.toHost as string);
  if ("vm" in e) vmOf(state, e.vm as string);
  if ("portgroup" in e) portgroupOf(state, e.portgroup as string);
  if ("datastore" in e && !state.datastores.some((d) => d.id === e.datastore)) {
    throw new ModelInputError("event.datastore", e.datastore, `one of ${state.datastores.map((d) => JSON.stringify(d.id)).join(", ")}`);
  }
  const needs: Partial<Record<VdsEvent["type"], string[]>> = {
    hostLosesDatastore: ["host", "datastore"],
    hostRegainsDatastore: ["host", "datastore"],
    hostReboot: ["host"],
    mgmtNetworkLoss: ["host"],
    mgmtNetworkRestore: ["host"],
    haRestart: ["vm", "toHost"],
    vcenterVmOnVds: ["vm"],
    powerOn: ["vm"],
    moveNic: ["vm", "portgroup"],
  };
  for (const key of needs[type] ?? []) if (!(key in e)) throw new ModelInputError(`event.${key}`, undefined, `a ${key} for ${type}`);
  return value as VdsEvent;
}

const withHost = (state: VdsState, id: string, change: (h: Host) => Host): VdsState => ({ ...state, hosts: state.hosts.map((h) => (h.id === id ? change(h) : h)) });
const withVm = (state: VdsState, id: string, change: (v: Vm) => Vm): VdsState => ({ ...state, vms: state.vms.map((v) => (v.id === id ? change(v) : v)) });

/** The next free port id on the switch: one above the highest in use (vCenter and the host both count up). */
function nextPortId(state: VdsState): number {
  let max = 0;
  for (const vm of state.vms) for (const nic of vm.nics) if (nic.portId !== null && nic.portId > max) max = nic.portId;
  return max + 1;
}

/** vCenter pushes the configuration to a host it reaches: in sync, proxy switch up, drift repaired [12][16]. */
function synced(host: Host): Host {
  return host.running ? { ...host, localCache: "valid", proxySwitch: "up", rebootedWithoutVcenter: false } : { ...host, rebootedWithoutVcenter: false };
}

/**
 * The ports of a VM starting on `host`: a static port keeps its id (reserved at connect time [3][9])
 * and connects when its state is readable; an ephemeral port is created by the host [3][4]; a
 * dynamic port needs vCenter to grant it [4][8].
 */
function startNics(state: VdsState, vm: Vm, host: Host, vcenterReachable: boolean): Nic[] {
  let next = nextPortId(state);
  return vm.nics.map((nic) => {
    const binding = portgroupOf(state, nic.portgroup).binding;
    if (binding === "ephemeral") return { ...nic, portId: next++, connected: true, backing: "ok" };
    if (binding === "dynamic") return vcenterReachable ? { ...nic, portId: nic.portId ?? next++, connected: true, backing: "ok" } : { ...nic, portId: null, connected: false };
    if (vcenterReachable) return { ...nic, portId: nic.portId ?? next++, connected: true, backing: "ok" };
    return { ...nic, connected: nic.backing === "ok" && nic.portId !== null && host.seesDatastores.includes(vm.datastore) };
  });
}

/** vCenter repairs the ports of a running VM: each keeps its id; a port it never had is granted now [12]. */
function repairNics(state: VdsState, vm: Vm): Nic[] {
  let next = nextPortId(state);
  return vm.nics.map((nic) => ({ ...nic, portId: nic.portId ?? next++, connected: true, backing: "ok" }));
}

function reachesVcenter(state: VdsState, host: Host): boolean {
  return state.vcenter.up && host.mgmtLink;
}

/** Applies one event; returns a new state (the input is never changed). Throws ModelInputError on bad input. */
export function apply(state: VdsState, event: VdsEvent): VdsState {
  checkState(state);
  return applyUnchecked(state, checkEvent(state, event));
}

export function applyUnchecked(state: VdsState, event: VdsEvent): VdsState {
  switch (event.type) {
    case "vcenterDown":
      // Only the control plane stops: no host or port changes [1][2].
      return { ...state, vcenter: { ...state.vcenter, up: false } };
    case "vcenterUp": {
      if (state.vcenter.up || !vcenterVmServes(state)) return state;
      const up: VdsState = { ...state, vcenter: { ...state.vcenter, up: true } };
      // vCenter re-pushes the configuration and repairs drift on every host it reaches [12]; a host it
      // cannot reach stays on its own copy (E4) but no longer counts as "rebooted without vCenter".
      const hosts = state.hosts.map((h) => (h.mgmtLink ? synced(h) : { ...h, rebootedWithoutVcenter: false }));
      const reached = new Set(hosts.filter((h) => h.running && h.mgmtLink).map((h) => h.id));
      const vms = state.vms.map((vm) => (reached.has(vm.host) && vm.powered ? { ...vm, nics: repairNics(up, vm) } : vm));
      return { ...up, hosts, vms };
    }
    case "hostLosesDatastore":
      return withHost(state, event.host, (h) => ({ ...h, seesDatastores: h.seesDatastores.filter((d) => d !== event.datastore) }));
    case "hostRegainsDatastore":
      return withHost(state, event.host, (h) => ({
        ...h,
        seesDatastores: h.seesDatastores.includes(event.datastore) ? h.seesDatastores : [...h.seesDatastores, event.datastore].sort(),
      }));
    case "hostReboot":
      return reboot(state, event.host);
    case "mgmtNetworkLoss":
      return withHost(state, event.host, (h) => ({ ...h, mgmtLink: false }));
    case "mgmtNetworkRestore": {
      const back = withHost(state, event.host, (h) => ({ ...h, mgmtLink: true }));
      return state.vcenter.up ? withHost(back, event.host, synced) : back;
    }
    case "haRestart":
      return haRestart(state, event.vm, event.toHost);
    case "vcenterVmOnVds": {
      const placed: VdsState = { ...state, vcenter: { ...state.vcenter, vmId: event.vm } };
      if (state.vcenter.up && !vcenterVmServes(placed)) {
        throw new ModelInputError("event.vm", event.vm, "a running VM with a connected NIC while vCenter is up");
      }
      return placed;
    }
    case "vcenterVmOffVds":
      return { ...state, vcenter: { ...state.vcenter, vmId: null } };
    case "powerOn": {
      const vm = vmOf(state, event.vm);
      const host = hostOf(state, vm.host);
      if (vm.powered || !host.running || host.proxySwitch !== "up" || !host.seesDatastores.includes(vm.datastore)) return state;
      return withVm(state, vm.id, (v) => ({ ...v, powered: true, nics: startNics(state, v, host, reachesVcenter(state, host)) }));
    }
    case "moveNic":
      return moveNic(state, event.vm, event.portgroup);
  }
}

function reboot(state: VdsState, hostId: string): VdsState {
  const recovery = recoveryUnchecked(state, hostId);
  const runsVcenter = state.vms.some((v) => v.id === state.vcenter.vmId && v.host === hostId);
  // Rebooting the host that runs the vCenter VM takes vCenter down with it.
  const vcenterUp = state.vcenter.up && !runsVcenter;
  const restored = new Map(recovery.ports.map((p) => [`${p.vm}/${p.portgroup}/${p.portId}`, p.restored]));
  return {
    ...state,
    vcenter: { ...state.vcenter, up: vcenterUp },
    hosts: state.hosts.map((h) =>
      h.id !== hostId
        ? h
        : {
            ...h,
            running: true,
            proxySwitch: recovery.proxySwitch,
            localCache: recovery.configFrom === "vcenter" ? "valid" : h.stateless ? "missing" : h.localCache,
            rebootedWithoutVcenter: recovery.configFrom !== "vcenter" && !vcenterUp,
          },
    ),
    vms: state.vms.map((vm) =>
      vm.host !== hostId
        ? vm
        : {
            ...vm,
            powered: false,
            nics: vm.nics.map((n) => ({ ...n, connected: false, backing: restored.get(`${vm.id}/${n.portgroup}/${n.portId}`) ? "ok" : "invalid" })),
          },
    ),
  };
}

function haRestart(state: VdsState, vmId: string, toHost: string): VdsState {
  const vm = vmOf(state, vmId);
  const from = hostOf(state, vm.host);
  const target = hostOf(state, toHost);
  if (from.id === target.id) throw new ModelInputError("event.toHost", toHost, `a host other than the VM's own (${from.id})`);
  // The VM's host fails: its VMs stop, and vCenter with them if it ran there.
  const runsVcenter = state.vms.some((v) => v.id === state.vcenter.vmId && v.host === from.id);
  const failed: VdsState = {
    ...state,
    vcenter: { ...state.vcenter, up: state.vcenter.up && !runsVcenter },
    hosts: state.hosts.map((h) => (h.id === from.id ? { ...h, running: false, proxySwitch: "absent" } : h)),
    vms: state.vms.map((v) => (v.host === from.id ? { ...v, powered: false, nics: v.nics.map((n) => ({ ...n, connected: false })) } : v)),
  };
  // HA needs the VM's files (and its .dvsData port file) and a proxy switch on the target [5][6].
  if (!target.running || target.proxySwitch !== "up" || !target.seesDatastores.includes(vm.datastore)) return failed;
  const moved = { ...vmOf(failed, vmId), host: target.id };
  return withVm(failed, vmId, () => ({ ...moved, powered: true, nics: startNics(failed, moved, target, reachesVcenter(failed, target)) }));
}

function moveNic(state: VdsState, vmId: string, pgId: string): VdsState {
  const vm = vmOf(state, vmId);
  const host = hostOf(state, vm.host);
  const binding = portgroupOf(state, pgId).binding;
  if (vm.nics.length === 0 || !host.running) return state;
  const viaVcenter = reachesVcenter(state, host);
  // Without vCenter only an ephemeral portgroup takes a NIC (from the host client) [3][10].
  if (binding !== "ephemeral" && !viaVcenter) return state;
  const port = nextPortId(state);
  const nic: Nic = { portgroup: pgId, portId: port, connected: vm.powered && host.proxySwitch === "up", backing: "ok" };
  const moved = withVm(state, vmId, (v) => ({ ...v, nics: [nic, ...v.nics.slice(1)] }));
  // On a host without its proxy switch the new port cannot connect: a vCenter VM whose last connected
  // NIC this was loses its network, and the control plane with it.
  return moved.vcenter.up && !vcenterVmServes(moved) ? { ...moved, vcenter: { ...moved.vcenter, up: false } } : moved;
}
