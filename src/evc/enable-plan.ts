/**
 * Enabling, raising or lowering EVC on a running cluster: which hosts and which powered-on or suspended
 * VMs block the change, what must be power-cycled afterwards, and when per-VM EVC is available.
 * Source: vSphere "Change the EVC Mode for a Cluster" (6.7, 7.0), API faults ActiveVMsBlockingEVC and
 * EVCAdmissionFailedVmActive, KB 1003212 (mode introduced per vCenter release), models/evc.md §3 and §5.
 * Simplifications: blocking(C, t) = active VMs whose captured feature set is not inside t, one rule for
 * enable, raise and lower; host maintenance mode, HA/DRS and vCenter permissions are not modelled.
 */
import { ModelInputError, checkRecord, checkString } from "../shared/index.ts";
import { getBaseline, type Confidence } from "./data.ts";
import { difference, isSubset, sameFeatures } from "./features.ts";
import { checkCluster, isActive, type Cluster, type PowerState } from "./host.ts";
import type { HostShortfall } from "./baselines.ts";

export interface BlockingVm {
  vmId: string;
  name: string;
  hostId: string;
  powerState: PowerState;
  /** Flags the VM has been using that the target mode hides. */
  extraFeatures: string[];
  isVcenter: boolean;
}

/** blocking(C, t) := { vm | vm is on or suspended and vm.featureSet ⊄ t.features } (§3). */
export function blockingVms(cluster: Cluster, targetId: string): BlockingVm[] {
  checkCluster("cluster", cluster);
  const target = getBaseline(targetId);
  return cluster.vms
    .filter((vm) => isActive(vm) && !isSubset(vm.featureSet!, target.features))
    .map((vm) => ({
      vmId: vm.id,
      name: vm.name,
      hostId: vm.hostId,
      powerState: vm.powerState,
      extraFeatures: difference(vm.featureSet!, target.features),
      isVcenter: vm.isVcenter === true,
    }));
}

/** enable: EVC is off; raise: target ⊋ current; lower: target ⊊ current; change: neither contains the other (AMD tree). */
export type EvcChangeKind = "enable" | "raise" | "lower" | "change" | "unchanged";

export interface ModeAvailability {
  baselineId: string;
  introducedIn: string;
  /** Null when no vCenter version was given. */
  available: boolean | null;
  /** How sure the data is about `introducedIn` (the newer modes are reconstructed). */
  confidence: Confidence;
}

export interface EvcChangePlan {
  targetId: string;
  currentId: string | null;
  kind: EvcChangeKind;
  /** True when vCenter would accept the change right now. */
  canApply: boolean;
  /** One sentence per reason the change is refused (empty when canApply). */
  problems: string[];
  mixedVendors: boolean;
  disconnectedHosts: string[];
  /** Hosts whose CPU lacks flags of the target (old CPU, or VT / NX switched off in the BIOS). */
  unsupportedHosts: HostShortfall[];
  /** Hosts whose features exceed the target: VMs powered on there outside EVC block enabling. */
  hostsAboveTarget: string[];
  blockingVms: BlockingVm[];
  /** The vCenter VM itself blocks: the catch-22 of KB 1013111, see vcenter-catch22.ts. */
  vcenterBlocks: boolean;
  /** Running VMs that keep their old, smaller feature set until a full power cycle (not a guest reboot). */
  powerCycleAfter: string[];
  /** What to do, in order, as sentences for the page. */
  steps: string[];
  modeAvailability: ModeAvailability;
}

const VERSION = /(\d+)\.(\d+)(?:\s*(?:update|u)\s*(\d+))?/i;

/** "vCenter Server 6.7 Update 3" -> [6, 7, 3]; ModelInputError when there is no "major.minor" in it. */
export function parseVcenterVersion(field: string, text: string): [number, number, number] {
  const m = VERSION.exec(checkString(field, text, { maxLength: 100 }));
  if (!m) throw new ModelInputError(field, text, 'a vCenter version such as "6.7", "7.0 Update 2" or "8.0U1"');
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Does a vCenter of this version offer the mode at all? (KB 1003212 Table 2, partly reconstructed: see confidence.) */
export function modeAvailableIn(baselineId: string, vcenterVersion?: string): ModeAvailability {
  const b = getBaseline(baselineId);
  const available = vcenterVersion === undefined ? null : compareVersions(parseVcenterVersion("vcenterVersion", vcenterVersion), parseVcenterVersion("introducedIn", b.introducedIn)) >= 0;
  return { baselineId: b.id, introducedIn: b.introducedIn, available, confidence: b.confidence };
}

/** The plan for setting the cluster's EVC mode to `targetId` now (§3). */
export function planEvcChange(cluster: Cluster, targetId: string, options: { vcenterVersion?: string } = {}): EvcChangePlan {
  checkCluster("cluster", cluster);
  checkRecord("options", options);
  const target = getBaseline(targetId);
  const current = cluster.evcMode === null ? null : getBaseline(cluster.evcMode);
  const kind: EvcChangeKind =
    current === null
      ? "enable"
      : current === target
        ? "unchanged"
        : isSubset(current.featureList, target.features)
          ? "raise"
          : isSubset(target.featureList, current.features)
            ? "lower"
            : "change";
  const vendors = new Set(cluster.hosts.map((h) => h.vendor));
  const mixedVendors = vendors.size > 1;
  const disconnectedHosts = cluster.hosts.filter((h) => h.connected === false).map((h) => h.id);
  const unsupportedHosts = cluster.hosts
    .map((h) => ({ hostId: h.id, missing: h.vendor === target.vendor ? difference(target.featureList, h.features) : [...target.featureList] }))
    .filter((s) => s.missing.length > 0);
  const hostsAboveTarget = cluster.hosts.filter((h) => h.vendor === target.vendor && isSubset(target.featureList, h.features) && !isSubset(h.features, target.features)).map((h) => h.id);
  const blocking = blockingVms(cluster, target.id);
  const vcenterBlocks = blocking.some((vm) => vm.isVcenter);
  const modeAvailability = modeAvailableIn(target.id, options.vcenterVersion);

  const problems: string[] = [];
  if (mixedVendors) problems.push("The cluster mixes Intel and AMD hosts; EVC works within one vendor only.");
  for (const id of disconnectedHosts) problems.push(`Host ${id} is not connected; every host must be connected to change the EVC mode.`);
  const vendorName = target.vendor === "intel" ? "Intel" : "AMD";
  for (const s of unsupportedHosts) {
    const host = cluster.hosts.find((h) => h.id === s.hostId)!;
    problems.push(
      host.vendor !== target.vendor
        ? `Host ${s.hostId} is not an ${vendorName} host, so it cannot run ${target.displayName}.`
        : `Host ${s.hostId} cannot run ${target.displayName}: its CPU lacks ${s.missing.join(", ")} (an older CPU, or VT/NX switched off in the BIOS).`,
    );
  }
  for (const vm of blocking) {
    problems.push(`VM ${vm.name} on ${vm.hostId} is ${vm.powerState === "on" ? "powered on" : "suspended"} with ${vm.extraFeatures.join(", ")}, which ${target.displayName} hides.`);
  }
  if (modeAvailability.available === false) problems.push(`vCenter ${options.vcenterVersion} does not offer ${target.displayName}; it arrived in ${target.introducedIn} (${target.confidence} confidence).`);

  const powerCycleAfter =
    kind === "unchanged"
      ? []
      : cluster.vms
          .filter((vm) => isActive(vm) && !blocking.some((b) => b.vmId === vm.id) && (vm.vmEvc ?? null) === null && !sameFeatures(vm.featureSet!, target.features))
          .map((vm) => vm.id);

  const steps: string[] = [];
  if (blocking.length > 0) {
    if (vcenterBlocks) steps.push("vCenter itself runs in a blocking VM: follow the KB 1013111 procedure (new EVC cluster, move a host, re-register vCenter there).");
    steps.push(`Power off or migrate out of the cluster: ${blocking.filter((vm) => !vm.isVcenter).map((vm) => vm.name).join(", ") || "(only the vCenter VM)"}.`);
  }
  if (kind !== "unchanged") steps.push(`Set the cluster's EVC mode to ${target.displayName}.`);
  if (blocking.length > 0) steps.push("Power the VMs on again; they start with the new mode's feature set.");
  if (powerCycleAfter.length > 0) {
    steps.push(
      `Running ${powerCycleAfter.length === 1 ? "VM" : "VMs"} ${powerCycleAfter.map((id) => cluster.vms.find((vm) => vm.id === id)?.name ?? id).join(", ")} ${powerCycleAfter.length === 1 ? "keeps its" : "keep their"} old feature set until a full power off and on (a guest reboot or suspend/resume is not enough); ` +
        "on vSphere 7.0 and later, vmx.reboot.powerCycle = TRUE makes the next guest reboot a full power cycle.",
    );
  }
  return {
    targetId: target.id,
    currentId: current?.id ?? null,
    kind,
    canApply: problems.length === 0,
    problems,
    mixedVendors,
    disconnectedHosts,
    unsupportedHosts,
    hostsAboveTarget,
    blockingVms: blocking,
    vcenterBlocks,
    powerCycleAfter,
    steps,
    modeAvailability,
  };
}

export interface PerVmEvcAnswer {
  allowed: boolean;
  reasons: string[];
}

const PER_VM_EVC_VERSION = [6, 7, 0];
const PER_VM_EVC_HARDWARE = 14;

/**
 * May this VM be given per-VM EVC mode `vmEvcId` (§5)? Needs vSphere 6.7 or later, virtual hardware 14 or
 * later, the VM powered off, a mode at or below the cluster's EVC mode, and a host that can run it.
 */
export function canSetPerVmEvc(cluster: Cluster, vmId: string, vmEvcId: string, options: { vcenterVersion: string }): PerVmEvcAnswer {
  checkCluster("cluster", cluster);
  checkRecord("options", options);
  const vm = cluster.vms.find((v) => v.id === vmId);
  if (!vm) throw new ModelInputError("vmId", vmId, `a VM of the cluster (${cluster.vms.map((v) => v.id).join(", ")})`);
  const mode = getBaseline(vmEvcId);
  const version = parseVcenterVersion("options.vcenterVersion", options.vcenterVersion);
  const reasons: string[] = [];
  if (compareVersions(version, PER_VM_EVC_VERSION) < 0) reasons.push(`Per-VM EVC needs vSphere 6.7 or later (this is ${options.vcenterVersion}).`);
  if (vm.hardwareVersion === undefined) reasons.push(`The VM's virtual hardware version is unknown; per-VM EVC needs version ${PER_VM_EVC_HARDWARE} or later.`);
  else if (vm.hardwareVersion < PER_VM_EVC_HARDWARE) reasons.push(`Per-VM EVC needs virtual hardware ${PER_VM_EVC_HARDWARE} or later (the VM has ${vm.hardwareVersion}).`);
  if (vm.powerState !== "off") reasons.push("Per-VM EVC can only be set or changed while the VM is powered off.");
  if (cluster.evcMode !== null) {
    const clusterMode = getBaseline(cluster.evcMode);
    if (clusterMode.vendor !== mode.vendor || !isSubset(mode.featureList, clusterMode.features)) {
      reasons.push(`${mode.displayName} is not at or below the cluster's EVC mode ${clusterMode.displayName}.`);
    }
  }
  const host = cluster.hosts.find((h) => h.id === vm.hostId)!;
  if (host.vendor !== mode.vendor || !isSubset(mode.featureList, host.features)) reasons.push(`Host ${host.id} cannot run ${mode.displayName}, so the VM could not power on there.`);
  return { allowed: reasons.length === 0, reasons };
}
