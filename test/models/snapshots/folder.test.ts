import { describe, expect, test } from "vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { analyze, classifyFiles, fileKind, readDecision } from "../../../src/snapshots/index.ts";

describe("fileKind and readDecision", () => {
  test("names decide the kind", () => {
    expect(["vm.vmx", "vm.vmsd", "vm.vmdk", "vm-000001.vmdk", "vm-flat.vmdk", "vm-000001-delta.vmdk", "vm-000001-sesparse.vmdk", "vm-rdmp.vmdk", "vm-ctk.vmdk", "vm-s001.vmdk", "listing.txt", "vm-Snapshot1.vmsn", "vmware.log"].map(fileKind)).toEqual([
      "vmx",
      "vmsd",
      "descriptor",
      "descriptor",
      "data",
      "data",
      "data",
      "data",
      "data",
      "data",
      "listing",
      "binary",
      "other",
    ]);
    expect(fileKind("/vmfs/volumes/ds1/vm/VM.VMX")).toBe("vmx");
  });
  test("data files, binaries and huge descriptors are named, never read", () => {
    expect(readDecision("vm-flat.vmdk", 42949672960)).toEqual({ read: false, kind: "data", reason: "vm-flat.vmdk is a data file (40 GiB); only its name and size are used." });
    expect(readDecision("vm.vmdk", 2.1 * 2 ** 30).reason).toBe(
      "vm.vmdk: file too large (2.10 GiB) - descriptors are under 64 KiB; skipped. It is probably a data file or a monolithic sparse disk.",
    );
    expect(readDecision("vm.vmdk", 500).read).toBe(true);
    expect(() => readDecision("vm.vmdk", -1)).toThrow(ModelInputError);
  });
});

describe("classifyFiles", () => {
  test("sorts a folder drop and refuses what it must not read, by name", () => {
    const c = classifyFiles([
      { name: "vm/vm.vmx", text: "" },
      { name: "vm/vm.vmdk", text: "# Disk DescriptorFile\n" },
      { name: "vm/vm-flat.vmdk", size: 1e10 },
      { name: "vm/big.vmdk", size: 3e9 },
      { name: "vm/nul.vmdk", text: "# Disk\u0000", size: 8 },
      { name: "vm/vm.vmsn", size: 1e6 },
      { name: "vm/vm.vmdk", text: "# Disk DescriptorFile\nCID=1" },
    ]);
    expect(c.vmx.map((f) => f.name)).toEqual(["vm.vmx"]);
    expect(c.descriptors).toEqual([{ name: "vm.vmdk", text: "# Disk DescriptorFile\nCID=1" }]);
    expect(c.dataFiles).toEqual([{ name: "vm-flat.vmdk", sizeBytes: 1e10 }]);
    expect(c.notRead.map((f) => f.name)).toEqual(["big.vmdk", "nul.vmdk", "vm.vmsn"]);
    expect(c.findings.map((f) => [f.code, f.file, f.severity])).toEqual([
      ["DUPLICATE_FILE", "vm.vmdk", "warning"],
      ["FILE_TOO_LARGE", "big.vmdk", "warning"],
      ["BINARY_FILE", "nul.vmdk", "warning"],
      ["DATA_FILE_NOT_READ", "vm-flat.vmdk", "info"],
      ["BINARY_NOT_READ", "vm.vmsn", "info"],
    ]);
    expect(c.findings[3].message).toBe("vm-flat.vmdk is a data file (9.31 GiB): it was not read; only its name and size are used.");
    expect(c.findings[0].message).toBe("two files named vm.vmdk dropped; using the last one.");
  });
  test("wrong argument types throw", () => {
    expect(() => classifyFiles("x" as never)).toThrow(ModelInputError);
    expect(() => classifyFiles([{ name: "a", size: NaN }])).toThrow(ModelInputError);
  });
});

describe("redo logs of non-persistent disks (corpus case vh-redo-log-android)", () => {
  // ESX's redo log of a non-persistent disk, as published (virtuallyhyper, 2012): its descriptor names
  // the disk as parent, but no snapshot chain or .vmsd entry ever names it
  const redo = "# Disk DescriptorFile\nversion=1\nCID=9ab16ab9\nparentCID=c3d4fd75\ncreateType=\"vmfsSparse\"\nparentFileNameHint=\"android.vmdk\"\nRW 41943040 VMFSSPARSE \"android.vmdk-delta.REDO_TkLU1V\"\n";

  test("readDecision names them by their name and does not read them", () => {
    for (const name of ["android.vmdk.REDO_TkLU1V", "android.vmdk-delta.REDO_TkLU1V", "/vmfs/volumes/ds1/android/Android.VMDK.redo_x1"]) {
      const decision = readDecision(name, 512);
      expect(decision.read).toBe(false);
      expect(decision.reason).toMatch(/is the redo log of the non-persistent disk (android|Android)\.(vmdk|VMDK): /);
    }
    // a snapshot delta, and a name that only contains the word, are not redo logs
    expect(readDecision("android-000001.vmdk", 512).read).toBe(true);
    expect(readDecision("notes.REDO_x", 512).reason).toBe("notes.REDO_x is not a file the snapshot model uses.");
  });

  test("analyze gives one info per redo log file, no chain, and nothing else about it", () => {
    const a = analyze([
      { name: "android.vmdk.REDO_TkLU1V", text: redo },
      { name: "android.vmdk-delta.REDO_TkLU1V", size: 3 * 2 ** 20 },
    ]);
    expect(a.findings.map((f) => [f.code, f.severity, f.file])).toEqual([
      ["REDO_LOG", "info", "android.vmdk-delta.REDO_TkLU1V"],
      ["REDO_LOG", "info", "android.vmdk.REDO_TkLU1V"],
    ]);
    expect(a.findings[1].message).toContain("the VM ran, or is running, with changes that are discarded at power-off");
    expect(a.disks).toEqual([]);
    expect(a.unattached).toEqual([]);
    expect(a.files.read).toEqual([]);
    expect(a.files.notRead.map((f) => f.name)).toEqual(["android.vmdk-delta.REDO_TkLU1V", "android.vmdk.REDO_TkLU1V"]);
  });
});
