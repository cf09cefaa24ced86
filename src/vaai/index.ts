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
