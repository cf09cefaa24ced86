/**
 * Snapshot lifecycle of one disk as explicit state and `step(state, action) -> state`: take a
 * snapshot, write, revert, delete one, delete all; tracks each delta's growth and the free space.
 * Source: spec sections 4-6 (a snapshot freezes the current file and starts a delta [4]; deltas grow
 * in steps, 16 MiB as commonly cited [12], up to the capacity plus grain tables [5][6]; Delete All
 * merges oldest-first since ESX/ESXi 4.0 U2 [7][15]; a thin base grows by what is merged into it [8]).
 * Simplifications: writes hit blocks no earlier delta holds (worst case); new deltas start empty;
 * memory files are ignored; a full datastore pauses the VM. The five-snapshot figures are illustrative.
 */
import { checkArray, checkInteger, checkNumber, checkOneOf, checkRecord, checkString, ModelInputError } from "../shared/index.ts";
import { finding, formatBytes, SOURCES, type Finding } from "./findings.ts";
import { commitSpace, DELTA_GROWTH_STEP_BYTES, sparseOverheadBytes } from "./commit-space.ts";
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

const MAX_BYTES = 2 ** 53 - 1;

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

function checkAction(value: unknown): LifecycleAction {
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

function baseFootprint(s: LifecycleState): number {
  return s.params.baseType === "thick" ? s.params.diskCapacityBytes : s.baseAllocatedBytes;
}

function recount(s: LifecycleState): void {
  let used = baseFootprint(s);
  for (const d of s.deltas) used += d.sizeBytes;
  s.usedBytes = used;
  s.freeBytes = s.params.datastoreCapacityBytes - s.params.otherUsedBytes - used;
}

/** The largest a delta can grow: the disk's capacity plus its grain tables [5][6]. */
export function deltaCapBytes(params: LifecycleParams): number {
  const p = checkLifecycleParams(params);
  return p.diskCapacityBytes + sparseOverheadBytes(p.diskCapacityBytes);
}

function capOf(p: LifecycleParams): number {
  return p.diskCapacityBytes + sparseOverheadBytes(p.diskCapacityBytes);
}

export function initialState(params?: Partial<LifecycleParams>): LifecycleState {
  const p = checkLifecycleParams(params);
  const s: LifecycleState = {
    params: p,
    step: 0,
    baseAllocatedBytes: p.baseType === "thick" ? p.diskCapacityBytes : p.baseAllocatedBytes,
    deltas: [],
    snapshots: [],
    currentDiskId: 0,
    currentUid: null,
    lastUid: 0,
    nextDeltaId: 1,
    usedBytes: 0,
    freeBytes: 0,
    minFreeBytesDuringStep: 0,
    paused: false,
    events: [],
    lastAction: null,
  };
  recount(s);
  s.minFreeBytesDuringStep = s.freeBytes;
  return s;
}

function checkState(value: unknown): LifecycleState {
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
    inState(`${f}.diskId`, x.diskId);
    if (x.parentUid !== null) checkInteger(`${f}.parentUid`, x.parentUid, { min: 0 });
    return x;
  }, { maxLength: 100_000 });
  inState("state.currentDiskId", rec.currentDiskId);
  if (rec.currentUid !== null) checkInteger("state.currentUid", rec.currentUid, { min: 0 });
  for (const k of ["step", "lastUid", "nextDeltaId"] as const) checkInteger(`state.${k}`, rec[k], { min: 0 });
  checkNumber("state.baseAllocatedBytes", rec.baseAllocatedBytes, { min: 0, max: MAX_BYTES });
  return { ...(value as LifecycleState), params };
}

function clone(s: LifecycleState): LifecycleState {
  return {
    ...s,
    deltas: s.deltas.map((d) => ({ ...d })),
    snapshots: s.snapshots.map((x) => ({ ...x })),
    events: [],
  };
}

function deltaName(vmName: string, n: number): string {
  return `${vmName}-${String(n).padStart(6, "0")}.vmdk`;
}

function newDelta(s: LifecycleState, parentId: number): SimDelta {
  // delta numbers are shared and re-used once freed, so pick the smallest free one [4][11]
  const used = new Set(s.deltas.map((d) => Number(d.name.slice(-11, -5))));
  let n = 1;
  while (used.has(n)) n++;
  const d: SimDelta = { id: s.nextDeltaId++, name: deltaName(s.params.vmName, n), parentId, sizeBytes: 0 };
  s.deltas.push(d);
  return d;
}

function diskName(s: LifecycleState, id: number): string {
  return id === 0 ? `${s.params.vmName}.vmdk` : (s.deltas.find((d) => d.id === id)?.name ?? `disk ${id}`);
}

function notEnough(s: LifecycleState, what: string, needBytes: number): void {
  s.events.push(
    finding(
      "NOT_ENOUGH_SPACE",
      "error",
      `${s.params.vmName}.vmx`,
      `${what} needs up to ${formatBytes(needBytes)} of free space but the datastore has ${formatBytes(s.freeBytes)}: a commit in place is impossible.`,
      {
        fix: `Free at least ${formatBytes(needBytes - s.freeBytes)} on the datastore, or power the VM off and cold-migrate it to a datastore with at least ${formatBytes(
          s.usedBytes + needBytes,
        )} free, then delete the snapshots there.`,
        source: `${SOURCES.deleteAllOrder}; ${SOURCES.techTarget}`,
      },
    ),
  );
}

/** Growth of disk `id` when `bytes` of new blocks are merged into it (worst case: no overlap). */
function mergeGrowth(s: LifecycleState, id: number, bytes: number): number {
  if (id === 0) return s.params.baseType === "thin" ? Math.min(bytes, s.params.diskCapacityBytes - s.baseAllocatedBytes) : 0;
  const d = s.deltas.find((x) => x.id === id)!;
  return Math.max(0, Math.min(bytes, capOf(s.params) - d.sizeBytes));
}

function grow(s: LifecycleState, id: number, bytes: number): void {
  if (id === 0) {
    if (s.params.baseType === "thin") s.baseAllocatedBytes += bytes;
  } else s.deltas.find((x) => x.id === id)!.sizeBytes += bytes;
}

function removeDelta(s: LifecycleState, id: number): void {
  s.deltas = s.deltas.filter((d) => d.id !== id);
}

/** Applies one action; returns a new state (the input is not changed). */
export function step(state: LifecycleState, action: LifecycleAction): LifecycleState {
  const a = checkAction(action);
  const s = clone(checkState(state));
  s.step++;
  s.lastAction = a;
  recount(s);
  s.minFreeBytesDuringStep = s.freeBytes;
  const p = s.params;
  const findSnap = (uid: number) => s.snapshots.find((x) => x.uid === uid);
  const unknownUid = (uid: number) =>
    s.events.push(finding("NO_SUCH_SNAPSHOT", "warning", `${p.vmName}.vmsd`, `There is no snapshot with uid ${uid}; nothing changed.`));

  switch (a.type) {
    case "snapshot": {
      const uid = ++s.lastUid;
      const frozen = s.currentDiskId;
      const d = newDelta(s, frozen);
      s.snapshots.push({ uid, name: a.name ?? `Snapshot ${uid}`, diskId: frozen, parentUid: s.currentUid });
      s.currentDiskId = d.id;
      s.currentUid = uid;
      break;
    }
    case "write": {
      const id = s.currentDiskId;
      let want: number;
      if (id === 0) want = mergeGrowth(s, 0, a.bytes);
      else want = mergeGrowth(s, id, Math.ceil(a.bytes / p.growthStepBytes) * p.growthStepBytes);
      if (want > s.freeBytes) {
        const possible = id === 0 ? s.freeBytes : Math.floor(s.freeBytes / p.growthStepBytes) * p.growthStepBytes;
        grow(s, id, Math.max(0, Math.min(possible, want)));
        s.paused = true;
        s.events.push(
          finding(
            "DATASTORE_FULL",
            "error",
            diskName(s, id),
            `The datastore is full: ${diskName(s, id)} needed ${formatBytes(want)} more but only ${formatBytes(s.freeBytes)} was free. ESXi pauses the VM ("There is no more space for virtual disk") until space is freed.`,
            {
              fix: "Free space on the datastore (move another VM or files away) and resume the VM; delete snapshots only once the space their commit needs is free.",
              source: SOURCES.techTarget,
            },
          ),
        );
      } else grow(s, id, want);
      break;
    }
    case "revert": {
      const snap = findSnap(a.uid);
      if (!snap) {
        unknownUid(a.uid);
        break;
      }
      // the running delta is discarded; a new empty delta starts from the snapshot's frozen disk
      if (s.currentDiskId !== 0) removeDelta(s, s.currentDiskId);
      const d = newDelta(s, snap.diskId);
      s.currentDiskId = d.id;
      s.currentUid = snap.uid;
      break;
    }
    case "delete": {
      const snap = findSnap(a.uid);
      if (!snap) {
        unknownUid(a.uid);
        break;
      }
      const D = snap.diskId;
      const kids = s.deltas.filter((d) => d.parentId === D);
      if (kids.length === 1) {
        // the child delta is merged into the frozen disk, then deleted
        const c = kids[0];
        const growth = mergeGrowth(s, D, c.sizeBytes);
        const need = growth + (c.id === s.currentDiskId ? p.helperBytes : 0);
        if (need > s.freeBytes) {
          notEnough(s, `Deleting snapshot uid ${snap.uid} (merging ${c.name} into ${diskName(s, D)})`, need);
          break;
        }
        s.minFreeBytesDuringStep = s.freeBytes - need;
        grow(s, D, growth);
        removeDelta(s, c.id);
        for (const d of s.deltas) if (d.parentId === c.id) d.parentId = D;
        for (const x of s.snapshots) if (x.diskId === c.id) x.diskId = D;
        if (s.currentDiskId === c.id) s.currentDiskId = D;
      } else if (kids.length === 0) {
        if (D !== 0 && D !== s.currentDiskId) removeDelta(s, D);
      } else if (D !== 0) {
        // a branch point: the frozen delta is copied into each child, then deleted
        let need = 0;
        for (const c of kids) need += mergeGrowth(s, c.id, s.deltas.find((x) => x.id === D)!.sizeBytes) + (c.id === s.currentDiskId ? p.helperBytes : 0);
        if (need > s.freeBytes) {
          notEnough(s, `Deleting snapshot uid ${snap.uid} (copying ${diskName(s, D)} into ${kids.length} branches)`, need);
          break;
        }
        s.minFreeBytesDuringStep = s.freeBytes - need;
        const size = s.deltas.find((x) => x.id === D)!.sizeBytes;
        const parentOfD = s.deltas.find((x) => x.id === D)!.parentId;
        for (const c of kids) grow(s, c.id, mergeGrowth(s, c.id, size));
        removeDelta(s, D);
        for (const c of kids) s.deltas.find((x) => x.id === c.id)!.parentId = parentOfD;
      }
      // a base with several branches keeps its children: only the snapshot entry goes
      s.snapshots = s.snapshots.filter((x) => x.uid !== snap.uid);
      for (const x of s.snapshots) if (x.parentUid === snap.uid) x.parentUid = snap.parentUid;
      if (s.currentUid === snap.uid) s.currentUid = snap.parentUid;
      break;
    }
    case "deleteAll": {
      const chain: SimDelta[] = [];
      let id = s.currentDiskId;
      while (id !== 0) {
        const d = s.deltas.find((x) => x.id === id)!;
        chain.push(d);
        id = d.parentId;
      }
      chain.reverse();
      if (chain.length === 0 && s.deltas.length === 0) {
        s.snapshots = [];
        s.currentUid = null;
        break;
      }
      const est = commitSpace({
        capacityBytes: p.diskCapacityBytes,
        baseType: p.baseType,
        baseAllocatedBytes: s.baseAllocatedBytes,
        deltaBytes: chain.map((d) => d.sizeBytes),
        helperBytes: p.helperBytes,
      });
      const e = p.commitOrder === "oldest-first" ? est.oldestFirst : est.newestFirst;
      if (e.extraBytes > s.freeBytes) {
        notEnough(s, `Delete All (${chain.length} delta${chain.length === 1 ? "" : "s"}, ${p.commitOrder})`, e.extraBytes);
        break;
      }
      s.minFreeBytesDuringStep = s.freeBytes - e.extraBytes;
      grow(s, 0, e.baseGrowthBytes);
      s.deltas = [];
      s.snapshots = [];
      s.currentDiskId = 0;
      s.currentUid = null;
      break;
    }
  }
  recount(s);
  if (s.freeBytes > 0 && s.events.every((e) => e.code !== "DATASTORE_FULL")) s.paused = false;
  return s;
}

/** The initial state and the state after each action. */
export function simulate(params: Partial<LifecycleParams> | undefined, actions: readonly LifecycleAction[]): LifecycleState[] {
  if (!Array.isArray(actions)) throw new ModelInputError("actions", actions, "an array of actions");
  let s = initialState(params);
  const out = [s];
  for (const a of actions) {
    s = step(s, a);
    out.push(s);
  }
  return out;
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
