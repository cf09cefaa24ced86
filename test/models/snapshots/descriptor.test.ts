import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { parseDescriptor, serializeDescriptor, ddbValue } from "../../../src/snapshots/index.ts";
import { samples } from "../../../notebooks/snapshots/samples/index.ts";
import { allFinite } from "./arbitraries.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

const base = samples[0].files.find((f) => f.name === "app01_1.vmdk")!;
const delta = samples[0].files.find((f) => f.name === "app01-000001.vmdk")!;
const parse = (text: string, name = "vm.vmdk") => parseDescriptor({ name, text });

describe("parseDescriptor: the fields of spec section 1", () => {
  test("a thin base", () => {
    const { descriptor: d, findings } = parseDescriptor(base);
    expect(findings).toEqual([]);
    expect(d).toMatchObject({
      version: 1,
      encoding: "UTF-8",
      cid: "65ac0f9e",
      parentCid: "ffffffff",
      createType: "vmfs",
      parentFileNameHint: null,
      kind: "base",
      baseType: "thin",
      capacityBytes: 209715200 * 512,
    });
    expect(d!.extents).toEqual([{ access: "RW", sectors: 209715200, type: "VMFS", file: "app01_1-flat.vmdk", offset: null, line: 10 }]);
    expect(ddbValue(d!, "thinProvisioned")).toBe("1");
    expect(ddbValue(d!, "ADAPTERTYPE")).toBe("lsilogic");
  });
  test("a vmfsSparse delta", () => {
    const { descriptor: d, findings } = parseDescriptor(delta);
    expect(findings).toEqual([]);
    expect(d).toMatchObject({ cid: "96da72fb", parentCid: "1d09d1d0", parentFileNameHint: "app01.vmdk", kind: "delta", deltaFormat: "vmfsSparse" });
    expect(d!.lines).toEqual({ cid: 4, parentCid: 5, parentFileNameHint: 8, createType: 7 });
  });
  test("CRLF line ends and any key case are accepted; the CID keeps its case for display", () => {
    const text = delta.text.replace(/\n/g, "\r\n").replace("CID=96da72fb", "cid=96DA72FB").replace("createType", "CREATETYPE");
    const { descriptor: d, findings } = parse(text);
    expect(findings.map((f) => f.code)).toEqual([]);
    expect(d!.cid).toBe("96DA72FB");
    expect(d!.createType).toBe("vmfsSparse");
  });
  test("RDM, SEsparse and eager-zeroed types", () => {
    const rdm = parse(base.text.replace('createType="vmfs"', 'createType="vmfsPassthroughRawDeviceMap"').replace("VMFS", "VMFSRDM")).descriptor!;
    expect(rdm.baseType).toBe("rdm-physical");
    const v = parse(base.text.replace('createType="vmfs"', 'createType="vmfsRawDeviceMap"').replace('ddb.thinProvisioned = "1"\n', "")).descriptor!;
    expect(v.baseType).toBe("rdm-virtual");
    const ezt = parse(base.text.replace('createType="vmfs"', 'createType="vmfsEagerZeroedThick"').replace('ddb.thinProvisioned = "1"\n', "")).descriptor!;
    expect(ezt.baseType).toBe("thick");
    const se = parse(delta.text.replace("vmfsSparse", "seSparse").replace("VMFSSPARSE", "SESPARSE")).descriptor!;
    expect(se.deltaFormat).toBe("seSparse");
  });
});

describe("parse findings: the plain sentences of spec section 8", () => {
  test("binary data file", () => {
    const r = parse("KDMV\u0000\u0001\u0000\u0000binary");
    expect(r.descriptor).toBeNull();
    expect(r.findings[0].code).toBe("BINARY_FILE");
    expect(r.findings[0].message).toBe(
      "vm.vmdk: this is a binary file (found NUL bytes in the first 1 KiB). Drop the small descriptor .vmdk, not the -flat/-delta data file.",
    );
  });
  test("missing signature; a monolithic sparse header", () => {
    const r = parse("KDMV something\n# Disk DescriptorFile\n");
    expect(r.descriptor).toBeNull();
    expect(r.findings[0]).toMatchObject({ code: "NOT_A_DESCRIPTOR", line: 1 });
    expect(r.findings[0].message).toContain('expected "# Disk DescriptorFile"; found "KDMV something"');
    expect(r.findings[0].message).toContain("monolithic sparse");
    expect(parse("").findings[0].code).toBe("NOT_A_DESCRIPTOR");
  });
  test("bad and missing CIDs", () => {
    const r = parse(delta.text.replace("parentCID=1d09d1d0", "parentCID=7b7644g2"), "vm-000002.vmdk");
    expect(r.findings.map((f) => f.message)).toEqual(['vm-000002.vmdk line 5: parentCID must be 8 hex digits; found "7b7644g2".']);
    expect(r.descriptor!.parentCid).toBeNull();
    const m = parse(delta.text.replace("CID=96da72fb\n", ""), "vm-000002.vmdk");
    expect(m.findings.map((f) => f.message)).toContain("vm-000002.vmdk: no CID line; a descriptor needs CID and parentCID.");
  });
  test("extent lines", () => {
    const unquoted = parse(base.text.replace('"app01_1-flat.vmdk"', "app01_1-flat.vmdk"));
    expect(unquoted.findings[0].message).toBe(
      'vm.vmdk line 10: extent line must look like RW <sectors> <TYPE> "<file>" [offset]; found "RW 209715200 VMFS app01_1-flat.vmdk" (file name is not quoted). Read anyway.',
    );
    expect(unquoted.descriptor!.extents[0].file).toBe("app01_1-flat.vmdk");
    expect(parse(base.text.replace("RW 209715200", "RW 8e7")).findings[0].message).toBe('vm.vmdk line 10: sector count "8e7" is not a whole number.');
    expect(parse(base.text.replace("209715200 VMFS", "209715200 VMFSTHIN")).findings[0].message).toBe(
      'vm.vmdk line 10: unknown extent type "VMFSTHIN"; known types are FLAT, SPARSE, ZERO, VMFS, VMFSSPARSE, SESPARSE, VMFSRDM, VMFSRAW.',
    );
    const zero = parse(base.text.replace('RW 209715200 VMFS "app01_1-flat.vmdk"', 'RW 100 VMFS "a-flat.vmdk" 0\nRW 50 ZERO'));
    expect(zero.findings).toEqual([]);
    expect(zero.descriptor!.capacityBytes).toBe(150 * 512);
  });
  test("unknown createType is a warning; duplicate keys keep the last; long lines are cut", () => {
    const r = parse(base.text.replace('createType="vmfs"', 'createType="vmfsFancy"\ncreateType="vmfs"'));
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([
      ["UNKNOWN_CREATE_TYPE", "warning"],
      ["DUPLICATE_KEY", "warning"],
    ]);
    expect(r.descriptor!.createType).toBe("vmfs");
    const long = parse(base.text.replace('ddb.uuid = "', `ddb.uuid = "${"x".repeat(5000)}`));
    expect(long.findings.map((f) => f.code)).toEqual(["LINE_TOO_LONG"]);
  });
  test("longContentID that disagrees with the CID is a warning", () => {
    const r = parse(delta.text.replace("CID=96da72fb", "CID=96da72fc"));
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([["LONG_CONTENT_ID_MISMATCH", "warning"]]);
  });
  test("wrong argument types throw ModelInputError", () => {
    expect(() => parseDescriptor(null as never)).toThrow(ModelInputError);
    expect(() => parseDescriptor({ name: "a", text: 5 } as never)).toThrow(ModelInputError);
  });
});

describe("serializeDescriptor", () => {
  test("parse -> serialize -> parse keeps every field of the samples' descriptors", () => {
    for (const s of samples) {
      for (const f of s.files.filter((x) => x.name.endsWith(".vmdk"))) {
        const a = parseDescriptor(f).descriptor!;
        const b = parseDescriptor({ name: f.name, text: serializeDescriptor(a) }).descriptor!;
        const strip = (d: typeof a) => ({ ...d, lines: null, extents: d.extents.map((e) => ({ ...e, line: 0 })), ddb: d.ddb.map((e) => ({ ...e, line: 0 })) });
        expect(strip(b)).toEqual(strip(a));
      }
    }
  });
  test("refuses values it cannot write", () => {
    expect(() => serializeDescriptor({ cid: "0000000a", parentCid: "ffffffff", createType: 'a"b', extents: [] })).toThrow(ModelInputError);
  });
});

describe("parseDescriptor never throws on file content", () => {
  test.prop([fc.string({ unit: "binary", maxLength: 2000 })], { numRuns: 1000 })("random strings", (text) => {
    const r = parse(text);
    expect(allFinite(r)).toBe(true);
  });
  test.prop([fc.uint8Array({ maxLength: 2000 })], { numRuns: 1000 })("random bytes decoded as UTF-8", (bytes) => {
    const r = parse(new TextDecoder().decode(bytes));
    expect(allFinite(r)).toBe(true);
  });
  test.prop(
    [fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.string({ unit: "binary", maxLength: 20 })), { maxLength: 8 })],
    { numRuns: 1000 },
  )("random edits of a valid descriptor", (edits) => {
    let text = base.text;
    for (const [at, del, ins] of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + ins + text.slice(i + del);
    }
    const r = parse(text);
    expect(allFinite(r)).toBe(true);
    if (r.descriptor) expect(r.descriptor.capacityBytes).toBeGreaterThanOrEqual(0);
  });
});

// how fast these parse is measured by `npm run bench` (its linearity row); here only what they give
describe("adversarial lines: quotes, equals signs, blanks, one huge line", () => {
  test("every repeated line is read, with one finding per defect", () => {
    const unit = ['RW 1 VMFS "' + '"'.repeat(3000), "a=".repeat(1500), " ".repeat(4000) + "x", "ddb." + "=".repeat(3000)].join("\n");
    const r = parse(`# Disk DescriptorFile\n${`${unit}\n`.repeat(1600)}`);
    expect(r.descriptor!.extents).toHaveLength(1600);
    const count = (code: string) => r.findings.filter((f) => f.code === code).length;
    // the extent's offset is quotes, the blank-led "x" is no key = value, "a" is set again on every repeat
    expect(count("BAD_EXTENT")).toBe(1600);
    expect(count("BAD_LINE")).toBe(1600);
    expect(count("DUPLICATE_KEY")).toBe(3198);
    expect(count("MISSING_CID")).toBe(2);
  });
  test("a 4-million-character line is cut at the line limit and reported once", () => {
    const r = parse(`# Disk DescriptorFile\n${"x".repeat(4_000_000)}`);
    expect(r.findings.map((f) => f.code).sort()).toEqual(["BAD_LINE", "LINE_TOO_LONG", "MISSING_CID", "MISSING_CID", "NO_EXTENTS"]);
    expect(r.findings.find((f) => f.code === "LINE_TOO_LONG")!.line).toBe(2);
  });
});
