/**
 * Hosts, VMs and clusters as EVC sees them: a host is a vendor plus a CPU feature set, a VM carries
 * the feature set it captured at power-on, a cluster has hosts, VMs and an EVC mode (or none).
 * Source: models/evc.md §1; the BIOS case (VT/NX switched off hides features) is from §3.
 * Simplifications: one CPU model per host; a host is connected or not, nothing in between; every
 * exported function that takes these objects checks them here and throws ModelInputError.
 */
import { ModelInputError, checkArray, checkBoolean, checkInteger, checkOneOf, checkRecord, checkString } from "../shared/index.ts";
import { IGNORED_FLAGS, VENDORS, getBaseline, getCpu, type FeatureSet, type Vendor } from "./data.ts";

export interface Host {
  id: string;
  name: string;
  vendor: Vendor;
  /** Guest-visible flags the host's CPU reports (after any BIOS switches). */
  features: FeatureSet;
  /** The shipped CPU this host was made from, or null for a hand-made host. */
  cpuId: string | null;
  connected: boolean;
}

export type PowerState = "on" | "off" | "suspended";
export const POWER_STATES: readonly PowerState[] = ["on", "off", "suspended"];

export interface Vm {
  id: string;
  name: string;
  /** The host the VM is registered on. */
  hostId: string;
  powerState: PowerState;
  /** The flags the VM captured when it last powered on; null while powered off. */
  featureSet: FeatureSet | null;
  guestOs?: string;
  /** Virtual hardware version (per-VM EVC needs 14 or later). */
  hardwareVersion?: number;
  /** Per-VM EVC baseline id, or null/absent when none is set. */
  vmEvc?: string | null;
  /** True for the VM that runs vCenter Server (the catch-22 of KB 1013111). */
  isVcenter?: boolean;
}

export interface Cluster {
  hosts: readonly Host[];
  /** The cluster's EVC baseline id, or null when EVC is off. */
  evcMode: string | null;
  vms: readonly Vm[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@ -]{0,79}$/;
const FLAG = /^[a-z0-9_]{1,40}$/;

function checkId(field: string, value: unknown): string {
  if (typeof value !== "string" || !ID.test(value)) throw new ModelInputError(field, value, "an id of 1 to 80 letters, digits, spaces or ._:@-");
  return value;
}

/**
 * Feature sets already checked, with their size then. Hosts are passed to every call (the all-pairs matrix
 * checks each host thousands of times), so a set is scanned again only when it is new or its size changed.
 */
const checkedFeatureSets = new WeakMap<object, number>();

function checkFeatures(field: string, value: unknown): FeatureSet {
  if (!(value instanceof Set)) throw new ModelInputError(field, value, "a Set of CPU flag names");
  if (checkedFeatureSets.get(value) === value.size) return value as FeatureSet;
  for (const flag of value) {
    if (typeof flag !== "string" || !FLAG.test(flag)) throw new ModelInputError(`${field} flag`, flag, "a CPU flag name in /proc/cpuinfo spelling");
  }
  checkedFeatureSets.set(value, value.size);
  return value as FeatureSet;
}

export interface HostSpec {
  id: string;
  name?: string;
  vendor: Vendor;
  features: Iterable<string>;
  cpuId?: string | null;
  connected?: boolean;
}

/** A host from explicit flags; ignored (virtualization/platform) flags are dropped. */
export function makeHost(spec: HostSpec): Host {
  const s = checkRecord("host", spec);
  const id = checkId("host.id", s.id);
  const vendor = checkOneOf("host.vendor", s.vendor, VENDORS);
  const raw = s.features;
  if (raw === null || typeof raw !== "object" || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new ModelInputError("host.features", raw, "an array or Set of CPU flag names");
  }
  const flags = [...(raw as Iterable<unknown>)].map((f, i) => {
    if (typeof f !== "string" || !FLAG.test(f)) throw new ModelInputError(`host.features[${i}]`, f, "a CPU flag name in /proc/cpuinfo spelling");
    return f;
  });
  return {
    id,
    name: s.name === undefined ? id : checkString("host.name", s.name, { maxLength: 200 }),
    vendor,
    features: new Set(flags.filter((f) => !IGNORED_FLAGS.has(f)).sort()),
    cpuId: s.cpuId === undefined || s.cpuId === null ? null : getCpu(s.cpuId as string).id,
    connected: s.connected === undefined ? true : checkBoolean("host.connected", s.connected),
  };
}

export interface HostFromCpuOptions {
  /** Defaults to the CPU id. */
  id?: string;
  name?: string;
  connected?: boolean;
  /** Flags the BIOS hides (e.g. "nx" when NX/XD is switched off); they must be flags the CPU has. */
  disabledFeatures?: readonly string[];
}

/** A host running one of the shipped CPUs (by id or exact model name). */
export function hostFromCpu(cpuId: string, options: HostFromCpuOptions = {}): Host {
  const cpu = getCpu(cpuId);
  const o = checkRecord("options", options);
  const disabled = o.disabledFeatures === undefined ? [] : checkArray("options.disabledFeatures", o.disabledFeatures, (v, f) => checkOneOf(f, v, cpu.featureList));
  return makeHost({
    id: o.id === undefined ? cpu.id : checkId("options.id", o.id),
    name: o.name === undefined ? cpu.model : checkString("options.name", o.name, { maxLength: 200 }),
    vendor: cpu.vendor,
    features: cpu.featureList.filter((f) => !disabled.includes(f)),
    cpuId: cpu.id,
    connected: o.connected === undefined ? true : checkBoolean("options.connected", o.connected),
  });
}

/** Hosts already checked, with the field values they had then (see checkedFeatureSets). */
const checkedHosts = new WeakMap<object, { id: unknown; vendor: unknown; features: unknown; size: number; connected: unknown }>();

/** Checks a Host-shaped value (as built by makeHost/hostFromCpu or by hand). */
export function checkHost(field: string, value: unknown): Host {
  const h = checkRecord(field, value);
  const seen = checkedHosts.get(h);
  if (seen && seen.id === h.id && seen.vendor === h.vendor && seen.features === h.features && seen.connected === h.connected && seen.size === (h.features as Set<string>).size) {
    return value as Host;
  }
  checkId(`${field}.id`, h.id);
  checkOneOf(`${field}.vendor`, h.vendor, VENDORS);
  const features = checkFeatures(`${field}.features`, h.features);
  if (h.connected !== undefined) checkBoolean(`${field}.connected`, h.connected);
  checkedHosts.set(h, { id: h.id, vendor: h.vendor, features, size: features.size, connected: h.connected });
  return value as Host;
}

/** A list of hosts with unique ids. */
export function checkHosts(field: string, value: unknown, { minLength = 0, maxLength = 10_000 } = {}): Host[] {
  const hosts = checkArray(field, value, (v, f) => checkHost(f, v), { minLength, maxLength });
  const ids = new Set<string>();
  hosts.forEach((h, i) => {
    if (ids.has(h.id)) throw new ModelInputError(`${field}[${i}].id`, h.id, "a host id unique in the cluster");
    ids.add(h.id);
  });
  return hosts;
}

export function checkVm(field: string, value: unknown, hostIds: ReadonlySet<string>): Vm {
  const v = checkRecord(field, value);
  checkId(`${field}.id`, v.id);
  checkString(`${field}.name`, v.name, { maxLength: 200 });
  checkOneOf(`${field}.hostId`, v.hostId, [...hostIds]);
  const power = checkOneOf(`${field}.powerState`, v.powerState, POWER_STATES);
  if (power === "off") {
    if (v.featureSet !== null && v.featureSet !== undefined) checkFeatures(`${field}.featureSet`, v.featureSet);
  } else {
    // A running or suspended VM always has the feature set it captured at power-on.
    checkFeatures(`${field}.featureSet`, v.featureSet);
  }
  if (v.hardwareVersion !== undefined) checkInteger(`${field}.hardwareVersion`, v.hardwareVersion, { min: 4, max: 100 });
  if (v.vmEvc !== undefined && v.vmEvc !== null) getBaseline(v.vmEvc as string);
  if (v.isVcenter !== undefined) checkBoolean(`${field}.isVcenter`, v.isVcenter);
  return value as Vm;
}

/** A cluster: unique host ids, VMs on its hosts with unique ids, a known EVC mode or null, at most one vCenter VM. */
export function checkCluster(field: string, value: unknown): Cluster {
  const c = checkRecord(field, value);
  const hosts = checkHosts(`${field}.hosts`, c.hosts);
  if (c.evcMode !== null) {
    if (c.evcMode === undefined) throw new ModelInputError(`${field}.evcMode`, c.evcMode, "a baseline id, or null when EVC is off");
    getBaseline(c.evcMode as string);
  }
  const hostIds = new Set(hosts.map((h) => h.id));
  const vms = checkArray(`${field}.vms`, c.vms, (v, f) => checkVm(f, v, hostIds));
  const vmIds = new Set<string>();
  vms.forEach((vm, i) => {
    if (vmIds.has(vm.id)) throw new ModelInputError(`${field}.vms[${i}].id`, vm.id, "a VM id unique in the cluster");
    vmIds.add(vm.id);
  });
  if (vms.filter((vm) => vm.isVcenter).length > 1) throw new ModelInputError(`${field}.vms`, vms, "at most one VM marked isVcenter");
  return value as Cluster;
}

/** Is the VM running for EVC's purposes? Suspended VMs count: their saved state carries the feature set (§3). */
export function isActive(vm: { powerState: PowerState }): boolean {
  const power = checkOneOf("vm.powerState", checkRecord("vm", vm).powerState, POWER_STATES);
  return power === "on" || power === "suspended";
}
