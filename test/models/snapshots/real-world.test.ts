// One test per defect that real folders showed (issue 15): each builds the smallest folder that shows it.
import { describe, expect, test } from "vitest";
import { analyze, type Analysis } from "../../../src/snapshots/index.ts";

const GiB = 2 ** 30;

/** A descriptor: base when `parent` is null, else a vmfsSparse delta naming `parent` with parentCID `parentCid`. */
function descriptor(cid: string, parent: { name: string; cid: string } | null, extent = `RW 20971520 ${parent ? "VMFSSPARSE" : "VMFS"} "data.vmdk"`): string {
  return [
    "# Disk DescriptorFile",
    "version=1",
    `CID=${cid}`,
    `parentCID=${parent ? parent.cid : "ffffffff"}`,
    `createType="${parent ? "vmfsSparse" : "vmfs"}"`,
    parent ? `parentFileNameHint="${parent.name}"` : "",
    "",
    "# Extent description",
    extent,
  ].join("\n");
}

const codes = (a: Analysis, severity: string) => a.findings.filter((f) => f.severity === severity).map((f) => f.code);

describe("a chain that loops", () => {
  // vm-000003 (the leaf) -> vm-000002 -> vm-000001 -> vm-000002: the base vm.vmdk is cut off
  const files = [
    { name: "vm.vmx", text: 'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "vm-000003.vmdk"\n' },
    { name: "vm.vmsd", text: '.encoding = "UTF-8"\nsnapshot.lastUID = "0"\nsnapshot.numSnapshots = "0"\n' },
    { name: "vm.vmdk", text: descriptor("aaaaaaaa", null) },
    { name: "vm-000001.vmdk", text: descriptor("bbbbbbbb", { name: "vm-000002.vmdk", cid: "cccccccc" }) },
    { name: "vm-000002.vmdk", text: descriptor("cccccccc", { name: "vm-000001.vmdk", cid: "bbbbbbbb" }) },
    { name: "vm-000003.vmdk", text: descriptor("dddddddd", { name: "vm-000002.vmdk", cid: "cccccccc" }) },
  ];

  test("the base no chain reaches is reported as an orphan", () => {
    const a = analyze(files);
    const orphan = a.findings.find((f) => f.file === "vm.vmdk");
    expect(orphan?.code).toBe("ORPHAN_DELTA");
    expect(orphan?.message).toContain("base disk");
    // an orphaned base is not something Consolidate merges: it is not among the reasons to consolidate
    expect(a.findings.find((f) => f.code === "NEEDS_CONSOLIDATION")?.message).not.toContain("vm.vmdk");
  });

  test("without a .vmsd the cut-off base is still named (as not on any chain)", () => {
    const a = analyze(files.filter((f) => f.name !== "vm.vmsd"));
    expect(a.findings.find((f) => f.file === "vm.vmdk")?.code).toBe("DELTA_NOT_IN_CURRENT_CHAIN");
  });

  test("no commit-space figure, nothing added to the VM total, no space warning", () => {
    const a = analyze(files, { datastoreFreeBytes: 1, sizes: { "vm-000001.vmdk": GiB, "vm-000002.vmdk": GiB, "vm-000003.vmdk": GiB } });
    expect(a.disks[0].end).toBe("loop");
    expect(a.disks[0].commitSpace).toBeNull();
    expect(a.disks[0].notes.join(" ")).toContain("loops");
    expect(a.total.oldestFirstExtraBytes).toBe(0);
    expect(a.total.newestFirstExtraBytes).toBe(0);
    expect(codes(a, "error")).not.toContain("NOT_ENOUGH_SPACE");
  });

  test("the loop is the walk from the running leaf until it repeats", () => {
    const a = analyze(files);
    const loops = a.findings.filter((f) => f.code === "CHAIN_LOOP");
    expect(loops).toHaveLength(1);
    expect(loops[0].message).toContain("vm-000003.vmdk -> vm-000002.vmdk -> vm-000001.vmdk -> vm-000002.vmdk");
    // named at the descriptor whose parentFileNameHint closes the loop
    expect(loops[0].file).toBe("vm-000001.vmdk");
    expect(loops[0].disk).toBe("scsi0:0");
  });

  test("a loop no disk runs into starts at its alphabetically first descriptor", () => {
    const a = analyze(files.filter((f) => f.name !== "vm.vmx" && f.name !== "vm-000003.vmdk"));
    const loop = a.findings.find((f) => f.code === "CHAIN_LOOP");
    expect(loop?.message).toContain("(vm-000001.vmdk -> vm-000002.vmdk -> vm-000001.vmdk)");
  });
});

test(".vmsd naming a parent outside the folder is not 'a snapshot the disks do not have'", () => {
  const outside = "/vmfs/volumes/501d996c-86c66169-eea2-005056b007c1/sql/sql.vmdk";
  const a = analyze([
    { name: "sql.vmx", text: 'scsi0:0.present = "TRUE"\nscsi0:0.fileName = "sql-000001.vmdk"\n' },
    { name: "sql-000001.vmdk", text: descriptor("bbbbbbbb", { name: outside, cid: "aaaaaaaa" }) },
    {
      name: "sql.vmsd",
      text: [
        'snapshot.lastUID = "1"',
        'snapshot.current = "1"',
        'snapshot.numSnapshots = "1"',
        'snapshot0.uid = "1"',
        'snapshot0.displayName = "before patch"',
        'snapshot0.numDisks = "1"',
        'snapshot0.disk0.fileName = "sql.vmdk"',
        'snapshot0.disk0.node = "scsi0:0"',
      ].join("\n"),
    },
  ]);
  expect(codes(a, "warning")).toContain("PARENT_OUTSIDE_FOLDER");
  expect(a.findings.filter((f) => f.code === "VMSD_DISK_NOT_IN_CHAIN")).toEqual([]);
});

test("a line over the limit gets the long-line notice only, not 'no closing quote'", () => {
  const vmx = ['scsi0:0.fileName = "vm.vmdk"', `guestinfo.appInfo = "${"x".repeat(5500)}"`, 'displayName = "web"'].join("\n");
  const a = analyze([{ name: "vm.vmx", text: vmx }]);
  const onLine2 = a.findings.filter((f) => f.line === 2).map((f) => f.code);
  expect(onLine2).toEqual(["LINE_TOO_LONG"]);
  expect(a.vm.displayName).toBe("web");
});

describe("an offset on a non-FLAT extent", () => {
  const offsetWarnings = (extent: string) =>
    analyze([{ name: "t.vmdk", text: descriptor("58ab4847", null, extent) }]).findings.filter((f) => f.code === "BAD_EXTENT" && f.severity === "warning");

  test("VMFS with offset 1 and SPARSE with any offset warn, as qemu refuses them", () => {
    expect(offsetWarnings('RW 12582912 VMFS "dummy.vmdk" 1')).toHaveLength(1);
    expect(offsetWarnings('RW 12582912 SPARSE "dummy.vmdk" 0')).toHaveLength(1);
  });

  test("FLAT with an offset and VMFS at offset 0 (spec section 1) do not", () => {
    expect(offsetWarnings('RW 12582912 FLAT "dummy.vmdk" 2048')).toEqual([]);
    expect(offsetWarnings('RW 12582912 VMFS "dummy.vmdk" 0')).toEqual([]);
    expect(offsetWarnings('RW 12582912 VMFS "dummy.vmdk"')).toEqual([]);
  });
});

test("a disk inferred without a .vmx is not said to run on a delta", () => {
  const a = analyze([
    { name: "vm.vmsd", text: "" },
    { name: "vm.vmdk", text: descriptor("aaaaaaaa", null) },
    { name: "vm-000001.vmdk", text: descriptor("bbbbbbbb", { name: "vm.vmdk", cid: "aaaaaaaa" }) },
  ]);
  expect(a.disks.map((d) => d.inferred)).toEqual([true]);
  const text = a.findings.map((f) => f.message).join(" ");
  expect(text).not.toMatch(/runs? on a delta/);
  // the spec's NEEDS_CONSOLIDATION rule (deltas exist, .vmsd lists 0 snapshots) still holds, worded for what is known
  const consolidate = a.findings.find((f) => f.code === "NEEDS_CONSOLIDATION");
  expect(consolidate?.message).toContain("vm-000001.vmdk is a delta but vm.vmsd lists 0 snapshots");
  expect(consolidate?.message).toContain("which file the VM runs on is not known");
});

test("an extent line over the limit that lost its closing quote to the cut gets only the long-line notice", () => {
  const text = ["# Disk DescriptorFile", "CID=aaaaaaaa", "parentCID=ffffffff", 'createType="vmfs"', `RW 8 VMFS "${"x".repeat(5000)}.vmdk"`, 'RW 8 VMFS "vm-flat.vmdk"'].join("\n");
  const a = analyze([{ name: "vm.vmdk", text }]);
  expect(a.findings.filter((f) => f.line === 5).map((f) => f.code)).toEqual(["LINE_TOO_LONG"]);
});
