export type { FullCopyInput, FullCopyResult, CopyPath, CopyMode, Datamover } from "./fullCopy.ts";
export {
  fullCopy,
  normaliseFullCopy,
  hostCopyRateMBps,
  offloadRateMBps,
  FULL_COPY_DEFAULTS,
  FULL_COPY_LIMITS,
  EMC_SVMOTION_EXAMPLE,
} from "./fullCopy.ts";
export type { LockScheme, MetadataWorkload, LockingInput, LockingResult, HostLockResult } from "./locking.ts";
export {
  simulateLocking,
  compareLocking,
  normaliseLocking,
  LOCK_SCHEMES,
  METADATA_WORKLOADS,
  WORKLOAD_PRESETS,
  LOCKING_DEFAULTS,
  LOCKING_LIMITS,
  LOCKING_BUCKET_LIMIT,
} from "./locking.ts";
export type { LockingState, HostLockState } from "./lockingSteps.ts";
export { initialLockingState, lockingStep, simulateLockingByStep } from "./lockingSteps.ts";
export type { ZeroingInput, ZeroingPath, ZeroingResult } from "./blockZeroing.ts";
export { blockZeroing, normaliseZeroing, ZEROING_DEFAULTS, ZEROING_LIMITS } from "./blockZeroing.ts";
export type { ThinInput, ThinResult, ThinPoint, ThinEvent, ThinEventKind } from "./thinProvisioning.ts";
export { simulateThin, normaliseThin, vmGrowthGBPerHour, reclaimedGB, THIN_DEFAULTS, THIN_LIMITS } from "./thinProvisioning.ts";
export type { LockingLoadInput, LockingLoadResult, SchemeLoad } from "./lockingQueue.ts";
export { lockingLoad, normaliseLockingLoad, LOCKING_LOAD_DEFAULTS, LOCKING_LOAD_LIMITS } from "./lockingQueue.ts";
