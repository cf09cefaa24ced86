/**
 * Full copy (XCOPY, SCSI EXTENDED COPY 0x83): how long a clone, template deploy or Storage vMotion
 * inside one array takes, how many bytes cross the host's storage path and how much host CPU it
 * costs, with the host's software datamover versus the array's copy engine.
 *
 * Sources: spec /work/shared/models/vaai.md §2; VMware, "VMware vSphere Storage APIs – Array
 * Integration (VAAI)" (Hogan 2012), "Full Copy"; F. Denneman, "VAAI hw offload and Storage vMotion
 * between two Storage Arrays" (2012) for the FS3DM / FSDM fallback chain; vSphere 5.5 Storage guide,
 * "Hardware Acceleration Considerations" for when the offload is ineligible; EMC, "Using VMware
 * vSphere Storage APIs for Array Integration with EMC Symmetrix VMAX" (h8115) for
 * `DataMover.MaxHWTransferSize` (4 MB default, up to 16 MB).
 *
 * Simplifications: one array; the copy runs at the slowest of the stages it crosses (link, software
 * datamover, array read, array write), with no caching and no ramp-up; a copy without offload
 * crosses the fabric twice (read in, write out), so a half-duplex link gives it half its rate;
 * concurrent copies share every stage fairly; each XCOPY command adds a fixed overhead. Host CPU is
 * CPU time spent on the copy: a per-MB cost for moving data through the host, a per-MB cost for
 * the VMFS allocation work the host does in either mode, and a per-command cost for XCOPY. Every
 * rate and cost default is a modelling assumption [A]; the defaults are calibrated so the EMC lab
 * Storage vMotion reported by a 2010 blog (141 s → 27 s) comes out within 5 %.
 */
import { checkBoolean, checkInteger, checkNumber, checkRecord, type NumberRange } from "../shared/index.ts";

export type CopyMode = "offload" | "fallback FS3DM" | "fallback FSDM";
export type Datamover = "FS3DM" | "FSDM";

export interface FullCopyInput {
  /** Allocated data to copy, GB (for a thin source only its allocated blocks). */
  sizeGB: number;
  /** Host↔array path payload bandwidth per direction, MB/s (4 Gb FC ≈ 400, 8 Gb FC ≈ 800, 1 GbE iSCSI ≈ 110) [A]. */
  linkMBps: number;
  /** True for FC (read and write directions independent); false for a shared iSCSI NIC (a host copy gets half). */
  fullDuplex: boolean;
  /** Ceiling of the software kernel datamover FS3DM, MB/s [A]. */
  hostDatamoverMBps: number;
  /** Array back-end read limit, MB/s [A]. */
  arrayReadMBps: number;
  /** Array back-end write limit, MB/s [A]. */
  arrayWriteMBps: number;
  /** Array internal copy engine rate for XCOPY, MB/s [A]. */
  arrayCopyMBps: number;
  /** XCOPY segment = DataMover.MaxHWTransferSize / 1024, MB, 1..16 (default 4). */
  segmentMB: number;
  /** The array supports the offload (and DataMover.HardwareAcceleratedMove = 1). */
  offloadSupported: boolean;
  /** The case is eligible (not an RDM → file copy, sparse VMDK, snapshotted clone, different arrays...). */
  eligible: boolean;
  /** Source and destination VMFS block sizes match; when they differ only the slower FSDM can copy. */
  sameBlockSize: boolean;
  /** Share of the data the array refuses mid-copy, copied by the software datamover instead, 0..1 [A]. */
  offloadFailFraction: number;
  /** Copies running at once over the same link and array, each the same size. */
  concurrentCopies: number;
  /** Fixed cost of one XCOPY command, ms [A]. */
  perCommandOverheadMs: number;
  /** Bytes one XCOPY command (CDB + segment descriptor) puts on the wire [A]. */
  descriptorBytes: number;
  /** FSDM rate as a fraction of FS3DM [A]. */
  fsdmRateFraction: number;
  /** Host CPU time per MB moved through the host by the software datamover, ms [A]. */
  cpuMsPerMBCopied: number;
  /** Host CPU time per MB for the VMFS allocation work done in either mode, ms [A]. */
  cpuMsPerMBAllocated: number;
  /** Host CPU time per XCOPY command, ms [A]. */
  cpuMsPerCommand: number;
}

/** One way of doing the copy: with the host's datamover, or with VAAI (offload, partial, or fallback). */
export interface CopyPath {
  /** Wall-clock time of one copy, s. */
  timeS: number;
  /** Average rate of one copy, MB/s. */
  rateMBps: number;
  /** Data payload that crosses the host's storage path (read in + written out), MB. */
  hostPayloadMB: number;
  /** XCOPY commands sent. */
  xcopyCommands: number;
  /** Bytes of XCOPY commands on the wire. */
  commandBytes: number;
  /** Everything that crosses the host's path: payload plus commands, MB. */
  hostTrafficMB: number;
  /** Host CPU time spent on the copy, s. */
  hostCpuS: number;
  /** Data written at the destination, MB (always the full size: bytes are conserved). */
  writtenMB: number;
}

export interface FullCopyResult {
  /** What VAAI did: offloaded to the array, or fell back to a software datamover. */
  mode: CopyMode;
  /** The software datamover used without offload (FSDM when block sizes differ). */
  datamover: Datamover;
  /** VAAI disabled: the software datamover copies every block through the host. */
  withoutVaai: CopyPath;
  /** VAAI enabled: XCOPY where possible, the software datamover for what the array refuses. */
  withVaai: CopyPath;
  /** withoutVaai.timeS / withVaai.timeS. */
  speedup: number;
  /** 1 − host traffic with VAAI / without, 0..1. */
  hostTrafficReduction: number;
  /** 1 − host CPU with VAAI / without; at most 1, negative only if XCOPY commands cost more CPU than the copying they replace. */
  hostCpuReduction: number;
  /** What the slowest stage limits all concurrent copies together to, MB/s, with VAAI. */
  aggregateMBps: number;
}

/** Valid ranges, used for validation and by the notebook's sliders. */
export const FULL_COPY_LIMITS = {
  sizeGB: { min: 0, exclusiveMin: true, max: 63_488 },
  linkMBps: { min: 1, max: 100_000 },
  hostDatamoverMBps: { min: 1, max: 100_000 },
  arrayReadMBps: { min: 1, max: 1_000_000 },
  arrayWriteMBps: { min: 1, max: 1_000_000 },
  arrayCopyMBps: { min: 1, max: 1_000_000 },
  segmentMB: { min: 1, max: 16 },
  offloadFailFraction: { min: 0, max: 1 },
  concurrentCopies: { min: 1, max: 256 },
  perCommandOverheadMs: { min: 0, max: 1000 },
  descriptorBytes: { min: 0, max: 65_536 },
  fsdmRateFraction: { min: 0.01, max: 1 },
  cpuMsPerMBCopied: { min: 0, max: 1000 },
  cpuMsPerMBAllocated: { min: 0, max: 1000 },
  cpuMsPerCommand: { min: 0, max: 1000 },
} as const satisfies Record<string, NumberRange>;

/**
 * Defaults: an 8 Gb FC host cloning a 40 GB VM inside one array. The VM size, rates and CPU costs
 * are assumptions [A]; `arrayCopyMBps` is calibrated so the EMC example (141 s → 27 s) reproduces,
 * and the CPU costs so that the allocation work the host keeps gives the ~50 % CPU saving EMC reported.
 */
export const FULL_COPY_DEFAULTS: Readonly<FullCopyInput> = Object.freeze({
  sizeGB: 40,
  linkMBps: 800,
  fullDuplex: true,
  hostDatamoverMBps: 300,
  arrayReadMBps: 2000,
  arrayWriteMBps: 2000,
  arrayCopyMBps: 1900,
  segmentMB: 4,
  offloadSupported: true,
  eligible: true,
  sameBlockSize: true,
  offloadFailFraction: 0,
  concurrentCopies: 1,
  perCommandOverheadMs: 0.5,
  descriptorBytes: 100,
  fsdmRateFraction: 0.5,
  cpuMsPerMBCopied: 1,
  cpuMsPerMBAllocated: 1,
  cpuMsPerCommand: 0.05,
});

/** The figures the source quotes for one Storage vMotion in an EMC lab (2010 blog citing EMC). */
export const EMC_SVMOTION_EXAMPLE = Object.freeze({ withoutVaaiS: 141, withVaaiS: 27, hostTrafficReduction: 0.99, hostCpuReduction: 0.5 });

const MB_PER_GB = 1024;
const BYTES_PER_MB = 1024 * 1024;

/** Validates a partial input and fills the rest from FULL_COPY_DEFAULTS. */
export function normaliseFullCopy(input: Partial<FullCopyInput> = {}): FullCopyInput {
  const record = checkRecord("input", input);
  const value = <K extends keyof FullCopyInput>(key: K): unknown => (record[key] === undefined ? FULL_COPY_DEFAULTS[key] : record[key]);
  const num = (key: keyof typeof FULL_COPY_LIMITS): number => checkNumber(key, value(key), FULL_COPY_LIMITS[key]);
  return {
    sizeGB: num("sizeGB"),
    linkMBps: num("linkMBps"),
    fullDuplex: checkBoolean("fullDuplex", value("fullDuplex")),
    hostDatamoverMBps: num("hostDatamoverMBps"),
    arrayReadMBps: num("arrayReadMBps"),
    arrayWriteMBps: num("arrayWriteMBps"),
    arrayCopyMBps: num("arrayCopyMBps"),
    segmentMB: num("segmentMB"),
    offloadSupported: checkBoolean("offloadSupported", value("offloadSupported")),
    eligible: checkBoolean("eligible", value("eligible")),
    sameBlockSize: checkBoolean("sameBlockSize", value("sameBlockSize")),
    offloadFailFraction: num("offloadFailFraction"),
    concurrentCopies: checkInteger("concurrentCopies", value("concurrentCopies"), FULL_COPY_LIMITS.concurrentCopies),
    perCommandOverheadMs: num("perCommandOverheadMs"),
    descriptorBytes: num("descriptorBytes"),
    fsdmRateFraction: num("fsdmRateFraction"),
    cpuMsPerMBCopied: num("cpuMsPerMBCopied"),
    cpuMsPerMBAllocated: num("cpuMsPerMBAllocated"),
    cpuMsPerCommand: num("cpuMsPerCommand"),
  };
}

/** Rate of one software-datamover copy, MB/s: the slowest stage it crosses, shared by k copies. */
export function hostCopyRateMBps(p: FullCopyInput): number {
  // The data crosses the fabric twice (read in, write out): with full duplex the directions are
  // independent, on a shared half-duplex NIC the two halves take turns.
  const effectiveLinkMBps = p.fullDuplex ? p.linkMBps : p.linkMBps / 2;
  const datamoverMBps = p.sameBlockSize ? p.hostDatamoverMBps : p.hostDatamoverMBps * p.fsdmRateFraction;
  return Math.min(effectiveLinkMBps, datamoverMBps, p.arrayReadMBps, p.arrayWriteMBps) / p.concurrentCopies;
}

/** Rate of one offloaded copy's data movement, MB/s (per-command overhead not included). */
export function offloadRateMBps(p: FullCopyInput): number {
  return Math.min(p.arrayCopyMBps, p.arrayWriteMBps) / p.concurrentCopies;
}

function path(timeS: number, sizeMB: number, hostPayloadMB: number, xcopyCommands: number, p: FullCopyInput): CopyPath {
  const commandBytes = xcopyCommands * p.descriptorBytes;
  const hostCpuS = (hostPayloadMB / 2 * p.cpuMsPerMBCopied + sizeMB * p.cpuMsPerMBAllocated + xcopyCommands * p.cpuMsPerCommand) / 1000;
  return {
    timeS,
    rateMBps: sizeMB / timeS,
    hostPayloadMB,
    xcopyCommands,
    commandBytes,
    hostTrafficMB: hostPayloadMB + commandBytes / BYTES_PER_MB,
    hostCpuS,
    writtenMB: sizeMB,
  };
}

/**
 * One clone / Storage vMotion of `sizeGB`, with and without VAAI. Missing fields take
 * FULL_COPY_DEFAULTS; invalid fields throw ModelInputError.
 */
export function fullCopy(input: Partial<FullCopyInput> = {}): FullCopyResult {
  const p = normaliseFullCopy(input);
  const sizeMB = p.sizeGB * MB_PER_GB;
  const datamover: Datamover = p.sameBlockSize ? "FS3DM" : "FSDM";
  const hostTimeS = sizeMB / hostCopyRateMBps(p);
  const withoutVaai = path(hostTimeS, sizeMB, 2 * sizeMB, 0, p);

  // With VAAI: the kernel tries XCOPY first; the offload is skipped for an array without support,
  // an ineligible case, or differing block sizes (FSDM never offloads).
  const offloads = p.offloadSupported && p.eligible && p.sameBlockSize;
  let withVaai: CopyPath;
  let aggregateMBps: number;
  if (!offloads) {
    withVaai = withoutVaai;
    aggregateMBps = hostCopyRateMBps(p) * p.concurrentCopies;
  } else {
    const fullCommands = Math.ceil(sizeMB / p.segmentMB);
    const offTimeS = sizeMB / offloadRateMBps(p) + (fullCommands * p.perCommandOverheadMs) / 1000;
    // A partial refusal: the refused share goes the software way, the rest the array way.
    const f = p.offloadFailFraction;
    const timeS = f * hostTimeS + (1 - f) * offTimeS;
    const offloadedMB = (1 - f) * sizeMB;
    const commands = offloadedMB > 0 ? Math.ceil(offloadedMB / p.segmentMB) : 0;
    withVaai = path(timeS, sizeMB, 2 * f * sizeMB, commands, p);
    aggregateMBps = (p.concurrentCopies * sizeMB) / timeS;
  }
  const mode: CopyMode = offloads ? "offload" : p.sameBlockSize ? "fallback FS3DM" : "fallback FSDM";
  return {
    mode,
    datamover,
    withoutVaai,
    withVaai,
    speedup: withoutVaai.timeS / withVaai.timeS,
    hostTrafficReduction: 1 - withVaai.hostTrafficMB / withoutVaai.hostTrafficMB,
    // Below a picosecond of CPU there is nothing to compare (and the ratio could overflow).
    hostCpuReduction: withoutVaai.hostCpuS > 1e-12 ? 1 - withVaai.hostCpuS / withoutVaai.hostCpuS : 0,
    aggregateMBps,
  };
}
