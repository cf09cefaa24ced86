/**
 * What still works on a vDS in each failure condition: the outcome table of the model spec
 * (shared/models/vds.md section 4, rows O1-O10 by the conditions "vCenter up", E1-E4), and
 * `outcome(state, operation)`, which reads the conditions a host is in from the state and picks
 * the cell. Sources: see sources.ts; every cell names its own.
 * Simplifications: when a host is in several conditions at once, the most restrictive cell wins
 * (a failure only ever takes something away); a cell the spec marks "n/a" or "-" does not count
 * unless every active condition is n/a. Two host states the table has no column for are given
 * their own sentence: a host that is not running, and a stateless host on a temporary standard
 * switch (Auto Deploy, [16]).
 */
import { checkOneOf, checkRecord, ModelInputError } from "../shared/index.ts";
import type { SourceId } from "./sources.ts";
import { BINDINGS, checkState, hostOf, seesAllDatastores, type Binding, type Host, type VdsState } from "./state.ts";

/** OK, OK*, queued, ?, risk, NO and not applicable, in the spec's words. */
export const OUTCOMES = ["ok", "conditional", "queued", "uncertain", "risk", "no", "n/a"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const CONDITIONS = ["up", "vcenter-down", "datastore-lost", "rebooted-without-vcenter", "mgmt-lost"] as const;
/** The spec's columns: vCenter up, E1, E2, E3, E4. */
export type Condition = (typeof CONDITIONS)[number];

export const ROWS = ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "O9", "O10"] as const;
export type Row = (typeof ROWS)[number];

export interface Cell {
  outcome: Outcome;
  /** One sentence: why. */
  reason: string;
  sources: readonly SourceId[];
  /** The spec marks the cell "?" (not confirmed by a source that was read). */
  uncertain: boolean;
}

const c = (outcome: Outcome, reason: string, sources: SourceId[] = [], uncertain = false): Cell => ({ outcome, reason, sources, uncertain });

const VM_FILES_GONE = "The VM's files (and its .dvsData port file) sit on the datastore this host cannot reach, so the VM cannot start here.";
const REBOOT_CAVEAT =
  "Works if the host restored port state from its dvsData.db and the VM's .dvsData; builds before ESXi 5.0 build 716794 could show 'Invalid Backing' and leave VMs unconnected when .dvsData was unreadable at boot.";

/** The spec's section 4 table, cell by cell. */
export const TABLE: Readonly<Record<Row, Readonly<Record<Condition, Cell>>>> = {
  O1: {
    up: c("ok", "Traffic flows through the host's proxy switch, which forwards on its own copy of the configuration.", ["vds-architecture", "sdk-proxy-switch"]),
    "vcenter-down": c("ok", "The data plane is on the host, so existing VM traffic keeps flowing without vCenter.", ["kb324492", "vstellar-2017", "laverick-vmwiki"]),
    "datastore-lost": c("ok", "Forwarding does not touch the datastore, so traffic flows while the VM runs, though the VM itself may hang on its storage.", ["vds-architecture"]),
    "rebooted-without-vcenter": c("conditional", REBOOT_CAVEAT, ["webster-2012", "wahl-2015"]),
    "mgmt-lost": c("ok", "Losing the management network cuts the host off from vCenter, not its VM networks, so traffic keeps flowing.", ["kb324492"]),
  },
  O2: {
    up: c("ok", "The VM keeps the static port it was bound to when it was connected.", ["kb324492", "odgers-2014"]),
    "vcenter-down": c("ok", "The static port was reserved at connect time, so the VM powers on from the host client with the same port id.", ["vstellar-2017", "odgers-2014"]),
    "datastore-lost": c("no", VM_FILES_GONE, ["strydom-2011", "qa-2013"]),
    "rebooted-without-vcenter": c("conditional", REBOOT_CAVEAT, ["webster-2012", "wahl-2015"]),
    "mgmt-lost": c("ok", "The host still holds the reserved port, so the VM powers on through the host client.", ["kb324492", "odgers-2014"]),
  },
  O3: {
    up: c("ok", "vCenter grants the VM a port when it powers on.", ["api-portgroup-type", "vstellar-2017"]),
    "vcenter-down": c("no", "A dynamic port is granted by vCenter at power-on, so the VM must be powered on through vCenter (and dynamic binding is deprecated since ESXi 5.0).", ["vstellar-2017", "networking-65"]),
    "datastore-lost": c("no", VM_FILES_GONE, ["vstellar-2017"]),
    "rebooted-without-vcenter": c("no", "With vCenter still down nobody can grant the port at power-on.", ["vstellar-2017"]),
    "mgmt-lost": c("no", "The host cannot reach vCenter to be granted a port (the spec marks this unconfirmed).", ["vstellar-2017"], true),
  },
  O4: {
    up: c("ok", "vCenter hands out a port on the portgroup.", ["kb324492"]),
    "vcenter-down": c("no", "Without vCenter the host refuses with 'Addition or reconfiguration of network adapters attached to non-ephemeral distributed virtual port groups is not supported'.", ["kb324492"]),
    "datastore-lost": c("n/a", "With the VM's files unreachable there is no VM to reconfigure here."),
    "rebooted-without-vcenter": c("no", "vCenter is still down, and only vCenter hands out non-ephemeral ports.", ["kb324492"]),
    "mgmt-lost": c("no", "The host cannot reach vCenter, which hands out non-ephemeral ports.", ["kb324492"]),
  },
  O5: {
    up: c("ok", "The host creates the ephemeral port when the VM powers on.", ["kb324492", "api-portgroup-type"]),
    "vcenter-down": c("ok", "The host creates the ephemeral port at power-on, so this works from the host client without vCenter.", ["kb324492", "api-portgroup-type", "wahl-2015"]),
    "datastore-lost": c("conditional", "The port needs no datastore, but the VM's files must be reachable for it to power on.", ["wahl-2015"]),
    "rebooted-without-vcenter": c("ok", "The rebooted host still creates ephemeral ports by itself.", ["wahl-2015"]),
    "mgmt-lost": c("ok", "The host creates the ephemeral port by itself, without vCenter.", ["wahl-2015"]),
  },
  O6: {
    up: c("ok", "vCenter owns the switch configuration and pushes every change to the member hosts.", ["vds-architecture", "sdk-proxy-switch"]),
    "vcenter-down": c("no", "Configuration is control-plane only: with vCenter down nothing on the switch can be changed.", ["vds-architecture", "vvd-43"]),
    "datastore-lost": c("ok", "The switch configuration is not on the datastore: vCenter's database owns it and each host keeps its own copy.", ["strydom-2011", "hill-2010"]),
    "rebooted-without-vcenter": c("no", "vCenter is still down, and only vCenter changes the configuration.", ["vds-architecture", "vvd-43"]),
    "mgmt-lost": c("queued", "vCenter makes the change, but this host stays out of sync until it reconnects and vCenter pushes it again.", ["rollback-67"]),
  },
  O7: {
    up: c("ok", "vMotion carries the port state with the VM.", ["strydom-2011"]),
    "vcenter-down": c("no", "vMotion and DRS are driven by vCenter (well known; the spec has no source read for it).", [], true),
    "datastore-lost": c("no", "The VMs whose files sit on the lost datastore cannot be migrated (the spec has no source read for it).", [], true),
    "rebooted-without-vcenter": c("no", "vMotion is driven by vCenter, which is still down (the spec has no source read for it).", [], true),
    "mgmt-lost": c("no", "vCenter cannot reach this host to migrate VMs to or from it (the spec has no source read for it).", [], true),
  },
  O8: {
    up: c("ok", "HA restarts the VM on another host, which loads its port state from the VM's .dvsData.", ["strydom-2011", "hill-2010"]),
    "vcenter-down": c("conditional", "HA runs on the hosts: the target host reads the port file from the VM's .dvsData, and a static port is already reserved.", ["strydom-2011", "hill-2010", "qa-2013", "odgers-2014"]),
    "datastore-lost": c("uncertain", "It depends on which host still sees the datastore that holds the VM's files and its .dvsData.", ["strydom-2011"], true),
    "rebooted-without-vcenter": c("conditional", "Works if the target host's proxy switch came back up from its dvsData.db.", ["strydom-2011", "hill-2010"]),
    "mgmt-lost": c("conditional", "The host isolation response decides whether the VM is restarted elsewhere (the spec has no source read for it).", [], true),
  },
  O9: {
    up: c("ok", "vCenter is running, so its VM keeps its static port.", ["odgers-2014"]),
    "vcenter-down": c("conditional", "Usually it keeps its reserved port, but when the binding is in flux the power-on can fail; the way out is to move its NIC to an ephemeral portgroup from the host client.", ["odgers-2014", "wahl-2015"]),
    "datastore-lost": c("n/a", "The spec gives no outcome for this case."),
    "rebooted-without-vcenter": c("risk", "After a host reboot without vCenter the vCenter VM may find its port backing invalid and come up with no network, leaving nobody to fix it.", ["webster-2012", "wahl-2015"]),
    "mgmt-lost": c("n/a", "The spec gives no outcome for this case."),
  },
  O10: {
    up: c("ok", "Since vSphere 5.1 vCenter rolls back a change that cuts a host's management network.", ["rollback-67"]),
    "vcenter-down": c("uncertain", "Only a host-side restore is left (the DCUI restore option, 5.1+), which no read source confirms.", [], true),
    "datastore-lost": c("n/a", "The spec gives no outcome for this case."),
    "rebooted-without-vcenter": c("n/a", "The spec gives no outcome for this case."),
    "mgmt-lost": c("n/a", "The spec gives no outcome for this case."),
  },
};

export const OPERATION_KINDS = [
  "existing-traffic",
  "vmotion",
  "power-on",
  "connect-new-vm",
  "change-config",
  "add-host",
  "ha-restart",
  "restart-vcenter-vm",
  "fix-mgmt-vlan",
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export interface Operation {
  kind: OperationKind;
  /** The host the operation runs on (for an HA restart, the target host). */
  host: string;
  /** The portgroup binding involved (power on, connect a new VM); "static" when omitted. */
  binding?: Binding;
}

/** The spec row an operation reads. */
export function rowFor(kind: OperationKind, binding: Binding = "static"): Row {
  switch (kind) {
    case "existing-traffic":
      return "O1";
    case "power-on":
      return binding === "static" ? "O2" : binding === "dynamic" ? "O3" : "O5";
    case "connect-new-vm":
      return binding === "ephemeral" ? "O5" : "O4";
    case "change-config":
    case "add-host":
      return "O6";
    case "vmotion":
      return "O7";
    case "ha-restart":
      return "O8";
    case "restart-vcenter-vm":
      return "O9";
    case "fix-mgmt-vlan":
      return "O10";
  }
}

const SEVERITY: Readonly<Record<Outcome, number>> = { ok: 0, conditional: 1, queued: 2, uncertain: 3, risk: 4, no: 5, "n/a": -1 };

/** Higher means less works; n/a is below everything, so it never decides when a real cell exists. */
export function severity(outcome: Outcome): number {
  return SEVERITY[outcome];
}

/** The spec columns a host is in now, most host-specific first; ["up"] when nothing failed. */
export function conditionsOf(state: VdsState, host: Host): Condition[] {
  const active: Condition[] = [];
  if (!seesAllDatastores(state, host)) active.push("datastore-lost");
  if (host.rebootedWithoutVcenter) active.push("rebooted-without-vcenter");
  else if (!state.vcenter.up) active.push("vcenter-down");
  if (!host.mgmtLink) active.push("mgmt-lost");
  return active.length > 0 ? active : ["up"];
}

export interface OutcomeAnswer extends Cell {
  row: Row;
  /** The column whose cell decided, or "host-down" / "temporary-switch" for the two extra states. */
  decidedBy: Condition | "host-down" | "temporary-switch";
  conditions: readonly Condition[];
}

/** Operations that use the host's data plane (so a host without its proxy switch cannot do them). */
const DATA_PLANE: ReadonlySet<OperationKind> = new Set(["existing-traffic", "vmotion", "power-on", "connect-new-vm", "ha-restart", "restart-vcenter-vm"]);

export function checkOperation(state: VdsState, value: unknown): Required<Operation> {
  const op = checkRecord("operation", value);
  const kind = checkOneOf("operation.kind", op.kind, OPERATION_KINDS);
  const host = hostOf(state, op.host as string);
  const binding = op.binding === undefined ? "static" : checkOneOf("operation.binding", op.binding, BINDINGS);
  return { kind, host: host.id, binding };
}

/** The outcome of an operation in a state: the spec's cell for the host's conditions, with its reason and sources. */
export function outcome(state: VdsState, operation: Operation): OutcomeAnswer {
  checkState(state);
  return outcomeUnchecked(state, checkOperation(state, operation));
}

/** As outcome(), for a state and operation already checked (the notebook asks for many cells per update). */
export function outcomeUnchecked(state: VdsState, op: Required<Operation>): OutcomeAnswer {
  const host = state.hosts.find((h) => h.id === op.host);
  if (!host) throw new ModelInputError("operation.host", op.host, "a host of the state");
  const row = rowFor(op.kind, op.binding);
  const conditions = op.kind === "add-host" ? [state.vcenter.up ? "up" as const : "vcenter-down" as const] : conditionsOf(state, host);
  if (op.kind === "restart-vcenter-vm" && state.vcenter.vmId === null) {
    return { ...c("n/a", "vCenter does not run as a VM on this switch, so there is no vCenter VM to restart."), row, decidedBy: conditions[0], conditions };
  }
  if (op.kind !== "add-host") {
    if (!host.running) {
      // A stopped host picks a change up when it is back, but only vCenter can make the change.
      const queued = op.kind === "change-config" && state.vcenter.up;
      if (op.kind === "change-config" && !queued) return { ...TABLE[row]["vcenter-down"], row, decidedBy: "vcenter-down", conditions };
      return {
        ...c(queued ? "queued" : "no", queued
          ? `${host.id} is not running: it picks the change up from vCenter when it is back.`
          : `${host.id} is not running: it has no proxy switch, runs no VMs and cannot take one.`, queued ? ["rollback-67"] : ["vds-architecture"]),
        row,
        decidedBy: "host-down",
        conditions,
      };
    }
    if (host.proxySwitch !== "up" && DATA_PLANE.has(op.kind)) {
      return {
        ...c("no", `${host.id} booted without its vDS and stays in maintenance mode on a temporary standard switch until vCenter remediates it.`, ["autodeploy-65"]),
        row,
        decidedBy: "temporary-switch",
        conditions,
      };
    }
  }
  let decidedBy: Condition = conditions[0];
  for (const condition of conditions) {
    if (severity(TABLE[row][condition].outcome) > severity(TABLE[row][decidedBy].outcome)) decidedBy = condition;
  }
  return { ...TABLE[row][decidedBy], row, decidedBy, conditions };
}

/** Works, possibly with the stated condition. */
export function works(o: Outcome): boolean {
  return o === "ok" || o === "conditional";
}

/** The operations of the notebook's outcome table, one per row of the spec's table (O1-O10) and binding. */
export const TABLE_OPERATIONS: ReadonlyArray<{ label: string; kind: OperationKind; binding: Binding }> = [
  { label: "Existing VM traffic", kind: "existing-traffic", binding: "static" },
  { label: "vMotion / DRS", kind: "vmotion", binding: "static" },
  { label: "Power on a VM on a static port", kind: "power-on", binding: "static" },
  { label: "Power on a VM on a dynamic portgroup", kind: "power-on", binding: "dynamic" },
  { label: "Connect a new VM to a static portgroup", kind: "connect-new-vm", binding: "static" },
  { label: "Connect a new VM to an ephemeral portgroup", kind: "connect-new-vm", binding: "ephemeral" },
  { label: "Change the switch configuration", kind: "change-config", binding: "static" },
  { label: "Add a host to the switch", kind: "add-host", binding: "static" },
  { label: "HA restart onto this host", kind: "ha-restart", binding: "static" },
  { label: "Restart the vCenter VM (static port)", kind: "restart-vcenter-vm", binding: "static" },
  { label: "Fix a broken management VLAN", kind: "fix-mgmt-vlan", binding: "static" },
];

/** Every TABLE_OPERATIONS row on every host: answers[row][hostIndex]. The state is checked once. */
export function outcomeTable(state: VdsState): OutcomeAnswer[][] {
  checkState(state);
  return TABLE_OPERATIONS.map((op) => state.hosts.map((h) => outcomeUnchecked(state, { kind: op.kind, binding: op.binding, host: h.id })));
}
