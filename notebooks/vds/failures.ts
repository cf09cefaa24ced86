/**
 * The failures a reader can switch on, and the model state they lead to: the example state, then
 * each chosen failure applied as the model's event, in a fixed order (storage, vCenter,
 * management network, reboot, host failure with HA), so any combination gives one state.
 */
import { vds } from "../../src/index.ts";
import { toggle } from "../lib/params.ts";

export const FAILURE_KEYS = ["vcenterDown", "dsLost", "mgmtLost", "reboot", "haFail"] as const;
export type FailureKey = (typeof FAILURE_KEYS)[number];
export type Failures = Record<FailureKey, boolean> & { vcenterOnVds: boolean };

/** What each toggle does, in the words of its control and its place in the diagram. */
export const FAILURE_LABELS: Record<FailureKey, string> = {
  vcenterDown: "vCenter fails (E1)",
  dsLost: "esx01 loses the shared datastore (E2)",
  mgmtLost: "esx01 loses its management network (E4)",
  reboot: "esx01 reboots (E3)",
  haFail: "esx01 fails; HA restarts app01 on esx02 (E5)",
};

export const failureParams = {
  vcenterDown: toggle({ label: FAILURE_LABELS.vcenterDown, value: false }),
  dsLost: toggle({ label: FAILURE_LABELS.dsLost, value: false }),
  mgmtLost: toggle({ label: FAILURE_LABELS.mgmtLost, value: false }),
  reboot: toggle({ label: FAILURE_LABELS.reboot, value: false, help: "With vCenter's VM on esx01, the reboot takes vCenter down too: the host boots without it." }),
  haFail: toggle({ label: FAILURE_LABELS.haFail, value: false }),
  vcenterOnVds: toggle({ label: "vCenter runs as a VM on this switch (on esx01, static port)", value: true, help: "The source's setting. Off: vCenter runs outside this cluster." }),
};

export function failureState(f: Failures): vds.VdsState {
  let state = f.vcenterOnVds ? vds.exampleState() : vds.vcenterElsewhere();
  const events: vds.VdsEvent[] = [];
  if (f.dsLost) events.push({ type: "hostLosesDatastore", host: "esx01", datastore: "ds1" });
  if (f.vcenterDown) events.push({ type: "vcenterDown" });
  if (f.mgmtLost) events.push({ type: "mgmtNetworkLoss", host: "esx01" });
  if (f.reboot) events.push({ type: "hostReboot", host: "esx01" });
  if (f.haFail) events.push({ type: "haRestart", vm: "app01", toHost: "esx02" });
  for (const e of events) state = vds.apply(state, e);
  return state;
}
