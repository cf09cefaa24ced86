/**
 * Hardware-assisted locking (ATS, SCSI COMPARE AND WRITE 0x89) versus SCSI-2 reservations: a
 * simulation of VMFS metadata operations (power-ons, snapshot creates, thin-disk growth) issued by
 * several hosts against one LUN, on a clock of whole steps.
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
 *
 * Since the retries never decide who gets a freed lock, the run goes from one lock grant to the
 * next (simulateLocking) and counts the refused retries of each wait at once. lockingSteps.ts
 * states the same model step by step, retry by retry; the tests hold the two to the same results.
 */
import { ModelInputError, checkInteger, checkNumber, checkOneOf, checkRecord, type NumberRange } from "../shared/index.ts";
import { RequestQueue } from "./requestQueue.ts";

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
  // Every timeline bucket holds the start of at least one step.
  if (p.bucketMs < p.stepMs) throw new ModelInputError("bucketMs", p.bucketMs, `at least stepMs (${p.stepMs})`);
  return p;
}

// Step arithmetic, shared with the step-by-step statement of the model (lockingSteps.ts).

/** Steps a duration lasts, at least one. */
export function stepsFor(ms: number, p: LockingInput): number {
  return Math.max(1, Math.ceil(ms / p.stepMs - 1e-9));
}

/** Steps between the end of one operation and the host's next request. */
export function thinkStepsFor(p: LockingInput): number {
  return p.thinkMs > 0 ? stepsFor(p.thinkMs, p) : 0;
}

/** Steps a lock is held per operation: the LUN reservation (SCSI-2) or one ATS update. */
export function holdStepsFor(p: LockingInput): number {
  return stepsFor(p.scheme === "scsi2" ? p.reservationHoldMs : p.atsMs, p);
}

/** Whether operation `index` (0-based) of a host touches the shared record under ATS. */
export function isSharedOp(index: number, p: LockingInput): boolean {
  if (p.scheme === "scsi2") return true;
  // Every 1/f-th operation, spread evenly and without random numbers.
  return Math.floor((index + 1) * p.sharedLockFraction) > Math.floor(index * p.sharedLockFraction);
}

/** VMs on host `h`: spread round-robin, so the first `vms % hosts` hosts have one more. */
export function vmsOnHost(h: number, p: LockingInput): number {
  return Math.floor(p.vms / p.hosts) + (h < p.vms % p.hosts ? 1 : 0);
}

/** The step at which a run stops whatever remains (maxTimeS). */
export function lastStep(p: LockingInput): number {
  return Math.ceil((p.maxTimeS * 1000) / p.stepMs);
}

/** Timeline bucket of a step. */
export function bucketOf(step: number, p: LockingInput): number {
  return Math.floor((step * p.stepMs) / p.bucketMs);
}

/** First step that falls in bucket `k` or later. */
export function firstStepOfBucket(k: number, p: LockingInput): number {
  let step = Math.max(0, Math.ceil((k * p.bucketMs) / p.stepMs) - 1);
  while (bucketOf(step, p) < k) step++;
  return step;
}

/** Adds each step of [from, to) to the timeline bucket it falls in. */
function addToBuckets(buckets: number[], from: number, to: number, p: LockingInput): void {
  let k = bucketOf(from, p);
  let step = from;
  while (step < to && k < LOCKING_BUCKET_LIMIT) {
    const end = Math.min(to, firstStepOfBucket(k + 1, p));
    while (buckets.length <= k) buckets.push(0);
    buckets[k] += end - step;
    step = end;
    k++;
  }
}

/** Timeline buckets a run of `stepsRun` steps covers (up to LOCKING_BUCKET_LIMIT). */
function bucketsCovered(stepsRun: number, p: LockingInput): number {
  return stepsRun > 0 ? Math.min(LOCKING_BUCKET_LIMIT, bucketOf(stepsRun - 1, p) + 1) : 0;
}

/** What a run adds up, in steps, whichever way it was computed. */
export interface LockingTally {
  /** Steps simulated: one past the step the last operation finished in, or the whole run. */
  stepsRun: number;
  opsTotal: number;
  opsDone: number;
  conflicts: number;
  /** Step-hosts during which a host's data I/O was stalled behind another host's reservation. */
  stalledHostSteps: number;
  /** Data I/Os stalled (VMs on the stalled hosts × IOPS × time stalled). */
  stalledIos: number;
  reservedSteps: number;
  hosts: Array<{ vms: number; opsTotal: number; lockWaitSteps: number; conflicts: number; doneStep: number | null }>;
  /** Per host, steps spent waiting for a lock in each timeline bucket. */
  waitBuckets: number[][];
  /** Operations finished by the end of each bucket (cumulative). */
  doneBuckets: number[];
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

/** The result of a run from its tally. */
export function lockingResult(tally: LockingTally, p: LockingInput): LockingResult {
  const finished = tally.opsDone >= tally.opsTotal;
  const toS = (steps: number) => (steps * p.stepMs) / 1000;
  const stepsPerBucket = p.bucketMs / p.stepMs;
  const stepsRun = tally.stepsRun;
  return {
    scheme: p.scheme,
    finished,
    finishS: finished ? toS(stepsRun > 0 ? stepsRun - 1 : 0) : null,
    simulatedS: toS(stepsRun),
    opsTotal: tally.opsTotal,
    opsDone: tally.opsDone,
    conflicts: tally.conflicts,
    stalledHostS: toS(tally.stalledHostSteps),
    stalledIos: tally.stalledIos,
    reservedFraction: stepsRun > 0 ? tally.reservedSteps / stepsRun : 0,
    meanLockWaitMs: tally.opsDone > 0 ? (tally.hosts.reduce((s, h) => s + h.lockWaitSteps, 0) * p.stepMs) / tally.opsDone : 0,
    hosts: tally.hosts.map((h) => ({
      vms: h.vms,
      ops: h.opsTotal,
      lockWaitS: toS(h.lockWaitSteps),
      conflicts: h.conflicts,
      finishS: h.doneStep === null ? null : toS(h.doneStep),
    })),
    bucketS: p.bucketMs / 1000,
    waitFraction: tally.waitBuckets.map((row) =>
      row.map((steps, i) => {
        // The last bucket may be partly simulated; divide by the steps it actually covered.
        const covered = Math.min(stepsPerBucket, stepsRun - i * stepsPerBucket);
        return covered > 0 ? Math.min(1, steps / covered) : 0;
      }),
    ),
    opsDoneByBucket: tally.doneBuckets,
  };
}

/** `row` cut or filled with zeros to `length` entries. */
function padTo(row: number[], length: number): number[] {
  const padded = row.slice(0, length);
  while (padded.length < length) padded.push(0);
  return padded;
}

/** One host in simulateLocking: how far it has got, and what it has waited. */
interface HostRun {
  vms: number;
  opsTotal: number;
  opsDone: number;
  lockWaitSteps: number;
  conflicts: number;
  doneStep: number | null;
  waitBuckets: number[];
}

/**
 * Runs the storm until every operation has finished or maxTimeS passes. The contended lock (the
 * LUN under SCSI-2, the shared record under ATS) is served first come, first served, so the run
 * goes from one grant to the next: the host asking longest ago (the lowest-numbered on a tie) gets
 * it when it is freed, and a host waiting from step `a` to step `g` was refused once at `a` and at
 * every back-off after, ceil((g − a) / back-off) times. A private ATS record is granted at once.
 */
export function simulateLocking(input: Partial<LockingInput> = {}): LockingResult {
  const p = normaliseLocking(input);
  const end = lastStep(p);
  const holdSteps = holdStepsFor(p);
  const thinkSteps = thinkStepsFor(p);
  const backoffSteps = stepsFor(p.retryBackoffMs, p);
  const hosts: HostRun[] = Array.from({ length: p.hosts }, (_, h) => {
    const vms = vmsOnHost(h, p);
    return { vms, opsTotal: vms * p.opsPerVm, opsDone: 0, lockWaitSteps: 0, conflicts: 0, doneStep: null, waitBuckets: [] };
  });
  const opsTotal = hosts.reduce((s, h) => s + h.opsTotal, 0);
  const hostsWithVms = hosts.filter((h) => h.vms > 0).length;
  const queue = new RequestQueue();
  let opsDone = 0;
  /** Operations finished in each timeline bucket. */
  const doneInBucket: number[] = [];
  let lastCompletion = 0;
  let reservedSteps = 0;
  let stalledHostSteps = 0;
  let stalledIos = 0;

  /** An operation that began at `step` has finished `holdSteps` later, unless the run ends first. */
  const finishOp = (host: HostRun, step: number): number | null => {
    const done = step + holdSteps;
    if (done >= end) return null;
    host.opsDone++;
    opsDone++;
    const k = bucketOf(done, p);
    if (k < LOCKING_BUCKET_LIMIT) {
      while (doneInBucket.length <= k) doneInBucket.push(0);
      doneInBucket[k]++;
    }
    lastCompletion = Math.max(lastCompletion, done);
    if (host.opsDone === host.opsTotal) host.doneStep = done;
    return done;
  };
  /** From a request at `step`, runs host `h`'s private operations until it asks for the contended lock. */
  const askNext = (h: number, step: number | null): void => {
    const host = hosts[h];
    while (step !== null && host.opsDone < host.opsTotal && !isSharedOp(host.opsDone, p)) {
      const done = finishOp(host, step);
      step = done === null ? null : done + thinkSteps;
    }
    if (step !== null && host.opsDone < host.opsTotal) queue.push({ step, host: h });
  };
  const waited = (host: HostRun, from: number, to: number): void => {
    if (to === from) return;
    host.lockWaitSteps += to - from;
    host.conflicts += Math.ceil((to - from) / backoffSteps);
    addToBuckets(host.waitBuckets, from, to, p);
  };

  hosts.forEach((host, h) => {
    if (host.opsTotal > 0) askNext(h, 0);
  });
  let freeFromStep = 0;
  for (let request = queue.peek(); request !== undefined; request = queue.peek()) {
    const grantedAt = Math.max(request.step, freeFromStep);
    // Nobody else is granted the lock within the run either: they all asked later or wait for it.
    if (grantedAt >= end) break;
    queue.pop();
    const host = hosts[request.host];
    waited(host, request.step, grantedAt);
    freeFromStep = grantedAt + holdSteps;
    if (p.scheme === "scsi2") {
      const heldSteps = Math.min(freeFromStep, end) - grantedAt;
      reservedSteps += heldSteps;
      // Every other host with VMs has its data I/O stalled while the LUN is reserved.
      stalledHostSteps += heldSteps * (hostsWithVms - 1);
      stalledIos += ((p.vms - host.vms) * p.dataIopsPerVm * p.stepMs * heldSteps) / 1000;
    }
    const done = finishOp(host, grantedAt);
    askNext(request.host, done === null ? null : done + thinkSteps);
  }

  const finished = opsDone === opsTotal;
  const stepsRun = finished ? (opsTotal > 0 ? lastCompletion + 1 : 0) : end;
  // Whoever still waits when the run is cut off waits until its end.
  for (const request of queue.pending()) if (request.step < stepsRun) waited(hosts[request.host], request.step, stepsRun);
  const buckets = bucketsCovered(stepsRun, p);
  const doneBuckets = padTo(doneInBucket, buckets);
  for (let k = 1; k < buckets; k++) doneBuckets[k] += doneBuckets[k - 1];
  return lockingResult({
    stepsRun,
    opsTotal,
    opsDone,
    conflicts: hosts.reduce((s, h) => s + h.conflicts, 0),
    stalledHostSteps,
    stalledIos,
    reservedSteps,
    hosts: hosts.map((h) => ({ vms: h.vms, opsTotal: h.opsTotal, lockWaitSteps: h.lockWaitSteps, conflicts: h.conflicts, doneStep: h.opsTotal === 0 ? 0 : h.doneStep })),
    waitBuckets: hosts.map((h) => padTo(h.waitBuckets, buckets)),
    doneBuckets,
  }, p);
}

/** The same storm under both schemes. */
export function compareLocking(input: Partial<LockingInput> = {}): { scsi2: LockingResult; ats: LockingResult } {
  return { scsi2: simulateLocking({ ...input, scheme: "scsi2" }), ats: simulateLocking({ ...input, scheme: "ats" }) };
}
