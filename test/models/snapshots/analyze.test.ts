import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { analyze, serializeFolder, type Analysis } from "../../../src/snapshots/index.ts";
import { compareFindings } from "../../../src/snapshots/findings.ts";
import { samples, sampleById } from "../../../notebooks/snapshots/samples/index.ts";
import { allFinite, folderArb } from "./arbitraries.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

/** Spec section 9.10: findings sorted (error, warning, info, then file, line) and naming a dropped file. */
function checkFindings(a: Analysis, dropped: string[]) {
  for (let i = 1; i < a.findings.length; i++) expect(compareFindings(a.findings[i - 1], a.findings[i])).toBeLessThanOrEqual(0);
  const names = new Set([...dropped.map((n) => n.slice(n.lastIndexOf("/") + 1)), "pasted listing"]);
  for (const f of a.findings) expect(names.has(f.file)).toBe(true);
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ unit: "binary", maxLength: 30 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.nat({ max: 60 }) }),
  fc.record({ kind: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("duplicateLine" as const), a: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("hex" as const), at: fc.nat(), digit: fc.constantFrom(..."0123456789abcdefABCDEFgz") }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.kind) {
    case "insert":
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case "delete":
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case "truncate":
      return text.slice(0, at(m.at));
    case "hex": {
      const i = at(m.at);
      return i < text.length ? text.slice(0, i) + m.digit + text.slice(i + 1) : text;
    }
    default: {
      const lines = text.split("\n");
      const a = m.a % lines.length;
      if (m.kind === "duplicateLine") lines.splice(a, 0, lines[a]);
      else {
        const b = m.b % lines.length;
        [lines[a], lines[b]] = [lines[b], lines[a]];
      }
      return lines.join("\n");
    }
  }
}

describe("analyze never throws on file content (spec section 9.3)", () => {
  test.prop([fc.nat({ max: samples.length - 1 }), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 6 })], { numRuns: 1000 })(
    "random mutations of the sample folders",
    (si, edits) => {
      const sample = samples[si];
      const files = sample.files.map((f) => ({ ...f }));
      let listing = sample.listing ?? "";
      for (const [which, m] of edits) {
        const k = which % (files.length + 1);
        if (k === files.length) listing = mutate(listing, m);
        else files[k].text = mutate(files[k].text, m);
      }
      const a = analyze(files, { listing });
      expect(allFinite(a)).toBe(true);
      checkFindings(a, files.map((f) => f.name));
    },
  );
  test.prop(
    [fc.array(fc.record({ name: fc.constantFrom("a.vmx", "a.vmsd", "a.vmdk", "a-000001.vmdk", "b.vmdk", "l.txt", "a-flat.vmdk"), bytes: fc.uint8Array({ maxLength: 800 }) }), { maxLength: 8 })],
    { numRuns: 1000 },
  )("random bytes under VM file names", (raw) => {
    const files = raw.map((f) => ({ name: f.name, text: new TextDecoder().decode(f.bytes), size: f.bytes.length }));
    const a = analyze(files);
    expect(allFinite(a)).toBe(true);
    checkFindings(a, files.map((f) => f.name));
  });
  test("only wrong argument types throw, as ModelInputError", () => {
    expect(() => analyze("files" as never)).toThrow(ModelInputError);
    expect(() => analyze([{ name: "a.vmx", text: 3 } as never])).toThrow(ModelInputError);
    expect(() => analyze([], { order: "sideways" as never })).toThrow(ModelInputError);
    expect(() => analyze([], { datastoreFreeBytes: -1 })).toThrow(ModelInputError);
    expect(() => analyze([], { sizes: { "a.vmdk": NaN } })).toThrow(ModelInputError);
    expect(analyze([]).disks).toEqual([]);
  });
});

describe("determinism", () => {
  test.prop([folderArb(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 })], { numRuns: 1000 })(
    "the order of dropped files never changes the result (spec section 9.9)",
    (g, keys) => {
      const { files, listing } = serializeFolder(g.spec);
      const shuffled = files.map((f, i) => [keys[i % keys.length] + i * 1e-9, f] as const).sort((a, b) => a[0] - b[0]).map(([, f]) => f);
      expect(analyze(shuffled, { listing })).toEqual(analyze(files, { listing }));
    },
  );
  test("samples: reversed drop order gives the same analysis", () => {
    for (const s of samples) expect(analyze([...s.files].reverse(), { listing: s.listing })).toEqual(analyze(s.files, { listing: s.listing }));
  });
});

describe("inputs beyond the samples", () => {
  const s01 = sampleById("01-healthy-3snap-2disks")!;
  test("dropped data files are named, not read, and their sizes replace a listing", () => {
    const dataFiles = s01.listing!
      .split("\n")
      .filter((l) => l.startsWith("-"))
      .map((l) => l.trim().split(/\s+/))
      .map((t) => ({ name: t[t.length - 1], size: Number(t[4]) }));
    const a = analyze([...s01.files, ...dataFiles], { sizes: { "app01_1.vmdk": 40802189312 } });
    expect(a.findings.map((f) => [f.code, f.severity])).toEqual(dataFiles.map(() => ["DATA_FILE_NOT_READ", "info"]));
    expect(a.findings.map((f) => f.file).sort()).toEqual(dataFiles.map((f) => f.name).sort());
    expect(a.total.oldestFirstExtraBytes).toBe(17196646400);
    expect(a.files.read).not.toContain("app01-flat.vmdk");
  });
  test("without a listing, unknown delta sizes are assumed at their maximum and flagged", () => {
    const a = analyze(s01.files);
    expect(a.disks[0].reliable).toBe(false);
    expect(a.disks[0].chain[1].sizeSource).toBe("assumed");
    expect(a.disks[0].notes[0]).toContain("paste a listing");
    expect(a.disks[1].notes.join(" ")).toContain("allocated size is unknown");
  });
  test("without a .vmx, leaves are taken as disks", () => {
    const a = analyze(s01.files.filter((f) => !f.name.endsWith(".vmx")), { listing: s01.listing });
    expect(a.disks.map((d) => d.key)).toEqual(["app01-000003.vmdk", "app01_1-000003.vmdk"]);
    expect(a.findings.map((f) => f.code)).toEqual(["INFERRED_DISK", "INFERRED_DISK"]);
    expect(a.total.oldestFirstExtraBytes).toBe(17196646400);
  });
  test("a parent outside the folder, a mixed-format tree and a capacity mismatch", () => {
    const files = s01.files.map((f) => ({ ...f }));
    const d1 = files.find((f) => f.name === "app01-000001.vmdk")!;
    d1.text = d1.text.replace('parentFileNameHint="app01.vmdk"', 'parentFileNameHint="/vmfs/volumes/other/app01/base.vmdk"');
    const d2 = files.find((f) => f.name === "app01_1-000002.vmdk")!;
    d2.text = d2.text.replace('"vmfsSparse"', '"seSparse"').replace("RW 209715200 VMFSSPARSE", "RW 209715201 SESPARSE");
    const a = analyze(files, { listing: s01.listing });
    expect(a.findings.map((f) => f.code).sort()).toEqual(["CAPACITY_MISMATCH", "CAPACITY_MISMATCH", "MIXED_DELTA_FORMATS", "PARENT_OUTSIDE_FOLDER"]);
    expect(a.disks[0].end).toBe("outside");
    expect(a.disks[0].detached.map((t) => t.name)).toEqual(["app01.vmdk"]);
  });
  test("the newest-first order can be the one checked against free space", () => {
    const s06 = sampleById("06-thin-base")!;
    const free = 50 * 2 ** 30;
    expect(analyze(s06.files, { listing: s06.listing, datastoreFreeBytes: free }).findings).toEqual([]);
    expect(analyze(s06.files, { listing: s06.listing, datastoreFreeBytes: free, order: "newest-first" }).findings.map((f) => f.code)).toEqual(["NOT_ENOUGH_SPACE"]);
  });
});

describe("very many findings", () => {
  test("200,000 findings from one file are all reported, without overflowing the call stack", () => {
    // every line is no key = value; the replacement character adds the file's own notice before them
    const a = analyze([{ name: "vm.vmx", text: `\uFFFD\n${"x\n".repeat(200_000)}` }]);
    const codes = new Map<string, number>();
    for (const f of a.findings) codes.set(f.code, (codes.get(f.code) ?? 0) + 1);
    expect(codes).toEqual(new Map([["BAD_LINE", 200_001], ["INVALID_UTF8", 1]]));
  });
});
