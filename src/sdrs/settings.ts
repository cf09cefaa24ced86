/**
 * Storage DRS settings of a datastore cluster, with the documented defaults and valid ranges.
 * Source: vSphere API 5.0 reference, StorageDrsIoLoadBalanceConfig (latency threshold 15 ms, 5–100;
 * I/O imbalance threshold 5, 1–100), StorageDrsSpaceLoadBalanceConfig (space threshold 80 %, 50–100;
 * minimum space-utilisation difference 5 %, 1–50), StorageDrsPodConfigInfo (load-balance interval
 * 480 min, 60–43,200).
 * Simplification: the cap on moves per run is ours [A] (SDRS limits its own recommendations too,
 * but the figure is not documented).
 */
import { checkBoolean, checkInteger, checkNumber, checkRecord, type NumberRange } from "../shared/index.ts";

export interface SdrsSettings {
  ioMetricEnabled: boolean;
  latencyThresholdMs: number;
  ioImbalanceThreshold: number;
  spaceThresholdPct: number;
  minSpaceDiffPct: number;
  intervalMin: number;
  maxMovesPerRun: number;
}

export const SDRS_LIMITS = {
  latencyThresholdMs: { min: 5, max: 100 },
  ioImbalanceThreshold: { min: 1, max: 100 },
  spaceThresholdPct: { min: 50, max: 100 },
  minSpaceDiffPct: { min: 1, max: 50 },
  intervalMin: { min: 60, max: 43_200 },
  maxMovesPerRun: { min: 1, max: 1000 },
} as const satisfies Record<string, NumberRange>;

export const SDRS_DEFAULTS: Readonly<SdrsSettings> = Object.freeze({
  ioMetricEnabled: true,
  latencyThresholdMs: 15,
  ioImbalanceThreshold: 5,
  spaceThresholdPct: 80,
  minSpaceDiffPct: 5,
  intervalMin: 480,
  maxMovesPerRun: 10,
});

/** Validates a partial settings object and fills the rest from SDRS_DEFAULTS. */
export function normaliseSettings(value: Partial<SdrsSettings> = {}): SdrsSettings {
  const s = checkRecord("settings", value);
  const pick = <K extends keyof SdrsSettings>(key: K): unknown => (s[key] === undefined ? SDRS_DEFAULTS[key] : s[key]);
  return {
    ioMetricEnabled: checkBoolean("settings.ioMetricEnabled", pick("ioMetricEnabled")),
    latencyThresholdMs: checkNumber("settings.latencyThresholdMs", pick("latencyThresholdMs"), SDRS_LIMITS.latencyThresholdMs),
    ioImbalanceThreshold: checkNumber("settings.ioImbalanceThreshold", pick("ioImbalanceThreshold"), SDRS_LIMITS.ioImbalanceThreshold),
    spaceThresholdPct: checkNumber("settings.spaceThresholdPct", pick("spaceThresholdPct"), SDRS_LIMITS.spaceThresholdPct),
    minSpaceDiffPct: checkNumber("settings.minSpaceDiffPct", pick("minSpaceDiffPct"), SDRS_LIMITS.minSpaceDiffPct),
    intervalMin: checkInteger("settings.intervalMin", pick("intervalMin"), SDRS_LIMITS.intervalMin),
    maxMovesPerRun: checkInteger("settings.maxMovesPerRun", pick("maxMovesPerRun"), SDRS_LIMITS.maxMovesPerRun),
  };
}
