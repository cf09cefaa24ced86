import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { analyze, type Analysis } from "../../../src/snapshots/index.ts";
import { samples } from "../../../notebooks/snapshots/samples/index.ts";
import { renderBundle } from "../../../scripts/bundle-samples.mjs";

const dir = join(import.meta.dirname, "../../../notebooks/snapshots/samples");
const GiB = 2 ** 30;
const MiB = 2 ** 20;

/**
 * Expected findings and commit space, transcribed from each sample folder's README.md
 * ("Expected findings" and "Expected commit space"). The READMEs name spec codes directly; for the
 * info lines that name no code, the code this model uses is noted next to the README's words.
 * `newOrder` = oldest-first (ESX/ESXi 4.0 U2+), `oldOrder` = newest-first, helper = 16 MiB.
 */
const EXPECTED: Record<string, { codes: string[]; commit?: Record<string, { newOrder: number; oldOrder?: number }>; total?: { newOrder: number; oldOrder: number } }> = {
  // "none (0 errors, 0 warnings)"
  "01-healthy-3snap-2disks": {
    codes: [],
    commit: { "scsi0:0": { newOrder: 16777216, oldOrder: 14394851328 }, "scsi0:1": { newOrder: 17179869184, oldOrder: 43872419840 } },
    total: { newOrder: 17196646400, oldOrder: 58267271168 },
  },
  // "none (0 errors, 0 warnings)"; "info: 2 branches on scsi0:0 ..." -> BRANCHES
  "02-branched-tree": { codes: ["BRANCHES"], commit: { "scsi0:0": { newOrder: 16777216, oldOrder: 369098752 } } },
  // "CID_MISMATCH (error) on link db01-000001.vmdk -> db01.vmdk"; "no other errors"
  "03-broken-cid": { codes: ["CID_MISMATCH"] },
  "04-missing-parent": { codes: ["MISSING_PARENT", "VMSD_DISK_NOT_IN_CHAIN"] },
  // "INDEPENDENT_DISK (info)"; "no NUMDISKS_MISMATCH"; "scsi0:1 contributes 0"
  "05-independent-persistent": { codes: ["INDEPENDENT_DISK"], commit: { "scsi0:0": { newOrder: 16777216, oldOrder: 1174405120 }, "scsi0:1": { newOrder: 0, oldOrder: 0 } } },
  // "none (0 errors, 0 warnings)"; its info line (thin base grows by 35 GiB) is the commit estimate's baseGrowthBytes, checked below
  "06-thin-base": { codes: [], commit: { "scsi0:0": { newOrder: 37597741056, oldOrder: 94506057728 } } },
  // "info RDM_BASE on scsi0:1"; "scsi0:0 new order 16 MiB helper; scsi0:1 new order 16 MiB helper; single snapshot so old order = new order"
  "07-rdm-base": { codes: ["RDM_BASE"], commit: { "scsi0:0": { newOrder: 16 * MiB, oldOrder: 16 * MiB }, "scsi0:1": { newOrder: 16 * MiB, oldOrder: 16 * MiB } } },
  // "none (0 errors, 0 warnings)"; "info: delta format SEsparse" -> SESPARSE_DELTAS
  "08-sesparse-chain": { codes: ["SESPARSE_DELTAS"], commit: { "scsi0:0": { newOrder: 46187675648, oldOrder: 51556384768 } } },
  "09-vmsd-orphan-backup-snapshot": { codes: ["NEEDS_CONSOLIDATION", "ORPHAN_DELTA", "VMSD_DISK_NOT_IN_CHAIN"] },
  // "NEEDS_CONSOLIDATION (warning)"; "no errors"; "scsi0:0 new order 0.02 GiB (16777216 bytes)"
  "10-needs-consolidation": { codes: ["NEEDS_CONSOLIDATION"], commit: { "scsi0:0": { newOrder: 16777216 } } },
};

function readFolder(id: string): { name: string; text: string }[] {
  return readdirSync(join(dir, id))
    .filter((n) => n !== "README.md")
    .map((name) => ({ name, text: readFileSync(join(dir, id, name), "utf8") }));
}

const folders = readdirSync(dir).filter((id) => statSync(join(dir, id)).isDirectory()).sort();
const results = new Map<string, Analysis>(folders.map((id) => [id, analyze(readFolder(id))]));
const codes = (a: Analysis) => a.findings.map((f) => f.code).sort();

describe("shipped sample folders", () => {
  test("there are ten, each with an expectation", () => {
    expect(folders).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const id of Object.keys(EXPECTED)) {
    const want = EXPECTED[id];
    test(`${id}: exactly the expected findings`, () => {
      expect(codes(results.get(id)!)).toEqual([...want.codes].sort());
    });
    test(`${id}: the README states each expected code or byte figure transcribed here`, () => {
      const readme = readFileSync(join(dir, id, "README.md"), "utf8");
      for (const code of want.codes) {
        const phrase = code === "BRANCHES" ? "2 branches" : code === "SESPARSE_DELTAS" ? "delta format SEsparse" : code;
        expect(readme).toContain(phrase);
      }
      for (const c of Object.values(want.commit ?? {})) {
        for (const v of [c.newOrder, c.oldOrder]) if (v !== undefined && v > 16 * MiB) expect(readme).toContain(`(${v} bytes)`);
      }
    });
    if (want.commit) {
      test(`${id}: commit space per disk`, () => {
        const a = results.get(id)!;
        for (const [key, c] of Object.entries(want.commit!)) {
          const disk = a.disks.find((d) => d.key === key)!;
          expect(disk.commitSpace!.oldestFirst.extraBytes).toBe(c.newOrder);
          if (c.oldOrder !== undefined) expect(disk.commitSpace!.newestFirst.extraBytes).toBe(c.oldOrder);
          expect(disk.reliable).toBe(true);
        }
        if (want.total) {
          expect(a.total.oldestFirstExtraBytes).toBe(want.total.newOrder);
          expect(a.total.newestFirstExtraBytes).toBe(want.total.oldOrder);
        }
      });
    }
  }

  test("the bundled samples give the same analysis as the folders (listing passed as an option)", () => {
    expect(samples.map((s) => s.id)).toEqual(folders);
    for (const s of samples) {
      const a = analyze(s.files, { listing: s.listing });
      expect(codes(a)).toEqual(codes(results.get(s.id)!));
      expect(a.disks.map((d) => d.commitSpace?.oldestFirst.extraBytes)).toEqual(results.get(s.id)!.disks.map((d) => d.commitSpace?.oldestFirst.extraBytes));
    }
  });

  test("bundle.ts is up to date with the folders (node scripts/bundle-samples.mjs)", () => {
    expect(readFileSync(join(dir, "bundle.ts"), "utf8")).toBe(renderBundle(dir));
  });
});

describe("what each sample's README says beyond the codes", () => {
  test("01: linear trees base -> -000001 -> -000002 -> -000003 (current)", () => {
    const a = results.get("01-healthy-3snap-2disks")!;
    expect(a.disks.map((d) => d.chain.map((l) => l.name))).toEqual([
      ["app01.vmdk", "app01-000001.vmdk", "app01-000002.vmdk", "app01-000003.vmdk"],
      ["app01_1.vmdk", "app01_1-000001.vmdk", "app01_1-000002.vmdk", "app01_1-000003.vmdk"],
    ]);
    expect(a.disks.map((d) => d.baseType)).toEqual(["thick", "thin"]);
    expect(a.disks[1].sizes.baseAllocatedBytes).toBe(40802189312);
  });

  test("02: -000001 is a branch that Delete All deletes (frees 2160 MiB)", () => {
    const a = results.get("02-branched-tree")!;
    const d = a.disks[0];
    expect(d.branchNodes).toEqual(["web01-000001.vmdk"]);
    expect(d.chain.map((l) => l.name)).toEqual(["web01.vmdk", "web01-000003.vmdk", "web01-000004.vmdk"]);
    expect(d.sizes.offChainBytes).toBe(2160 * MiB);
    const info = a.findings.find((f) => f.code === "BRANCHES")!;
    expect(info.severity).toBe("info");
    expect(info.message).toContain("2160 MiB");
    expect(info.message).toContain("2 branches on scsi0:0");
  });

  test("03: the mismatch names both files and both values; the estimate is flagged unreliable", () => {
    const a = results.get("03-broken-cid")!;
    const f = a.findings.find((x) => x.code === "CID_MISMATCH")!;
    expect(f.severity).toBe("error");
    expect(f.file).toBe("db01-000001.vmdk");
    expect(f.line).toBe(5);
    for (const s of ["db01.vmdk", "d33563b9", "9e33b6d1"]) expect(f.message).toContain(s);
    expect(f.fix).toContain("KB 1007969");
    const d = a.disks[0];
    expect(d.chain.map((l) => l.linkOk)).toEqual([null, false, true]);
    expect(d.commitSpace).not.toBeNull();
    expect(d.reliable).toBe(false);
    expect(a.total.reliable).toBe(false);
  });

  test("04: the chain stops at the missing parent and the base is a detached node", () => {
    const a = results.get("04-missing-parent")!;
    const d = a.disks[0];
    expect(d.end).toBe("missing");
    expect(d.gap).toBe("fs01-000001.vmdk");
    expect(d.tree!.status).toBe("missing");
    expect(d.tree!.children.map((c) => c.name)).toEqual(["fs01-000002.vmdk"]);
    expect(d.detached.map((t) => t.name)).toEqual(["fs01.vmdk"]);
    const missing = a.findings.find((f) => f.code === "MISSING_PARENT")!;
    expect(missing.severity).toBe("error");
    expect(missing.message).toContain("absent from listing.txt");
    const vmsd = a.findings.find((f) => f.code === "VMSD_DISK_NOT_IN_CHAIN")!;
    expect(vmsd.severity).toBe("warning");
    expect(vmsd.message).toContain("uid 2 'Migration done'");
    expect(vmsd.message).toContain("fs01-000001.vmdk");
  });

  test("05: the independent disk is skipped, and numDisks counts only dependent disks", () => {
    const a = results.get("05-independent-persistent")!;
    const f = a.findings.find((x) => x.code === "INDEPENDENT_DISK")!;
    expect(f.severity).toBe("info");
    expect(f.disk).toBe("scsi0:1");
    expect(f.message).toContain("exch01_1.vmdk");
    expect(a.disks[1].independent).toBe(true);
  });

  test("06: the thin base can grow by 35 GiB; NOT_ENOUGH_SPACE when the datastore has less free than the new-order figure", () => {
    const files = readFolder("06-thin-base");
    const d = results.get("06-thin-base")!.disks[0];
    expect(d.commitSpace!.oldestFirst.baseGrowthBytes).toBe(35 * GiB);
    const short = analyze(files, { datastoreFreeBytes: 37597741056 - 1 });
    expect(codes(short)).toEqual(["NOT_ENOUGH_SPACE"]);
    const f = short.findings[0];
    expect(f.severity).toBe("error");
    expect(f.fix).toMatch(/cold-migrate/);
    expect(codes(analyze(files, { datastoreFreeBytes: 37597741056 }))).toEqual([]);
    const viaListing = analyze([...files.filter((x) => x.name !== "listing.txt")], {
      listing: `${files.find((x) => x.name === "listing.txt")!.text}# free: 1073741824\n`,
    });
    expect(codes(viaListing)).toEqual(["NOT_ENOUGH_SPACE"]);
  });

  test("07: the RDM mapping file's LUN size is not datastore usage", () => {
    const d = results.get("07-rdm-base")!.disks[1];
    expect(d.baseType).toBe("rdm-virtual");
    expect(d.commitSpace!.baseFootprintBytes).toBe(0);
    expect(d.commitSpace!.footprintBytes).toBe(7516192768);
    expect(results.get("07-rdm-base")!.findings[0].disk).toBe("scsi0:1");
  });

  test("08: SEsparse deltas on a thin 4 TiB base", () => {
    const d = results.get("08-sesparse-chain")!.disks[0];
    expect(d.chain.slice(1).map((l) => l.format)).toEqual(["seSparse", "seSparse"]);
    expect(d.capacityBytes).toBe(4 * 2 ** 40);
  });

  test("09: uid 7 names the leaf; -000002 is an orphan whose CID link is intact", () => {
    const a = results.get("09-vmsd-orphan-backup-snapshot")!;
    const vmsd = a.findings.find((f) => f.code === "VMSD_DISK_NOT_IN_CHAIN")!;
    expect(vmsd.message).toContain("uid 7 'VDR-backup-2012-04-22'");
    expect(vmsd.message).toContain("mail01-000001.vmdk");
    const orphan = a.findings.find((f) => f.code === "ORPHAN_DELTA")!;
    expect(orphan.file).toBe("mail01-000002.vmdk");
    expect(orphan.message).toContain("3 GiB");
    expect(orphan.message).toContain("intact");
    expect(a.findings.every((f) => f.severity === "warning")).toBe(true);
  });

  test("10: a delta with an empty .vmsd", () => {
    const a = results.get("10-needs-consolidation")!;
    expect(a.findings[0].message).toContain("scsi0:0 runs on a delta");
    expect(a.findings[0].message).toContain("0 snapshots");
    expect(a.snapshots).toEqual([]);
  });
});
