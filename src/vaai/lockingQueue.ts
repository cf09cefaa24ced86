/**
 * Steady-state locking load on one VMFS LUN (spec §3's open-system equations): metadata updates
 * arrive at random (Poisson) from every VM; with SCSI-2 each holds the one LUN-wide lock, with ATS
 * each holds its VM's own lock record, except a share that touches one record all hosts share.
 * Gives lock utilisation, mean wait (M/D/1), the share of time other hosts' data I/O is blocked,
 * reservation conflicts per second, and the most VMs a datastore can hold at a target utilisation.
 *
 * Sources: spec /work/shared/models/vaai.md §3; vSphere 4.1 iSCSI SAN Configuration Guide,
 * "Reducing SCSI Reservations"; vSphere 5.0 Storage guide, "VMFS Locking Mechanisms".
 *
 * Simplifications: Poisson arrivals and a deterministic hold (M/D/1) for each lock; the hold folds
 * reserve, read-modify-write and release into one number; conflicts are approximated as arrivals
 * from other hosts that find the LUN reserved. A queue at or above full utilisation is reported
 * as saturated (wait null), never as Infinity. Rates and hold times are assumptions [A].
 */
import { checkInteger, checkNumber, checkRecord, type NumberRange } from "../shared/index.ts";

export interface LockingLoadInput {
  /** Hosts sharing the datastore. */
  hosts: number;
  /** VMs on the datastore. */
  vms: number;
  /** Metadata updates per VM per minute (snapshot growth, thin growth, power operations) [A]. */
  opsPerVmPerMin: number;
  /** LUN reserved per update with SCSI-2, ms [A]. */
  reservationHoldMs: number;
  /** One ATS lock update, ms [A]. */
  atsMs: number;
  /** Distinct lock records per VM (its files) [A]. */
  locksPerVm: number;
  /** With ATS, share of updates that touch one record every host shares, 0..1 [A]. */
  sharedLockFraction: number;
  /** Lock utilisation a datastore should stay under, for the VMs-per-datastore limit. */
  targetUtilisation: number;
}

export const LOCKING_LOAD_LIMITS = {
  hosts: { min: 1, max: 64 },
  vms: { min: 0, max: 100_000 },
  opsPerVmPerMin: { min: 0, max: 6000 },
  reservationHoldMs: { min: 0.1, max: 1000 },
  atsMs: { min: 0.1, max: 1000 },
  locksPerVm: { min: 1, max: 100 },
  sharedLockFraction: { min: 0, max: 1 },
  targetUtilisation: { min: 0.01, max: 0.99 },
} as const satisfies Record<string, NumberRange>;

/** Defaults [A]: 8 hosts, 64 VMs each making 6 metadata updates a minute, target utilisation 0.3. */
export const LOCKING_LOAD_DEFAULTS: Readonly<LockingLoadInput> = Object.freeze({
  hosts: 8,
  vms: 64,
  opsPerVmPerMin: 6,
  reservationHoldMs: 20,
  atsMs: 2,
  locksPerVm: 1,
  sharedLockFraction: 0.05,
  targetUtilisation: 0.3,
});

export interface SchemeLoad {
  /** Utilisation of the busiest lock, 0.. (≥ 1 means saturated). */
  utilisation: number;
  saturated: boolean;
  /** Mean wait for a lock per update, ms; null when saturated. */
  meanWaitMs: number | null;
  /** Share of time a host's data I/O is blocked by another host's lock, 0..1. */
  blockedFraction: number;
  /** Conflicts per second (RESERVATION CONFLICT with SCSI-2, races on the shared record with ATS). */
  conflictsPerS: number;
  /** Most VMs that keep the busiest lock under the target utilisation; null if locking sets no limit. */
  maxVms: number | null;
}

export interface LockingLoadResult {
  /** Metadata updates per second on the LUN. */
  opsPerS: number;
  scsi2: SchemeLoad;
  ats: SchemeLoad;
}

export function normaliseLockingLoad(input: Partial<LockingLoadInput> = {}): LockingLoadInput {
  const record = checkRecord("input", input);
  const value = (key: keyof LockingLoadInput): unknown => (record[key] === undefined ? LOCKING_LOAD_DEFAULTS[key] : record[key]);
  const num = (key: keyof typeof LOCKING_LOAD_LIMITS): number => checkNumber(key, value(key), LOCKING_LOAD_LIMITS[key]);
  return {
    hosts: checkInteger("hosts", value("hosts"), LOCKING_LOAD_LIMITS.hosts),
    vms: checkInteger("vms", value("vms"), LOCKING_LOAD_LIMITS.vms),
    opsPerVmPerMin: num("opsPerVmPerMin"),
    reservationHoldMs: num("reservationHoldMs"),
    atsMs: num("atsMs"),
    locksPerVm: num("locksPerVm"),
    sharedLockFraction: num("sharedLockFraction"),
    targetUtilisation: num("targetUtilisation"),
  };
}

/** Mean wait in an M/D/1 queue of utilisation rho and service time, ms; null at or above 1. */
function md1WaitMs(rho: number, serviceMs: number): number | null {
  return rho < 1 ? (rho * serviceMs) / (2 * (1 - rho)) : null;
}

/** Above this many VMs a limit means nothing (and a tiny per-VM load could overflow to Infinity). */
const NO_LIMIT_ABOVE_VMS = 1e12;

/** The most VMs whose load keeps a lock under `target`, given one VM's utilisation of it; null for no limit. */
function maxVmsFor(target: number, perVmUtilisation: number): number | null {
  const vms = target / perVmUtilisation;
  return perVmUtilisation > 0 && vms < NO_LIMIT_ABOVE_VMS ? Math.floor(vms + 1e-9) : null;
}

export function lockingLoad(input: Partial<LockingLoadInput> = {}): LockingLoadResult {
  const p = normaliseLockingLoad(input);
  const perVmOpsPerS = p.opsPerVmPerMin / 60;
  const opsPerS = p.vms * perVmOpsPerS;
  const others = (p.hosts - 1) / p.hosts;
  const holdS = p.reservationHoldMs / 1000;
  const atsS = p.atsMs / 1000;

  // SCSI-2: one lock for the whole LUN.
  const rhoScsi = opsPerS * holdS;
  const scsi2: SchemeLoad = {
    utilisation: rhoScsi,
    saturated: rhoScsi >= 1,
    meanWaitMs: md1WaitMs(rhoScsi, p.reservationHoldMs),
    blockedFraction: Math.min(1, rhoScsi) * others,
    conflictsPerS: opsPerS * Math.min(1, rhoScsi) * others,
    maxVms: maxVmsFor(p.targetUtilisation, perVmOpsPerS * holdS),
  };

  // ATS: each VM's own records, plus the shared one for a share f of the updates.
  const f = p.sharedLockFraction;
  // One VM's load on its own lock record; with no VMs nobody uses one.
  const perVmPrivateRho = ((1 - f) * perVmOpsPerS * atsS) / p.locksPerVm;
  const rhoPrivate = p.vms > 0 ? perVmPrivateRho : 0;
  const rhoShared = opsPerS * f * atsS;
  const privateWait = md1WaitMs(rhoPrivate, p.atsMs);
  const sharedWait = md1WaitMs(rhoShared, p.atsMs);
  const atsSaturated = privateWait === null || sharedWait === null;
  // A VM's own records limit nothing as VMs are added; only the shared record does.
  const privateFits = perVmPrivateRho <= p.targetUtilisation;
  const ats: SchemeLoad = {
    utilisation: Math.max(rhoPrivate, rhoShared),
    saturated: atsSaturated,
    meanWaitMs: atsSaturated ? null : (1 - f) * privateWait + f * sharedWait,
    blockedFraction: 0,
    conflictsPerS: opsPerS * f * Math.min(1, rhoShared) * others,
    maxVms: privateFits ? maxVmsFor(p.targetUtilisation, perVmOpsPerS * f * atsS) : 0,
  };
  return { opsPerS, scsi2, ats };
}
