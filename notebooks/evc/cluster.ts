/**
 * The EVC notebook's cluster, as the figures and panels see it: hosts built from the picked CPUs, what depends
 * on the hosts alone (highest mode, masks, vMotion matrices), the powered-on VMs and where vCenter runs, and the
 * small wording helpers every part of the page shares. Pure: no DOM, no d3; every answer comes from src/evc.
 */
import * as evc from "../../src/evc/index.ts";
import type { Refusal } from "../lib/chart.ts";

export const MAX_HOSTS = 16;
/** The source's cluster: an Intel Xeon X7350 host and a Xeon X7460 host. */
export const SOURCE_CLUSTER: readonly string[] = ["intel-xeon-x7350", "intel-xeon-x7460"];

/** "Intel Xeon X7460" -> "X7460", "AMD EPYC 7302" -> "EPYC 7302". */
export function shortCpu(cpu: evc.Cpu): string {
  return cpu.model.replace(/^Intel Xeon /, "").replace(/^(Intel|AMD) /, "");
}

/** 'Intel "Merom" Generation' -> "Merom"; 'AMD Opteron Generation 3 (no 3DNow!)' -> "Opteron Gen 3 (no 3DNow!)". */
export function shortBaseline(b: evc.Baseline): string {
  const quoted = /"([^"]+)"/.exec(b.displayName);
  return quoted ? quoted[1] : b.displayName.replace(/^(Intel|AMD) /, "").replace("Generation", "Gen");
}

export const VCENTER_VERSIONS = [
  ["2.5u2", "VirtualCenter 2.5 Update 2"],
  ["4.0", "vCenter Server 4.0"],
  ["4.1", "vCenter Server 4.1"],
  ["5.0", "vCenter Server 5.0"],
  ["5.1", "vCenter Server 5.1"],
  ["5.5", "vCenter Server 5.5"],
  ["6.0", "vCenter Server 6.0"],
  ["6.5", "vCenter Server 6.5"],
  ["6.5u1", "vCenter Server 6.5 Update 1"],
  ["6.7", "vCenter Server 6.7"],
  ["6.7u3", "vCenter Server 6.7 Update 3"],
  ["7.0", "vCenter Server 7.0"],
  ["7.0u1", "vCenter Server 7.0 Update 1"],
  ["7.0u2", "vCenter Server 7.0 Update 2"],
  ["7.0u3", "vCenter Server 7.0 Update 3"],
  ["8.0", "vCenter Server 8.0"],
  ["8.0u1", "vCenter Server 8.0 Update 1"],
  ["8.0u2", "vCenter Server 8.0 Update 2"],
] as const;

/** "6.7u3" -> "6.7 Update 3", for the model's sentences ("vCenter 6.7 Update 3 does not offer …"). */
export function versionText(value: string): string {
  const label = VCENTER_VERSIONS.find(([v]) => v === value)?.[1] ?? value;
  return label.replace(/^(vCenter Server|VirtualCenter) /, "");
}

export interface HostModel {
  hosts: evc.Host[];
  /** The CPU of each host, in host order. */
  cpus: evc.Cpu[];
  /** Host labels for figures: "esx02 X7460". */
  labels: string[];
  /** Picked hosts beyond MAX_HOSTS, left out. */
  dropped: number;
}

export interface ClusterModel extends HostModel {
  cluster: evc.Cluster;
  vcenterHostId: string | null;
}

/** What depends on the hosts alone (not on their VMs), so that moving the VM controls leaves it be. */
export interface HostAnalysis {
  highest: evc.HighestBaselineAnswer;
  /** What each host loses under the highest baseline (empty when there is none). */
  masks: evc.HostMask[];
  vmotionWithoutEvc: evc.VmotionMatrix;
  vmotionWithEvc: evc.VmotionMatrix | null;
}

const hostId = (i: number) => `esx${String(i + 1).padStart(2, "0")}`;

export function buildHosts(ids: readonly string[]): HostModel | null {
  const picked = ids.slice(0, MAX_HOSTS);
  if (picked.length === 0) return null;
  const cpus = picked.map((id) => evc.getCpu(id));
  const hosts = cpus.map((cpu, i) => evc.hostFromCpu(cpu.id, { id: hostId(i) }));
  return { hosts, cpus, labels: hosts.map((host, i) => `${host.id} ${shortCpu(cpus[i])}`), dropped: ids.length - picked.length };
}

export function analyzeHosts(hm: HostModel): HostAnalysis {
  const highest = evc.highestCommonBaseline(hm.hosts);
  const target = highest.found ? highest.baseline.id : null;
  return {
    highest,
    masks: target === null ? [] : hm.hosts.map((host) => evc.maskHost(host, target)),
    vmotionWithoutEvc: evc.vmotionMatrix(hm.hosts, null),
    vmotionWithEvc: target === null ? null : evc.vmotionMatrix(hm.hosts, target),
  };
}

/** The hosts with their powered-on VMs (started before EVC) and the vCenter VM where the reader put it. */
export function withVms(hm: HostModel, vmsPerHost: number, vcenterOn: string): ClusterModel {
  const { hosts } = hm;
  let vc = -1;
  if (vcenterOn === "most" || vcenterOn === "least") {
    const sizes = hosts.map((host) => host.features.size);
    const pick = vcenterOn === "most" ? Math.max(...sizes) : Math.min(...sizes);
    vc = sizes.indexOf(pick);
  }
  const vms: evc.Vm[] = [];
  hosts.forEach((host, i) => {
    const count = Math.max(Math.round(vmsPerHost), i === vc ? 1 : 0);
    for (let k = 0; k < count; k++) {
      const isVcenter = i === vc && k === 0;
      const id = isVcenter ? "vcenter" : `${host.id}-vm${k + 1}`;
      vms.push({
        id,
        name: isVcenter ? "vCenter Server" : id,
        hostId: host.id,
        powerState: "on",
        featureSet: evc.featureSetAtPowerOn(host),
        guestOs: "Windows Server 2008 R2",
        hardwareVersion: 7,
        isVcenter,
      });
    }
  });
  return { ...hm, cluster: { hosts, evcMode: null, vms }, vcenterHostId: vc >= 0 ? hosts[vc].id : null };
}

export function buildCluster(ids: readonly string[], vmsPerHost: number, vcenterOn: string): ClusterModel | null {
  const hm = buildHosts(ids);
  return hm ? withVms(hm, vmsPerHost, vcenterOn) : null;
}

export const NO_HOSTS = "Pick at least one host CPU in the list above: with no hosts there is no cluster to check.";

/** A figure's answer when there is nothing to draw: its title and the sentence that says why (lib/chart.ts Refusal). */
export function refusal(title: string, sentence: string): Refusal {
  return { title, refusal: sentence };
}

export function list(items: readonly string[], max = 6): string {
  if (items.length <= max) return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

const WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "three VMs", "one VM", "12 VMs". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${WORDS[n] ?? n} ${n === 1 ? one : many}`;
}

/** The page's opening answer: the highest mode, what it hides, and what blocks enabling it now. */
export function headline(m: HostModel | null, a: HostAnalysis | null, plan: evc.EvcChangePlan | null): string {
  if (!m || !a) return NO_HOSTS;
  const dropped = m.dropped > 0 ? ` (Only the first ${MAX_HOSTS} picked hosts are used; ${m.dropped} left out.)` : "";
  if (!a.highest.found) return a.highest.explanation + dropped;
  const b = a.highest.baseline;
  const index = new Map(m.hosts.map((host, i) => [host.id, i]));
  const lost = a.masks.filter((mask) => mask.masked.length > 0).map((mask) => `${list(mask.masked, 4)} on ${mask.hostId} (${m.cpus[index.get(mask.hostId)!].model})`);
  const hostsWithBlockers = [...new Set((plan?.blockingVms ?? []).map((vm) => vm.hostId))];
  const blockers =
    !plan || plan.blockingVms.length === 0
      ? " Nothing blocks enabling it now."
      : ` ${cap(plural(plan.blockingVms.length, "powered-on VM"))} on ${list(hostsWithBlockers)}${plan.vcenterBlocks ? ", vCenter Server among them," : ""} block enabling it now (ActiveVMsBlockingEVC).`;
  return (
    `With these hosts the highest EVC baseline is ${b.displayName} (${b.kbLevel}; the data's confidence: ${b.confidence}).` +
    (lost.length > 0 ? ` It hides ${lost.join("; ")}.` : " No host loses a feature under it.") +
    blockers +
    dropped
  );
}
