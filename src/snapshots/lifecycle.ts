/**
 * Snapshot lifecycle of one disk as explicit state and `step(state, action) -> state`: take a
 * snapshot, write, revert, delete one, delete all; tracks each delta's growth and the free space.
 * Source: spec sections 4-6 (a snapshot freezes the current file and starts a delta [4]; deltas grow
 * in steps, 16 MiB as commonly cited [12], up to the capacity plus grain tables [5][6]; Delete All
 * merges oldest-first since ESX/ESXi 4.0 U2 [7][15]; a thin base grows by what is merged into it [8]).
 * Simplifications: writes hit blocks no earlier delta holds (worst case); new deltas start empty;
 * memory files are ignored; a full datastore pauses the VM. The five-snapshot figures are illustrative.
 */
import { ModelInputError } from "../shared/index.ts";
import { finding, formatBytes, SOURCES } from "./findings.ts";
import { commitSpace, sparseOverheadBytes } from "./commit-space.ts";
import {
  checkAction,
  checkLifecycleParams,
  checkState,
  DEFAULT_LIFECYCLE_PARAMS,
  type LifecycleAction,
  type LifecycleParams,
  type LifecycleState,
  type SimDelta,
} from "./lifecycle-input.ts";

export {
  checkLifecycleParams,
  DEFAULT_LIFECYCLE_PARAMS,
  FIVE_SNAPSHOTS_FILL_DATASTORE,
  LIFECYCLE_SCENARIOS,
  type LifecycleAction,
  type LifecycleParams,
  type LifecycleScenario,
  type LifecycleState,
  type SimDelta,
  type SimSnapshot,
} from "./lifecycle-input.ts";

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

