/**
 * Ready-made clusters for the notebook, led by our source's own case: an Intel Xeon X7350 (Tigerton) host and a
 * Xeon X7460 (Dunnington) host, vMotion failing on SSE4.1, EVC at Merom possible but blocked by the X7460
 * host's three powered-on Windows 2008 R2 VMs, one of which runs vCenter (KB 1003212, KB 1013111).
 * Source: issue 4's account of the source; models/evc.md §6 example. Simplifications: VM names, the
 * hardware version (7, the vSphere 4 default) and which VM is vCenter are our choices; the source names none.
 */
import { checkOneOf } from "../shared/index.ts";
import type { Vendor } from "./data.ts";
import { highestCommonBaseline, type HighestBaselineAnswer } from "./baselines.ts";
import { planEvcChange, type EvcChangePlan } from "./enable-plan.ts";
import { checkCluster, hostFromCpu, type Cluster, type Host, type Vm } from "./host.ts";
import { maskHost, type HostMask } from "./masking.ts";
import { canEnableInPlace } from "./vcenter-catch22.ts";
import { featureSetAtPowerOn, vmotionMatrix, type VmotionMatrix } from "./vmotion.ts";

export interface EvcScenario {
  id: string;
  title: string;
  /** What the scenario shows, in a sentence or two, with its source. */
  description: string;
  cluster: Cluster;
  /** The EVC mode the scenario's story wants to enable (null when no mode is possible). */
  targetId: string | null;
}

function runningVm(id: string, name: string, host: Host, extra: Partial<Vm> = {}): Vm {
  return { id, name, hostId: host.id, powerState: "on", featureSet: featureSetAtPowerOn(host), guestOs: "Windows Server 2008 R2", hardwareVersion: 7, ...extra };
}

function sourceCluster(): EvcScenario {
  const esx01 = hostFromCpu("Intel Xeon X7350", { id: "esx01" });
  const esx02 = hostFromCpu("Intel Xeon X7460", { id: "esx02" });
  return {
    id: "source-7350-x7460",
    title: "Xeon X7350 + Xeon X7460 (the source's cluster)",
    description:
      "Our source's cluster: vMotion from the X7460 host to the X7350 host failed on SSE4.1. KB 1003212 shows both CPUs run the Merom baseline, " +
      "which hides SSE4.1, but enabling it was refused while the X7460 host ran three powered-on Windows 2008 R2 VMs, vCenter among them.",
    cluster: {
      hosts: [esx01, esx02],
      evcMode: null,
      vms: [
        runningVm("vcenter", "vCenter Server", esx02, { isVcenter: true }),
        runningVm("win2008r2-a", "Windows 2008 R2 VM A", esx02),
        runningVm("win2008r2-b", "Windows 2008 R2 VM B", esx02),
      ],
    },
    targetId: "intel-merom",
  };
}

function amdSplit(): EvcScenario {
  const a = hostFromCpu("AMD Opteron 2384", { id: "esx-shanghai" });
  const b = hostFromCpu("AMD Opteron 6276", { id: "esx-interlagos" });
  return {
    id: "amd-3dnow-split",
    title: "Opteron 2384 (K10) + Opteron 6276 (Bulldozer)",
    description:
      "Bulldozer dropped 3DNow!, so the two hosts share only the AMD \"Opteron Generation 3 (no 3DNow!)\" mode (KB 1003212's B0), not Generation 3 itself.",
    cluster: { hosts: [a, b], evcMode: null, vms: [] },
    targetId: "amd-greyhound-no3dnow",
  };
}

function mixedVendors(): EvcScenario {
  return {
    id: "mixed-vendors",
    title: "Xeon E5-2680 v4 + EPYC 7302",
    description: "An Intel and an AMD host: no EVC mode exists for the pair and vMotion between them is impossible (KB 1005764).",
    cluster: { hosts: [hostFromCpu("Intel Xeon E5-2680 v4", { id: "esx-intel" }), hostFromCpu("AMD EPYC 7302", { id: "esx-amd" })], evcMode: null, vms: [] },
    targetId: null,
  };
}

/** Every scenario, the source's first. Built fresh on each call so callers may change them freely. */
export function listScenarios(): EvcScenario[] {
  return [sourceCluster(), amdSplit(), mixedVendors()];
}

export const SCENARIO_IDS = ["source-7350-x7460", "amd-3dnow-split", "mixed-vendors"] as const;

export function getScenario(id: string): EvcScenario {
  checkOneOf("scenarioId", id, SCENARIO_IDS);
  return listScenarios().find((s) => s.id === id)!;
}

/** The notebook's default state: the source's cluster. */
export function defaultScenario(): EvcScenario {
  return sourceCluster();
}

export interface ClusterAnalysis {
  highest: HighestBaselineAnswer;
  /** What each host loses under the highest baseline (empty when there is none). */
  masks: HostMask[];
  vmotionWithoutEvc: VmotionMatrix;
  /** Null when there is no baseline. */
  vmotionWithEvc: VmotionMatrix | null;
  /** The plan for enabling the highest baseline now (null when there is none). */
  plan: EvcChangePlan | null;
  /** False when the vCenter VM itself blocks enabling (KB 1013111). */
  canEnableInPlace: boolean | null;
}

/** Everything the notebook shows for one cluster at once; `vendor` is needed only for a cluster without hosts. */
export function analyzeCluster(cluster: Cluster, vendor?: Vendor): ClusterAnalysis {
  checkCluster("cluster", cluster);
  const highest = highestCommonBaseline(cluster.hosts, vendor);
  const target = highest.found ? highest.baseline.id : null;
  return {
    highest,
    masks: target === null ? [] : cluster.hosts.map((h) => maskHost(h, target)),
    vmotionWithoutEvc: vmotionMatrix(cluster.hosts, null),
    vmotionWithEvc: target === null ? null : vmotionMatrix(cluster.hosts, target),
    plan: target === null ? null : planEvcChange(cluster, target),
    canEnableInPlace: target === null ? null : canEnableInPlace(cluster, target),
  };
}
