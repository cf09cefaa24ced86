import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import {
  commitSpace,
  deltaCapBytes,
  FIVE_SNAPSHOTS_FILL_DATASTORE,
  initialState,
  simulate,
  step,
  type LifecycleAction,
  type LifecycleState,
} from "../../../src/snapshots/index.ts";
import { allFinite } from "./arbitraries.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

const GiB = 2 ** 30;

describe("the five-snapshot scenario", () => {
  const states = simulate(FIVE_SNAPSHOTS_FILL_DATASTORE.params, FIVE_SNAPSHOTS_FILL_DATASTORE.actions);
  test("the fifth delta fills the datastore and pauses the VM", () => {
    const afterFifthWrite = states[10];
    expect(afterFifthWrite.deltas).toHaveLength(5);
    expect(afterFifthWrite.deltas.map((d) => d.sizeBytes / GiB)).toEqual([32, 32, 32, 32, 22]);
    expect(afterFifthWrite.freeBytes).toBe(0);
    expect(afterFifthWrite.paused).toBe(true);
    expect(afterFifthWrite.events.map((e) => e.code)).toEqual(["DATASTORE_FULL"]);
    expect(states.slice(0, 10).every((s) => s.events.length === 0)).toBe(true);
  });
  test("Delete All then cannot run in place, and the fix names a datastore size", () => {
    const last = states[11];
    expect(last.events.map((e) => e.code)).toEqual(["NOT_ENOUGH_SPACE"]);
    expect(last.events[0].message).toContain("impossible");
    expect(last.events[0].fix).toMatch(/cold-migrate it to a datastore with at least \d/);
    expect(last.deltas).toHaveLength(5);
  });
  test("delta names re-use freed numbers, as ESXi does", () => {
    let s = initialState({ vmName: "vm" });
    for (const a of [{ type: "snapshot" }, { type: "snapshot" }, { type: "revert", uid: 1 }] as LifecycleAction[]) s = step(s, a);
    // the running -000002 was discarded by the revert; its number is free again
    expect(s.deltas.map((d) => d.name)).toEqual(["vm-000001.vmdk", "vm-000002.vmdk"]);
  });
});

describe("actions", () => {
  test("delete one snapshot merges its child into the frozen disk", () => {
    const states = simulate({ baseType: "thin", baseAllocatedBytes: 10 * GiB }, [
      { type: "snapshot" },
      { type: "write", bytes: 4 * GiB },
      { type: "snapshot" },
      { type: "write", bytes: 2 * GiB },
      { type: "delete", uid: 1 },
    ]);
    const s = states[5];
    expect(s.baseAllocatedBytes).toBe(14 * GiB);
    expect(s.deltas.map((d) => [d.sizeBytes / GiB, d.parentId])).toEqual([[2, 0]]);
    expect(s.snapshots.map((x) => [x.uid, x.diskId, x.parentUid])).toEqual([[2, 0, null]]);
  });
  test("unknown uids change nothing and say so", () => {
    const s = step(initialState(), { type: "delete", uid: 4 });
    expect(s.events.map((e) => e.code)).toEqual(["NO_SUCH_SNAPSHOT"]);
  });
  test("wrong argument types throw ModelInputError", () => {
    expect(() => step(initialState(), { type: "write", bytes: NaN })).toThrow(ModelInputError);
    expect(() => step(initialState(), { type: "jump" } as never)).toThrow(ModelInputError);
    expect(() => initialState({ datastoreCapacityBytes: GiB })).toThrow(ModelInputError);
    expect(() => step({} as never, { type: "deleteAll" })).toThrow(ModelInputError);
  });
});

const paramsArb = fc.record({
  datastoreCapacityBytes: fc.integer({ min: 100, max: 2000 }).map((g) => g * GiB),
  diskCapacityBytes: fc.integer({ min: 1, max: 100 }).map((g) => g * GiB),
  baseType: fc.constantFrom("thick" as const, "thin" as const),
  allocFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  commitOrder: fc.constantFrom("oldest-first" as const, "newest-first" as const),
});
const actionArb = fc.oneof(
  fc.constant({ type: "snapshot" as const }),
  fc.integer({ min: 0, max: 80 * 1024 }).map((mib) => ({ type: "write" as const, bytes: mib * 2 ** 20 })),
  fc.nat().map((pick) => ({ type: "revert" as const, pick })),
  fc.nat().map((pick) => ({ type: "delete" as const, pick })),
  fc.constant({ type: "deleteAll" as const }),
);

function resolve(s: LifecycleState, a: { type: string; pick?: number; bytes?: number }): LifecycleAction {
  if (a.type === "revert" || a.type === "delete") {
    const uid = s.snapshots.length > 0 ? s.snapshots[a.pick! % s.snapshots.length].uid : 999;
    return { type: a.type, uid };
  }
  return a as LifecycleAction;
}

describe("lifecycle invariants", () => {
  test.prop([paramsArb, fc.array(actionArb, { maxLength: 40 })], { numRuns: 1000 })(
    "free space is never negative, space is conserved, and a shortfall always comes with a finding",
    (p, actions) => {
      const params = { ...p, otherUsedBytes: 0, baseAllocatedBytes: Math.floor(p.allocFraction * p.diskCapacityBytes) };
      let s = initialState(params);
      for (const raw of actions) {
        const a = resolve(s, raw);
        const before = s;
        s = step(before, a);
        expect(allFinite(s)).toBe(true);
        expect(s.freeBytes).toBeGreaterThanOrEqual(0);
        expect(s.minFreeBytesDuringStep).toBeGreaterThanOrEqual(0);
        expect(s.freeBytes + s.usedBytes + s.params.otherUsedBytes).toBe(s.params.datastoreCapacityBytes);
        for (const d of s.deltas) expect(d.sizeBytes).toBeLessThanOrEqual(deltaCapBytes(s.params));
        // the tree stays consistent: every snapshot froze an existing disk, the VM writes to a leaf
        const ids = new Set([0, ...s.deltas.map((d) => d.id)]);
        for (const x of s.snapshots) expect(ids.has(x.diskId)).toBe(true);
        for (const d of s.deltas) expect(ids.has(d.parentId)).toBe(true);
        expect(ids.has(s.currentDiskId)).toBe(true);
        expect(s.deltas.some((d) => d.parentId === s.currentDiskId && s.currentDiskId !== 0)).toBe(false);
        if (a.type === "write") {
          const wanted = before.currentDiskId === 0 ? 0 : Math.min(Math.ceil(a.bytes / before.params.growthStepBytes) * before.params.growthStepBytes, deltaCapBytes(before.params) - before.deltas.find((d) => d.id === before.currentDiskId)!.sizeBytes);
          if (before.currentDiskId !== 0 && wanted > before.freeBytes) expect(s.events.map((e) => e.code)).toContain("DATASTORE_FULL");
        }
        if (a.type === "deleteAll" && before.deltas.length > 0) {
          const chain: number[] = [];
          for (let id = before.currentDiskId; id !== 0; ) {
            const d = before.deltas.find((x) => x.id === id)!;
            chain.unshift(d.sizeBytes);
            id = d.parentId;
          }
          const est = commitSpace({
            capacityBytes: before.params.diskCapacityBytes,
            baseType: before.params.baseType,
            baseAllocatedBytes: before.baseAllocatedBytes,
            deltaBytes: chain,
            helperBytes: before.params.helperBytes,
          });
          const e = before.params.commitOrder === "oldest-first" ? est.oldestFirst : est.newestFirst;
          if (e.extraBytes > before.freeBytes) {
            expect(s.events.map((x) => x.code)).toEqual(["NOT_ENOUGH_SPACE"]);
            expect(s.deltas).toEqual(before.deltas);
          } else {
            // Delete All frees every delta, less what the thin base grows (spec section 6)
            const all = before.deltas.reduce((t, d) => t + d.sizeBytes, 0);
            expect(s.freeBytes - before.freeBytes).toBe(all - e.baseGrowthBytes);
            expect(s.minFreeBytesDuringStep).toBe(before.freeBytes - e.extraBytes);
            expect(s.deltas).toEqual([]);
            expect(s.snapshots).toEqual([]);
          }
        }
      }
    },
  );
});
