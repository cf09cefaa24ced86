/**
 * A day in a VDI farm, minute by minute, per datastore: every desktop runs its steady load all
 * day, the 8 a.m. boot storm and the login storm after it add their bursts, and each datastore's
 * array answers with a latency (array.ts); when the disks cannot keep up the excess waits in a
 * backlog that drains once the storm has passed.
 * Source: spec sdrs.md §4.2, frontIops(t) = N·s + N·(b − s)·bootFraction(t) (+ the login burst),
 * per-desktop figures from Dell BP1018 (desktop.ts).
 * Simplifications [A]: boot and login fractions are trapezoids (ramps of a quarter of the window),
 * login starts when boot ends; desktops never power off, so the steady load runs all day; the
 * peak share of desktops booting at once defaults to 100 % as in the spec (BP1018's measured
 * 15,000 IOPS for 1,270 desktops corresponds to fewer, see PUBLISHED_BOOT_TEST). The backlog is
 * work conserved, not lost; the latency it adds is bounded by the desktops' own queues: a desktop
 * keeps at most DESKTOP_QUEUE_DEPTH I/Os in flight, so no I/O waits longer than all of those
 * ahead of it take to complete (Little's law).
 */
import { checkArray, checkInteger, checkNumber, checkRecord, checkString, percentileOfCounts } from "../shared/index.ts";
import { arrayLoadUnchecked, checkArrayConfig, frontCapacityIops, type ArrayConfig } from "./array.ts";
import { checkDesktop, DEFAULT_DESKTOP, type DesktopProfile } from "./desktop.ts";

export const MINUTES_PER_DAY = 1440;
/** I/Os one booting desktop keeps in flight at most [A]: Windows boot reads and writes a few at a time. */
export const DESKTOP_QUEUE_DEPTH = 4;

export interface StormSchedule {
  /** Minute of the day the first desktop powers on (480 = 08:00). */
  bootStartMin: number;
  bootMinutes: number;
  loginMinutes: number;
  /** Share of the desktops booting at the same moment at the storm's peak, 1..100 %. */
  bootConcurrencyPct: number;
}

/** Spec §4.2: T = 11 min (BP1018's 10–12 min); login window and start time are [A]. */
export const DEFAULT_SCHEDULE: StormSchedule = { bootStartMin: 480, bootMinutes: 11, loginMinutes: 30, bootConcurrencyPct: 100 };

export interface StormDatastore {
  name: string;
  desktops: number;
  array: ArrayConfig;
}

export interface StormInput {
  datastores: StormDatastore[];
  desktop?: DesktopProfile;
  schedule?: StormSchedule;
}

export interface DatastoreDay {
  name: string;
  desktops: number;
  /** One value per minute of the day. */
  frontIops: number[];
  latencyMs: number[];
  peakFrontIops: number;
  peakLatencyMs: number;
  /** The figure Storage DRS compares with its threshold: 90th percentile of the day's latency. */
  p90LatencyMs: number;
  /** Minutes in which the disks were saturated or still draining a backlog. */
  saturatedMinutes: number;
}

export interface StormResult {
  schedule: StormSchedule;
  desktop: DesktopProfile;
  datastores: DatastoreDay[];
  totalFrontIops: number[];
  /** The farm's lowest and highest front-end IOPS in any minute of the day (of totalFrontIops). */
  totalFrontIopsLow: number;
  totalFrontIopsPeak: number;
  /** Share of reads in the desktops' I/O, per minute (the same on every datastore). */
  readPct: number[];
}

function checkSchedule(value: unknown): StormSchedule {
  const s = checkRecord("schedule", value);
  const bootMinutes = checkNumber("schedule.bootMinutes", s.bootMinutes, { min: 1, max: 120 });
  return {
    // The boot storm lies inside the day; the login storm after it may run past midnight (cut off).
    bootStartMin: checkInteger("schedule.bootStartMin", s.bootStartMin, { min: 0, max: Math.floor(MINUTES_PER_DAY - bootMinutes) }),
    bootMinutes,
    loginMinutes: checkNumber("schedule.loginMinutes", s.loginMinutes, { min: 1, max: 240 }),
    bootConcurrencyPct: checkNumber("schedule.bootConcurrencyPct", s.bootConcurrencyPct, { min: 1, max: 100 }),
  };
}

function checkDatastore(value: unknown, field: string): StormDatastore {
  const d = checkRecord(field, value);
  return {
    name: checkString(`${field}.name`, d.name, { maxLength: 80 }),
    desktops: checkInteger(`${field}.desktops`, d.desktops, { min: 0, max: 10_000 }),
    array: checkArrayConfig(d.array, `${field}.array`),
  };
}

/** Height of a trapezoid of width `length` starting at `start`, sampled at minute t's midpoint. */
export function trapezoid(t: number, start: number, length: number, peak: number): number {
  const x = t + 0.5 - start;
  if (x <= 0 || x >= length) return 0;
  const ramp = length / 4;
  return peak * Math.min(1, x / ramp, (length - x) / ramp);
}

/** Desktops in each phase at minute t, as fractions of all desktops. */
export function phaseFractions(schedule: StormSchedule, t: number): { boot: number; login: number } {
  const boot = trapezoid(t, schedule.bootStartMin, schedule.bootMinutes, schedule.bootConcurrencyPct / 100);
  const login = trapezoid(t, schedule.bootStartMin + schedule.bootMinutes, schedule.loginMinutes, 1);
  return { boot, login };
}

/** Per-desktop front-end IOPS and read share at minute t. Unchecked, as stormMinuteUnchecked. */
export function perDesktopLoad(desktop: DesktopProfile, schedule: StormSchedule, t: number): { iops: number; readPct: number } {
  return loadInPhases(desktop, phaseFractions(schedule, t));
}

/** Per-desktop front-end IOPS and read share with these shares of the desktops booting and logging in. */
function loadInPhases(desktop: DesktopProfile, f: { boot: number; login: number }): { iops: number; readPct: number } {
  const steadyShare = 1 - f.boot - f.login;
  const iops = steadyShare * desktop.steadyIops + f.boot * desktop.bootIops + f.login * desktop.loginIops;
  const reads = steadyShare * desktop.steadyIops * desktop.steadyReadPct + f.boot * desktop.bootIops * desktop.bootReadPct +
    f.login * desktop.loginIops * desktop.loginReadPct;
  return { iops, readPct: iops > 0 ? reads / iops : 0 };
}

/** What one datastore does in one minute: its load, the array's answer and the backlog left after it. */
export interface StormMinute {
  frontIops: number;
  latencyMs: number;
  rho: number;
  /** Back-end I/Os still waiting at the end of the minute. */
  backlogIos: number;
  saturated: boolean;
}

/**
 * One minute on a datastore, given each desktop's load then and the backlog the minute starts with.
 * Unchecked: bootStorm validates the datastore once and calls this per minute.
 */
export function stormMinuteUnchecked(ds: StormDatastore, load: { iops: number; readPct: number }, backlogIn: number): StormMinute {
  const frontIops = ds.desktops * load.iops;
  const a = arrayLoadUnchecked(ds.array, frontIops, load.readPct);
  const backlogIos = Math.max(0, backlogIn + (a.backendIops - a.capacityIops) * 60);
  // A miss queues behind the backlog: the time the disks need to drain it.
  const waitMs = (1 - a.hitShare) * (1000 * backlogIos) / a.capacityIops;
  const closedLoopBoundMs = (1000 * ds.desktops * DESKTOP_QUEUE_DEPTH) / frontCapacityIops(ds.array, load.readPct);
  return {
    frontIops,
    latencyMs: Math.min(a.latencyMs + waitMs, Math.max(a.latencyMs, closedLoopBoundMs)),
    rho: a.rho,
    backlogIos,
    saturated: a.rho >= 1 || backlogIos > 0,
  };
}

/** Consecutive minutes of a datastore's day that are all the same minute. */
interface MinuteRun {
  minute: StormMinute;
  minutes: number;
}

/**
 * A datastore's day as runs of equal minutes. A minute depends only on the load per desktop and
 * the backlog it starts with: while the load stays the same object (`perMinute` repeats one for
 * every steady minute) and the minute leaves the backlog as it found it, the minutes after it are
 * the same minute, so most of the day is a few long runs worked out once each.
 */
function minuteRuns(ds: StormDatastore, perMinute: ReadonlyArray<{ iops: number; readPct: number }>): MinuteRun[] {
  const runs: MinuteRun[] = [];
  let backlog = 0;
  for (let t = 0; t < perMinute.length;) {
    const load = perMinute[t];
    const minute = stormMinuteUnchecked(ds, load, backlog);
    let minutes = 1;
    if (minute.backlogIos === backlog) while (t + minutes < perMinute.length && perMinute[t + minutes] === load) minutes++;
    runs.push({ minute, minutes });
    backlog = minute.backlogIos;
    t += minutes;
  }
  return runs;
}

/** One value per minute of the day, from its runs. */
function perMinuteSeries(runs: readonly MinuteRun[], pick: (minute: StormMinute) => number): number[] {
  const values = new Array<number>(runs.reduce((total, run) => total + run.minutes, 0));
  let start = 0;
  for (const run of runs) {
    values.fill(pick(run.minute), start, start + run.minutes);
    start += run.minutes;
  }
  return values;
}

function datastoreDay(ds: StormDatastore, perMinute: ReadonlyArray<{ iops: number; readPct: number }>): DatastoreDay {
  const runs = minuteRuns(ds, perMinute);
  const highest = (pick: (minute: StormMinute) => number) => Math.max(...runs.map((run) => pick(run.minute)));
  return {
    name: ds.name,
    desktops: ds.desktops,
    frontIops: perMinuteSeries(runs, (m) => m.frontIops),
    latencyMs: perMinuteSeries(runs, (m) => m.latencyMs),
    peakFrontIops: highest((m) => m.frontIops),
    peakLatencyMs: highest((m) => m.latencyMs),
    p90LatencyMs: percentileOfCounts(runs.map((run) => ({ value: run.minute.latencyMs, count: run.minutes })), 90),
    saturatedMinutes: runs.reduce((total, run) => total + (run.minute.saturated ? run.minutes : 0), 0),
  };
}

/** The whole day, minute by minute, for every datastore. */
export function bootStorm(input: StormInput): StormResult {
  const i = checkRecord("input", input);
  const datastores = checkArray("datastores", i.datastores, checkDatastore, { minLength: 1, maxLength: 32 });
  const desktop = checkDesktop(i.desktop ?? DEFAULT_DESKTOP);
  const schedule = checkSchedule(i.schedule ?? DEFAULT_SCHEDULE);
  // Outside the boot and login windows every minute is the steady one: one object for all of them
  // (datastoreDay works a run of it out once). Both windows lie between the first boot and the
  // login window's end: only those minutes need their phases worked out.
  const steady = loadInPhases(desktop, { boot: 0, login: 0 });
  const perMinute = new Array<{ iops: number; readPct: number }>(MINUTES_PER_DAY).fill(steady);
  const stormEnd = Math.min(MINUTES_PER_DAY, Math.ceil(schedule.bootStartMin + schedule.bootMinutes + schedule.loginMinutes));
  for (let t = schedule.bootStartMin; t < stormEnd; t++) {
    const f = phaseFractions(schedule, t);
    if (f.boot !== 0 || f.login !== 0) perMinute[t] = loadInPhases(desktop, f);
  }
  // Datastores with as many desktops on the same array have the same day: worked out once, and
  // its (read-only) minute series shared between them.
  const dayOf = new Map<string, DatastoreDay>();
  const days = datastores.map((ds): DatastoreDay => {
    const key = JSON.stringify([ds.desktops, ds.array]);
    const day = dayOf.get(key) ?? datastoreDay(ds, perMinute);
    dayOf.set(key, day);
    return { ...day, name: ds.name };
  });
  // Each day added in turn, in the datastores' order: the same sums as adding the datastores up minute by minute.
  const totalFrontIops = new Array<number>(perMinute.length).fill(0);
  for (const day of days) for (let t = 0; t < totalFrontIops.length; t++) totalFrontIops[t] += day.frontIops[t];
  let totalFrontIopsLow = totalFrontIops[0];
  let totalFrontIopsPeak = totalFrontIops[0];
  for (let t = 1; t < totalFrontIops.length; t++) {
    totalFrontIopsLow = Math.min(totalFrontIopsLow, totalFrontIops[t]);
    totalFrontIopsPeak = Math.max(totalFrontIopsPeak, totalFrontIops[t]);
  }
  return { schedule, desktop, datastores: days, totalFrontIops, totalFrontIopsLow, totalFrontIopsPeak, readPct: perMinute.map((load) => load.readPct) };
}
