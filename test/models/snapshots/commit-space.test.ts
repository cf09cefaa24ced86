import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { commitSpace, sparseOverheadBytes, DELTA_GROWTH_STEP_BYTES, analyze, serializeFolder } from "../../../src/snapshots/index.ts";
import { folderArb } from "./arbitraries.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

const GiB = 2 ** 30;

const chainArb = fc
  .record({
    capacity: fc.integer({ min: 1, max: 2 ** 42 }),
    allocFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    fractions: fc.array(fc.double({ min: 0, max: 1.02, noNaN: true }), { minLength: 1, maxLength: 12 }),
    helper: fc.integer({ min: 0, max: 2 ** 26 }),
    baseType: fc.constantFrom("thick" as const, "thin" as const, "rdm" as const),
  })
  .map((r) => ({
    capacityBytes: r.capacity,
    baseType: r.baseType,
    baseAllocatedBytes: Math.floor(r.capacity * r.allocFraction),
    deltaBytes: r.fractions.map((f) => Math.floor(f * r.capacity)),
    helperBytes: r.helper,
  }));

describe("commitSpace: the sources' own examples", () => {
  test("Yellow Bricks: base 15 GB, deltas 1, 1, 1, 10 GB peak at 61 GB from 28 GB in the old order [7]", () => {
    const e = commitSpace({ capacityBytes: 15 * GiB, baseType: "thick", deltaBytes: [1, 1, 1, 10].map((x) => x * GiB), helperBytes: 0 });
    expect(e.footprintBytes).toBe(28 * GiB);
    expect(e.newestFirst.extraBytes).toBe(33 * GiB);
    expect(e.newestFirst.peakBytes).toBe(61 * GiB);
    // the new order merges into the thick base: no extra space [8]
    expect(e.oldestFirst.extraBytes).toBe(0);
  });
  test("a single snapshot on a thick base needs only the helper delta [8]", () => {
    const e = commitSpace({ capacityBytes: 40 * GiB, baseType: "thick", deltaBytes: [5 * GiB] });
    expect(e.oldestFirst.extraBytes).toBe(DELTA_GROWTH_STEP_BYTES);
    expect(e.newestFirst.extraBytes).toBe(DELTA_GROWTH_STEP_BYTES);
  });
  test("no deltas, nothing to commit", () => {
    const e = commitSpace({ capacityBytes: 40 * GiB, baseType: "thin", deltaBytes: [] });
    expect([e.oldestFirst.extraBytes, e.newestFirst.extraBytes, e.helperBytes]).toEqual([0, 0, 0]);
  });
  test("grain-table overhead: one 4-byte entry per 512-byte grain", () => {
    expect(sparseOverheadBytes(40 * GiB)).toBe((40 * GiB) / 128);
  });
  test("wrong argument types throw ModelInputError", () => {
    expect(() => commitSpace({ capacityBytes: NaN, baseType: "thick", deltaBytes: [] })).toThrow(ModelInputError);
    expect(() => commitSpace({ capacityBytes: 1, baseType: "thicc" as never, deltaBytes: [] })).toThrow(ModelInputError);
    expect(() => commitSpace({ capacityBytes: 1, baseType: "thin", deltaBytes: [-1] })).toThrow(ModelInputError);
  });
});

describe("commitSpace: the bounds of spec section 9.5-9.8", () => {
  test.prop([chainArb], { numRuns: 1000 })("new order: thick and RDM need the helper only; thin is bounded by the room left in the base", (c) => {
    const e = commitSpace(c);
    const sum = c.deltaBytes.reduce((a, b) => a + b, 0);
    const max = Math.max(...c.deltaBytes);
    const x = e.oldestFirst.extraBytes;
    if (c.baseType !== "thin") expect(x).toBe(c.helperBytes);
    else {
      const room = c.capacityBytes - c.baseAllocatedBytes;
      expect(x).toBeGreaterThanOrEqual(c.helperBytes);
      expect(x).toBeLessThanOrEqual(c.helperBytes + Math.min(sum, room));
      if (room >= max) expect(x).toBeGreaterThanOrEqual(max);
    }
    expect(e.oldestFirst.deleteAsYouGoExtraBytes).toBeLessThanOrEqual(x);
  });
  test.prop([chainArb], { numRuns: 1000 })("old order >= new order, equal for one delta", (c) => {
    const e = commitSpace(c);
    expect(e.newestFirst.extraBytes).toBeGreaterThanOrEqual(e.oldestFirst.extraBytes);
    if (c.deltaBytes.length === 1) expect(e.newestFirst.extraBytes).toBe(e.oldestFirst.extraBytes);
  });
  test.prop([chainArb], { numRuns: 1000 })("peak >= largest delta; new-order peak <= sum of deltas + capacity + helper", (c) => {
    const e = commitSpace(c);
    const sum = c.deltaBytes.reduce((a, b) => a + b, 0);
    for (const o of [e.oldestFirst, e.newestFirst]) expect(o.peakBytes).toBeGreaterThanOrEqual(Math.max(...c.deltaBytes));
    expect(e.oldestFirst.peakBytes).toBeLessThanOrEqual(sum + c.capacityBytes + c.helperBytes);
    for (const v of [e.oldestFirst.extraBytes, e.newestFirst.extraBytes, e.oldestFirst.peakBytes, e.newestFirst.peakBytes]) expect(Number.isFinite(v)).toBe(true);
  });
  test.prop([chainArb, fc.nat(), fc.integer({ min: 1, max: 2 ** 36 })], { numRuns: 1000 })(
    "growing any delta never lowers the new-order extra, nor either order's peak",
    (c, pick, more) => {
      const before = commitSpace(c);
      const k = pick % c.deltaBytes.length;
      const grown = { ...c, deltaBytes: c.deltaBytes.map((d, i) => (i === k ? d + more : d)) };
      const after = commitSpace(grown);
      expect(after.oldestFirst.extraBytes).toBeGreaterThanOrEqual(before.oldestFirst.extraBytes);
      expect(after.oldestFirst.peakBytes).toBeGreaterThanOrEqual(before.oldestFirst.peakBytes);
      expect(after.newestFirst.peakBytes).toBeGreaterThanOrEqual(before.newestFirst.peakBytes);
    },
  );
  test.prop([folderArb({ maxDisks: 2 })], { numRuns: 1000 })("adding an independent disk never changes the VM's estimate", (g) => {
    const before = (() => {
      const { files, listing } = serializeFolder(g.spec);
      return analyze(files, { listing }).total;
    })();
    const spec = {
      ...g.spec,
      disks: [
        ...g.spec.disks,
        {
          key: "scsi2:0",
          mode: "independent-persistent" as const,
          capacitySectors: 2 ** 30,
          leaf: "extra.vmdk",
          nodes: [{ name: "extra.vmdk", cid: "0badf00d", parent: null, createType: "vmfs", extentType: "VMFS", dataFile: "extra-flat.vmdk" }],
        },
      ],
    };
    const { files, listing } = serializeFolder(spec);
    const after = analyze(files, { listing }).total;
    expect(after.oldestFirstExtraBytes).toBe(before.oldestFirstExtraBytes);
    expect(after.newestFirstExtraBytes).toBe(before.newestFirstExtraBytes);
  });
});
