/**
 * The catch-22 of enabling EVC when vCenter runs as a VM inside the cluster, as a state machine:
 * step(state, action) applies one action of the procedure or refuses it, naming the failed precondition.
 * Source: KB 1013111 "Enabling EVC on a cluster when vCenter Server is running in a virtual machine" as
 * summarised in models/evc.md §4 (the KB text itself was not available: the order is unverified), with the
 * rules of §3 (ActiveVMsBlockingEVC) and §7 (EVCAdmissionFailedVmActive, vMotion into an EVC cluster).
 * Simplifications: two clusters only (the old one and the new EVC one); vCenter operations need the vCenter
 * VM running, direct-to-host operations (power, register) do not; HA/DRS settings of step 5 are left out.
 */
import { ModelInputError, checkOneOf, checkRecord, checkString } from "../shared/index.ts";
import { getBaseline, type FeatureSet } from "./data.ts";
import { difference, isSubset, sameFeatures } from "./features.ts";
import { checkCluster, isActive, type Cluster, type Host, type PowerState } from "./host.ts";
import { canMigrateVm, featureSetAtPowerOn } from "./vmotion.ts";

export interface Catch22Vm {
  id: string;
  name: string;
  /** The host whose inventory holds the VM; null after it was removed from inventory. */
  hostId: string | null;
  powerState: PowerState;
  featureSet: FeatureSet | null;
  isVcenter: boolean;
}

export interface Catch22State {
  targetId: string;
  /** Every host and the cluster it is in: the original one ("old") or the new EVC cluster ("evc"). */
  hosts: readonly { host: Host; cluster: "old" | "evc" }[];
  vms: readonly Catch22Vm[];
  /** The old cluster's EVC mode: set only if EVC could be enabled in place. */
  oldClusterEvc: string | null;
  evcClusterCreated: boolean;
  oldClusterDeleted: boolean;
  /** VMs the procedure powered off and should power on again once they can run under the mode. */
  poweredOffByProcedure: readonly string[];
  /** One line per applied action. */
  log: readonly string[];
}

export type Catch22Action =
  | { type: "enableEvcInPlace" }
  | { type: "createEvcCluster" }
  | { type: "migrateVm"; vmId: string; toHostId: string }
  | { type: "powerOffVm"; vmId: string }
  | { type: "powerOnVm"; vmId: string }
  | { type: "moveHostToEvcCluster"; hostId: string }
  | { type: "shutDownVcenter" }
  | { type: "unregisterVcenter" }
  | { type: "registerVcenter"; hostId: string }
  | { type: "powerOnVcenter" }
  | { type: "deleteOldCluster" };

export const CATCH22_ACTIONS: readonly Catch22Action["type"][] = [
  "enableEvcInPlace",
  "createEvcCluster",
  "migrateVm",
  "powerOffVm",
  "powerOnVm",
  "moveHostToEvcCluster",
  "shutDownVcenter",
  "unregisterVcenter",
  "registerVcenter",
  "powerOnVcenter",
  "deleteOldCluster",
];

export interface Refusal {
  action: Catch22Action;
  /** The precondition that failed, as a short rule. */
  precondition: string;
  /** Why, for this state, in a sentence (names the API fault where vCenter would raise one). */
  reason: string;
}

export type StepResult = { ok: true; state: Catch22State; message: string } | { ok: false; state: Catch22State; refusal: Refusal };

/** canEnableInPlace(C, t) is false iff blocking(C, t) contains the vCenter VM (§4). */
export function canEnableInPlace(cluster: Cluster, targetId: string): boolean {
  checkCluster("cluster", cluster);
  const target = getBaseline(targetId);
  return !cluster.vms.some((vm) => vm.isVcenter === true && isActive(vm) && !isSubset(vm.featureSet!, target.features));
}

/** The starting state for a cluster without EVC whose vCenter VM is powered on inside it. */
export function startCatch22(cluster: Cluster, targetId: string): Catch22State {
  checkCluster("cluster", cluster);
  const target = getBaseline(targetId);
  if (cluster.evcMode !== null) throw new ModelInputError("cluster.evcMode", cluster.evcMode, "null: the procedure enables EVC on a cluster that has none");
  const vcenters = cluster.vms.filter((vm) => vm.isVcenter === true);
  if (vcenters.length !== 1 || vcenters[0].powerState !== "on") {
    throw new ModelInputError("cluster.vms", vcenters.map((vm) => vm.id).join(", "), "exactly one powered-on VM marked isVcenter");
  }
  return {
    targetId: target.id,
    hosts: cluster.hosts.map((host) => ({ host, cluster: "old" as const })),
    vms: cluster.vms.map((vm) => ({
      id: vm.id,
      name: vm.name,
      hostId: vm.hostId,
      powerState: vm.powerState,
      featureSet: isActive(vm) ? vm.featureSet : null,
      isVcenter: vm.isVcenter === true,
    })),
    oldClusterEvc: null,
    evcClusterCreated: false,
    oldClusterDeleted: false,
    poweredOffByProcedure: [],
    log: [],
  };
}

function vcenterOf(state: Catch22State): Catch22Vm {
  return state.vms.find((vm) => vm.isVcenter)!;
}

function clusterEvcOf(state: Catch22State, hostId: string): string | null {
  const entry = state.hosts.find((h) => h.host.id === hostId)!;
  return entry.cluster === "evc" ? state.targetId : state.oldClusterEvc;
}

function hostEntry(state: Catch22State, field: string, hostId: unknown): { host: Host; cluster: "old" | "evc" } {
  checkOneOf(field, hostId, state.hosts.map((h) => h.host.id));
  return state.hosts.find((h) => h.host.id === hostId)!;
}

function vmEntry(state: Catch22State, field: string, vmId: unknown): Catch22Vm {
  checkOneOf(field, vmId, state.vms.map((vm) => vm.id));
  return state.vms.find((vm) => vm.id === vmId)!;
}

function withVm(state: Catch22State, vmId: string, change: Partial<Catch22Vm>): Catch22Vm[] {
  return state.vms.map((vm) => (vm.id === vmId ? { ...vm, ...change } : vm));
}

function checkState(state: Catch22State): Catch22State {
  const s = checkRecord("state", state);
  getBaseline(s.targetId as string);
  if (!Array.isArray(s.hosts) || !Array.isArray(s.vms) || !Array.isArray(s.log) || !Array.isArray(s.poweredOffByProcedure)) {
    throw new ModelInputError("state", state, "a state made by startCatch22 or step");
  }
  if (state.vms.filter((vm) => vm.isVcenter).length !== 1) throw new ModelInputError("state.vms", state.vms.length, "exactly one vCenter VM");
  return state;
}

/**
 * Applies one action. Unknown ids or a malformed action throw ModelInputError; a legal-looking action whose
 * precondition fails in this state returns { ok: false, refusal } and the unchanged state.
 */
export function step(state: Catch22State, action: Catch22Action): StepResult {
  checkState(state);
  const a = checkRecord("action", action);
  checkOneOf("action.type", a.type, CATCH22_ACTIONS);
  const target = getBaseline(state.targetId);
  const vcenter = vcenterOf(state);
  const vcenterUp = vcenter.powerState === "on";
  const refuse = (precondition: string, reason: string): StepResult => ({ ok: false, state, refusal: { action, precondition, reason } });
  const done = (next: Omit<Catch22State, "log">, message: string): StepResult => ({ ok: true, state: { ...next, log: [...state.log, message] }, message });
  const needVcenter = (): StepResult | null => (vcenterUp ? null : refuse("vCenter is running", "This is a vCenter operation, and the vCenter VM is not running."));
  const oldHosts = state.hosts.filter((h) => h.cluster === "old");
  const evcHosts = state.hosts.filter((h) => h.cluster === "evc");

  switch (action.type) {
    case "enableEvcInPlace": {
      const blocked = needVcenter();
      if (blocked) return blocked;
      if (state.oldClusterDeleted || state.oldClusterEvc !== null || state.evcClusterCreated) {
        return refuse("the old cluster exists without EVC and no EVC cluster was created", "EVC is already being set up.");
      }
      const unsupported = oldHosts.filter((h) => h.host.vendor !== target.vendor || !isSubset(target.featureList, h.host.features));
      if (unsupported.length > 0) {
        return refuse("every host supports the target mode", `${unsupported.map((h) => h.host.id).join(", ")} cannot run ${target.displayName}.`);
      }
      const blocking = state.vms.filter((vm) => isActive(vm) && !isSubset(vm.featureSet!, target.features));
      if (blocking.length > 0) {
        const trap = blocking.some((vm) => vm.isVcenter)
          ? " The vCenter VM is one of them, and vCenter is the tool that changes the setting: this is the catch-22 of KB 1013111."
          : "";
        return refuse(
          "no powered-on or suspended VM uses features above the target mode",
          `ActiveVMsBlockingEVC: ${blocking.map((vm) => `${vm.name} (${difference(vm.featureSet!, target.features).join(", ")})`).join("; ")}.${trap}`,
        );
      }
      return done({ ...state, oldClusterEvc: target.id }, `Enabled EVC mode ${target.displayName} on the cluster in place.`);
    }
    case "createEvcCluster": {
      const blocked = needVcenter();
      if (blocked) return blocked;
      if (state.evcClusterCreated) return refuse("no EVC cluster exists yet", "The new EVC cluster already exists.");
      if (state.oldClusterEvc !== null) return refuse("EVC is not enabled yet", "EVC is already enabled on the cluster.");
      return done({ ...state, evcClusterCreated: true }, `Step 1: created an empty cluster with EVC mode ${target.displayName}; nothing blocks because it has no hosts.`);
    }
    case "migrateVm": {
      const vm = vmEntry(state, "action.vmId", a.vmId);
      const to = hostEntry(state, "action.toHostId", a.toHostId);
      const blocked = needVcenter();
      if (blocked) return blocked;
      if (vm.hostId === null) return refuse("the VM is registered on a host", `${vm.name} is not in any host's inventory.`);
      if (vm.hostId === to.host.id) return refuse("the destination is another host", `${vm.name} is already on ${to.host.id}.`);
      if (!to.host.connected) return refuse("the destination host is connected", `${to.host.id} is not connected.`);
      if (vm.powerState === "suspended") return refuse("the VM is powered on or off", `${vm.name} is suspended; resume or power it off first.`);
      if (vm.powerState === "on") {
        const from = hostEntry(state, "vm.hostId", vm.hostId);
        const check = canMigrateVm(vm.featureSet!, from.host.vendor, to.host, clusterEvcOf(state, to.host.id));
        if (!check.compatible) return refuse("the VM's feature set fits the destination (vMotion CPU check)", check.reason);
      }
      const how = vm.powerState === "on" ? "vMotioned" : "cold-migrated";
      return done({ ...state, vms: withVm(state, vm.id, { hostId: to.host.id }) }, `${how} ${vm.name} from ${vm.hostId} to ${to.host.id}.`);
    }
    case "powerOffVm": {
      const vm = vmEntry(state, "action.vmId", a.vmId);
      if (vm.isVcenter) return refuse("the VM is not vCenter", "The vCenter VM is shut down as step 3 of the procedure, not as an ordinary VM.");
      if (!isActive(vm)) return refuse("the VM is powered on or suspended", `${vm.name} is already powered off.`);
      const poweredOff = state.poweredOffByProcedure.includes(vm.id) ? state.poweredOffByProcedure : [...state.poweredOffByProcedure, vm.id];
      return done({ ...state, vms: withVm(state, vm.id, { powerState: "off", featureSet: null }), poweredOffByProcedure: poweredOff }, `Powered off ${vm.name} on ${vm.hostId}.`);
    }
    case "powerOnVm": {
      const vm = vmEntry(state, "action.vmId", a.vmId);
      if (vm.isVcenter) return refuse("the VM is not vCenter", "The vCenter VM is powered on as step 3 of the procedure, not as an ordinary VM.");
      if (vm.powerState !== "off") return refuse("the VM is powered off", `${vm.name} is not powered off.`);
      if (vm.hostId === null) return refuse("the VM is registered on a host", `${vm.name} is not in any host's inventory.`);
      const host = hostEntry(state, "vm.hostId", vm.hostId);
      if (!host.host.connected) return refuse("the VM's host is connected", `${host.host.id} is not connected.`);
      const under = clusterEvcOf(state, host.host.id);
      const featureSet = featureSetAtPowerOn(host.host, { clusterEvc: under });
      return done(
        { ...state, vms: withVm(state, vm.id, { powerState: "on", featureSet }), poweredOffByProcedure: state.poweredOffByProcedure.filter((id) => id !== vm.id) },
        `Powered on ${vm.name} on ${host.host.id}${under ? ` under EVC mode ${getBaseline(under).displayName}` : " without EVC (it captures the host's full feature set)"}.`,
      );
    }
    case "moveHostToEvcCluster": {
      const entry = hostEntry(state, "action.hostId", a.hostId);
      const blocked = needVcenter();
      if (blocked) return blocked;
      if (!state.evcClusterCreated) return refuse("the EVC cluster exists (step 1)", "Create the new EVC cluster first.");
      if (entry.cluster === "evc") return refuse("the host is in the old cluster", `${entry.host.id} is already in the EVC cluster.`);
      if (!entry.host.connected) return refuse("the host is connected", `${entry.host.id} is not connected.`);
      const lacks = difference(target.featureList, entry.host.features);
      if (entry.host.vendor !== target.vendor || lacks.length > 0) {
        return refuse("the host supports the EVC mode", `${entry.host.id} cannot run ${target.displayName}${lacks.length ? `: it lacks ${lacks.join(", ")}` : ""}.`);
      }
      const active = state.vms.filter((vm) => vm.hostId === entry.host.id && isActive(vm));
      if (!isSubset(entry.host.features, target.features) && active.length > 0) {
        const trap = active.some((vm) => vm.isVcenter) ? " One of them is vCenter: move a different host first (step 2)." : "";
        return refuse(
          "a host with features above the mode has no powered-on or suspended VMs",
          `EVCAdmissionFailedVmActive: ${entry.host.id} has more features than ${target.displayName} and runs ${active.map((vm) => vm.name).join(", ")}.${trap}`,
        );
      }
      const hosts = state.hosts.map((h) => (h.host.id === entry.host.id ? { ...h, cluster: "evc" as const } : h));
      const which = evcHosts.length === 0 ? "Step 2: moved" : "Step 4: moved";
      return done({ ...state, hosts }, `${which} ${entry.host.id} into the EVC cluster.`);
    }
    case "shutDownVcenter": {
      if (!vcenterUp) return refuse("vCenter is running", "The vCenter VM is not running.");
      if (vcenter.hostId !== null && hostEntry(state, "vcenter.hostId", vcenter.hostId).cluster === "evc") {
        return refuse("vCenter runs outside the EVC cluster", "vCenter already runs inside the EVC cluster; there is no reason to move it.");
      }
      if (!evcHosts.some((h) => h.host.connected)) {
        return refuse("a host in the EVC cluster is ready to receive vCenter (step 2)", "Move an evacuated host into the EVC cluster before shutting vCenter down.");
      }
      return done({ ...state, vms: withVm(state, vcenter.id, { powerState: "off", featureSet: null }) }, `Step 3: shut down the vCenter VM${vcenter.name === "vCenter Server" ? "" : ` (${vcenter.name})`}.`);
    }
    case "unregisterVcenter": {
      if (vcenter.powerState !== "off") return refuse("the vCenter VM is powered off", "Shut the vCenter VM down first.");
      if (vcenter.hostId === null) return refuse("the vCenter VM is registered on a host", "It is already removed from inventory.");
      return done({ ...state, vms: withVm(state, vcenter.id, { hostId: null }) }, `Step 3: connected directly to ${vcenter.hostId} and removed ${vcenter.name} from its inventory.`);
    }
    case "registerVcenter": {
      const entry = hostEntry(state, "action.hostId", a.hostId);
      if (vcenter.hostId !== null) return refuse("the vCenter VM is removed from its old host's inventory", `${vcenter.name} is still registered on ${vcenter.hostId}.`);
      if (entry.cluster !== "evc") return refuse("the host is in the EVC cluster", `${entry.host.id} is not in the EVC cluster, so vCenter would power on there without the EVC mask.`);
      if (!entry.host.connected) return refuse("the host is connected", `${entry.host.id} is not connected.`);
      return done({ ...state, vms: withVm(state, vcenter.id, { hostId: entry.host.id }) }, `Step 3: connected directly to ${entry.host.id} and registered ${vcenter.name} from shared storage.`);
    }
    case "powerOnVcenter": {
      if (vcenter.powerState !== "off") return refuse("the vCenter VM is powered off", "The vCenter VM is already running.");
      if (vcenter.hostId === null) return refuse("the vCenter VM is registered on a host", "Register the vCenter VM on a host first.");
      const host = hostEntry(state, "vcenter.hostId", vcenter.hostId);
      if (!host.host.connected) return refuse("the VM's host is connected", `${host.host.id} is not connected.`);
      const under = clusterEvcOf(state, host.host.id);
      const featureSet = featureSetAtPowerOn(host.host, { clusterEvc: under });
      return done(
        { ...state, vms: withVm(state, vcenter.id, { powerState: "on", featureSet }) },
        `Step 3: powered on ${vcenter.name} on ${host.host.id}${under ? `; it starts with the feature set of ${getBaseline(under).displayName}` : " without EVC"}.`,
      );
    }
    case "deleteOldCluster": {
      const blocked = needVcenter();
      if (blocked) return blocked;
      if (state.oldClusterDeleted) return refuse("the old cluster exists", "The old cluster is already deleted.");
      if (!state.evcClusterCreated) return refuse("the EVC cluster exists", "Deleting the only cluster is not part of the procedure.");
      if (oldHosts.length > 0) return refuse("the old cluster has no hosts", `${oldHosts.map((h) => h.host.id).join(", ")} ${oldHosts.length === 1 ? "is" : "are"} still in it.`);
      return done({ ...state, oldClusterDeleted: true }, "Step 5: deleted the old, empty cluster; re-apply HA/DRS settings on the new one as needed.");
    }
  }
}

export interface Catch22Status {
  /** All hosts under the target mode (in place, or in the new cluster with the old one deleted) and vCenter running. */
  evcEnabled: boolean;
  vcenterRunning: boolean;
  /** vcenter.featureSet = target.features, as §4 requires of the final state. */
  vcenterAtTarget: boolean;
  hostsInOldCluster: string[];
  /** The KB 1013111 step the state is at (1-5), or "done". */
  documentedStep: 1 | 2 | 3 | 4 | 5 | "done";
}

export function catch22Status(state: Catch22State): Catch22Status {
  checkState(state);
  const target = getBaseline(state.targetId);
  const vcenter = vcenterOf(state);
  const vcenterRunning = vcenter.powerState === "on";
  const vcenterAtTarget = vcenterRunning && sameFeatures(vcenter.featureSet!, target.features);
  const hostsInOldCluster = state.hosts.filter((h) => h.cluster === "old").map((h) => h.host.id);
  const inPlace = state.oldClusterEvc !== null;
  const moved = state.evcClusterCreated && state.oldClusterDeleted && hostsInOldCluster.length === 0;
  const evcEnabled = vcenterRunning && (inPlace || moved);
  const vcenterInEvc = vcenter.hostId !== null && state.hosts.some((h) => h.host.id === vcenter.hostId && h.cluster === "evc");
  const documentedStep = evcEnabled
    ? "done"
    : !state.evcClusterCreated
      ? 1
      : !state.hosts.some((h) => h.cluster === "evc")
        ? 2
        : !(vcenterRunning && vcenterInEvc)
          ? 3
          : hostsInOldCluster.length > 0
            ? 4
            : 5;
  return { evcEnabled, vcenterRunning, vcenterAtTarget, hostsInOldCluster, documentedStep };
}

export type NextAction = { kind: "action"; action: Catch22Action } | { kind: "done" } | { kind: "stuck"; reason: string };

function supportsTarget(state: Catch22State, host: Host): boolean {
  const target = getBaseline(state.targetId);
  return host.vendor === target.vendor && isSubset(target.featureList, host.features);
}

/** Active VMs on a host above the mode keep it out of the EVC cluster (§7). */
function admissionBlockers(state: Catch22State, host: Host): Catch22Vm[] {
  if (isSubset(host.features, getBaseline(state.targetId).features)) return [];
  return state.vms.filter((vm) => vm.hostId === host.id && isActive(vm));
}

/** Clear a VM off `host`: vMotion to a compatible host among `candidates`, else power it off. */
function evacuate(state: Catch22State, vm: Catch22Vm, candidates: readonly Host[]): Catch22Action {
  if (vm.powerState === "on") {
    for (const to of candidates) {
      const attempt = step(state, { type: "migrateVm", vmId: vm.id, toHostId: to.id });
      if (attempt.ok) return { type: "migrateVm", vmId: vm.id, toHostId: to.id };
    }
  }
  return { type: "powerOffVm", vmId: vm.id };
}

/**
 * The next action in the documented order (§4): if vCenter does not block, power off the VMs that do and
 * enable in place; otherwise steps 1-5 of KB 1013111. Returns "stuck" with a reason when the procedure cannot go on
 * (for example every host runs vCenter, or a host cannot run the mode).
 */
export function nextDocumentedAction(state: Catch22State): NextAction {
  const status = catch22Status(state);
  const target = getBaseline(state.targetId);
  const vcenter = vcenterOf(state);
  const oldHosts = state.hosts.filter((h) => h.cluster === "old").map((h) => h.host);
  const evcHosts = state.hosts.filter((h) => h.cluster === "evc").map((h) => h.host);
  // VMs the procedure powered off go back on as soon as their host runs under the mode.
  const restart = vcenter.powerState === "on" ? state.vms.find((vm) => state.poweredOffByProcedure.includes(vm.id) && vm.powerState === "off" && vm.hostId !== null && clusterEvcOf(state, vm.hostId) === target.id) : undefined;
  if (status.evcEnabled) return restart ? { kind: "action", action: { type: "powerOnVm", vmId: restart.id } } : { kind: "done" };
  const unsupported = oldHosts.find((h) => !supportsTarget(state, h));
  if (unsupported) return { kind: "stuck", reason: `${unsupported.id} cannot run ${target.displayName}; remove it from the cluster or pick a lower mode.` };
  const disconnected = state.hosts.find((h) => !h.host.connected);
  if (disconnected) return { kind: "stuck", reason: `${disconnected.host.id} is not connected.` };

  if (!state.evcClusterCreated) {
    const blocking = state.vms.filter((vm) => isActive(vm) && !isSubset(vm.featureSet!, target.features));
    if (!blocking.some((vm) => vm.isVcenter)) {
      const first = blocking[0];
      if (first) return { kind: "action", action: { type: "powerOffVm", vmId: first.id } };
      return { kind: "action", action: { type: "enableEvcInPlace" } };
    }
    if (!oldHosts.some((h) => h.id !== vcenter.hostId)) return { kind: "stuck", reason: "Every host runs vCenter: the procedure needs a second host to move first." };
    return { kind: "action", action: { type: "createEvcCluster" } };
  }

  const vcenterInEvc = evcHosts.some((h) => h.id === vcenter.hostId);
  if (evcHosts.length === 0) {
    const h = oldHosts.find((x) => x.id !== vcenter.hostId)!;
    const blocker = admissionBlockers(state, h)[0];
    if (blocker) return { kind: "action", action: evacuate(state, blocker, oldHosts.filter((x) => x.id !== h.id)) };
    return { kind: "action", action: { type: "moveHostToEvcCluster", hostId: h.id } };
  }
  if (!vcenterInEvc) {
    if (vcenter.powerState === "on") return { kind: "action", action: { type: "shutDownVcenter" } };
    if (vcenter.hostId !== null) return { kind: "action", action: { type: "unregisterVcenter" } };
    return { kind: "action", action: { type: "registerVcenter", hostId: evcHosts[0].id } };
  }
  if (vcenter.powerState === "off") return { kind: "action", action: { type: "powerOnVcenter" } };

  if (restart) return { kind: "action", action: { type: "powerOnVm", vmId: restart.id } };
  const next = oldHosts[0];
  if (next) {
    const blocker = admissionBlockers(state, next)[0];
    if (blocker) return { kind: "action", action: evacuate(state, blocker, evcHosts) };
    return { kind: "action", action: { type: "moveHostToEvcCluster", hostId: next.id } };
  }
  return { kind: "action", action: { type: "deleteOldCluster" } };
}

export interface ProcedureStep {
  action: Catch22Action;
  message: string;
  state: Catch22State;
}

/** Runs nextDocumentedAction until done or stuck; the walkthrough a notebook shows. Bounded by the cluster's size. */
export function runDocumentedProcedure(start: Catch22State): { steps: ProcedureStep[]; status: Catch22Status; stuck: string | null } {
  checkState(start);
  const steps: ProcedureStep[] = [];
  let state = start;
  // Each VM is touched at most a few times and each host moved once, so this bound is never reached by a correct plan.
  const limit = 10 + 4 * (state.vms.length + state.hosts.length);
  for (let i = 0; i < limit; i++) {
    const next = nextDocumentedAction(state);
    if (next.kind === "done") return { steps, status: catch22Status(state), stuck: null };
    if (next.kind === "stuck") return { steps, status: catch22Status(state), stuck: next.reason };
    const result = step(state, next.action);
    if (!result.ok) return { steps, status: catch22Status(state), stuck: result.refusal.reason };
    state = result.state;
    steps.push({ action: next.action, message: result.message, state });
  }
  return { steps, status: catch22Status(state), stuck: "The procedure did not finish within its step bound." };
}

/** A one-line description of an action, for buttons and logs. */
export function describeAction(action: Catch22Action): string {
  const a = checkRecord("action", action);
  switch (checkOneOf("action.type", a.type, CATCH22_ACTIONS)) {
    case "enableEvcInPlace":
      return "Enable EVC on the existing cluster";
    case "createEvcCluster":
      return "Create a new, empty cluster with EVC on";
    case "migrateVm":
      return `vMotion ${checkString("action.vmId", a.vmId)} to ${checkString("action.toHostId", a.toHostId)}`;
    case "powerOffVm":
      return `Power off ${checkString("action.vmId", a.vmId)}`;
    case "powerOnVm":
      return `Power on ${checkString("action.vmId", a.vmId)}`;
    case "moveHostToEvcCluster":
      return `Move host ${checkString("action.hostId", a.hostId)} into the EVC cluster`;
    case "shutDownVcenter":
      return "Shut down the vCenter VM";
    case "unregisterVcenter":
      return "Remove the vCenter VM from its host's inventory (direct host connection)";
    case "registerVcenter":
      return `Register the vCenter VM on ${checkString("action.hostId", a.hostId)} (direct host connection)`;
    case "powerOnVcenter":
      return "Power on the vCenter VM";
    case "deleteOldCluster":
      return "Delete the old, empty cluster";
  }
}
