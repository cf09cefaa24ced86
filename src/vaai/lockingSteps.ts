/**
 * The VAAI locking storm (locking.ts) stated step by step: every host, every step, every refused
 * retry. This is the plainest reading of the model and the reference the grant-to-grant run in
 * simulateLocking is tested against (test/models/vaai/locking.test.ts); pages use simulateLocking,
 * whose cost does not grow with the number of retries.
 *
 * Sources and simplifications: as in locking.ts.
 */
import {
  bucketOf, firstStepOfBucket, holdStepsFor, isSharedOp, lastStep, lockingResult, normaliseLocking, stepsFor, thinkStepsFor, vmsOnHost,
  LOCKING_BUCKET_LIMIT, type LockingInput, type LockingResult,
} from "./locking.ts";

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

export function initialLockingState(p: LockingInput): LockingState {
  const hosts: HostLockState[] = [];
  for (let h = 0; h < p.hosts; h++) {
    const vms = vmsOnHost(h, p);
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
        host.untilStep = t + thinkStepsFor(p);
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
  const holdSteps = holdStepsFor(p);
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

/** Runs the storm step by step until every operation has finished or maxTimeS passes. */
export function simulateLockingByStep(input: Partial<LockingInput> = {}): LockingResult {
  const p = normaliseLocking(input);
  const state = initialLockingState(p);
  const maxSteps = lastStep(p);
  while (state.opsDone < state.opsTotal && state.stepIndex < maxSteps) lockingStep(state, p);
  return lockingResult({
    stepsRun: state.stepIndex,
    opsTotal: state.opsTotal,
    opsDone: state.opsDone,
    conflicts: state.conflicts,
    stalledHostSteps: state.stalledHostSteps,
    stalledIos: state.stalledIos,
    reservedSteps: state.reservedSteps,
    hosts: state.hosts.map((h) => ({ vms: h.vms, opsTotal: h.opsTotal, lockWaitSteps: h.lockWaitSteps, conflicts: h.conflicts, doneStep: h.phase === DONE ? h.doneStep : null })),
    waitBuckets: state.waitBuckets,
    doneBuckets: state.doneBuckets,
  }, p);
}
