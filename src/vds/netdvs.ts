/**
 * What the unsupported `net-dvs` tool (/usr/lib/vmware/bin/net-dvs) would list on one host for
 * this switch, generated from the model state: the switch, its host properties and one block per
 * VM port on the host, including the path of the port's file in the VM's `.dvsData` folder.
 * Sources: Strydom (2011) [5] and Hill (2010) [6] (net-dvs shows the host's copy of the switch).
 * Simplifications: an abbreviated listing; the property names follow the shape of real output
 * but the set shown is ours (an assumption), and counters and uplinks are left out.
 */
import { portFilePath } from "./recovery.ts";
import { checkState, hostOf, type VdsState } from "./state.ts";

/** The listing as lines of text, tab-indented like the tool's own output. */
export function netDvs(state: VdsState, hostId: string): string[] {
  checkState(state);
  const host = hostOf(state, hostId);
  if (!host.running) return [`# ${host.id} is not running: there is nothing to list.`];
  if (host.proxySwitch !== "up") return [`# ${host.id} has no ${state.switchName} yet: it runs a temporary standard switch until vCenter remediates it.`];
  const inSync = state.vcenter.up && host.mgmtLink && !host.rebootedWithoutVcenter;
  const lines = [
    `switch ${state.switchUuid} (etherswitch)`,
    "\tglobal properties:",
    `\t\tcom.vmware.common.alias = ${state.switchName} ,\tpropType = CONFIG`,
    "\thost properties:",
    `\t\tcom.vmware.common.host.portset = DvsPortset-0 ,\tpropType = CONFIG`,
    `\t\tcom.vmware.common.host.volatile.status = ${inSync ? "green" : "red"} ,\tpropType = RUNTIME`,
  ];
  for (const vm of state.vms) {
    if (vm.host !== host.id) continue;
    for (const nic of vm.nics) {
      if (nic.portId === null) continue;
      const pg = state.portgroups.find((p) => p.id === nic.portgroup)!;
      const status = !vm.powered ? "free" : nic.connected ? "inUse linkUp" : "inUse linkDown";
      lines.push(
        `\tport ${nic.portId}:`,
        `\t\tcom.vmware.common.port.alias = ${vm.id} ,\tpropType = CONFIG`,
        `\t\tcom.vmware.common.port.portgroupid = ${pg.id} ,\tpropType = CONFIG`,
        `\t\tcom.vmware.common.port.volatile.persist = ${portFilePath(state, vm.datastore, nic.portId)} ,\tpropType = CONFIG`,
        `\t\tcom.vmware.etherswitch.port.vlan = VLAN ${pg.vlanId} ,\tpropType = CONFIG`,
        `\t\tcom.vmware.common.port.volatile.status = ${status}${nic.backing === "invalid" ? " (Invalid Backing)" : ""} ,\tpropType = RUNTIME`,
      );
    }
  }
  return lines;
}
