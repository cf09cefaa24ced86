/**
 * When the desktops' scheduled scans start: all at once (the "summit"), at independent uniformly
 * random times over a window, or staggered: batches of k desktops every W·k/N seconds (k = one
 * or a few per host, as VDI-aware agents serialise scans per host).
 * Sources: spec vmsafe.md §4; VMware, "Antivirus Best Practices for VMware Horizon View 5.x" (use
 * random or staggered scan scheduling); Trend Micro OfficeScan VDI note (serialise per host).
 * Random starts are taken as expected values (no random generator, so results are repeatable);
 * their peak adds a Poisson 95th-percentile allowance, mean + 2·√mean, capped at N.
 */
import { checkInteger, checkNumber, checkOneOf, checkRecord } from "../shared/index.ts";

export type ScanSchedule =
  | { kind: "simultaneous" }
  | { kind: "random"; windowS: number }
  | { kind: "staggered"; windowS: number; batchSize: number };

export const SCHEDULE_KINDS = ["simultaneous", "random", "staggered"] as const;
/** Start windows up to a day: a daily scan must start within its day. */
export const MAX_SCHEDULE_WINDOW_S = 86_400;

export function checkSchedule(value: unknown, desktops: number): ScanSchedule {
  const r = checkRecord("schedule", value);
  const kind = checkOneOf("schedule.kind", r.kind, SCHEDULE_KINDS);
  if (kind === "simultaneous") return { kind };
  const windowS = checkNumber("schedule.windowS", r.windowS, { min: 0, exclusiveMin: true, max: MAX_SCHEDULE_WINDOW_S });
  if (kind === "random") return { kind, windowS };
  return { kind, windowS, batchSize: checkInteger("schedule.batchSize", r.batchSize, { min: 1, max: desktops }) };
}

/** Ratios that should be whole numbers come out as 3.0000000000000004; this keeps them at 3. */
const CEIL_TOLERANCE = 1e-9;

/**
 * The most desktops scanning at once if every scan ran `scanDurationS` at full speed (the demand
 * peak; CPU saturation stretches scans and is the simulation's business).
 * random: E[c] on its plateau is N·min(d, W)/W; staggered: k·⌈d/(W·k/N)⌉, capped at N.
 */
export function peakConcurrentUnchecked(schedule: ScanSchedule, desktops: number, scanDurationS: number): number {
  switch (schedule.kind) {
    case "simultaneous":
      return desktops;
    case "random": {
      const mean = (desktops * Math.min(scanDurationS, schedule.windowS)) / schedule.windowS;
      return Math.min(desktops, mean + 2 * Math.sqrt(mean));
    }
    case "staggered": {
      const intervalS = (schedule.windowS * schedule.batchSize) / desktops;
      const batches = Math.ceil(scanDurationS / intervalS - CEIL_TOLERANCE);
      return Math.min(desktops, schedule.batchSize * batches);
    }
  }
}

/** Desktops starting in each step [i·stepS, (i+1)·stepS), expected values for random starts. */
export function startsPerStepUnchecked(schedule: ScanSchedule, desktops: number, stepS: number, steps: number): Float64Array {
  const starts = new Float64Array(steps);
  switch (schedule.kind) {
    case "simultaneous":
      starts[0] = desktops;
      break;
    case "random": {
      const W = schedule.windowS;
      for (let i = 0; i < steps && i * stepS < W; i++) {
        starts[i] = (desktops * (Math.min(W, (i + 1) * stepS) - i * stepS)) / W;
      }
      break;
    }
    case "staggered": {
      const k = schedule.batchSize;
      const intervalS = (schedule.windowS * k) / desktops;
      const batches = Math.ceil(desktops / k);
      for (let j = 0; j < batches; j++) {
        const step = Math.min(steps - 1, Math.floor((j * intervalS) / stepS));
        starts[step] += Math.min(k, desktops - j * k);
      }
      break;
    }
  }
  return starts;
}
