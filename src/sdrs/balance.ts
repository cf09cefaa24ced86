/**
 * One Storage DRS load-balancing run over a datastore cluster: a space pass (datastores above the
 * space threshold hand VMs to ones at least the minimum difference below them) and, when the I/O
 * metric is on, an I/O pass (datastores whose latency exceeds the threshold hand VMs to where the
 * device model predicts the worst latency falls), repeated until neither finds a move.
 * Sources: spec sdrs.md §3.2 (vSphere 5.0/6.0 Resource Management, "Initial Placement and Ongoing
 * Balancing"; API 5.0 defaults in settings.ts; fairness gate 1 − imbalance threshold/100).
 * Simplifications [A]: greedy, one move at a time; space moves minimise the highest utilisation
 * after the move, ties to the smaller VM (a cheaper Storage vMotion) then by name; the minimum
 * utilisation difference gates space moves only (it is a space-balancing setting); a measured p90
 * moves by the device model's predicted change when VMs leave or arrive.
 */
import { checkCluster, type Cluster, type ClusterVm } from "./cluster.ts";
import { clusterLoad, datastoreLoads, fairness, type DatastoreLoad } from "./load.ts";
import { antiAffinityAllows, fitsUnderThreshold, utilAfterAddingPct } from "./rules.ts";
import { normaliseSettings, type SdrsSettings } from "./settings.ts";
import { moveCost, type MoveCost } from "./cost.ts";

export type MoveReason = "space" | "io";

export interface Recommendation {
  vm: string;
  from: string;
  to: string;
  reason: MoveReason;
  sizeGiB: number;
  /** Source and destination before and after the move: utilisation and the latency SDRS compares. */
  before: { fromUtilPct: number; toUtilPct: number; fromLatencyMs: number; toLatencyMs: number };
  after: { fromUtilPct: number; toUtilPct: number; fromLatencyMs: number; toLatencyMs: number };
  cost: MoveCost;
}

export type StopReason = "balanced" | "no legal move" | "move cap";

export interface BalanceResult {
  recommendations: Recommendation[];
  /** The cluster with every recommendation applied. */
  after: Cluster;
  stoppedBy: StopReason;
  /** The I/O pass found a datastore over the latency threshold with the load unfair enough to act. */
  ioPassActed: boolean;
  fairnessBefore: number;
  fairnessAfter: number;
  /** 1 − imbalance threshold/100: the I/O pass acts only below this fairness. */
  fairnessGate: number;
}

interface Candidate {
  vm: ClusterVm;
  to: DatastoreLoad;
  score: number;
}

/** Smaller score first, then the smaller VM, then names: a total order so runs are deterministic. */
function better(a: Candidate, b: Candidate | undefined): boolean {
  if (!b) return true;
  if (a.score !== b.score) return a.score < b.score;
  if (a.vm.sizeGiB !== b.vm.sizeGiB) return a.vm.sizeGiB < b.vm.sizeGiB;
  return a.vm.name + a.to.name < b.vm.name + b.to.name;
}

function moveVm(cluster: Cluster, vmName: string, to: string): Cluster {
  const vm = cluster.vms.find((v) => v.name === vmName)!;
  const before = datastoreLoads(cluster.datastores, cluster.vms);
  const vms = cluster.vms.map((v) => (v.name === vmName ? { ...v, datastore: to } : v));
  const after = datastoreLoads(cluster.datastores, vms);
  // A measured p90 follows the device model's predicted change on the two datastores involved.
  const datastores = cluster.datastores.map((ds, j) =>
    ds.p90LatencyMs === undefined || (ds.name !== vm.datastore && ds.name !== to)
      ? ds
      : { ...ds, p90LatencyMs: Math.max(0, ds.p90LatencyMs + after[j].predictedLatencyMs - before[j].predictedLatencyMs) });
  return { ...cluster, datastores, vms };
}

function spaceMove(cluster: Cluster, settings: SdrsSettings): Candidate | undefined {
  const loads = datastoreLoads(cluster.datastores, cluster.vms);
  const sources = loads.filter((l) => l.utilPct > settings.spaceThresholdPct).sort((a, b) => b.utilPct - a.utilPct);
  for (const source of sources) {
    let best: Candidate | undefined;
    for (const vm of cluster.vms) {
      if (vm.datastore !== source.name || vm.sizeGiB <= 0) continue;
      for (const dest of loads) {
        if (dest === source || source.utilPct - dest.utilPct < settings.minSpaceDiffPct) continue;
        if (!fitsUnderThreshold(dest, vm.sizeGiB, settings.spaceThresholdPct)) continue;
        if (!antiAffinityAllows(vm.name, dest.name, cluster.vms, cluster.antiAffinity ?? [])) continue;
        const sourceAfter = (100 * (source.usedGiB - vm.sizeGiB)) / source.capacityGiB;
        const others = loads.filter((l) => l !== source && l !== dest).map((l) => l.utilPct);
        const candidate = { vm, to: dest, score: Math.max(sourceAfter, utilAfterAddingPct(dest, vm.sizeGiB), ...others) };
        if (better(candidate, best)) best = candidate;
      }
    }
    if (best) return best;
  }
  return undefined;
}

function maxLatency(cluster: Cluster): number {
  return Math.max(...datastoreLoads(cluster.datastores, cluster.vms).map((l) => l.latencyMs));
}

/** The I/O pass's gate: some datastore over the threshold, and the load unfair enough. */
function ioPassWanted(cluster: Cluster, settings: SdrsSettings): boolean {
  if (!settings.ioMetricEnabled) return false;
  const loads = datastoreLoads(cluster.datastores, cluster.vms);
  return loads.some((l) => l.latencyMs > settings.latencyThresholdMs) && fairness(loads) < 1 - settings.ioImbalanceThreshold / 100;
}

function ioMove(cluster: Cluster, settings: SdrsSettings): Candidate | undefined {
  const loads = datastoreLoads(cluster.datastores, cluster.vms);
  const worst = maxLatency(cluster);
  let best: Candidate | undefined;
  for (const source of loads.filter((l) => l.latencyMs > settings.latencyThresholdMs)) {
    for (const vm of cluster.vms) {
      if (vm.datastore !== source.name || vm.workload.oio <= 0) continue;
      for (const dest of loads) {
        if (dest === source || !fitsUnderThreshold(dest, vm.sizeGiB, settings.spaceThresholdPct)) continue;
        if (!antiAffinityAllows(vm.name, dest.name, cluster.vms, cluster.antiAffinity ?? [])) continue;
        const score = maxLatency(moveVm(cluster, vm.name, dest.name));
        // Only a move that lowers the worst latency is worth a Storage vMotion.
        if (score < worst - 1e-9 * Math.max(1, worst)) {
          const candidate = { vm, to: dest, score };
          if (better(candidate, best)) best = candidate;
        }
      }
    }
  }
  return best;
}

function recommendation(cluster: Cluster, next: Cluster, candidate: Candidate, reason: MoveReason): Recommendation {
  const figures = (c: Cluster) => {
    const loads = datastoreLoads(c.datastores, c.vms);
    const from = loads.find((l) => l.name === candidate.vm.datastore)!;
    const to = loads.find((l) => l.name === candidate.to.name)!;
    return { fromUtilPct: from.utilPct, toUtilPct: to.utilPct, fromLatencyMs: from.latencyMs, toLatencyMs: to.latencyMs };
  };
  return {
    vm: candidate.vm.name,
    from: candidate.vm.datastore,
    to: candidate.to.name,
    reason,
    sizeGiB: candidate.vm.sizeGiB,
    before: figures(cluster),
    after: figures(next),
    cost: moveCost(candidate.vm.sizeGiB),
  };
}

/** One load-balancing run: every recommendation, in order, and the cluster once they are applied. */
export function balance(clusterInput: Cluster, settingsInput: Partial<SdrsSettings> = {}): BalanceResult {
  const settings = normaliseSettings(settingsInput);
  let cluster = checkCluster(clusterInput);
  const fairnessBefore = clusterLoad(cluster).fairness;
  const recommendations: Recommendation[] = [];
  let ioPassActed = false;
  let stoppedBy: StopReason = "balanced";
  // Alternate the passes until a full round finds nothing: a later I/O move can free room for a space move.
  for (;;) {
    if (recommendations.length >= settings.maxMovesPerRun) {
      stoppedBy = "move cap";
      break;
    }
    const space = spaceMove(cluster, settings);
    const wantIo = !space && ioPassWanted(cluster, settings);
    const io = wantIo ? ioMove(cluster, settings) : undefined;
    const candidate = space ?? io;
    if (!candidate) {
      const needsWork = datastoreLoads(cluster.datastores, cluster.vms).some((l) => l.utilPct > settings.spaceThresholdPct) || wantIo;
      stoppedBy = needsWork ? "no legal move" : "balanced";
      break;
    }
    if (io) ioPassActed = true;
    const next = moveVm(cluster, candidate.vm.name, candidate.to.name);
    recommendations.push(recommendation(cluster, next, candidate, space ? "space" : "io"));
    cluster = next;
  }
  return {
    recommendations,
    after: cluster,
    stoppedBy,
    ioPassActed,
    fairnessBefore,
    fairnessAfter: clusterLoad(cluster).fairness,
    fairnessGate: 1 - settings.ioImbalanceThreshold / 100,
  };
}
