/**
 * Worst-case free space needed to commit ("Delete All" / consolidate) one disk's snapshot chain.
 * Source: spec section 6 - [7] Yellow Bricks and [15] VMware Support Insider (newest-first order
 * before ESX/ESXi 4.0 Update 2, oldest-first from 4.0 U2 on), [8] TechTarget (a thick base needs no
 * extra space, a thin base grows by what is merged into it; plus a small helper delta for writes during
 * the commit), [5][12] (a delta grows up to about its disk's capacity).
 * Simplifications: no two deltas share a block (the worst case); deltas are deleted only at the end
 * (the conservative figure); memory state files are deleted, never merged; an RDM base is a LUN, so a
 * commit into it takes no datastore space.
 */
import { checkArray, checkNumber, checkOneOf, checkRecord } from "../shared/index.ts";

/** Delta growth step on VMFS, as commonly cited (TechTarget-era tips; [12] says "at least 15 MB"). */
export const DELTA_GROWTH_STEP_MIB = 16;
export const DELTA_GROWTH_STEP_BYTES = DELTA_GROWTH_STEP_MIB * 2 ** 20;

/**
 * Grain-table overhead of a vmfsSparse delta that has grown to its full capacity: one 4-byte entry per
 * 512-byte grain (derived from [6]; uncertain).
 */
export function sparseOverheadBytes(capacityBytes: number): number {
  checkNumber("capacityBytes", capacityBytes, { min: 0 });
  return Math.ceil(capacityBytes / 512) * 4;
}

export const COMMIT_BASE_TYPES = ["thick", "thin", "rdm"] as const;
export type CommitBaseType = (typeof COMMIT_BASE_TYPES)[number];

export interface CommitSpaceInput {
  /** Provisioned size of the disk (C). */
  capacityBytes: number;
  baseType: CommitBaseType;
  /** Allocated size of a thin base (A_B); unknown (null) is taken as 0, the worst case. Ignored for thick and RDM. */
  baseAllocatedBytes?: number | null;
  /** Delta sizes d1..dn, d1 nearest the base. */
  deltaBytes: readonly number[];
  /** Helper delta for writes during the commit; default DELTA_GROWTH_STEP_BYTES. */
  helperBytes?: number;
}

export interface OldestFirstEstimate {
  /** Extra free space needed on top of what the disk uses now. */
  extraBytes: number;
  /** Datastore bytes the disk uses at the peak: footprint + extra. */
  peakBytes: number;
  /** How much the base grows (thin only). */
  baseGrowthBytes: number;
  /** The smaller figure if each delta were deleted right after its merge: min(max d, C - A) + helper. */
  deleteAsYouGoExtraBytes: number;
}

export interface NewestFirstEstimate {
  extraBytes: number;
  peakBytes: number;
  /** Growth of the deltas as each is merged into the one below: sum_{k<n} min(sum_{j>k} dj, C - dk). */
  cascadeBytes: number;
  baseGrowthBytes: number;
}

export interface CommitSpace {
  capacityBytes: number;
  baseType: CommitBaseType;
  /** The allocation used in the estimate (thick: C; thin: A clamped to [0, C]; RDM: 0 on the datastore). */
  baseAllocatedBytes: number;
  /** True when a thin base's allocation was unknown and taken as 0. */
  baseAllocatedAssumed: boolean;
  /** Datastore bytes of the base now. */
  baseFootprintBytes: number;
  deltaCount: number;
  deltaTotalBytes: number;
  largestDeltaBytes: number;
  /** Base footprint + deltas: what the disk uses on the datastore now. */
  footprintBytes: number;
  /** Helper delta counted (0 when there is nothing to commit). */
  helperBytes: number;
  /** ESX/ESXi 4.0 Update 2 and later (all 4.1, 5.x, 6.x+): oldest delta merged into the base first. */
  oldestFirst: OldestFirstEstimate;
  /** Before ESX/ESXi 4.0 Update 2: farthest delta merged into its parent first, then upward. */
  newestFirst: NewestFirstEstimate;
}

/** A delta size: a finite number from 0 to Number.MAX_SAFE_INTEGER. */
function isDeltaSize(x: unknown): boolean {
  return typeof x === "number" && Number.isFinite(x) && x >= 0 && x <= Number.MAX_SAFE_INTEGER;
}

/**
 * The delta sizes: a plain array of valid sizes is used as it is (read, never changed), so no field
 * name for a message is built per element; anything else goes through checkArray, which copies it
 * and throws the error that names a bad element.
 */
function checkDeltaBytes(field: string, value: unknown): number[] {
  if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && value.length <= 100_000) {
    let valid = true;
    for (let i = 0; i < value.length && valid; i++) valid = isDeltaSize(value[i]);
    if (valid) return value as number[];
  }
  return checkArray(`${field}.deltaBytes`, value, (v, f) => checkNumber(f, v, { min: 0, max: Number.MAX_SAFE_INTEGER }), { maxLength: 100_000 });
}

export function checkCommitSpaceInput(value: unknown, field = "input"): Required<CommitSpaceInput> {
  const rec = checkRecord(field, value);
  const capacityBytes = checkNumber(`${field}.capacityBytes`, rec.capacityBytes, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const baseType = checkOneOf(`${field}.baseType`, rec.baseType, COMMIT_BASE_TYPES);
  const baseAllocatedBytes =
    rec.baseAllocatedBytes === undefined || rec.baseAllocatedBytes === null
      ? null
      : checkNumber(`${field}.baseAllocatedBytes`, rec.baseAllocatedBytes, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const deltaBytes = checkDeltaBytes(field, rec.deltaBytes);
  const helperBytes = rec.helperBytes === undefined ? DELTA_GROWTH_STEP_BYTES : checkNumber(`${field}.helperBytes`, rec.helperBytes, { min: 0, max: 2 ** 50 });
  return { capacityBytes, baseType, baseAllocatedBytes: baseAllocatedBytes as number | null, deltaBytes, helperBytes } as Required<CommitSpaceInput>;
}

export function commitSpace(input: CommitSpaceInput): CommitSpace {
  const { capacityBytes: C, baseType, baseAllocatedBytes, deltaBytes: d, helperBytes } = checkCommitSpaceInput(input);
  const n = d.length;
  const A = baseType === "thick" ? C : baseType === "rdm" ? 0 : Math.min(Math.max(baseAllocatedBytes ?? 0, 0), C);
  const baseFootprint = baseType === "rdm" ? 0 : A;
  let total = 0;
  let largest = 0;
  for (const x of d) {
    total += x;
    if (x > largest) largest = x;
  }
  const helper = n > 0 ? helperBytes : 0;
  // Only a thin base grows on the datastore: thick is preallocated, an RDM base is a LUN.
  const room = baseType === "thin" ? C - A : 0;
  const baseGrowth = Math.min(total, room);
  // newest first: delta k grows by everything above it, capped so it stays within the capacity
  let cascade = 0;
  let above = 0;
  for (let k = n - 1; k >= 0; k--) {
    if (k < n - 1) cascade += Math.min(above, Math.max(0, C - d[k]));
    above += d[k];
  }
  const footprint = baseFootprint + total;
  const oldestExtra = baseGrowth + helper;
  const newestExtra = cascade + baseGrowth + helper;
  return {
    capacityBytes: C,
    baseType,
    baseAllocatedBytes: A,
    baseAllocatedAssumed: baseType === "thin" && baseAllocatedBytes === null,
    baseFootprintBytes: baseFootprint,
    deltaCount: n,
    deltaTotalBytes: total,
    largestDeltaBytes: largest,
    footprintBytes: footprint,
    helperBytes: helper,
    oldestFirst: {
      extraBytes: oldestExtra,
      peakBytes: footprint + oldestExtra,
      baseGrowthBytes: baseGrowth,
      deleteAsYouGoExtraBytes: Math.min(largest, room) + helper,
    },
    newestFirst: { extraBytes: newestExtra, peakBytes: footprint + newestExtra, cascadeBytes: cascade, baseGrowthBytes: baseGrowth },
  };
}
