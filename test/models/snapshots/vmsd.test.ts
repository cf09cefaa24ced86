import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { parseVmsd, vmsdCreateTimeMs } from "../../../src/snapshots/index.ts";
import { sampleById } from "../../../notebooks/snapshots/samples/index.ts";
import { allFinite } from "./arbitraries.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

const vmsdOf = (id: string) => sampleById(id)!.files.find((f) => f.name.endsWith(".vmsd"))!;

describe("parseVmsd", () => {
  test("the snapshot tree of sample 02 (uid 3 taken after a revert to uid 1)", () => {
    const { vmsd, findings } = parseVmsd(vmsdOf("02-branched-tree"));
    expect(findings).toEqual([]);
    expect(vmsd.currentUid).toBe(3);
    expect(vmsd.lastUid).toBe(3);
    expect(vmsd.snapshots.map((s) => [s.uid, s.parentUid, s.displayName, s.disks.map((d) => [d.fileName, d.node])])).toEqual([
      [1, null, "Clean install", [["web01.vmdk", "scsi0:0"]]],
      [2, 1, "Tried nginx 1.1 (failed)", [["web01-000001.vmdk", "scsi0:0"]]],
      [3, 1, "Apache 2.2 configured", [["web01-000003.vmdk", "scsi0:0"]]],
    ]);
  });
  test("creation time: high * 2^32 + (low mod 2^32) microseconds [17]", () => {
    // the spec's arithmetic check: high 336295 / low 1080846290 -> 2015-10-09 07:51:47.65 UTC
    expect(Math.abs(vmsdCreateTimeMs(336295, 1080846290) - Date.parse("2015-10-09T07:51:47.65Z"))).toBeLessThan(5);
    const { vmsd } = parseVmsd(vmsdOf("01-healthy-3snap-2disks"));
    // a negative createTimeLow is the upper half of the unsigned 32-bit range
    expect(vmsd.snapshots[2].createdUnixMs).toBe(vmsdCreateTimeMs(310345, -720444416));
    expect(vmsdCreateTimeMs(310345, -720444416)).toBeGreaterThan(vmsdCreateTimeMs(310345, 2 ** 31 - 1));
    expect(new Date(vmsd.snapshots[0].createdUnixMs!).getUTCFullYear()).toBe(2012);
  });
  test("an empty file is a VM without snapshots", () => {
    expect(parseVmsd({ name: "dc01.vmsd", text: "" })).toEqual({
      vmsd: { file: "dc01.vmsd", lastUid: null, currentUid: null, numSnapshots: null, needConsolidate: false, snapshots: [] },
      findings: [],
    });
  });
  test("inconsistent dictionaries give the spec's sentences", () => {
    const text = [
      'snapshot.numSnapshots = "3"',
      'snapshot.current = "9"',
      'snapshot.needConsolidate = "TRUE"',
      'snapshot0.uid = "1"',
      'snapshot0.numDisks = "2"',
      'snapshot0.disk0.fileName = "a.vmdk"',
      'snapshot2.uid = "2"',
      'snapshot2.parent = "7"',
      'snapshot3.uid = "5"',
      'snapshot3.parent = "6"',
      'snapshot4.uid = "6"',
      'snapshot4.parent = "5"',
    ].join("\n");
    const { vmsd, findings } = parseVmsd({ name: "vm.vmsd", text });
    expect(vmsd.needConsolidate).toBe(true);
    expect(findings.map((f) => f.message)).toEqual([
      'vm.vmsd line 5: snapshot0.numDisks = "2" but 1 disk is listed for snapshot uid 1.',
      'vm.vmsd line 7: snapshot2.parent = "7" but no snapshot has uid 7.',
      "vm.vmsd line 9: the snapshot parents form a loop (uids 5 -> 6 -> 5).",
      'vm.vmsd line 1: snapshot.numSnapshots = "3" but 4 snapshots are defined.',
      'vm.vmsd line 2: snapshot.current = "9" but no snapshot has that uid.',
    ]);
  });
  test("keys are read in any ASCII case, and a key set twice in another case is a duplicate", () => {
    const text = [
      'SNAPSHOT.CURRENT = "1"',
      'Snapshot0.UID = "1"',
      'snapshot0.DisplayName = "Before patch"',
      'SNAPSHOT0.DISK0.FILENAME = "vm.vmdk"',
      'snapshot0.Disk0.Node = "SCSI0:0"',
      'snapshot0.disk0.fileName = "vm-000001.vmdk"',
      'snapshot0.disk1.NODE = "scsi0:1"',
    ].join("\n");
    const { vmsd, findings } = parseVmsd({ name: "vm.vmsd", text });
    expect(vmsd.currentUid).toBe(1);
    expect(vmsd.snapshots.map((s) => [s.uid, s.displayName, s.disks.map((d) => [d.index, d.fileName, d.node])])).toEqual([
      [1, "Before patch", [[0, "vm-000001.vmdk", "scsi0:0"]]],
    ]);
    expect(findings.map((f) => f.message)).toEqual(["vm.vmsd line 6: snapshot0.disk0.fileName is set again (first on line 4); the last value is used."]);
  });
  test.prop([fc.string({ unit: "binary", maxLength: 3000 })], { numRuns: 1000 })("never throws on content", (text) => {
    expect(allFinite(parseVmsd({ name: "x.vmsd", text }))).toBe(true);
  });
  test.prop([fc.array(fc.tuple(fc.nat({ max: 40 }), fc.integer({ min: -3, max: 50 }), fc.nat({ max: 3 })), { maxLength: 60 })], { numRuns: 1000 })(
    "never throws on random snapshot dictionaries (loops, dangling parents)",
    (rows) => {
      const text = rows.map(([slot, v, k]) => `snapshot${slot}.${["uid", "parent", "numDisks", "disk0.fileName"][k]} = "${v}"`).join("\n");
      const r = parseVmsd({ name: "x.vmsd", text });
      expect(allFinite(r)).toBe(true);
    },
  );
});
