/**
 * The classic sequences the sources tell, as lists of events on the example state: the vCenter VM
 * on a static-binding portgroup after a host reboot without vCenter (Webster 2012 [7], Wahl 2015
 * [10]), and an HA restart while vCenter is down (Strydom 2011 [5], Odgers 2014 [9]).
 * Simplifications: one host fails or reboots; storage comes back as one event.
 */
import { applyUnchecked, type VdsEvent } from "./events.ts";
import type { OperationKind } from "./outcomes.ts";
import type { SourceId } from "./sources.ts";
import { checkOneOf } from "../shared/index.ts";
import { exampleState, type Binding, type VdsState } from "./state.ts";

export interface ScenarioStep {
  /** null for the starting state. */
  event: VdsEvent | null;
  /** What happens, one or two sentences. */
  text: string;
  /** The operation this step is about, on `host`, shown highlighted in the outcomes table. */
  focus: { kind: OperationKind; binding?: Binding; host: string };
  sources: SourceId[];
}

export interface Scenario {
  id: string;
  title: string;
  /** The state before the first step. */
  initial: () => VdsState;
  steps: ScenarioStep[];
}

/** The example without the vCenter VM: vCenter runs outside this cluster. */
export function vcenterElsewhere(): VdsState {
  const state = exampleState();
  return { ...state, vcenter: { up: true, vmId: null }, vms: state.vms.filter((v) => v.id !== state.vcenter.vmId) };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: "vcenter-static-reboot",
    title: "vCenter's own VM on a static portgroup, after a host reboot without vCenter",
    initial: exampleState,
    steps: [
      { event: null, text: "vCenter runs as a VM on esx01, connected to the static-binding VM Network portgroup of the switch it manages.", focus: { kind: "existing-traffic", host: "esx01" }, sources: ["webster-2012"] },
      { event: { type: "hostLosesDatastore", host: "esx01", datastore: "ds1" }, text: "A site outage begins: esx01 loses its shared datastore, with the VMs' files and their .dvsData port files.", focus: { kind: "existing-traffic", host: "esx01" }, sources: ["webster-2012"] },
      { event: { type: "hostReboot", host: "esx01" }, text: "esx01 reboots; vCenter goes down with it. The host rebuilds its proxy switch from dvsData.db, but cannot read the port files: Invalid Backing.", focus: { kind: "power-on", binding: "static", host: "esx01" }, sources: ["webster-2012", "strydom-2011"] },
      { event: { type: "hostRegainsDatastore", host: "esx01", datastore: "ds1" }, text: "Storage comes back, but the ports were marked at boot.", focus: { kind: "restart-vcenter-vm", host: "esx01" }, sources: ["webster-2012"] },
      { event: { type: "powerOn", vm: "vcenter" }, text: "The administrator powers on the vCenter VM from the host client: it starts, but its static port stays disconnected and nobody can hand it a new one.", focus: { kind: "connect-new-vm", binding: "static", host: "esx01" }, sources: ["webster-2012", "kb324492"] },
      { event: { type: "moveNic", vm: "vcenter", portgroup: "pg-ephemeral" }, text: "The way out: move vCenter's NIC to the ephemeral portgroup from the host client; the host creates the port itself.", focus: { kind: "connect-new-vm", binding: "ephemeral", host: "esx01" }, sources: ["wahl-2015"] },
      { event: { type: "vcenterUp" }, text: "vCenter's service comes up and pushes the switch configuration again, repairing the drift.", focus: { kind: "change-config", host: "esx01" }, sources: ["rollback-67"] },
    ],
  },
  {
    id: "ha-without-vcenter",
    title: "HA restarts a VM while vCenter is down",
    initial: vcenterElsewhere,
    steps: [
      { event: null, text: "vCenter runs outside this cluster; app01 runs on esx01 on a static port.", focus: { kind: "existing-traffic", host: "esx01" }, sources: ["strydom-2011"] },
      { event: { type: "vcenterDown" }, text: "vCenter fails. Traffic keeps flowing: the data plane is on the hosts.", focus: { kind: "existing-traffic", host: "esx02" }, sources: ["kb324492", "laverick-vmwiki"] },
      { event: { type: "haRestart", vm: "app01", toHost: "esx02" }, text: "esx01 fails. HA, which runs on the hosts, restarts app01 on esx02; esx02 loads its port state from app01's .dvsData file and keeps the reserved static port.", focus: { kind: "ha-restart", host: "esx02" }, sources: ["strydom-2011", "hill-2010", "odgers-2014"] },
      { event: { type: "vcenterUp" }, text: "vCenter returns and finds app01 on esx02 with the same port.", focus: { kind: "vmotion", host: "esx02" }, sources: ["strydom-2011"] },
    ],
  },
];

export const SCENARIO_IDS = SCENARIOS.map((s) => s.id);

export function scenario(id: string): Scenario {
  return SCENARIOS[SCENARIO_IDS.indexOf(checkOneOf("scenario", id, SCENARIO_IDS))];
}

/** The state after the first `stepCount` steps of a scenario (0 = the example state before any). */
export function scenarioState(id: string, stepCount: number): VdsState {
  const s = scenario(id);
  const n = checkStep(stepCount, s.steps.length);
  let state = s.initial();
  for (const step of s.steps.slice(0, n)) if (step.event) state = applyUnchecked(state, step.event);
  return state;
}

function checkStep(value: unknown, total: number): number {
  return checkOneOf("stepCount", value, Array.from({ length: total + 1 }, (_, i) => i));
}
