/**
 * Whether a VM's traffic flows through its host's proxy switch now, and where it stops when not:
 * the data plane needs only the host (running, proxy switch up) and a connected port, never
 * vCenter. Sources: vSphere 5.5 Networking, "vSphere Distributed Switch Architecture" [1];
 * Webster (2012) for ports left with "Invalid Backing" [7].
 * Simplifications: one flow per VM (its first NIC); a VM hung on lost storage still forwards.
 */
import { checkState, hostOf, vmOf, type VdsState } from "./state.ts";

export type TrafficStop = "host-down" | "temporary-switch" | "vm-off" | "invalid-backing" | "no-port" | "disconnected";

export interface Traffic {
  vm: string;
  flows: boolean;
  /** Where it stops (null when it flows): the host, the switch, the VM or its port. */
  stop: TrafficStop | null;
  /** One sentence. */
  reason: string;
}

const REASONS: Record<TrafficStop, string> = {
  "host-down": "its host is not running",
  "temporary-switch": "its host runs a temporary standard switch, not the vDS",
  "vm-off": "the VM is powered off",
  "invalid-backing": "its port could not be restored at boot (Invalid Backing)",
  "no-port": "it holds no port on the switch",
  disconnected: "its port is disconnected",
};

export function trafficOf(state: VdsState, vmId: string): Traffic {
  checkState(state);
  return trafficUnchecked(state, vmId);
}

export function trafficUnchecked(state: VdsState, vmId: string): Traffic {
  const vm = vmOf(state, vmId);
  const host = hostOf(state, vm.host);
  const nic = vm.nics[0];
  const stop: TrafficStop | null = !host.running
    ? "host-down"
    : host.proxySwitch !== "up"
      ? "temporary-switch"
      : !vm.powered
        ? "vm-off"
        : !nic || nic.portId === null
          ? "no-port"
          : nic.backing === "invalid"
            ? "invalid-backing"
            : !nic.connected
              ? "disconnected"
              : null;
  return {
    vm: vm.id,
    flows: stop === null,
    stop,
    reason: stop === null ? `${vm.id}'s traffic flows through ${host.id}'s proxy switch.` : `${vm.id}'s traffic stops: ${REASONS[stop]}.`,
  };
}
