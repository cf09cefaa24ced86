/**
 * How many scanning appliances a window needs: the pool's bytes over the window give the rate the
 * pass must sustain; each appliance adds min(cores × scan rate, transport). When the datastores'
 * spare read rate is below the needed rate no number of appliances helps.
 * Source: spec vmsafe.md §3 (appliancesNeeded); McAfee MOVE sized its scan servers from the hosts'
 * cores the same way (J. Ventresco, "Antivirus for VDI – McAfee MOVE", 2011).
 * Simplification: appliances are identical and the load splits evenly between them.
 */
import { checkArray, checkNumber } from "../shared/index.ts";
import { checkOffline, perApplianceMBpsUnchecked, WINDOW_LIMITS, type CheckedOffline, type OfflineScanInput } from "./offline.ts";
import { bytesToScanGBUnchecked } from "./workload.ts";

export interface AppliancesNeeded {
  windowH: number;
  /** The MB/s the pass must sustain to finish in the window. */
  neededMBps: number;
  /** Appliances needed, or null when the datastores alone are too slow for the window. */
  appliances: number | null;
  datastoreBound: boolean;
}

/** Ratios that should be whole numbers come out as 2.0000000000000004; this keeps them at 2. */
const CEIL_TOLERANCE = 1e-9;

export function appliancesNeededUnchecked(c: CheckedOffline, windowH: number): AppliancesNeeded {
  const neededMBps = (bytesToScanGBUnchecked(c.pool) * 1024) / (windowH * 3600);
  if (neededMBps > c.datastoreMBps * (1 + CEIL_TOLERANCE)) return { windowH, neededMBps, appliances: null, datastoreBound: true };
  const appliances = Math.max(1, Math.ceil(neededMBps / perApplianceMBpsUnchecked(c) - CEIL_TOLERANCE));
  return { windowH, neededMBps, appliances, datastoreBound: false };
}

/** Appliances the input's window needs (the input's own `appliances` count is ignored). */
export function appliancesNeeded(input: OfflineScanInput): AppliancesNeeded {
  const c = checkOffline(input);
  return appliancesNeededUnchecked(c, c.windowH);
}

/** appliancesNeeded for each window length in `windowsH` (the curve in the notebook). */
export function appliancesCurve(input: OfflineScanInput, windowsH: readonly number[]): AppliancesNeeded[] {
  const c = checkOffline(input);
  const windows = checkArray("windowsH", windowsH, (w, field) => checkNumber(field, w, WINDOW_LIMITS), { minLength: 1, maxLength: 10_000 });
  return windows.map((w) => appliancesNeededUnchecked(c, w));
}
