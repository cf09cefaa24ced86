/**
 * Hardware-assisted locking (ATS, SCSI COMPARE AND WRITE 0x89) versus SCSI-2 reservations: a
 * time-stepped simulation of VMFS metadata operations (power-ons, snapshot creates, thin-disk
 * growth) issued by several hosts against one LUN.
 *
 * Sources: spec /work/shared/models/vaai.md §3; vSphere 4.1 iSCSI SAN Configuration Guide,
 * "Reducing SCSI Reservations" (metadata operations that reserve the LUN; other hosts' I/O gets
 * RESERVATION CONFLICT and retries); vSphere 5.0 Storage guide, "VMFS Locking Mechanisms" (without
 * hardware acceleration the whole device is locked, with ATS one disk sector); VMware, "VMware
 * vSphere Storage APIs – Array Integration (VAAI)" (Hogan 2012), "Atomic Test & Set".
 *
 * Simplifications: VMs are spread round-robin over the hosts; each host issues its metadata
 * operations one after another with a fixed think time between them (the boot I/O in between);
 * a SCSI-2 reservation holds the whole LUN for `reservationHoldMs` (reserve, read-modify-write of
 * the lock, release folded into one number); a host refused with RESERVATION CONFLICT retries after
 * a fixed back-off, each refused retry counting as one conflict, and a freed lock goes to the host
 * that has waited longest (first come, first served, as if it noticed at once), so the run is
 * deterministic without any random numbers. With ATS each operation locks its
 * own VM's on-disk record, except a fraction `sharedLockFraction` that touches one record every
 * host shares (e.g. a resource-cluster lock during thin growth) and contends for it. Data I/O of
 * the other hosts stalls while a reservation is held; with ATS it never does. Durations are
 * rounded up to whole steps. All rates and durations are modelling assumptions [A].
 */
import { ModelInputError, checkInteger, checkNumber, checkOneOf, checkRecord, type NumberRange } from "../shared/index.ts";

export const LOCK_SCHEMES = ["scsi2", "ats"] as const;
export type LockScheme = (typeof LOCK_SCHEMES)[number];

export const METADATA_WORKLOADS = ["power-on", "snapshot-create", "thin-growth"] as const;
export type MetadataWorkload = (typeof METADATA_WORKLOADS)[number];

/**
 * Presets for what each VM does [A]: metadata operations per VM, and the host's think time between
 * two of them. A power-on locks and creates the VMX, VMDK, swap and log files; a snapshot create
 * makes the delta files and updates the descriptors; thin growth allocates a new block every few
 * MB written (about one per 16 MB).
 */
export const WORKLOAD_PRESETS: Readonly<Record<MetadataWorkload, { opsPerVm: number; thinkMs: number; label: string }>> = Object.freeze({
  "power-on": { opsPerVm: 10, thinkMs: 50, label: "boot storm (power-ons)" },
  "snapshot-create": { opsPerVm: 6, thinkMs: 30, label: "snapshot creates (backup window)" },
  "thin-growth": { opsPerVm: 32, thinkMs: 40, label: "thin-disk growth (512 MB written per VM)" },
});

export interface LockingInput {
  scheme: LockScheme;
  /** Hosts sharing the datastore, 1..64. */
  hosts: number;
  /** VMs on the datastore, spread round-robin over the hosts, 0..5000. */
  vms: number;
  /** Metadata operations each VM needs, 1..200. */
  opsPerVm: number;
  /** Think time between two metadata operations of one host, ms. */
  thinkMs: number;
  /** Time the whole LUN stays reserved per operation, SCSI-2, ms [A]. */
  reservationHoldMs: number;
  /** Time one ATS lock acquire + metadata update takes, ms [A]. */
  atsMs: number;
  /** Wait before retrying after RESERVATION CONFLICT (or an ATS miscompare), ms [A]. */
  retryBackoffMs: number;
  /** With ATS, share of operations that touch one record every host shares, 0..1 [A]. */
  sharedLockFraction: number;
  /** Data IOPS each VM issues while the storm runs (stalled behind reservations) [A]. */
  dataIopsPerVm: number;
  /** Length of one simulation step, ms. */
  stepMs: number;
  /** Width of one timeline bucket, ms. */
  bucketMs: number;
  /** The run stops here even if operations remain (then `finished` is false), s. */
  maxTimeS: number;
}

export const LOCKING_LIMITS = {
  hosts: { min: 1, max: 64 },
  vms: { min: 0, max: 5000 },
  opsPerVm: { min: 1, max: 200 },
  thinkMs: { min: 0, max: 10_000 },
  reservationHoldMs: { min: 0.1, max: 1000 },
  atsMs: { min: 0.1, max: 1000 },
  retryBackoffMs: { min: 0.1, max: 1000 },
  sharedLockFraction: { min: 0, max: 1 },
  dataIopsPerVm: { min: 0, max: 100_000 },
  stepMs: { min: 0.1, max: 100 },
  bucketMs: { min: 1, max: 600_000 },
  maxTimeS: { min: 0.001, max: 36_000 },
} as const satisfies Record<string, NumberRange>;

/** Defaults [A]: eight hosts booting 64 VMs; 20 ms reservations, 2 ms ATS. */
export const LOCKING_DEFAULTS: Readonly<LockingInput> = Object.freeze({
  scheme: "scsi2",
  hosts: 8,
  vms: 64,
  opsPerVm: WORKLOAD_PRESETS["power-on"].opsPerVm,
  thinkMs: WORKLOAD_PRESETS["power-on"].thinkMs,
  reservationHoldMs: 20,
  atsMs: 2,
  retryBackoffMs: 10,
  sharedLockFraction: 0.05,
  dataIopsPerVm: 20,
  stepMs: 1,
  bucketMs: 1000,
  maxTimeS: 3600,
});

/** Buckets per host beyond this are not kept (the totals still are). */
export const LOCKING_BUCKET_LIMIT = 4000;

export function normaliseLocking(input: Partial<LockingInput> = {}): LockingInput {
  const record = checkRecord("input", input);
  const value = (key: keyof LockingInput): unknown => (record[key] === undefined ? LOCKING_DEFAULTS[key] : record[key]);
  const num = (key: keyof typeof LOCKING_LIMITS): number => checkNumber(key, value(key), LOCKING_LIMITS[key]);
  const p: LockingInput = {
    scheme: checkOneOf("scheme", value("scheme"), LOCK_SCHEMES),
    hosts: checkInteger("hosts", value("hosts"), LOCKING_LIMITS.hosts),
    vms: checkInteger("vms", value("vms"), LOCKING_LIMITS.vms),
    opsPerVm: checkInteger("opsPerVm", value("opsPerVm"), LOCKING_LIMITS.opsPerVm),
    thinkMs: num("thinkMs"),
    reservationHoldMs: num("reservationHoldMs"),
    atsMs: num("atsMs"),
    retryBackoffMs: num("retryBackoffMs"),
    sharedLockFraction: num("sharedLockFraction"),
    dataIopsPerVm: num("dataIopsPerVm"),
    stepMs: num("stepMs"),
    bucketMs: num("bucketMs"),
    maxTimeS: num("maxTimeS"),
  };
  // Bound the work: at most 10 million steps whatever the inputs.
  if (p.maxTimeS * 1000 > p.stepMs * 10_000_000) {
    throw new ModelInputError("maxTimeS", p.maxTimeS, `at most ${(p.stepMs * 10_000).toFixed(1)} s with stepMs = ${p.stepMs} (10 million steps)`);
  }
  return p;
}

const THINK = 0;
const WANT = 1;
const HOLD = 2;
const DONE = 3;
const NOBODY = -1;

/** One host's progress. `phase` is THINK, WANT (waiting for a lock), HOLD or DONE. */
export interface HostLockState {
  vms: number;
  opsTotal: number;
  opsDone: number;
  phase: number;
  /** End of THINK or HOLD, or the next attempt in WANT, in steps. */
  untilStep: number;
  /** Step the current wait began, for the longest-waiting-wins rule. */
  waitingSinceStep: number;
  /** Whether the current operation needs the shared lock (always true with SCSI-2). */
  needsSharedLock: boolean;
  lockWaitSteps: number;
  conflicts: number;
  doneStep: number;
}

/** Everything one step reads and writes. step() updates it in place and returns it. */
export interface LockingState {
  stepIndex: number;
  /** Host holding the LUN reservation (SCSI-2) or the shared record (ATS), or -1. */
  holder: number;
  hosts: HostLockState[];
  opsDone: number;
  opsTotal: number;
  conflicts: number;
  /** Step-hosts during which a host's data I/O was stalled behind another host's reservation. */
  stalledHostSteps: number;
  /** Data I/Os stalled, summed over steps (VMs on the stalled hosts × IOPS × step length). */
  stalledIos: number;
  reservedSteps: number;
  /** Per host, steps spent waiting for a lock in each timeline bucket. */
  waitBuckets: number[][];
  /** Operations finished by the end of each bucket (cumulative). */
  doneBuckets: number[];
}

/** Steps a duration lasts, at least one. */
function stepsFor(ms: number, p: LockingInput): number {
  return Math.max(1, Math.ceil(ms / p.stepMs - 1e-9));
}

/** Whether operation `index` (0-based) of a host touches the shared record under ATS. */
function isSharedOp(index: number, p: LockingInput): boolean {
  if (p.scheme === "scsi2") return true;
  // Every 1/f-th operation, spread evenly and without random numbers.
  return Math.floor((index + 1) * p.sharedLockFraction) > Math.floor(index * p.sharedLockFraction);
}

export function initialLockingState(p: LockingInput): LockingState {
  const hosts: HostLockState[] = [];
  for (let h = 0; h < p.hosts; h++) {
    const vms = Math.floor(p.vms / p.hosts) + (h < p.vms % p.hosts ? 1 : 0);
    const opsTotal = vms * p.opsPerVm;
    hosts.push({
      vms,
      opsTotal,
      opsDone: 0,
      phase: opsTotal > 0 ? WANT : DONE,
      untilStep: 0,
      waitingSinceStep: 0,
      needsSharedLock: isSharedOp(0, p),
      lockWaitSteps: 0,
      conflicts: 0,
      doneStep: 0,
    });
  }
  return {
    stepIndex: 0,
    holder: NOBODY,
    hosts,
    opsDone: 0,
    opsTotal: hosts.reduce((s, h) => s + h.opsTotal, 0),
    conflicts: 0,
    stalledHostSteps: 0,
    stalledIos: 0,
    reservedSteps: 0,
    waitBuckets: hosts.map(() => []),
    doneBuckets: [],
  };
}

/**
 * Advances `state` in place by one step of `p.stepMs` and returns it; when nothing can change in
 * the steps that follow (every host thinking, holding or waiting for a retry), it moves on to the
 * next step where something does, with the same result as stepping through them one by one.
 */
export function lockingStep(state: LockingState, p: LockingInput): LockingState {
  const t = state.stepIndex;
  const hosts = state.hosts;
  // 1. Operations whose hold ends now finish and release their lock; think times that end now
  //    turn into lock requests.
  for (let h = 0; h < hosts.length; h++) {
    const host = hosts[h];
    if (host.phase === HOLD && t >= host.untilStep) {
      host.opsDone++;
      state.opsDone++;
      if (state.holder === h) state.holder = NOBODY;
      if (host.opsDone >= host.opsTotal) {
        host.phase = DONE;
        host.doneStep = t;
      } else {
        host.phase = THINK;
        host.untilStep = t + (p.thinkMs > 0 ? stepsFor(p.thinkMs, p) : 0);
        host.needsSharedLock = isSharedOp(host.opsDone, p);
      }
    }
    if (host.phase === THINK && t >= host.untilStep) {
      host.phase = WANT;
      host.untilStep = t;
      host.waitingSinceStep = t;
    }
  }
  // 2. Waiting requests: a private ATS lock is granted at once; a free shared lock (the LUN under
  //    SCSI-2) goes to the longest-waiting host; every other host whose retry is due now gets a
  //    conflict and backs off.
  const holdSteps = stepsFor(p.scheme === "scsi2" ? p.reservationHoldMs : p.atsMs, p);
  let winner = NOBODY;
  for (let h = 0; h < hosts.length; h++) {
    const host = hosts[h];
    if (host.phase !== WANT) continue;
    if (!host.needsSharedLock) {
      host.phase = HOLD;
      host.untilStep = t + holdSteps;
    } else if (state.holder === NOBODY && (winner === NOBODY || host.waitingSinceStep < hosts[winner].waitingSinceStep)) {
      winner = h;
    }
  }
  const backoffSteps = stepsFor(p.retryBackoffMs, p);
  for (let h = 0; h < hosts.length; h++) {
    const host = hosts[h];
    if (host.phase !== WANT) continue;
    if (h === winner) {
      host.phase = HOLD;
      host.untilStep = t + holdSteps;
      state.holder = h;
    } else if (t >= host.untilStep) {
      host.conflicts++;
      state.conflicts++;
      host.untilStep = t + backoffSteps;
    }
  }
  // 3. Nothing changes until the next hold or think time ends or the next retry is due: jump
  //    there, and account for every step of the span at once (the same totals as stepping one
  //    step at a time, without visiting the steps in between).
  let next = Infinity;
  for (const host of hosts) if (host.phase !== DONE && host.untilStep < next) next = host.untilStep;
  // All done: this was the last step. Otherwise never past the end of the run.
  const span = next === Infinity ? 1 : Math.max(1, Math.min(next, lastStep(p)) - t);
  const reserved = p.scheme === "scsi2" && state.holder !== NOBODY;
  if (reserved) state.reservedSteps += span;
  for (let h = 0; h < hosts.length; h++) {
    const host = hosts[h];
    if (host.phase === WANT) host.lockWaitSteps += span;
    if (reserved && h !== state.holder && host.vms > 0) {
      state.stalledHostSteps += span;
      state.stalledIos += (host.vms * p.dataIopsPerVm * p.stepMs * span) / 1000;
    }
  }
  addSpanToBuckets(state, p, t, t + span);
  state.stepIndex = t + span;
  return state;
}

/** The step at which a run stops whatever remains (maxTimeS). */
function lastStep(p: LockingInput): number {
  return Math.ceil((p.maxTimeS * 1000) / p.stepMs);
}

/** Timeline bucket of a step. */
function bucketOf(step: number, p: LockingInput): number {
  return Math.floor((step * p.stepMs) / p.bucketMs);
}

/** First step that falls in bucket `k` or later. */
function firstStepOfBucket(k: number, p: LockingInput): number {
  let step = Math.max(0, Math.ceil((k * p.bucketMs) / p.stepMs) - 1);
  while (bucketOf(step, p) < k) step++;
  return step;
}

/** Steps [from, to) in the timeline: lock waits per host and operations done, bucket by bucket. */
function addSpanToBuckets(state: LockingState, p: LockingInput, from: number, to: number): void {
  let k = bucketOf(from, p);
  let step = from;
  while (step < to && k < LOCKING_BUCKET_LIMIT) {
    const end = Math.min(to, firstStepOfBucket(k + 1, p));
    for (let h = 0; h < state.hosts.length; h++) {
      const waits = state.waitBuckets[h];
      while (waits.length <= k) waits.push(0);
      if (state.hosts[h].phase === WANT) waits[k] += end - step;
    }
    while (state.doneBuckets.length <= k) state.doneBuckets.push(state.opsDone);
    state.doneBuckets[k] = state.opsDone;
    step = end;
    k++;
  }
}

export interface HostLockResult {
  vms: number;
  ops: number;
  lockWaitS: number;
  conflicts: number;
  /** When the host's last operation finished, s; null if it did not within maxTimeS. */
  finishS: number | null;
}

export interface LockingResult {
  scheme: LockScheme;
  finished: boolean;
  /** Time for every VM's metadata operations to finish, s; null if not within maxTimeS. */
  finishS: number | null;
  /** Simulated time, s. */
  simulatedS: number;
  opsTotal: number;
  opsDone: number;
  /** RESERVATION CONFLICTs (SCSI-2) or lost ATS races on the shared record. */
  conflicts: number;
  /** Host-seconds of data I/O stalled behind another host's reservation (0 with ATS). */
  stalledHostS: number;
  /** Data I/Os that had to wait behind a reservation. */
  stalledIos: number;
  /** Share of the run the LUN was reserved, 0..1 (0 with ATS). */
  reservedFraction: number;
  /** Mean wait for a lock per metadata operation, ms. */
  meanLockWaitMs: number;
  hosts: HostLockResult[];
  bucketS: number;
  /** Per host, fraction of each bucket spent waiting for a lock, 0..1. */
  waitFraction: number[][];
  /** Operations finished by the end of each bucket. */
  opsDoneByBucket: number[];
}

/** Runs the storm until every operation has finished or maxTimeS passes. */
export function simulateLocking(input: Partial<LockingInput> = {}): LockingResult {
  const p = normaliseLocking(input);
  const state = initialLockingState(p);
  const maxSteps = lastStep(p);
  while (state.opsDone < state.opsTotal && state.stepIndex < maxSteps) lockingStep(state, p);
  const finished = state.opsDone >= state.opsTotal;
  const toS = (steps: number) => (steps * p.stepMs) / 1000;
  const stepsPerBucket = p.bucketMs / p.stepMs;
  const stepsRun = state.stepIndex;
  return {
    scheme: p.scheme,
    finished,
    finishS: finished ? toS(stepsRun > 0 ? stepsRun - 1 : 0) : null,
    simulatedS: toS(stepsRun),
    opsTotal: state.opsTotal,
    opsDone: state.opsDone,
    conflicts: state.conflicts,
    stalledHostS: toS(state.stalledHostSteps),
    stalledIos: state.stalledIos,
    reservedFraction: stepsRun > 0 ? state.reservedSteps / stepsRun : 0,
    meanLockWaitMs: state.opsDone > 0 ? (state.hosts.reduce((s, h) => s + h.lockWaitSteps, 0) * p.stepMs) / state.opsDone : 0,
    hosts: state.hosts.map((h) => ({
      vms: h.vms,
      ops: h.opsTotal,
      lockWaitS: toS(h.lockWaitSteps),
      conflicts: h.conflicts,
      finishS: h.phase === DONE ? toS(h.doneStep) : null,
    })),
    bucketS: p.bucketMs / 1000,
    waitFraction: state.waitBuckets.map((row) =>
      row.map((steps, i) => {
        // The last bucket may be partly simulated; divide by the steps it actually covered.
        const covered = Math.min(stepsPerBucket, stepsRun - i * stepsPerBucket);
        return covered > 0 ? Math.min(1, steps / covered) : 0;
      }),
    ),
    opsDoneByBucket: state.doneBuckets,
  };
}

/** The same storm under both schemes. */
export function compareLocking(input: Partial<LockingInput> = {}): { scsi2: LockingResult; ats: LockingResult } {
  return { scsi2: simulateLocking({ ...input, scheme: "scsi2" }), ats: simulateLocking({ ...input, scheme: "ats" }) };
}
