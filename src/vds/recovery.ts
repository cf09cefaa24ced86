/**
 * How a host gets its switch back after a reboot: with vCenter reachable, vCenter pushes the
 * configuration; without it, the host rebuilds its proxy switch from /etc/vmware/dvsData.db
 * (switch config, uplinks, vmknic ports) and each VM's port from the VM's `.dvsData` port file.
 * A stateless (Auto Deploy) host has no local copy: it boots on a temporary standard switch and
 * waits in maintenance mode for vCenter.
 * Sources: spec section 4, "Recovery on reboot", after Strydom (2011) and Hill (2010) [5][6];
 * Webster (2012) [7] for "Invalid Backing"; vSphere 6.7 rollback [12]; Auto Deploy [16].
 * Simplifications: the local copy is either valid or not (a stale copy is treated like a missing
 * one, as the spec's rule does); every VM port file is readable iff its datastore is visible.
 */
import type { SourceId } from "./sources.ts";
import { checkState, hostOf, type ProxySwitch, type VdsState } from "./state.ts";

export interface PortRecovery {
  vm: string;
  portgroup: string;
  portId: number | null;
  /** Where the port state comes from: the VM's port file, or vCenter. */
  file: string | null;
  restored: boolean;
}

export interface Recovery {
  host: string;
  /** Where the proxy switch's configuration comes from on this boot. */
  configFrom: "vcenter" | "dvsData.db" | "none";
  proxySwitch: ProxySwitch;
  ports: PortRecovery[];
  /** What happens, step by step, each with its sources. */
  steps: Array<{ text: string; sources: SourceId[] }>;
}

/** The path of a VM port's file in `.dvsData`, as the host reads it: <datastore>/.dvsData/<switch uuid>/<port id>. */
export function portFilePath(state: VdsState, datastoreId: string, portId: number): string {
  const ds = state.datastores.find((d) => d.id === datastoreId);
  return `/vmfs/volumes/${ds?.name ?? datastoreId}/.dvsData/${state.switchUuid}/${portId}`;
}

/** What the host would restore if it rebooted now (the hostReboot event applies exactly this). */
export function recoverAfterReboot(state: VdsState, hostId: string): Recovery {
  checkState(state);
  return recoveryUnchecked(state, hostId);
}

export function recoveryUnchecked(state: VdsState, hostId: string): Recovery {
  const host = hostOf(state, hostId);
  // A reboot of the host that runs vCenter takes vCenter down with it, so that host always boots alone.
  const vcenterVm = state.vms.find((v) => v.id === state.vcenter.vmId);
  const vcenterReachable = state.vcenter.up && host.mgmtLink && vcenterVm?.host !== host.id;
  const steps: Recovery["steps"] = [];
  let configFrom: Recovery["configFrom"];
  let proxySwitch: ProxySwitch;
  if (vcenterReachable) {
    configFrom = "vcenter";
    proxySwitch = "up";
    steps.push({ text: `vCenter is reachable: it pushes the switch configuration to ${host.id} and the proxy switch comes up.`, sources: ["vds-architecture", "rollback-67"] });
  } else if (host.stateless || host.localCache !== "valid") {
    configFrom = "none";
    proxySwitch = "temp-vss";
    steps.push({
      text: `${host.id} has no valid local copy of the switch (${host.stateless ? "a stateless Auto Deploy host" : `its dvsData.db is ${host.localCache}`}): it boots on a temporary standard switch and waits for vCenter.`,
      sources: ["autodeploy-65"],
    });
  } else {
    configFrom = "dvsData.db";
    proxySwitch = "up";
    steps.push({ text: `vCenter is not reachable: ${host.id} rebuilds its proxy switch (uplinks, vmknic ports) from /etc/vmware/dvsData.db.`, sources: ["strydom-2011", "hill-2010"] });
  }
  const ports: PortRecovery[] = [];
  for (const vm of state.vms) {
    if (vm.host !== host.id) continue;
    const visible = host.seesDatastores.includes(vm.datastore);
    for (const nic of vm.nics) {
      const file = nic.portId === null ? null : portFilePath(state, vm.datastore, nic.portId);
      const restored = proxySwitch === "up" && (configFrom === "vcenter" || visible);
      ports.push({ vm: vm.id, portgroup: nic.portgroup, portId: nic.portId, file: configFrom === "vcenter" ? null : file, restored });
    }
  }
  if (configFrom === "dvsData.db") {
    const lost = ports.filter((p) => !p.restored);
    steps.push(
      lost.length === 0
        ? { text: `Each VM port is loaded from its file in the VM's .dvsData folder (${ports.length} port${ports.length === 1 ? "" : "s"}).`, sources: ["strydom-2011", "hill-2010"] }
        : {
            text: `${lost.map((p) => p.vm).join(", ")} cannot read ${lost.length === 1 ? "its port file" : "their port files"} (datastore not visible at boot): 'Invalid Backing', no network until the port is reconnected.`,
            sources: ["webster-2012", "wahl-2015"],
          },
    );
    steps.push({ text: "When vCenter returns it pushes the configuration again and repairs any drift.", sources: ["rollback-67"] });
  }
  return { host: host.id, configFrom, proxySwitch, ports, steps };
}
