/**
 * The inputs of the snapshot lifecycle simulation: its parameters, actions and state, their checks,
 * and the shipped scenario. Source and simplifications: see lifecycle.ts (spec sections 4-6); the
 * five-snapshot figures are illustrative.
 */
import { checkArray, checkBoolean, checkInteger, checkNumber, checkOneOf, checkRecord, checkString, ModelInputError } from "../shared/index.ts";
import type { Finding } from "./findings.ts";
import { DELTA_GROWTH_STEP_BYTES } from "./commit-space.ts";
import type { CommitOrder } from "./analyze.ts";

export interface LifecycleParams {
  vmName: string;
  datastoreCapacityBytes: number;
  /** Space other files (other VMs) use on the datastore. */
  otherUsedBytes: number;
  diskCapacityBytes: number;
  baseType: "thick" | "thin";
  /** Thin base: allocated at the start (thick: ignored, always the capacity). */
  baseAllocatedBytes: number;
  deltaFormat: "vmfsSparse" | "seSparse";
  /** A delta grows in steps of this size. */
  growthStepBytes: number;
  /** Helper delta for writes while the running delta is committed. */
  helperBytes: number;
  commitOrder: CommitOrder;
}

export interface SimDelta {
  id: number;
  /** e.g. "vm-000003.vmdk"; numbers are re-used once freed [4][11]. */
  name: string;
  /** 0 = the base disk. */
  parentId: number;
  sizeBytes: number;
}

export interface SimSnapshot {
  uid: number;
  name: string;
  /** The disk (0 = base, else a delta id) this snapshot froze. */
  diskId: number;
  parentUid: number | null;
}

export type LifecycleAction =
  | { type: "snapshot"; name?: string }
  | { type: "write"; bytes: number }
  | { type: "revert"; uid: number }
  | { type: "delete"; uid: number }
  | { type: "deleteAll" };

export interface LifecycleState {
  params: LifecycleParams;
  /** Number of actions applied so far. */
  step: number;
  baseAllocatedBytes: number;
  deltas: SimDelta[];
  snapshots: SimSnapshot[];
  /** The disk the VM writes to: 0 = base, else a delta id. */
  currentDiskId: number;
  currentUid: number | null;
  lastUid: number;
  nextDeltaId: number;
  /** Datastore bytes this VM's disk uses: base footprint + deltas. */
  usedBytes: number;
  freeBytes: number;
  /** Lowest free space reached during the last action (a commit peaks before deltas are deleted). */
  minFreeBytesDuringStep: number;
  /** The VM is paused because the datastore filled up. */
  paused: boolean;
  /** Findings raised by the last action. */
  events: Finding[];
  lastAction: LifecycleAction | null;
}

export const DEFAULT_LIFECYCLE_PARAMS: LifecycleParams = {
  vmName: "vm",
  datastoreCapacityBytes: 500 * 2 ** 30,
  otherUsedBytes: 250 * 2 ** 30,
  diskCapacityBytes: 100 * 2 ** 30,
  baseType: "thick",
  baseAllocatedBytes: 0,
  deltaFormat: "vmfsSparse",
  growthStepBytes: DELTA_GROWTH_STEP_BYTES,
  helperBytes: DELTA_GROWTH_STEP_BYTES,
  commitOrder: "oldest-first",
};

export const MAX_BYTES = 2 ** 53 - 1;

export function checkLifecycleParams(value: unknown): LifecycleParams {
  const rec = value === undefined ? {} : checkRecord("params", value);
  const p = { ...DEFAULT_LIFECYCLE_PARAMS, ...rec } as Record<string, unknown>;
  const params: LifecycleParams = {
    vmName: checkString("params.vmName", p.vmName, { maxLength: 200 }),
    datastoreCapacityBytes: checkNumber("params.datastoreCapacityBytes", p.datastoreCapacityBytes, { min: 0, max: MAX_BYTES }),
    otherUsedBytes: checkNumber("params.otherUsedBytes", p.otherUsedBytes, { min: 0, max: MAX_BYTES }),
    diskCapacityBytes: checkNumber("params.diskCapacityBytes", p.diskCapacityBytes, { min: 0, max: MAX_BYTES }),
    baseType: checkOneOf("params.baseType", p.baseType, ["thick", "thin"] as const),
    baseAllocatedBytes: checkNumber("params.baseAllocatedBytes", p.baseAllocatedBytes, { min: 0, max: MAX_BYTES }),
    deltaFormat: checkOneOf("params.deltaFormat", p.deltaFormat, ["vmfsSparse", "seSparse"] as const),
    growthStepBytes: checkNumber("params.growthStepBytes", p.growthStepBytes, { min: 1, max: 2 ** 40 }),
    helperBytes: checkNumber("params.helperBytes", p.helperBytes, { min: 0, max: 2 ** 40 }),
    commitOrder: checkOneOf("params.commitOrder", p.commitOrder, ["oldest-first", "newest-first"] as const),
  };
  if (params.baseType === "thin" && params.baseAllocatedBytes > params.diskCapacityBytes) {
    throw new ModelInputError("params.baseAllocatedBytes", params.baseAllocatedBytes, `at most the disk's capacity (${params.diskCapacityBytes})`);
  }
  const base = params.baseType === "thick" ? params.diskCapacityBytes : params.baseAllocatedBytes;
  if (params.otherUsedBytes + base > params.datastoreCapacityBytes) {
    throw new ModelInputError(
      "params.datastoreCapacityBytes",
      params.datastoreCapacityBytes,
      `at least the other files plus the base disk (${params.otherUsedBytes + base} bytes)`,
    );
  }
  return params;
}

export function checkAction(value: unknown): LifecycleAction {
  const rec = checkRecord("action", value);
  const type = checkOneOf("action.type", rec.type, ["snapshot", "write", "revert", "delete", "deleteAll"] as const);
  switch (type) {
    case "snapshot":
      return rec.name === undefined ? { type } : { type, name: checkString("action.name", rec.name, { maxLength: 200 }) };
    case "write":
      return { type, bytes: checkNumber("action.bytes", rec.bytes, { min: 0, max: MAX_BYTES }) };
    case "revert":
    case "delete":
      return { type, uid: checkNumber("action.uid", rec.uid, { min: 0, integer: true, max: 2 ** 31 }) };
    default:
      return { type };
  }
}


export function checkState(value: unknown): LifecycleState {
  const rec = checkRecord("state", value);
  const params = checkLifecycleParams(rec.params);
  const deltas = checkArray("state.deltas", rec.deltas, (v, f) => checkRecord(f, v), { maxLength: 100_000 });
  const ids = new Set<number>([0]);
  deltas.forEach((d, i) => {
    ids.add(checkInteger(`state.deltas[${i}].id`, d.id, { min: 1 }));
    checkString(`state.deltas[${i}].name`, d.name, { maxLength: 4096 });
    checkNumber(`state.deltas[${i}].sizeBytes`, d.sizeBytes, { min: 0, max: MAX_BYTES });
  });
  const inState = (field: string, v: unknown) => {
    if (!ids.has(checkInteger(field, v, { min: 0 }))) throw new ModelInputError(field, v, "0 (the base) or the id of a delta in state.deltas");
  };
  deltas.forEach((d, i) => inState(`state.deltas[${i}].parentId`, d.parentId));
  checkArray("state.snapshots", rec.snapshots, (v, f) => {
    const x = checkRecord(f, v);
    checkInteger(`${f}.uid`, x.uid, { min: 0 });
    // A step passes names on as they are, like the paused flag below (used and free space and
    // the events it recounts).
    checkString(`${f}.name`, x.name, { maxLength: 4096 });
    inState(`${f}.diskId`, x.diskId);
    if (x.parentUid !== null) checkInteger(`${f}.parentUid`, x.parentUid, { min: 0 });
    return x;
  }, { maxLength: 100_000 });
  inState("state.currentDiskId", rec.currentDiskId);
  if (rec.currentUid !== null) checkInteger("state.currentUid", rec.currentUid, { min: 0 });
  for (const k of ["step", "lastUid", "nextDeltaId"] as const) checkInteger(`state.${k}`, rec[k], { min: 0 });
  checkNumber("state.baseAllocatedBytes", rec.baseAllocatedBytes, { min: 0, max: MAX_BYTES });
  checkBoolean("state.paused", rec.paused);
  return { ...(value as LifecycleState), params };
}


export interface LifecycleScenario {
  id: string;
  title: string;
  description: string;
  params: LifecycleParams;
  actions: LifecycleAction[];
}

const GiB = 2 ** 30;

/**
 * Five snapshots fill the datastore, so a commit in place is impossible (the situation SnapVMX was
 * written for). Illustrative numbers: a 500 GiB datastore, 250 GiB used by other VMs, a 100 GiB thick
 * disk, and 32 GiB of new blocks written after each snapshot.
 */
export const FIVE_SNAPSHOTS_FILL_DATASTORE: LifecycleScenario = {
  id: "five-snapshots-fill-datastore",
  title: "Five snapshots fill the datastore",
  description:
    "A 100 GiB thick disk on a 500 GiB datastore with 150 GiB free. After each of five snapshots the guest writes 32 GiB of new blocks; the fifth delta runs the datastore full and the VM pauses. Delete All then needs a helper delta the datastore has no room for: the commit cannot run in place.",
  params: { ...DEFAULT_LIFECYCLE_PARAMS, vmName: "app01" },
  actions: [
    ...[1, 2, 3, 4, 5].flatMap((i): LifecycleAction[] => [
      { type: "snapshot", name: `Snapshot ${i}` },
      { type: "write", bytes: 32 * GiB },
    ]),
    { type: "deleteAll" },
  ],
};

export const LIFECYCLE_SCENARIOS: readonly LifecycleScenario[] = [FIVE_SNAPSHOTS_FILL_DATASTORE];
