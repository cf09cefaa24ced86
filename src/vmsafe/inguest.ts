/**
 * In-guest scheduled scans over a day: every desktop runs its own full scan (used GB at a per-VM
 * scan rate, one busy vCPU and extra IOPS while it runs), started by a schedule. The result is
 * the hosts' CPU and the datastores' IOPS minute by minute, the peak, how long the scan wave
 * lasts and whether the hosts saturate.
 * Sources: spec vmsafe.md §4; Project VRC Phase V "Antivirus impact and best practices on VDI"
 * (2013) and VMware's Horizon View antivirus best practices for the "AV storm"; the seed blog's
 * "Sophos summit".
 * Method: a deterministic fluid model at one-minute steps. Desktops are spread evenly over the
 * hosts; when the CPU asked for exceeds the cluster's, every VM (scanning or not) gets the same
 * fraction of what it asks, so scans stretch (d' = d × load). A scan's CPU·s and I/Os are fixed,
 * so only their timing changes with the schedule.
 * Simplifications: uniform desktops; storage never slows a scan (its IOPS are reported, not
 * limited); memory, ready time and the guests' own I/O scheduler are ignored.
 */
import { checkInteger, checkNumber, checkRecord } from "../shared/index.ts";
import { checkSchedule, MAX_SCHEDULE_WINDOW_S, peakConcurrentUnchecked, startsPerStepUnchecked, type ScanSchedule } from "./schedule.ts";

export interface InGuestInput {
  desktops: number;
  hosts: number;
  /** One host's CPU capacity, MHz (cores × clock). */
  hostMHz: number;
  usedGBPerDesktop: number;
  /** One scanning VM's read-and-scan rate, MB/s. */
  perVmScanMBps: number;
  /** CPU a scanning VM uses on top of its baseline, MHz. */
  scanCpuMHz: number;
  /** IOPS a scanning VM adds. */
  scanIOPS: number;
  baselineCpuMHzPerVm: number;
  baselineIOPSPerVm: number;
  schedule: ScanSchedule;
}

export interface InGuestResult {
  /** One scan's length at full speed, s: used GB × 1024 / scan rate. */
  scanDurationS: number;
  stepS: number;
  /** Start of each step, hours. At least a day; longer when the wave runs past midnight. */
  timeH: Float64Array;
  /** Desktops scanning, averaged over each step. */
  scanning: Float64Array;
  /** CPU the desktops ask for, as % of the cluster's capacity (the same on every host). */
  cpuDemandPercent: Float64Array;
  /** CPU the hosts deliver, % of capacity: the demand, capped at 100. */
  hostCpuPercent: Float64Array;
  /** Every desktop's IOPS together (baseline plus scans), averaged over each step. */
  datastoreIops: Float64Array;
  baselineCpuPercent: number;
  baselineIops: number;
  /** Most desktops scanning at once by the schedule alone (random: 95th percentile). */
  peakConcurrent: number;
  peakCpuDemandMHz: number;
  /** Peak CPU asked for over the cluster's capacity; above 1 the hosts saturate. */
  peakHostUtil: number;
  saturated: boolean;
  peakIops: number;
  /** First start to last finish, s (to the end of the simulated time when not finished). */
  waveDurationS: number;
  finished: boolean;
  scannedGB: number;
  /** GB still unscanned when the simulation stopped (0 when finished). */
  unscannedGB: number;
  /** MHz·s the scans used, and the I/Os they issued: fixed by the desktops, not the schedule. */
  scanCpuMHzS: number;
  scanIos: number;
}

export const STEP_S = 60;
const MIN_STEPS = 24 * 60;
/** The simulation stops after a week even if the most saturated cluster has not finished. */
export const MAX_STEPS = 7 * 24 * 60;

interface CheckedInGuest extends Omit<InGuestInput, "schedule"> {
  schedule: ScanSchedule;
}

function checkInGuest(value: unknown): CheckedInGuest {
  const r = checkRecord("input", value);
  const desktops = checkInteger("desktops", r.desktops, { min: 1, max: 20_000 });
  const positive = { min: 0, exclusiveMin: true } as const;
  return {
    desktops,
    hosts: checkInteger("hosts", r.hosts, { min: 1, max: 1024 }),
    hostMHz: checkNumber("hostMHz", r.hostMHz, { ...positive, max: 1_000_000 }),
    usedGBPerDesktop: checkNumber("usedGBPerDesktop", r.usedGBPerDesktop, { ...positive, max: 2048 }),
    perVmScanMBps: checkNumber("perVmScanMBps", r.perVmScanMBps, { ...positive, max: 10_000 }),
    scanCpuMHz: checkNumber("scanCpuMHz", r.scanCpuMHz, { ...positive, max: 100_000 }),
    scanIOPS: checkNumber("scanIOPS", r.scanIOPS, { min: 0, max: 1_000_000 }),
    baselineCpuMHzPerVm: checkNumber("baselineCpuMHzPerVm", r.baselineCpuMHzPerVm, { min: 0, max: 100_000 }),
    baselineIOPSPerVm: checkNumber("baselineIOPSPerVm", r.baselineIOPSPerVm, { min: 0, max: 1_000_000 }),
    schedule: checkSchedule(r.schedule, desktops),
  };
}

/** One day (or until the wave ends, at most a week) of in-guest scans under a schedule. */
export function inGuestScan(input: InGuestInput): InGuestResult {
  const c = checkInGuest(input);
  const N = c.desktops;
  const d = (c.usedGBPerDesktop * 1024) / c.perVmScanMBps;
  const capacityMHz = c.hosts * c.hostMHz;
  const baselineMHz = N * c.baselineCpuMHzPerVm;
  const baselineIops = N * c.baselineIOPSPerVm;
  // Every start falls within the first day (the schedule's window is at most 24 h).
  const startSteps = Math.ceil(MAX_SCHEDULE_WINDOW_S / STEP_S) + 1;
  const starts = startsPerStepUnchecked(c.schedule, N, STEP_S, startSteps);
  let lastStartStep = 0;
  for (let i = 0; i < starts.length; i++) if (starts[i] > 0) lastStartStep = i;

  // The series grow as the wave runs on: a day for most settings, up to a week when saturated.
  const scanning: number[] = [];
  const demand: number[] = [];
  const iops: number[] = [];
  // Every scanning desktop advances by the same amount per step, so scans finish in the order
  // they started: a cohort's remaining work is d − (clock − its clock at start), and the
  // finishing cohorts are always a prefix [first, ...] of those started.
  const clockAtStart = new Float64Array(startSteps);
  let clock = 0;
  let first = 0;
  let active = 0;
  let workTotal = 0;
  let lastFinishS = 0;
  let steps = 0;
  let finished = false;
  for (let t = 0; t < MAX_STEPS; t++) {
    if (t < startSteps) {
      clockAtStart[t] = clock;
      active += starts[t];
    }
    const askedMHz = baselineMHz + active * c.scanCpuMHz;
    const speed = askedMHz > capacityMHz ? capacityMHz / askedMHz : 1;
    const advanceS = speed * STEP_S;
    // Work is counted in full-speed scan seconds: a scan holds d of them.
    let work = 0;
    // Steps in which nobody started are empty cohorts: passed over at once.
    while (first <= t && first < startSteps && (starts[first] === 0 || d - (clock - clockAtStart[first]) <= advanceS)) {
      const n = starts[first];
      if (n > 0) {
        const remainingS = d - (clock - clockAtStart[first]);
        work += n * remainingS;
        lastFinishS = t * STEP_S + remainingS / speed;
        active -= n;
      }
      first++;
    }
    const done = first > t || first >= startSteps;
    if (done) active = 0; // no cohort left: clear the sum's rounding residue
    work += active * advanceS;
    clock += advanceS;
    workTotal += work;
    scanning.push(work / advanceS);
    demand.push(baselineMHz + (work / advanceS) * c.scanCpuMHz);
    iops.push(baselineIops + (work * c.scanIOPS) / STEP_S);
    steps = t + 1;
    finished = done && t >= lastStartStep;
    if (t + 1 >= MIN_STEPS && finished) break;
  }
  const cpuDemandPercent = new Float64Array(steps);
  const hostCpuPercent = new Float64Array(steps);
  const timeH = new Float64Array(steps);
  for (let t = 0; t < steps; t++) {
    timeH[t] = (t * STEP_S) / 3600;
    cpuDemandPercent[t] = (100 * demand[t]) / capacityMHz;
    hostCpuPercent[t] = Math.min(100, cpuDemandPercent[t]);
  }
  const peakConcurrent = peakConcurrentUnchecked(c.schedule, N, d);
  const peakCpuDemandMHz = baselineMHz + peakConcurrent * c.scanCpuMHz;
  const scannedGB = (workTotal / d) * c.usedGBPerDesktop;
  return {
    scanDurationS: d,
    stepS: STEP_S,
    timeH,
    scanning: Float64Array.from(scanning),
    cpuDemandPercent,
    hostCpuPercent,
    datastoreIops: Float64Array.from(iops),
    baselineCpuPercent: (100 * baselineMHz) / capacityMHz,
    baselineIops,
    peakConcurrent,
    peakCpuDemandMHz,
    peakHostUtil: peakCpuDemandMHz / capacityMHz,
    saturated: peakCpuDemandMHz > capacityMHz,
    peakIops: baselineIops + peakConcurrent * c.scanIOPS,
    waveDurationS: finished ? lastFinishS : steps * STEP_S,
    finished,
    scannedGB,
    unscannedGB: Math.max(0, N * c.usedGBPerDesktop - scannedGB),
    scanCpuMHzS: workTotal * c.scanCpuMHz,
    scanIos: workTotal * c.scanIOPS,
  };
}
