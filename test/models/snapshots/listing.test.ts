import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { parseListing, parseSize } from "../../../src/snapshots/index.ts";
import { readAnyLine, readLsLine } from "../../../src/snapshots/listing.ts";
import { sampleById } from "../../../notebooks/snapshots/samples/index.ts";
import { allFinite, lsLineArb } from "./arbitraries.ts";

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

describe("the `ls -l` line reader and the general line reader", () => {
  const GiB = 2 ** 30;
  test.each([
    ["GNU", "-rw-------    1 root     root       42949672960 Mar 14 09:30 vm-flat.vmdk", "vm-flat.vmdk", 42949672960],
    ["busybox, no group column", "-rw-------    1 root       42949672960 Mar 14 09:30 vm-flat.vmdk", "vm-flat.vmdk", 42949672960],
    ["numeric owner and group (ls -n)", "-rw------- 1 0 0 512 Mar 14 09:30 n.vmdk", "n.vmdk", 512],
    ["ls -ls block count", "8 -rw-------    1 root     root         512 Mar 14 09:13 d.vmdk", "d.vmdk", 512],
    ["ls -lsh block count and size", "4.0K -rw-r--r-- 1 root root 1.5G Mar 14 09:13 c-000001-delta.vmdk", "c-000001-delta.vmdk", 1.5 * GiB],
    ["a year instead of a time", "-rw------- 1 root root 512 Dec 31  2012 old.vmdk", "old.vmdk", 512],
    ["size with commas", "-rw-r--r-- 1 root root 41,943,040 Mar 14 09:30 b.vmdk", "b.vmdk", 41943040],
    ["size with a unit", "-rw-r--r-- 1 root root 12K Mar 14 09:30 b.vmdk", "b.vmdk", 12 * 1024],
    ["an ACL mark after the permissions", "-rw-r--r--+ 1 root root 512 Mar 14 09:30 e.vmdk", "e.vmdk", 512],
    ["a name with spaces", "-rw------- 1 root root 512 Mar 14 09:30 my disk-flat.vmdk", "my disk-flat.vmdk", 512],
    ["a symlink: the name before the arrow", "lrwxrwxrwx 1 root root 35 Mar 14 09:30 ds link -> /vmfs/volumes/5f1e-aa/vm.vmdk", "ds link", 35],
    ["a quoted name", '-rw------- 1 root root 512 Mar 14 09:30 "a b.vmdk"', "a b.vmdk", 512],
    ["a path: its last component", "-rw------- 1 root root 512 Mar 14 09:30 /vmfs/volumes/ds/vm/vm.vmdk", "vm.vmdk", 512],
  ])("takes %s", (_shape, line, fileName, bytes) => {
    expect(readLsLine(line)).toEqual({ fileName, bytes });
    expect(readAnyLine(line)).toEqual({ fileName, bytes });
  });

  test.each([
    ["`total N`", "total 12", "ignored"],
    ["a directory", "drwxr-xr-x    1 root     root         512 Mar 14 09:13 .sdd.sf", "ignored"],
    ["du style", "40802189312  a-flat.vmdk", { fileName: "a-flat.vmdk", bytes: 40802189312 }],
    ["datastore-browser style", "b-000001-delta.vmdk   41,943,040 KB", { fileName: "b-000001-delta.vmdk", bytes: 41943040 * 1024 }],
    ["fields separated by tabs", "-rw-------\t1\troot\troot\t512\tMar\t14\t09:30\tt.vmdk", { fileName: "t.vmdk", bytes: 512 }],
    ["a name that starts with a no-break space", "-rw------- 1 root root 512 Mar 14 09:30 \u00a0nb.vmdk", { fileName: "nb.vmdk", bytes: 512 }],
    ["an ISO date (two date words)", "-rw------- 1 root root 512 2012-03-14 09:30 iso.vmdk", null],
    ["a size that is not a size", "-rw------- 1 root root 1e400 Mar 14 09:30 big.vmdk", null],
    ["a size too large to be exact", "-rw------- 1 root root 9007199254740993 Mar 14 09:30 big.vmdk", null],
    ["a block count that is not a size", "8x -rw------- 1 root root 512 Mar 14 09:30 f.vmdk", null],
    ["an odd line", "this line means nothing", null],
  ])("leaves %s to the general reader", (_shape, line, reading) => {
    expect(readLsLine(line)).toBeUndefined();
    expect(readAnyLine(line)).toEqual(reading);
  });

  test.prop([lsLineArb()], { numRuns: 3000 })("agree on every line the `ls -l` reader takes, and it takes every well-formed one", ({ line, wellFormed }) => {
    const trimmed = line.trim();
    const fast = readLsLine(trimmed);
    if (wellFormed) expect(fast).not.toBeUndefined();
    if (fast !== undefined) expect(fast).toEqual(readAnyLine(trimmed));
  });

  const LISTING_TOKENS = ["8 ", "-rw------- ", "lrwxrwxrwx ", "drwxr-xr-x ", "1 ", "root ", "512 ", "1.5G ", "41,943,040 ", "Mar ", "14 ", "09:30 ", "2012 ", "vm.vmdk", " -> ", '"', "/", "\t", "\u00a0", " "];
  test.prop([fc.array(fc.oneof(fc.constantFrom(...LISTING_TOKENS), fc.string({ maxLength: 4 })), { maxLength: 24 })], { numRuns: 3000 })(
    "agree on every line of random listing tokens the `ls -l` reader takes",
    (parts) => {
      const line = parts.join("").trim();
      if (line === "") return;
      const fast = readLsLine(line);
      if (fast !== undefined) expect(fast).toEqual(readAnyLine(line));
    },
  );
});
