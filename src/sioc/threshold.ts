/**
 * The range a manually set congestion threshold may take, by vSphere release. The vSphere Client
 * of 4.1 and 5.0 takes 10–100 ms ("The value must be between 10 ms and 100 ms", vSphere Resource
 * Management, "Set Storage I/O Control Threshold Value", vSphere Client procedure); from 5.1 the
 * API and the Web Client take 5–100 ms (vSphere API reference, StorageIORMInfo.congestionThreshold).
 * Simplification: that the 10 ms floor applies to exactly 4.1 and 5.0 is read from the client
 * the procedure is written for (the only client of those releases), not from a release note.
 */
import { checkOneOf } from "../shared/index.ts";
import { SUPPORT_VERSIONS, type SupportVersion } from "./support.ts";

export interface ThresholdRange {
  minMs: number;
  maxMs: number;
  source: string;
}

const CLIENT_PROCEDURE = "vSphere Resource Management, \"Set Storage I/O Control Threshold Value\" (vSphere Client)";
const API = "vSphere API reference, StorageIORMInfo.congestionThreshold";

export function manualThresholdRange(version: SupportVersion): ThresholdRange {
  const v = checkOneOf("version", version, SUPPORT_VERSIONS);
  return v === "5.1+" ? { minMs: 5, maxMs: 100, source: API } : { minMs: 10, maxMs: 100, source: CLIENT_PROCEDURE };
}
