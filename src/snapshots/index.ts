/**
 * VM snapshot chains at the VMDK level: parsers for the small text files of a VM folder, chain
 * analysis, the worst-case space a commit needs, and a snapshot lifecycle simulation.
 * Spec: shared/models/snapshots.md. Line and key = value scanning helpers stay internal.
 */
export { SOURCES, sortFindings, formatBytes, type Finding, type Severity } from "./findings.ts";
export { MAX_LINE_CHARS, type FileText } from "./text.ts";
export {
  parseDescriptor,
  ddbValue,
  SECTOR_BYTES,
  NO_PARENT_CID,
  CREATE_TYPES,
  EXTENT_TYPES,
  EXTENT_ACCESS,
  type Descriptor,
  type Extent,
  type DdbEntry,
  type HeaderEntry,
  type DeltaFormat,
  type BaseType,
} from "./descriptor.ts";
export { parseVmx, DISK_MODES, type DiskMode, type Vmx, type VmxDisk } from "./vmx.ts";
export { parseVmsd, vmsdCreateTimeMs, type Vmsd, type VmsdSnapshot, type VmsdDisk } from "./vmsd.ts";
export { parseListing, parseSize, type Listing, type ListingEntry } from "./listing.ts";
export {
  classifyFiles,
  fileKind,
  readDecision,
  MAX_DESCRIPTOR_BYTES,
  MAX_TEXT_FILE_BYTES,
  type FileKind,
  type DroppedFile,
  type NamedFile,
  type Classified,
} from "./folder.ts";
export {
  isSparseHeader,
  embeddedDescriptorRegion,
  embeddedDescriptorBytes,
  SPARSE_HEADER_BYTES,
  type EmbeddedDescriptorRegion,
} from "./sparse-header.ts";
export { buildChains, DEEP_CHAIN_DELTAS, type ChainEnd, type TreeNode, type DiskChain, type ChainInput, type ChainResult } from "./chain.ts";
export {
  commitSpace,
  sparseOverheadBytes,
  DELTA_GROWTH_STEP_MIB,
  DELTA_GROWTH_STEP_BYTES,
  COMMIT_BASE_TYPES,
  type CommitBaseType,
  type CommitSpaceInput,
  type CommitSpace,
  type OldestFirstEstimate,
  type NewestFirstEstimate,
} from "./commit-space.ts";
export { serializeDescriptor, serializeFolder, type DescriptorSpec, type NodeSpec, type DiskSpec, type SnapshotSpec, type FolderSpec } from "./serialize.ts";
export {
  initialState,
  step,
  simulate,
  deltaCapBytes,
  DEFAULT_LIFECYCLE_PARAMS,
  FIVE_SNAPSHOTS_FILL_DATASTORE,
  LIFECYCLE_SCENARIOS,
  type LifecycleParams,
  type LifecycleState,
  type LifecycleAction,
  type LifecycleScenario,
  type SimDelta,
  type SimSnapshot,
} from "./lifecycle.ts";
export {
  analyze,
  type AnalyzeOptions,
  type Analysis,
  type DiskAnalysis,
  type ChainLink,
  type SizeSource,
  type CommitOrder,
} from "./analyze.ts";
