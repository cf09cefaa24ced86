/**
 * VMsafe and offline antivirus scanning of VDI desktops, against in-guest scheduled scans and
 * per-host offload with a shared scan cache. Spec: shared/models/vmsafe.md.
 */
export type { TransportMode, TransportDefaults, TransportInput, TransportRate } from "./transport.ts";
export { TRANSPORT_MODES, TRANSPORT_DEFAULTS, transportMBps } from "./transport.ts";
export type { ScanMode, PoolInput } from "./workload.ts";
export { SCAN_MODES, POOL_LIMITS, bytesToScanGB } from "./workload.ts";
export type { Bottleneck, ApplianceInput, DatastoreInput, OfflineScanInput, OfflineScanResult, CpuShareInput, CpuShareResult } from "./offline.ts";
export { offlineScan, progressPercent, cpuShare } from "./offline.ts";
export type { AppliancesNeeded } from "./appliances.ts";
export { appliancesNeeded, appliancesCurve } from "./appliances.ts";
export type { ScanSchedule } from "./schedule.ts";
export { SCHEDULE_KINDS, MAX_SCHEDULE_WINDOW_S } from "./schedule.ts";
export type { InGuestInput, InGuestResult } from "./inguest.ts";
export { inGuestScan, STEP_S, MAX_STEPS } from "./inguest.ts";
export type { OffloadInput, OffloadResult } from "./offload.ts";
export { offload } from "./offload.ts";
export type { ScenarioId, VmsafeScenario } from "./scenarios.ts";
export { scenario, SCENARIO_IDS } from "./scenarios.ts";
