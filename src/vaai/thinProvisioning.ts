/**
 * Thin provisioning on a thin array pool ("thin on thin"): thin VMDKs on a thin LUN grow as their
 * VMs write new blocks, the array pool fills, a soft threshold raises a warning, and at exhaustion
 * the VMs that need a new block are stunned (paused, resumable once space is added) with the VAAI
 * thin-provisioning primitives, or get write errors and crash without them.
 *
 * Sources: spec /work/shared/models/vaai.md §5; VMware vSphere blog, "New & enhanced vSphere 5.0
 * storage features part 3 – VAAI" (July 2011: warning at 75 % full, only VMs needing new blocks
 * paused, UNMAP); vSphere Storage guide, "Monitoring Space Use"; VMware Support Insider,
 * "Out-of-space conditions for thin-provisioned array LUNs" (2012: without the primitive, write
 * failures, guest crashes, possible corruption).
 *
 * Simplifications: one pool, one LUN; each VM writes new blocks at a constant rate, the rates
 * spread evenly between (1 − spread) and (1 + spread) times the mean; some VMs only overwrite
 * blocks they already own and never need new space; the administrator reacts a fixed time after
 * each alert (the soft-threshold warning with the API, VMs stunned or failing) by adding space;
 * a crashed VM stays down (it needs a restart and a check), a stunned one resumes. Growth rates
 * and the reaction time are modelling assumptions [A].
 */
import { ModelInputError, checkBoolean, checkInteger, checkNumber, checkRecord, type NumberRange } from "../shared/index.ts";

export interface ThinInput {
  /** Physical capacity of the array pool, GB. */
  poolGB: number;
  /** Already allocated in the pool at t = 0, GB. */
  initialUsedGB: number;
  /** VMs on the thin LUN. */
  vms: number;
  /** Of those, VMs that only overwrite blocks they own (never need new space). */
  overwriteOnlyVms: number;
  /** Mean rate at which a growing VM writes new blocks, GB/h. */
  growthGBPerHourPerVm: number;
  /** Growth rates spread evenly over mean × (1 ± spread), 0..0.95. */
  growthSpread: number;
  /** Soft threshold, % of the pool (vCenter warning at 75 %). */
  softThresholdPct: number;
  /** The array and vSphere 5.0+ support the thin-provisioning primitives (warning + stun). */
  vaaiTP: boolean;
  /** Hours from the first alert until the administrator adds space; null = nobody reacts. */
  adminResponseH: number | null;
  /** Space the administrator adds, GB. */
  addGB: number;
  /** Simulated hours. */
  horizonH: number;
  /** Simulation steps over the horizon. */
  steps: number;
}

export const THIN_LIMITS = {
  poolGB: { min: 1, max: 10_000_000 },
  initialUsedGB: { min: 0, max: 10_000_000 },
  vms: { min: 1, max: 2000 },
  overwriteOnlyVms: { min: 0, max: 2000 },
  growthGBPerHourPerVm: { min: 0, max: 10_000 },
  growthSpread: { min: 0, max: 0.95 },
  softThresholdPct: { min: 1, max: 100 },
  adminResponseH: { min: 0, max: 10_000 },
  addGB: { min: 0, max: 10_000_000 },
  horizonH: { min: 0.01, max: 100_000 },
  steps: { min: 1, max: 100_000 },
} as const satisfies Record<string, NumberRange>;

/** Defaults [A]: a 10 TB pool 60 % full, 100 VMs of which 80 grow 0.5 GB/h on average. */
export const THIN_DEFAULTS: Readonly<ThinInput> = Object.freeze({
  poolGB: 10_240,
  initialUsedGB: 6_144,
  vms: 100,
  overwriteOnlyVms: 20,
  growthGBPerHourPerVm: 0.5,
  growthSpread: 0.5,
  softThresholdPct: 75,
  vaaiTP: true,
  adminResponseH: 24,
  addGB: 1_024,
  horizonH: 168,
  steps: 336,
});

export type ThinEventKind = "warning" | "full" | "stun" | "write-errors" | "space-added" | "resume";
export interface ThinEvent {
  kind: ThinEventKind;
  atH: number;
  /** VMs affected (stunned, erroring, resumed), 0 where it does not apply. */
  vms: number;
}

export interface ThinPoint {
  tH: number;
  usedGB: number;
  capacityGB: number;
  running: number;
  stunned: number;
  crashed: number;
}

export interface ThinResult {
  /** Soft-threshold warning, h; null without the API or if never reached in the horizon. */
  warningH: number | null;
  /** Pool first full, h; null if it never fills in the horizon (e.g. no growth). */
  fullH: number | null;
  /** Largest number of VMs stunned at once. */
  peakStunned: number;
  /** VMs that crashed after write errors (always 0 with the API). */
  crashed: number;
  events: ThinEvent[];
  series: ThinPoint[];
}

export function normaliseThin(input: Partial<ThinInput> = {}): ThinInput {
  const record = checkRecord("input", input);
  const value = (key: keyof ThinInput): unknown => (record[key] === undefined ? THIN_DEFAULTS[key] : record[key]);
  const num = (key: keyof typeof THIN_LIMITS): number => checkNumber(key, value(key), THIN_LIMITS[key]);
  const p: ThinInput = {
    poolGB: num("poolGB"),
    initialUsedGB: num("initialUsedGB"),
    vms: checkInteger("vms", value("vms"), THIN_LIMITS.vms),
    overwriteOnlyVms: checkInteger("overwriteOnlyVms", value("overwriteOnlyVms"), THIN_LIMITS.overwriteOnlyVms),
    growthGBPerHourPerVm: num("growthGBPerHourPerVm"),
    growthSpread: num("growthSpread"),
    softThresholdPct: num("softThresholdPct"),
    vaaiTP: checkBoolean("vaaiTP", value("vaaiTP")),
    adminResponseH: record.adminResponseH === null ? null : num("adminResponseH"),
    addGB: num("addGB"),
    horizonH: num("horizonH"),
    steps: checkInteger("steps", value("steps"), THIN_LIMITS.steps),
  };
  if (p.initialUsedGB > p.poolGB) throw new ModelInputError("initialUsedGB", p.initialUsedGB, `at most poolGB (${p.poolGB})`);
  if (p.overwriteOnlyVms > p.vms) throw new ModelInputError("overwriteOnlyVms", p.overwriteOnlyVms, `at most vms (${p.vms})`);
  return p;
}

/** Growth rate of VM `i`, GB/h: overwrite-only VMs first (0), then rates spread evenly around the mean. */
export function vmGrowthGBPerHour(p: ThinInput, i: number): number {
  const growing = p.vms - p.overwriteOnlyVms;
  if (i < p.overwriteOnlyVms || growing <= 0) return 0;
  const k = i - p.overwriteOnlyVms;
  const position = growing > 1 ? k / (growing - 1) : 0.5;
  return p.growthGBPerHourPerVm * (1 - p.growthSpread + 2 * p.growthSpread * position);
}

const RUNNING = 0;
const STUNNED = 1;
const CRASHED = 2;

/** Runs the pool forward over the horizon. */
export function simulateThin(input: Partial<ThinInput> = {}): ThinResult {
  const p = normaliseThin(input);
  const rates = Array.from({ length: p.vms }, (_, i) => vmGrowthGBPerHour(p, i));
  const status = new Array<number>(p.vms).fill(RUNNING);
  const dtH = p.horizonH / p.steps;
  let capacityGB = p.poolGB;
  let usedGB = p.initialUsedGB;
  let warningH: number | null = null;
  let fullH: number | null = null;
  let warningArmed = p.vaaiTP && p.softThresholdPct < 100;
  let addAtH: number | null = null;
  let peakStunned = 0;
  const events: ThinEvent[] = [];
  const series: ThinPoint[] = [];
  // How many VMs are in each state, kept up to date as VMs change state.
  const counts = [p.vms, 0, 0];
  const setStatus = (i: number, next: number) => {
    counts[status[i]]--;
    counts[next]++;
    status[i] = next;
  };
  const count = (s: number) => counts[s];
  const record = (tH: number) => series.push({ tH, usedGB, capacityGB, running: counts[RUNNING], stunned: counts[STUNNED], crashed: counts[CRASHED] });
  // Every alert (a warning, or VMs stunned or failing) makes the administrator add space
  // adminResponseH later, unless an addition is already on its way.
  const alert = (tH: number) => {
    if (addAtH === null && p.adminResponseH !== null) addAtH = tH + p.adminResponseH;
  };

  record(0);
  for (let s = 1; s <= p.steps; s++) {
    const tH = s * dtH;
    if (addAtH !== null && tH >= addAtH) {
      addAtH = null;
      capacityGB += p.addGB;
      events.push({ kind: "space-added", atH: tH, vms: 0 });
      // Stunned VMs resume once there is room again; the warning re-arms below the threshold.
      const stunned = count(STUNNED);
      if (stunned > 0 && usedGB < capacityGB) {
        for (let i = 0; i < p.vms; i++) if (status[i] === STUNNED) setStatus(i, RUNNING);
        events.push({ kind: "resume", atH: tH, vms: stunned });
      }
      if (p.vaaiTP && p.softThresholdPct < 100 && usedGB < (p.softThresholdPct / 100) * capacityGB) warningArmed = true;
    }
    // Running VMs ask for new blocks; the pool grants what it has left.
    let demandGB = 0;
    for (let i = 0; i < p.vms; i++) if (status[i] === RUNNING) demandGB += rates[i] * dtH;
    const freeGB = Math.max(0, capacityGB - usedGB);
    usedGB = Math.min(capacityGB, usedGB + Math.min(demandGB, freeGB));
    if (warningArmed && usedGB >= (p.softThresholdPct / 100) * capacityGB) {
      warningArmed = false;
      if (warningH === null) warningH = tH;
      events.push({ kind: "warning", atH: tH, vms: 0 });
      alert(tH);
    }
    if (demandGB > freeGB && demandGB > 0) {
      if (fullH === null) {
        fullH = tH;
        events.push({ kind: "full", atH: tH, vms: 0 });
      }
      // Every running VM that needed a new block is hit; overwrite-only VMs go on.
      let hit = 0;
      for (let i = 0; i < p.vms; i++) {
        if (status[i] === RUNNING && rates[i] > 0) {
          setStatus(i, p.vaaiTP ? STUNNED : CRASHED);
          hit++;
        }
      }
      if (hit > 0) {
        events.push({ kind: p.vaaiTP ? "stun" : "write-errors", atH: tH, vms: hit });
        alert(tH);
      }
    }
    peakStunned = Math.max(peakStunned, count(STUNNED));
    record(tH);
  }
  return { warningH, fullH, peakStunned, crashed: count(CRASHED), events, series };
}

/** Space a Storage vMotion away (or a delete) returns to the pool: all of it with UNMAP, none without. */
export function reclaimedGB(vmAllocatedGB: number, unmap: boolean): number {
  checkNumber("vmAllocatedGB", vmAllocatedGB, { min: 0, max: 10_000_000 });
  return checkBoolean("unmap", unmap) ? vmAllocatedGB : 0;
}
