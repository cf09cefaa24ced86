import { describe, expect } from "vitest";
import { test } from "@fast-check/vitest";
import { sioc } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";

// Spec §1: 4.1 = VMFS on FC/iSCSI only; NFS from 5.0; never RDM; never multi-extent.
const table: Record<string, Record<string, boolean>> = {
  "4.1": { fc: true, iscsi: true, nfs: false, rdm: false, "multi-extent": false },
  "5.0": { fc: true, iscsi: true, nfs: true, rdm: false, "multi-extent": false },
  "5.1+": { fc: true, iscsi: true, nfs: true, rdm: false, "multi-extent": false },
};

describe("supportCheck", () => {
  for (const version of sioc.SUPPORT_VERSIONS) {
    for (const storage of sioc.SUPPORT_STORAGE) {
      test(`${version} ${storage} → ${table[version][storage] ? "supported" : "not supported"}`, () => {
        const r = sioc.supportCheck({ version, storage });
        expect(r.supported).toBe(table[version][storage]);
        expect(r.reason.length).toBeGreaterThan(20);
        expect(r.source.length).toBeGreaterThan(10);
      });
    }
  }
  test("reasons and sources say why", () => {
    const nfs41 = sioc.supportCheck({ version: "4.1", storage: "nfs" });
    expect(nfs41.reason).toMatch(/5\.0/);
    expect(nfs41.source).toMatch(/NFS Datastores in VMware vSphere 5\.0/);
    expect(sioc.supportCheck({ version: "5.1+", storage: "rdm" }).reason).toMatch(/Raw Device Mapping/);
    expect(sioc.supportCheck({ version: "5.0", storage: "multi-extent" }).source).toMatch(/vCAT 3\.1/);
    expect(sioc.supportCheck({ version: "4.1", storage: "fc" }).reason).toMatch(/Enterprise Plus/);
  });
  test("invalid input names the field", () => {
    const cases: Array<[string, unknown]> = [
      ["version", { version: "4.0", storage: "fc" }],
      ["version", { storage: "fc" }],
      ["storage", { version: "5.0", storage: "vsan" }],
      ["input", null],
    ];
    for (const [field, input] of cases) expectModelInputError(() => sioc.supportCheck(input as never), field);
  });
});
