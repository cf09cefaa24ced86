/**
 * The state of one vSphere Distributed Switch (vDS): vCenter (the control plane), the member hosts
 * with their proxy switches (the data plane), the shared datastores that hold each VM's files and
 * its `.dvsData` port files, each host's local `/etc/vmware/dvsData.db`, the dvPortgroups with their
 * port binding, and the VMs with their ports.
 * Sources: vSphere 5.5 Networking, "vSphere Distributed Switch Architecture" (control plane in
 * vCenter, data plane on the hosts); vSphere Blog, "vDS config location and HA" (2011) and
 * D. Hill, "What is the purpose of .DvsData" (2010) for where `.dvsData` and dvsData.db live.
 * Simplifications: one switch; a datastore's `.dvsData` folder is derived from the VMs whose
 * files it holds (it exists only when one of them uses the vDS), never stored; port ids are small
 * integers given out in order; the host's periodic (~5 min) sync is taken as already done.
 */
import { checkArray, checkBoolean, checkOneOf, checkRecord, checkString, ModelInputError } from "../shared/index.ts";

export const BINDINGS = ["static", "dynamic", "ephemeral"] as const;
/** static = earlyBinding, dynamic = lateBinding in the API (API 4.0 PortgroupType). */
export type Binding = (typeof BINDINGS)[number];
export const LOCAL_CACHE = ["valid", "stale", "missing"] as const;
export type LocalCache = (typeof LOCAL_CACHE)[number];
export const PROXY_SWITCH = ["up", "temp-vss", "absent"] as const;
/** "temp-vss": a stateless host booted without vCenter runs a temporary standard switch. */
export type ProxySwitch = (typeof PROXY_SWITCH)[number];
export const PORT_BACKING = ["ok", "invalid"] as const;
/** "invalid": the port file could not be read when the host booted ("Invalid Backing"). */
export type PortBacking = (typeof PORT_BACKING)[number];

export interface Datastore {
  id: string;
  name: string;
}

export interface Host {
  id: string;
  running: boolean;
  /** Host <-> vCenter management reachability. */
  mgmtLink: boolean;
  /** Ids of the shared datastores this host can reach. */
  seesDatastores: readonly string[];
  /** The host's own copy of the switch configuration, /etc/vmware/dvsData.db. */
  localCache: LocalCache;
  proxySwitch: ProxySwitch;
  /** Auto Deploy host without local state: no dvsData.db survives a reboot. */
  stateless: boolean;
  /** Booted while vCenter was down: runs on its cached copy until vCenter re-pushes. */
  rebootedWithoutVcenter: boolean;
}

export interface Portgroup {
  id: string;
  name: string;
  binding: Binding;
  vlanId: number;
}

export interface Nic {
  portgroup: string;
  /** The distributed port id (the .vmx's ethernetN.dvs.portId), or null when none is held. */
  portId: number | null;
  connected: boolean;
  backing: PortBacking;
}

export interface Vm {
  id: string;
  host: string;
  datastore: string;
  powered: boolean;
  nics: readonly Nic[];
}

export interface VdsState {
  switchName: string;
  /** The switch UUID as net-dvs prints it: 16 hex byte pairs separated by spaces, one dash. */
  switchUuid: string;
  vcenter: {
    up: boolean;
    /** The VM that runs vCenter when it sits on this vDS; null when vCenter runs elsewhere. */
    vmId: string | null;
  };
  datastores: readonly Datastore[];
  hosts: readonly Host[];
  portgroups: readonly Portgroup[];
  vms: readonly Vm[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const UUID = /^([0-9a-f]{2} ){7}[0-9a-f]{2}-([0-9a-f]{2} ){7}[0-9a-f]{2}$/;

function checkId(field: string, value: unknown): string {
  const s = checkString(field, value, { maxLength: 32 });
  if (!ID.test(s)) throw new ModelInputError(field, value, "an id of 1-32 letters, digits, '.', '_' or '-'");
  return s;
}

function checkPortId(field: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw new ModelInputError(field, value, "null or an integer from 0 to 1000000");
  }
  return value;
}

function unique(field: string, ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new ModelInputError(field, id, "ids that are not repeated");
    seen.add(id);
  }
}

/** Checks every field and every cross-reference; returns the state unchanged or throws ModelInputError. */
export function checkState(value: unknown, field = "state"): VdsState {
  const s = checkRecord(field, value);
  checkString(`${field}.switchName`, s.switchName, { maxLength: 80 });
  const uuid = checkString(`${field}.switchUuid`, s.switchUuid, { maxLength: 64 });
  if (!UUID.test(uuid)) throw new ModelInputError(`${field}.switchUuid`, uuid, "16 hex byte pairs as net-dvs prints them");
  const vc = checkRecord(`${field}.vcenter`, s.vcenter);
  checkBoolean(`${field}.vcenter.up`, vc.up);
  const datastores = checkArray(`${field}.datastores`, s.datastores, (d, f) => {
    const r = checkRecord(f, d);
    checkId(`${f}.id`, r.id);
    checkString(`${f}.name`, r.name, { maxLength: 80 });
    return r.id as string;
  }, { minLength: 1, maxLength: 16 });
  unique(`${field}.datastores`, datastores);
  const hosts = checkArray(`${field}.hosts`, s.hosts, (hv, f) => {
    const r = checkRecord(f, hv);
    checkId(`${f}.id`, r.id);
    for (const k of ["running", "mgmtLink", "stateless", "rebootedWithoutVcenter"]) checkBoolean(`${f}.${k}`, r[k]);
    checkArray(`${f}.seesDatastores`, r.seesDatastores, (d, g) => checkOneOf(g, d, datastores), { maxLength: 16 });
    checkOneOf(`${f}.localCache`, r.localCache, LOCAL_CACHE);
    checkOneOf(`${f}.proxySwitch`, r.proxySwitch, PROXY_SWITCH);
    if (r.rebootedWithoutVcenter === true && vc.up === true) {
      throw new ModelInputError(`${f}.rebootedWithoutVcenter`, true, "false while vCenter is up (vCenter re-pushes the configuration)");
    }
    if (r.running === false && r.proxySwitch !== "absent") throw new ModelInputError(`${f}.proxySwitch`, r.proxySwitch, '"absent" on a host that is not running');
    return r.id as string;
  }, { minLength: 1, maxLength: 16 });
  unique(`${field}.hosts`, hosts);
  const portgroups = checkArray(`${field}.portgroups`, s.portgroups, (pv, f) => {
    const r = checkRecord(f, pv);
    checkId(`${f}.id`, r.id);
    checkString(`${f}.name`, r.name, { maxLength: 80 });
    checkOneOf(`${f}.binding`, r.binding, BINDINGS);
    const vlan = r.vlanId;
    if (typeof vlan !== "number" || !Number.isInteger(vlan) || vlan < 0 || vlan > 4094) throw new ModelInputError(`${f}.vlanId`, vlan, "an integer from 0 to 4094");
    return r.id as string;
  }, { minLength: 1, maxLength: 16 });
  unique(`${field}.portgroups`, portgroups);
  const vms = checkArray(`${field}.vms`, s.vms, (vv, f) => {
    const r = checkRecord(f, vv);
    checkId(`${f}.id`, r.id);
    checkOneOf(`${f}.host`, r.host, hosts);
    checkOneOf(`${f}.datastore`, r.datastore, datastores);
    checkBoolean(`${f}.powered`, r.powered);
    checkArray(`${f}.nics`, r.nics, (nv, g) => {
      const n = checkRecord(g, nv);
      checkOneOf(`${g}.portgroup`, n.portgroup, portgroups);
      checkPortId(`${g}.portId`, n.portId);
      checkBoolean(`${g}.connected`, n.connected);
      checkOneOf(`${g}.backing`, n.backing, PORT_BACKING);
      return n;
    }, { maxLength: 10 });
    return r.id as string;
  }, { maxLength: 64 });
  unique(`${field}.vms`, vms);
  if (vc.vmId !== null) checkOneOf(`${field}.vcenter.vmId`, vc.vmId, vms);
  const state = value as VdsState;
  if (state.vcenter.up) {
    // vCenter running means its VM (when it sits on this switch) runs and is reachable, and every
    // host it can reach has been remediated: a running, connected host has its proxy switch up.
    if (state.vcenter.vmId !== null && !vcenterVmServes(state)) {
      throw new ModelInputError(`${field}.vcenter.up`, true, "false while the vCenter VM is off, on a stopped host or without a connected NIC");
    }
    for (const host of state.hosts) {
      if (host.running && host.mgmtLink && host.proxySwitch !== "up") {
        throw new ModelInputError(`${field}.hosts.${host.id}.proxySwitch`, host.proxySwitch, '"up" while vCenter is up and reaches the host');
      }
    }
  }
  return state;
}

export function hostOf(state: VdsState, hostId: string): Host {
  const host = state.hosts.find((h) => h.id === hostId);
  if (!host) throw new ModelInputError("host", hostId, `one of ${state.hosts.map((h) => JSON.stringify(h.id)).join(", ")}`);
  return host;
}

export function vmOf(state: VdsState, vmId: string): Vm {
  const vm = state.vms.find((v) => v.id === vmId);
  if (!vm) throw new ModelInputError("vm", vmId, `one of ${state.vms.map((v) => JSON.stringify(v.id)).join(", ")}`);
  return vm;
}

export function portgroupOf(state: VdsState, pgId: string): Portgroup {
  const pg = state.portgroups.find((p) => p.id === pgId);
  if (!pg) throw new ModelInputError("portgroup", pgId, `one of ${state.portgroups.map((p) => JSON.stringify(p.id)).join(", ")}`);
  return pg;
}

export function datastoreOf(state: VdsState, dsId: string): Datastore {
  const ds = state.datastores.find((d) => d.id === dsId);
  if (!ds) throw new ModelInputError("datastore", dsId, `one of ${state.datastores.map((d) => JSON.stringify(d.id)).join(", ")}`);
  return ds;
}

/** The vCenter VM runs on a running host with a connected NIC, so the vCenter service can run. */
export function vcenterVmServes(state: VdsState): boolean {
  const vm = state.vms.find((v) => v.id === state.vcenter.vmId);
  if (!vm) return true;
  const host = state.hosts.find((h) => h.id === vm.host);
  return vm.powered && host !== undefined && host.running && vm.nics.some((n) => n.connected);
}

/** The host can reach every shared datastore. */
export function seesAllDatastores(state: VdsState, host: Host): boolean {
  return state.datastores.every((d) => host.seesDatastores.includes(d.id));
}

/**
 * The example the notebook opens with, after the sources' setting: two hosts on one shared VMFS
 * datastore, vCenter running as a VM on the switch's static-binding "VM Network" portgroup (the
 * Achilles heel of [7]), an application VM beside it, plus a dynamic and an ephemeral portgroup.
 */
export function exampleState(): VdsState {
  const allDs = ["ds1"];
  const host = (id: string): Host => ({
    id,
    running: true,
    mgmtLink: true,
    seesDatastores: allDs,
    localCache: "valid",
    proxySwitch: "up",
    stateless: false,
    rebootedWithoutVcenter: false,
  });
  return {
    switchName: "dvSwitch0",
    switchUuid: "50 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8",
    vcenter: { up: true, vmId: "vcenter" },
    datastores: [{ id: "ds1", name: "shared-vmfs-01" }],
    hosts: [host("esx01"), host("esx02")],
    portgroups: [
      { id: "pg-static", name: "VM Network (static)", binding: "static", vlanId: 10 },
      { id: "pg-dynamic", name: "Legacy (dynamic)", binding: "dynamic", vlanId: 20 },
      { id: "pg-ephemeral", name: "Recovery (ephemeral)", binding: "ephemeral", vlanId: 10 },
    ],
    vms: [
      { id: "vcenter", host: "esx01", datastore: "ds1", powered: true, nics: [{ portgroup: "pg-static", portId: 10, connected: true, backing: "ok" }] },
      { id: "app01", host: "esx01", datastore: "ds1", powered: true, nics: [{ portgroup: "pg-static", portId: 11, connected: true, backing: "ok" }] },
      { id: "web01", host: "esx02", datastore: "ds1", powered: true, nics: [{ portgroup: "pg-ephemeral", portId: 100, connected: true, backing: "ok" }] },
    ],
  };
}
