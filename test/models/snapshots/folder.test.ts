import { describe, expect, test } from "vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { classifyFiles, fileKind, readDecision } from "../../../src/snapshots/index.ts";

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
