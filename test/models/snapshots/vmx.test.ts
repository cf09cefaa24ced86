import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { parseVmx } from "../../../src/snapshots/index.ts";
import { sampleById } from "../../../notebooks/snapshots/samples/index.ts";
import { allFinite } from "./arbitraries.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

const vmxOf = (id: string) => sampleById(id)!.files.find((f) => f.name.endsWith(".vmx"))!;

describe("parseVmx", () => {
  test("disks, modes and CD-ROMs skipped (sample 05)", () => {
    const { vmx, findings } = parseVmx(vmxOf("05-independent-persistent"));
    expect(findings).toEqual([]);
    expect(vmx.displayName).toBe("exch01");
    expect(vmx.disks.map((d) => [d.key, d.fileName, d.mode, d.independent])).toEqual([
      ["scsi0:0", "exch01-000002.vmdk", "persistent", false],
      ["scsi0:1", "exch01_1.vmdk", "independent-persistent", true],
    ]);
  });
  test("unquoted values are read with a warning; unknown modes are warned about", () => {
    const text = 'displayName = "x"\nscsi0:0.present = "TRUE"\nscsi0:0.fileName = vm.vmdk\nscsi0:0.mode = "sometimes"\nsata1:3.fileName = "b.vmdk"\nnvme0:0.fileName = "c.vmdk"\nnvme0:0.present = "FALSE"\n';
    const { vmx, findings } = parseVmx({ name: "vm.vmx", text });
    expect(findings.map((f) => f.code)).toEqual(["UNQUOTED_VALUE", "UNKNOWN_DISK_MODE"]);
    expect(findings[0].message).toBe(`vm.vmx line 3: expected key = "value"; found 'scsi0:0.fileName = vm.vmdk' (value not quoted). Read anyway.`);
    expect(vmx.disks.map((d) => [d.key, d.fileName, d.mode])).toEqual([
      ["scsi0:0", "vm.vmdk", "persistent"],
      ["sata1:3", "b.vmdk", "persistent"],
    ]);
  });
  test("keys are case-insensitive, duplicates keep the last with a warning, workingDir raises an info", () => {
    const text = 'SCSI0:0.FILENAME = "a.vmdk"\nscsi0:0.fileName = "b.vmdk"\nscsi0:0.mode = "independent_nonpersistent"\nworkingDir = "/vmfs/volumes/ssd/vm"\n';
    const { vmx, findings } = parseVmx({ name: "vm.vmx", text });
    expect(findings.map((f) => f.code)).toEqual(["DUPLICATE_KEY", "DELTAS_ELSEWHERE"]);
    expect(vmx.disks[0]).toMatchObject({ fileName: "b.vmdk", mode: "independent-nonpersistent", independent: true });
  });
  test("wrong argument types throw", () => {
    expect(() => parseVmx({ name: 1, text: "" } as never)).toThrow(ModelInputError);
  });
  test.prop([fc.string({ unit: "binary", maxLength: 3000 })], { numRuns: 1000 })("never throws on content", (text) => {
    expect(allFinite(parseVmx({ name: "x.vmx", text }))).toBe(true);
  });
});
