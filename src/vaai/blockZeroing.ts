/**
 * Block zeroing (WRITE SAME(16) 0x93): the time and host traffic to create an eager-zeroed thick
 * disk, and the first-write penalty of a lazy-zeroed disk, with the host writing buffers of zeros
 * versus one WRITE SAME command per block.
 *
 * Sources: spec /work/shared/models/vaai.md §4; VMware, "VMware vSphere Storage APIs – Array
 * Integration (VAAI)" (Hogan 2012), "Block Zeroing"; VMware KB 1021976 (VAAI FAQ),
 * `DataMover.HardwareAcceleratedInit`.
 *
 * Simplifications: zeros written by the host cross the fabric once at the slower of the link and
 * the array's write rate; the array zeroes at `arrayZeroMBps` (a thin-pool array may only mark
 * blocks as zero, so this can be far above its write rate); one WRITE SAME per VMFS block, each
 * with a fixed overhead; a lazy-zeroed disk zeroes a whole VMFS block on its first write, before
 * the guest's data. Rates and overheads are modelling assumptions [A].
 */
import { checkBoolean, checkNumber, checkRecord, type NumberRange } from "../shared/index.ts";

export interface ZeroingInput {
  /** Disk size, GB. */
  sizeGB: number;
  /** Host→array payload bandwidth, MB/s [A]. */
  linkMBps: number;
  /** Array write rate for ordinary writes, MB/s [A]. */
  arrayWriteMBps: number;
  /** Array rate for WRITE SAME zeroing, MB/s [A]. */
  arrayZeroMBps: number;
  /** The array supports WRITE SAME (and DataMover.HardwareAcceleratedInit = 1). */
  writeSameSupported: boolean;
  /** VMFS block zeroed on first write, MB (VMFS-5: 1 MB). */
  blockMB: number;
  /** Fixed cost of one WRITE SAME command, ms [A]. */
  perCommandOverheadMs: number;
  /** Bytes one WRITE SAME command puts on the wire (CDB + one block of pattern) [A]. */
  commandBytes: number;
  /** Data the guest writes to never-written blocks of a lazy-zeroed disk, GB. */
  firstWriteGB: number;
}

export const ZEROING_LIMITS = {
  sizeGB: { min: 0, exclusiveMin: true, max: 63_488 },
  linkMBps: { min: 1, max: 100_000 },
  arrayWriteMBps: { min: 1, max: 1_000_000 },
  arrayZeroMBps: { min: 1, max: 10_000_000 },
  blockMB: { min: 1, max: 8 },
  perCommandOverheadMs: { min: 0, max: 1000 },
  commandBytes: { min: 0, max: 65_536 },
  firstWriteGB: { min: 0, max: 63_488 },
} as const satisfies Record<string, NumberRange>;

/** Defaults [A]: a 100 GB disk over 8 Gb FC to an array that writes 800 MB/s and zeroes 4 GB/s. */
export const ZEROING_DEFAULTS: Readonly<ZeroingInput> = Object.freeze({
  sizeGB: 100,
  linkMBps: 800,
  arrayWriteMBps: 800,
  arrayZeroMBps: 4000,
  writeSameSupported: true,
  blockMB: 1,
  perCommandOverheadMs: 0.05,
  commandBytes: 544,
  firstWriteGB: 10,
});

export interface ZeroingPath {
  /** Time to create the eager-zeroed thick disk, s. */
  eagerCreateS: number;
  /** Bytes of zeros (or commands) sent by the host for the create, MB. */
  eagerHostMB: number;
  /** Commands the host sends for the create (ordinary writes counted per block). */
  commands: number;
  /** Extra time before the first write to one lazy-zeroed block completes, ms. */
  firstWritePenaltyMs: number;
  /** Extra time spread over `firstWriteGB` of first writes, s. */
  lazyExtraS: number;
  /** Extra host traffic for those first writes, MB. */
  lazyExtraHostMB: number;
}

export interface ZeroingResult {
  /** The host writes the zeros itself (VAAI off, or the array lacks WRITE SAME). */
  withoutVaai: ZeroingPath;
  /** With VAAI: WRITE SAME if supported, else the same as withoutVaai. */
  withVaai: ZeroingPath;
  offloaded: boolean;
  /** withoutVaai.eagerCreateS / withVaai.eagerCreateS. */
  speedup: number;
}

export function normaliseZeroing(input: Partial<ZeroingInput> = {}): ZeroingInput {
  const record = checkRecord("input", input);
  const value = (key: keyof ZeroingInput): unknown => (record[key] === undefined ? ZEROING_DEFAULTS[key] : record[key]);
  const num = (key: keyof typeof ZEROING_LIMITS): number => checkNumber(key, value(key), ZEROING_LIMITS[key]);
  return {
    sizeGB: num("sizeGB"),
    linkMBps: num("linkMBps"),
    arrayWriteMBps: num("arrayWriteMBps"),
    arrayZeroMBps: num("arrayZeroMBps"),
    writeSameSupported: checkBoolean("writeSameSupported", value("writeSameSupported")),
    blockMB: num("blockMB"),
    perCommandOverheadMs: num("perCommandOverheadMs"),
    commandBytes: num("commandBytes"),
    firstWriteGB: num("firstWriteGB"),
  };
}

const MB_PER_GB = 1024;
const BYTES_PER_MB = 1024 * 1024;

function hostPath(p: ZeroingInput): ZeroingPath {
  const rateMBps = Math.min(p.linkMBps, p.arrayWriteMBps);
  const sizeMB = p.sizeGB * MB_PER_GB;
  const firstMB = p.firstWriteGB * MB_PER_GB;
  return {
    eagerCreateS: sizeMB / rateMBps,
    eagerHostMB: sizeMB,
    commands: Math.ceil(sizeMB / p.blockMB),
    firstWritePenaltyMs: (1000 * p.blockMB) / rateMBps,
    lazyExtraS: firstMB / rateMBps,
    lazyExtraHostMB: firstMB,
  };
}

function offloadPath(p: ZeroingInput): ZeroingPath {
  const sizeMB = p.sizeGB * MB_PER_GB;
  const firstMB = p.firstWriteGB * MB_PER_GB;
  const commands = Math.ceil(sizeMB / p.blockMB);
  const firstCommands = Math.ceil(firstMB / p.blockMB);
  const perBlockMs = (1000 * p.blockMB) / p.arrayZeroMBps + p.perCommandOverheadMs;
  return {
    eagerCreateS: sizeMB / p.arrayZeroMBps + (commands * p.perCommandOverheadMs) / 1000,
    eagerHostMB: (commands * p.commandBytes) / BYTES_PER_MB,
    commands,
    firstWritePenaltyMs: perBlockMs,
    lazyExtraS: (firstCommands * perBlockMs) / 1000,
    lazyExtraHostMB: (firstCommands * p.commandBytes) / BYTES_PER_MB,
  };
}

/** Eager-zeroed create and lazy-zeroed first writes, with and without WRITE SAME. */
export function blockZeroing(input: Partial<ZeroingInput> = {}): ZeroingResult {
  const p = normaliseZeroing(input);
  const withoutVaai = hostPath(p);
  const withVaai = p.writeSameSupported ? offloadPath(p) : withoutVaai;
  return { withoutVaai, withVaai, offloaded: p.writeSameSupported, speedup: withoutVaai.eagerCreateS / withVaai.eagerCreateS };
}
