import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { parseListing, parseSize } from "../../../src/snapshots/index.ts";
import { sampleById } from "../../../notebooks/snapshots/samples/index.ts";
import { allFinite } from "./arbitraries.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

describe("parseListing", () => {
  test("ls -l with an `# allocated` line (sample 01)", () => {
    const { listing, findings } = parseListing({ name: "listing.txt", text: sampleById("01-healthy-3snap-2disks")!.listing! });
    expect(findings).toEqual([]);
    expect(listing.entries).toHaveLength(8);
    expect(listing.entries[0]).toEqual({ name: "app01-flat.vmdk", sizeBytes: 42949672960, line: 2 });
    expect(listing.allocated).toEqual([{ name: "app01_1-flat.vmdk", sizeBytes: 40802189312, line: 10 }]);
  });
  test("`(thin)` allocated lines, du style, datastore-browser style, ls -lh units, ls -ls, free space", () => {
    const text = [
      "total 12",
      "# allocated build01-flat.vmdk (thin): 65498251264",
      "40802189312  a-flat.vmdk",
      "b-000001-delta.vmdk   41,943,040 KB",
      "-rw-------    1 root     root         1.5G Mar 14 09:13 c-000001-delta.vmdk",
      "8 -rw-------    1 root     root         512 Mar 14  2012 d.vmdk",
      "drwxr-xr-x    1 root     root         512 Mar 14 09:13 .sdd.sf",
      "# free: 100 GiB",
      "this line means nothing",
    ].join("\n");
    const { listing, findings } = parseListing({ name: "l.txt", text });
    expect(listing.entries.map((e) => [e.name, e.sizeBytes])).toEqual([
      ["a-flat.vmdk", 40802189312],
      ["b-000001-delta.vmdk", 41943040 * 1024],
      ["c-000001-delta.vmdk", 1.5 * 2 ** 30],
      ["d.vmdk", 512],
    ]);
    expect(listing.allocated.map((e) => [e.name, e.sizeBytes])).toEqual([["build01-flat.vmdk", 65498251264]]);
    expect(listing.freeBytes).toBe(100 * 2 ** 30);
    expect(findings.map((f) => [f.code, f.line])).toEqual([["LISTING_LINE_SKIPPED", 9]]);
  });
  test("parseSize", () => {
    expect(parseSize("16M")).toBe(2 ** 24);
    expect(parseSize("1,024")).toBe(1024);
    expect(parseSize("12", "GiB")).toBe(12 * 2 ** 30);
    expect(parseSize("1e9")).toBeNull();
    expect(parseSize("99999999999999999999999")).toBeNull();
  });
  test.prop([fc.string({ unit: "binary", maxLength: 3000 })], { numRuns: 1000 })("never throws; sizes are safe integers", (text) => {
    const { listing } = parseListing({ name: "l.txt", text });
    expect(allFinite(listing)).toBe(true);
    for (const e of [...listing.entries, ...listing.allocated]) expect(Number.isSafeInteger(e.sizeBytes)).toBe(true);
  });
});
