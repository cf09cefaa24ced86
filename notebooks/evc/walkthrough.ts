/**
 * The catch-22 walkthrough as the page shows it: the model's own run of the documented procedure
 * (evc.runDocumentedProcedure), the two tempting shortcuts the model refuses, and for each action
 * the preconditions evc.step checks before applying it. The precondition sentences are the
 * model's own strings (src/evc/vcenter-catch22.ts); a test keeps the two in step.
 */
import * as evc from "../../src/evc/index.ts";

/** The preconditions evc.step checks for each action, in the order it checks them. */
export const PRECONDITIONS: Readonly<Record<evc.Catch22Action["type"], readonly string[]>> = {
  enableEvcInPlace: [
    "vCenter is running",
    "the old cluster exists without EVC and no EVC cluster was created",
    "every host supports the target mode",
    "no powered-on or suspended VM uses features above the target mode",
  ],
  createEvcCluster: ["vCenter is running", "no EVC cluster exists yet", "EVC is not enabled yet"],
  migrateVm: [
    "vCenter is running",
    "the VM is registered on a host",
    "the destination is another host",
    "the destination host is connected",
    "the VM is powered on or off",
    "the VM's feature set fits the destination (vMotion CPU check)",
  ],
  powerOffVm: ["the VM is not vCenter", "the VM is powered on or suspended"],
  powerOnVm: ["the VM is not vCenter", "the VM is powered off", "the VM is registered on a host", "the VM's host is connected"],
  moveHostToEvcCluster: [
    "vCenter is running",
    "the EVC cluster exists (step 1)",
    "the host is in the old cluster",
    "the host is connected",
    "the host supports the EVC mode",
    "a host with features above the mode has no powered-on or suspended VMs",
  ],
  shutDownVcenter: ["vCenter is running", "vCenter runs outside the EVC cluster", "a host in the EVC cluster is ready to receive vCenter (step 2)"],
  unregisterVcenter: ["the vCenter VM is powered off", "the vCenter VM is registered on a host"],
  registerVcenter: ["the vCenter VM is removed from its old host's inventory", "the host is in the EVC cluster", "the host is connected"],
  powerOnVcenter: ["the vCenter VM is powered off", "the vCenter VM is registered on a host", "the VM's host is connected"],
  deleteOldCluster: ["vCenter is running", "the old cluster exists", "the EVC cluster exists", "the old cluster has no hosts"],
};

export interface Shortcut {
  /** What an administrator would try. */
  label: string;
  refusal: evc.Refusal;
}

export interface WalkStep {
  action: evc.Catch22Action;
  label: string;
  /** The KB 1013111 step (1-5) the procedure was at when this action was taken. */
  kbStep: number | "done";
  preconditions: readonly string[];
  message: string;
  before: evc.Catch22State;
  after: evc.Catch22State;
}

export type Walkthrough =
  | { kind: "none"; sentence: string }
  | {
      kind: "run";
      targetId: string;
      start: evc.Catch22State;
      /** False when vCenter's own VM blocks enabling in place: the catch-22. */
      inPlace: boolean;
      shortcuts: Shortcut[];
      steps: WalkStep[];
      status: evc.Catch22Status;
      stuck: string | null;
    };

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A VM's display name in a state (the action labels of the model name VMs by id). */
function vmName(state: evc.Catch22State, id: string): string {
  return state.vms.find((vm) => vm.id === id)?.name ?? id;
}

export function actionLabel(state: evc.Catch22State, action: evc.Catch22Action): string {
  const label = evc.describeAction(action);
  return "vmId" in action ? label.replace(action.vmId, vmName(state, action.vmId)) : label;
}

/**
 * Runs the documented procedure on `cluster` for `targetId`, with the shortcuts the model refuses
 * first. `none` (with the reason) when there is no vCenter VM in the cluster to be trapped by.
 */
export function walkthrough(cluster: evc.Cluster, targetId: string): Walkthrough {
  const vcenter = cluster.vms.find((vm) => vm.isVcenter);
  if (!vcenter) {
    return {
      kind: "none",
      sentence: "vCenter runs outside this cluster, so there is no catch-22: power off (or migrate away) the blocking VMs listed above and enable EVC from vCenter.",
    };
  }
  const start = evc.startCatch22(cluster, targetId);
  const inPlace = evc.canEnableInPlace(cluster, targetId);
  const shortcuts: Shortcut[] = [];
  const first = evc.step(start, { type: "enableEvcInPlace" });
  if (!first.ok) shortcuts.push({ label: actionLabel(start, { type: "enableEvcInPlace" }), refusal: first.refusal });
  if (!inPlace && vcenter.hostId) {
    // Step 1 done, then the obvious move: put vCenter's own host into the new cluster.
    const created = evc.step(start, { type: "createEvcCluster" });
    if (created.ok) {
      const move: evc.Catch22Action = { type: "moveHostToEvcCluster", hostId: vcenter.hostId };
      const tried = evc.step(created.state, move);
      if (!tried.ok) shortcuts.push({ label: `After step 1: ${lowerFirst(actionLabel(created.state, move))}`, refusal: tried.refusal });
    }
  }
  const run = evc.runDocumentedProcedure(start);
  let before = start;
  const steps: WalkStep[] = run.steps.map((s) => {
    const step: WalkStep = {
      action: s.action,
      label: actionLabel(before, s.action),
      kbStep: evc.catch22Status(before).documentedStep,
      preconditions: PRECONDITIONS[s.action.type],
      message: s.message,
      before,
      after: s.state,
    };
    before = s.state;
    return step;
  });
  return { kind: "run", targetId, start, inPlace, shortcuts, steps, status: run.status, stuck: run.stuck };
}

/** The state after the first `k` steps (all of them when k is larger). */
export function stateAt(w: Extract<Walkthrough, { kind: "run" }>, k: number): evc.Catch22State {
  const n = Math.max(0, Math.min(k, w.steps.length));
  return n === 0 ? w.start : w.steps[n - 1].after;
}
