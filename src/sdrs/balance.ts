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
 * moves by the device model's predicted change when VMs leave or arrive; VMs alike in size and
 * workload (and under no rule) are interchangeable, so one of each kind is tried per datastore.
 */
import { checkArray, checkEvery, checkNumber, checkRecord, isRecord } from "../shared/index.ts";
import { checkCluster, checkDatastore, MEASURED_LATENCY_MS, type Cluster, type ClusterVm } from "./cluster.ts";
import { datastoreLoads, fairness, shiftedLoad, type DatastoreLoad } from "./load.ts";
import { antiAffinityAllows, fitsUnderThreshold } from "./rules.ts";
import { normaliseSettings, type SdrsSettings } from "./settings.ts";
import { moveCost, type MoveCost } from "./cost.ts";
import type { PoolPlacement } from "./placement.ts";

export type MoveReason = "space" | "io";

export interface MoveFigures {
  fromUtilPct: number;
  toUtilPct: number;
  fromLatencyMs: number;
  toLatencyMs: number;
}

export interface Recommendation {
  vm: string;
  from: string;
  to: string;
  reason: MoveReason;
  sizeGiB: number;
  /** Source and destination before and after the move: utilisation and the latency SDRS compares. */
  before: MoveFigures;
  after: MoveFigures;
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

/** The cluster during a run: where each VM is, and each datastore's load. */
interface RunState {
  cluster: Cluster;
  loads: DatastoreLoad[];
}

interface Move {
  vm: ClusterVm;
  from: number;
  to: number;
  /** The loads of the two datastores once the VM has moved. */
  fromAfter: DatastoreLoad;
  toAfter: DatastoreLoad;
  score: number;
}

/** Smaller score first, then the smaller VM, then names: a total order, so runs are deterministic. */
function better(a: Move, b: Move | undefined): boolean {
  if (!b) return true;
  if (a.score !== b.score) return a.score < b.score;
  if (a.vm.sizeGiB !== b.vm.sizeGiB) return a.vm.sizeGiB < b.vm.sizeGiB;
  return a.vm.name + "\u0000" + a.to < b.vm.name + "\u0000" + b.to;
}

/** Same size and workload: interchangeable for a move, unless a rule names one of them. */
function alike(a: ClusterVm, b: ClusterVm): boolean {
  return a.sizeGiB === b.sizeGiB && a.workload.oio === b.workload.oio && a.workload.ioSizeKiB === b.workload.ioSizeKiB &&
    a.workload.readPct === b.workload.readPct && a.workload.randomPct === b.workload.randomPct;
}

/**
 * For each datastore, one VM of each interchangeable kind on it, the first by name: the VMs a
 * move from there would try. Worked out for all datastores in one sweep over the VMs.
 */
function candidatesByDatastore(state: RunState): Map<string, ClusterVm[]> {
  const ruled = new Set((state.cluster.antiAffinity ?? []).flat());
  const kindsOn = new Map<string, Map<string, ClusterVm>>();
  // Clones tend to sit together: a VM alike the one before it on its datastore shares its kind,
  // which saves spelling the key out again (equal numbers give equal keys, and only they do).
  const previousOn = new Map<string, { vm: ClusterVm; kind: string }>();
  for (const vm of state.cluster.vms) {
    const previous = previousOn.get(vm.datastore);
    const kind = ruled.has(vm.name) ? `rule:${vm.name}`
      : previous && !ruled.has(previous.vm.name) && alike(previous.vm, vm) ? previous.kind
      : `${vm.sizeGiB}|${vm.workload.oio}|${vm.workload.ioSizeKiB}|${vm.workload.readPct}|${vm.workload.randomPct}`;
    previousOn.set(vm.datastore, { vm, kind });
    const kinds = kindsOn.get(vm.datastore) ?? new Map<string, ClusterVm>();
    kindsOn.set(vm.datastore, kinds);
    const seen = kinds.get(kind);
    if (!seen || vm.name < seen.name) kinds.set(kind, vm);
  }
  return new Map([...kindsOn].map(([datastore, kinds]) => [datastore, [...kinds.values()]]));
}

function trialMove(state: RunState, vm: ClusterVm, from: number, to: number, score: (loads: DatastoreLoad[]) => number): Move {
  const devices = state.cluster.datastores;
  const fromAfter = shiftedLoad(state.loads[from], devices[from].device, vm, -1);
  const toAfter = shiftedLoad(state.loads[to], devices[to].device, vm, 1);
  const loads = state.loads.map((l, j) => (j === from ? fromAfter : j === to ? toAfter : l));
  return { vm, from, to, fromAfter, toAfter, score: score(loads) };
}

function allowed(state: RunState, vm: ClusterVm, to: number, settings: SdrsSettings): boolean {
  return fitsUnderThreshold(state.loads[to], vm.sizeGiB, settings.spaceThresholdPct) &&
    antiAffinityAllows(vm.name, state.loads[to].name, state.cluster.vms, state.cluster.antiAffinity ?? []);
}

const maxUtil = (loads: DatastoreLoad[]) => Math.max(...loads.map((l) => l.utilPct));
const maxLatency = (loads: DatastoreLoad[]) => Math.max(...loads.map((l) => l.latencyMs));

function spaceMove(state: RunState, settings: SdrsSettings): Move | undefined {
  const sources = state.loads.map((l, j) => j).filter((j) => state.loads[j].utilPct > settings.spaceThresholdPct)
    .sort((a, b) => state.loads[b].utilPct - state.loads[a].utilPct);
  if (sources.length === 0) return undefined;
  const candidates = candidatesByDatastore(state);
  for (const from of sources) {
    let best: Move | undefined;
    for (const vm of candidates.get(state.loads[from].name) ?? []) {
      if (vm.sizeGiB <= 0) continue;
      state.loads.forEach((dest, to) => {
        if (to === from || state.loads[from].utilPct - dest.utilPct < settings.minSpaceDiffPct) return;
        if (!allowed(state, vm, to, settings)) return;
        const move = trialMove(state, vm, from, to, maxUtil);
        if (better(move, best)) best = move;
      });
    }
    if (best) return best;
  }
  return undefined;
}

/** The I/O pass's gate: some datastore over the threshold, and the load unfair enough. */
function ioPassWanted(loads: DatastoreLoad[], settings: SdrsSettings): boolean {
  return settings.ioMetricEnabled && loads.some((l) => l.latencyMs > settings.latencyThresholdMs) &&
    fairness(loads) < 1 - settings.ioImbalanceThreshold / 100;
}

function ioMove(state: RunState, settings: SdrsSettings): Move | undefined {
  const worst = maxLatency(state.loads);
  const candidates = candidatesByDatastore(state);
  let best: Move | undefined;
  state.loads.forEach((source, from) => {
    if (source.latencyMs <= settings.latencyThresholdMs) return;
    for (const vm of candidates.get(source.name) ?? []) {
      if (vm.workload.oio <= 0) continue;
      state.loads.forEach((_, to) => {
        if (to === from || !allowed(state, vm, to, settings)) return;
        const move = trialMove(state, vm, from, to, maxLatency);
        // Only a move that lowers the worst latency is worth a Storage vMotion.
        if (move.score < worst - 1e-9 * Math.max(1, worst) && better(move, best)) best = move;
      });
    }
  });
  return best;
}

function figures(from: DatastoreLoad, to: DatastoreLoad): MoveFigures {
  return { fromUtilPct: from.utilPct, toUtilPct: to.utilPct, fromLatencyMs: from.latencyMs, toLatencyMs: to.latencyMs };
}

function applyMove(state: RunState, move: Move): RunState {
  const to = state.loads[move.to].name;
  return {
    cluster: { ...state.cluster, vms: state.cluster.vms.map((v) => (v.name === move.vm.name ? { ...v, datastore: to } : v)) },
    loads: state.loads.map((l, j) => (j === move.from ? move.fromAfter : j === move.to ? move.toAfter : l)),
  };
}

/** The cluster as the run leaves it: VMs moved, measured latencies carried along with their predicted change. */
function finalCluster(state: RunState): Cluster {
  const datastores = state.cluster.datastores.map((ds, j) =>
    ds.p90LatencyMs === undefined ? ds : { ...ds, p90LatencyMs: state.loads[j].latencyMs });
  return { ...state.cluster, datastores };
}

/** One load-balancing run: every recommendation, in order, and the cluster once they are applied. */
export function balance(clusterInput: Cluster, settingsInput: Partial<SdrsSettings> = {}): BalanceResult {
  const settings = normaliseSettings(settingsInput);
  return run(checkCluster(clusterInput), settings);
}

/**
 * balance over the cluster placePool returned, with the 90th-percentile latency SIOC measured on
 * each datastore (in the cluster's datastore order) in place of the device model's prediction: the
 * run that follows placing a pool and watching its day. placePool validated that cluster and made
 * every clone in it; validating its thousands of clones again would cost more than the run itself.
 * So `placement` is taken as placePool returned it, unchanged; the latencies and the settings are
 * checked here. Same result as balance over that cluster with the latencies set.
 */
export function balancePlaced(placement: PoolPlacement, p90LatencyMs: readonly number[], settingsInput: Partial<SdrsSettings> = {}): BalanceResult {
  const settings = normaliseSettings(settingsInput);
  // the shape is checked (a wrong argument gets a ModelInputError, not a TypeError); the clones' own fields are placePool's
  const cluster = checkRecord("placement.cluster", checkRecord("placement", placement).cluster) as unknown as Cluster;
  const datastores = checkArray("placement.cluster.datastores", cluster.datastores, checkDatastore, { minLength: 1, maxLength: 64 });
  checkEvery("placement.cluster.vms", cluster.vms, isRecord, "an object", { maxLength: 20_000 });
  const measured = checkArray("p90LatencyMs", p90LatencyMs, (v, field) => checkNumber(field, v, MEASURED_LATENCY_MS),
    { minLength: datastores.length, maxLength: datastores.length });
  return run({ ...cluster, datastores: datastores.map((ds, j) => ({ ...ds, p90LatencyMs: measured[j] })) }, settings);
}

/** The run itself, on a cluster and settings already checked. */
function run(cluster: Cluster, settings: SdrsSettings): BalanceResult {
  let state: RunState = { cluster, loads: datastoreLoads(cluster.datastores, cluster.vms) };
  const fairnessBefore = fairness(state.loads);
  const recommendations: Recommendation[] = [];
  let ioPassActed = false;
  let stoppedBy: StopReason = "balanced";
  // Alternate the passes until a full round finds nothing: a later I/O move can free room for a space move.
  for (;;) {
    if (recommendations.length >= settings.maxMovesPerRun) {
      stoppedBy = "move cap";
      break;
    }
    const space = spaceMove(state, settings);
    const wantIo = !space && ioPassWanted(state.loads, settings);
    const move = space ?? (wantIo ? ioMove(state, settings) : undefined);
    if (!move) {
      const needsWork = wantIo || state.loads.some((l) => l.utilPct > settings.spaceThresholdPct);
      stoppedBy = needsWork ? "no legal move" : "balanced";
      break;
    }
    if (!space) ioPassActed = true;
    recommendations.push({
      vm: move.vm.name,
      from: state.loads[move.from].name,
      to: state.loads[move.to].name,
      reason: space ? "space" : "io",
      sizeGiB: move.vm.sizeGiB,
      before: figures(state.loads[move.from], state.loads[move.to]),
      after: figures(move.fromAfter, move.toAfter),
      cost: moveCost(move.vm.sizeGiB),
    });
    state = applyMove(state, move);
  }
  return {
    recommendations,
    after: finalCluster(state),
    stoppedBy,
    ioPassActed,
    fairnessBefore,
    fairnessAfter: fairness(state.loads),
    fairnessGate: 1 - settings.ioImbalanceThreshold / 100,
  };
}
