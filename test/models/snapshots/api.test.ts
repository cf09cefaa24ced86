import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { snapshots } from "../../../src/index.ts";
import { allFinite, folderArb } from "./arbitraries.ts";
import { samples } from "../../../notebooks/snapshots/samples/index.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

/** Every exported function of the snapshots namespace, called with arbitrary arguments. */
const calls: Record<string, (a: unknown, b: unknown) => unknown> = {
  sortFindings: (a) => snapshots.sortFindings(a as never),
  formatBytes: (a) => snapshots.formatBytes(a as never),
  parseDescriptor: (a) => snapshots.parseDescriptor(a as never),
  ddbValue: (a, b) => snapshots.ddbValue(a as never, b as never),
  parseVmx: (a) => snapshots.parseVmx(a as never),
  parseVmsd: (a) => snapshots.parseVmsd(a as never),
  vmsdCreateTimeMs: (a, b) => snapshots.vmsdCreateTimeMs(a as never, b as never),
  parseListing: (a) => snapshots.parseListing(a as never),
  parseSize: (a, b) => snapshots.parseSize(a as never, b as never),
  classifyFiles: (a) => snapshots.classifyFiles(a as never),
  fileKind: (a) => snapshots.fileKind(a as never),
  readDecision: (a, b) => snapshots.readDecision(a as never, b as never),
  isSparseHeader: (a) => snapshots.isSparseHeader(a as never),
  embeddedDescriptorRegion: (a) => snapshots.embeddedDescriptorRegion(a as never),
  embeddedDescriptorBytes: (a) => snapshots.embeddedDescriptorBytes(a as never),
  buildChains: (a) => snapshots.buildChains(a as never),
  commitSpace: (a) => snapshots.commitSpace(a as never),
  sparseOverheadBytes: (a) => snapshots.sparseOverheadBytes(a as never),
  serializeDescriptor: (a) => snapshots.serializeDescriptor(a as never),
  serializeFolder: (a) => snapshots.serializeFolder(a as never),
  initialState: (a) => snapshots.initialState(a as never),
  step: (a, b) => snapshots.step(a as never, b as never),
  simulate: (a, b) => snapshots.simulate(a as never, b as never),
  deltaCapBytes: (a) => snapshots.deltaCapBytes(a as never),
  analyze: (a, b) => snapshots.analyze(a as never, b as never),
};

describe("only ModelInputError escapes the exported functions", () => {
  test("every exported function is listed here", () => {
    const exported = Object.entries(snapshots)
      .filter(([, v]) => typeof v === "function")
      .map(([k]) => k)
      .sort();
    expect(exported).toEqual(Object.keys(calls).sort());
  });
  test.prop([fc.constantFrom(...Object.keys(calls)), fc.anything(), fc.anything()], { numRuns: 1000 })("arbitrary arguments", (name, a, b) => {
    try {
      const result = calls[name](a, b);
      expect(allFinite(result)).toBe(true);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelInputError);
    }
  });
  test.prop([fc.anything()], { numRuns: 1000 })("step with an arbitrary action on a real state", (action) => {
    try {
      snapshots.step(snapshots.initialState(), action as never);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelInputError);
    }
  });
});

/** Replaces the value at one random path of a JSON-like value (objects and arrays, any depth). */
function corrupt(value: unknown, pick: number, replacement: unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (v === null || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v)) {
      const p = [...path, Array.isArray(v) ? Number(k) : k];
      paths.push(p);
      walk(x, p);
    }
  };
  walk(value, []);
  if (paths.length === 0) return replacement;
  const target = paths[pick % paths.length];
  const copy = structuredClone(value);
  let at = copy as Record<string | number, unknown>;
  for (const k of target.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[target[target.length - 1]] = replacement;
  return copy;
}

const expectOnlyModelInputError = (fn: () => unknown) => {
  try {
    const result = fn();
    expect(allFinite(result)).toBe(true);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelInputError);
  }
};

describe("near-valid arguments with one field of the wrong type", () => {
  test.prop([folderArb({ maxNodes: 5, maxDisks: 2 }), fc.nat(), fc.anything()], { numRuns: 1000 })("serializeFolder", (g, pick, junk) => {
    expectOnlyModelInputError(() => snapshots.serializeFolder(corrupt(g.spec, pick, junk) as never));
  });
  test.prop([fc.nat(), fc.anything(), fc.array(fc.constantFrom("snapshot", "write", "revert", "deleteAll"), { maxLength: 6 })], { numRuns: 1000 })(
    "step on a corrupted state",
    (pick, junk, kinds) => {
      let s = snapshots.initialState();
      for (const k of kinds) s = snapshots.step(s, k === "write" ? { type: k, bytes: 2 ** 30 } : k === "revert" ? { type: k, uid: 1 } : ({ type: k } as never));
      expectOnlyModelInputError(() => snapshots.step(corrupt(s, pick, junk) as never, { type: "snapshot" }));
      expectOnlyModelInputError(() => snapshots.step(corrupt(s, pick, junk) as never, { type: "deleteAll" }));
    },
  );
  test("step refuses a state whose carried-over fields are wrong (a snapshot's name, the paused flag), which it would otherwise pass on", () => {
    const s = snapshots.step(snapshots.initialState(), { type: "snapshot" });
    const named = { ...s, snapshots: [{ ...s.snapshots[0], name: Number.POSITIVE_INFINITY }] };
    expect(() => snapshots.step(named as never, { type: "snapshot" })).toThrow(ModelInputError);
    expect(() => snapshots.step({ ...s, paused: Number.NaN } as never, { type: "deleteAll" })).toThrow(ModelInputError);
  });
  test.prop([fc.nat(), fc.anything()], { numRuns: 1000 })("analyze options and commitSpace input", (pick, junk) => {
    expectOnlyModelInputError(() =>
      snapshots.analyze([{ name: "a.vmdk", text: "# Disk DescriptorFile\n" }], corrupt({ listing: "", datastoreFreeBytes: 1, helperBytes: 1, order: "oldest-first", sizes: { "a.vmdk": 1 } }, pick, junk) as never),
    );
    expectOnlyModelInputError(() => snapshots.commitSpace(corrupt({ capacityBytes: 100, baseType: "thin", baseAllocatedBytes: 5, deltaBytes: [1, 2], helperBytes: 3 }, pick, junk) as never));
  });
  test.prop([fc.nat({ max: 9 }), fc.nat(), fc.anything()], { numRuns: 1000 })("buildChains on corrupted parser output", (si, pick, junk) => {
    const sample = samples[si];
    const input = {
      descriptors: sample.files.filter((f) => f.name.endsWith(".vmdk")).map((f) => snapshots.parseDescriptor(f).descriptor!),
      vmx: snapshots.parseVmx(sample.files.find((f) => f.name.endsWith(".vmx"))!).vmx,
      vmsd: snapshots.parseVmsd(sample.files.find((f) => f.name.endsWith(".vmsd"))!).vmsd,
    };
    expectOnlyModelInputError(() => snapshots.buildChains(corrupt(input, pick, junk) as never));
  });
  test.prop([fc.nat({ max: 9 }), fc.nat(), fc.anything()], { numRuns: 1000 })("serializeDescriptor and ddbValue on a corrupted descriptor", (si, pick, junk) => {
    const d = snapshots.parseDescriptor(samples[si].files.find((f) => f.name.endsWith(".vmdk"))!).descriptor!;
    const bad = corrupt(d, pick, junk);
    expectOnlyModelInputError(() => snapshots.serializeDescriptor(bad as never));
    expectOnlyModelInputError(() => snapshots.ddbValue(bad as never, "uuid"));
  });
});
