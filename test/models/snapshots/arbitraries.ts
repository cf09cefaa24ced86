/**
 * fast-check generators for valid VM folders (the spec's section 9 invariants start from these):
 * a random snapshot tree shared by every dependent disk, delta numbers not in chain order, a current
 * leaf, one .vmsd snapshot per frozen descriptor, optional independent disks, sizes for a listing.
 */
import { fc } from "@fast-check/vitest";
import type { DiskSpec, FolderSpec, NodeSpec, SnapshotSpec } from "../../../src/snapshots/index.ts";

export interface GeneratedFolder {
  spec: FolderSpec;
  /** Tree shape: parent index of node i (node 0 is the base). */
  parents: number[];
  /** Index of the current leaf. */
  leaf: number;
  /** Keys of the disks snapshots include. */
  dependentKeys: string[];
  /** Names per dependent disk, indexed like the tree nodes. */
  names: string[][];
}

const hex8 = fc.integer({ min: 0, max: 0xfffffffe }).map((n) => n.toString(16).padStart(8, "0"));

export const folderArb = (options: { maxNodes?: number; maxDisks?: number } = {}) =>
  fc
    .record({
      nodeCount: fc.integer({ min: 1, max: options.maxNodes ?? 10 }),
      parentPicks: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
      numberKeys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
      leafPick: fc.nat(),
      dependent: fc.integer({ min: 1, max: options.maxDisks ?? 3 }),
      independent: fc.integer({ min: 0, max: 2 }),
      baseTypes: fc.array(fc.constantFrom("thick", "thin", "rdm-virtual"), { minLength: 5, maxLength: 5 }),
      format: fc.constantFrom("vmfsSparse", "seSparse"),
      cids: fc.array(hex8, { minLength: 200, maxLength: 200 }),
      upperCids: fc.boolean(),
      capacities: fc.array(fc.integer({ min: 1, max: 2 ** 33 }), { minLength: 5, maxLength: 5 }),
      sizeFractions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 200, maxLength: 200 }),
      vmName: fc.constantFrom("vm", "app01", "sql-02", "Web_Server"),
    })
    .map((r): GeneratedFolder => {
      const n = r.nodeCount;
      const parents = [-1];
      for (let i = 1; i < n; i++) parents.push(r.parentPicks[i] % i);
      const hasChild = new Set(parents.slice(1));
      const leaves = [...Array(n).keys()].filter((i) => !hasChild.has(i));
      const leaf = leaves[r.leafPick % leaves.length];
      // delta numbers are shared by all disks and are not in chain order [4][11]
      const order = [...Array(n - 1).keys()].map((i) => i + 1).sort((a, b) => r.numberKeys[a] - r.numberKeys[b] || a - b);
      const number = new Map(order.map((node, k) => [node, k + 1]));
      const disks: DiskSpec[] = [];
      const names: string[][] = [];
      const dependentKeys: string[] = [];
      let cidAt = 0;
      for (let j = 0; j < r.dependent; j++) {
        const stem = j === 0 ? r.vmName : `${r.vmName}_${j}`;
        const key = `scsi0:${j}`;
        const base = r.baseTypes[j];
        const capacitySectors = r.capacities[j];
        const capacityBytes = capacitySectors * 512;
        const nodeNames = [...Array(n).keys()].map((i) => (i === 0 ? `${stem}.vmdk` : `${stem}-${String(number.get(i)).padStart(6, "0")}.vmdk`));
        const nodes: NodeSpec[] = nodeNames.map((name, i) => {
          const cidRaw = r.cids[cidAt++ % r.cids.length];
          const cid = r.upperCids ? cidRaw.toUpperCase() : cidRaw;
          const size = Math.floor(r.sizeFractions[(cidAt * 7) % r.sizeFractions.length] * capacityBytes);
          if (i === 0) {
            const rdm = base === "rdm-virtual";
            return {
              name,
              cid,
              parent: null,
              createType: rdm ? "vmfsRawDeviceMap" : "vmfs",
              extentType: rdm ? "VMFSRDM" : "VMFS",
              dataFile: `${stem}${rdm ? "-rdm" : "-flat"}.vmdk`,
              thin: base === "thin",
              sizeBytes: capacityBytes,
              allocatedBytes: base === "thin" ? size : undefined,
            };
          }
          const se = r.format === "seSparse";
          return {
            name,
            cid,
            parent: nodeNames[parents[i]],
            createType: se ? "seSparse" : "vmfsSparse",
            extentType: se ? "SESPARSE" : "VMFSSPARSE",
            dataFile: name.replace(/\.vmdk$/, se ? "-sesparse.vmdk" : "-delta.vmdk"),
            sizeBytes: size,
          };
        });
        disks.push({ key, capacitySectors, leaf: nodeNames[leaf], nodes });
        names.push(nodeNames);
        dependentKeys.push(key);
      }
      for (let k = 0; k < r.independent; k++) {
        const stem = `${r.vmName}_${r.dependent + k}`;
        const capacitySectors = r.capacities[(r.dependent + k) % 5];
        disks.push({
          key: `scsi1:${k}`,
          mode: "independent-persistent",
          capacitySectors,
          leaf: `${stem}.vmdk`,
          nodes: [{ name: `${stem}.vmdk`, cid: r.cids[cidAt++ % r.cids.length], parent: null, createType: "vmfs", extentType: "VMFS", dataFile: `${stem}-flat.vmdk` }],
        });
      }
      // one snapshot per frozen descriptor: every node but the current leaf
      const snapshots: SnapshotSpec[] = [];
      for (let i = 0; i < n; i++) {
        if (i === leaf) continue;
        snapshots.push({
          uid: i + 1,
          parentUid: i === 0 ? null : parents[i] + 1,
          displayName: `snap ${i + 1}`,
          createdUnixMs: 1_331_712_000_000 + i * 86_400_000,
          disks: names.map((nn, j) => ({ node: dependentKeys[j], fileName: nn[i] })),
        });
      }
      const currentUid = leaf === 0 ? null : parents[leaf] + 1;
      return { spec: { vmName: r.vmName, disks, snapshots, currentUid }, parents, leaf, dependentKeys, names };
    });

/** Every number in a value is finite (no NaN, no Infinity), at any depth. */
export function allFinite(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (value === null || typeof value !== "object" || seen.has(value)) return true;
  seen.add(value);
  for (const v of Object.values(value as Record<string, unknown>)) if (!allFinite(v, seen)) return false;
  return true;
}

/** A field of a generated line: a well-formed value `weight` times in `weight + 1`, else a near miss. */
const lsField = (good: string[], nearMiss: string[], weight = 4) =>
  fc.oneof(
    { weight, arbitrary: fc.constantFrom(...good).map((text) => ({ text, good: true })) },
    { weight: 1, arbitrary: fc.constantFrom(...nearMiss).map((text) => ({ text, good: false })) },
  );

/**
 * One line of a listing shaped like `ls -l` — [blocks] permissions links owner [group] size month day
 * time-or-year name — each field well-formed or a near miss (a size that is not one, a numeric month,
 * a directory, blanks other than spaces, ...), so that both the fast `ls -l` reader and the general one
 * are exercised at their edges. `wellFormed`: every field and every gap is well-formed.
 */
export const lsLineArb = () =>
  fc
    .record({
      blocks: fc.option(lsField(["8", "0", "4.0K", "1,024"], ["8x", "99999999999999999999999", "1.", "-8"]), { nil: undefined }),
      perms: lsField(["-rw-------", "-rw-r--r--", "-rw-r--r--+", "-rwxr-xr-x.", "lrwxrwxrwx", "crw-rw----", "-rw-------@"], ["drwxr-xr-x", "d---------", "-rwxrwxrwz", "?rw-------", "-rw-------++", "-rw"]),
      links: lsField(["1", "12"], ["x", "1.5G", "-rw-------"]),
      owner: lsField(["root", "0", "vpxuser", "512", "1.5G", "Mar"], ["root root", "Mar 14"]),
      group: fc.option(lsField(["root", "0", "512", "12G", "Mar"], ["Mar 14", "12 G"]), { nil: undefined }),
      size: lsField(["42949672960", "0", "512", "41,943,040", "1.5G", "12K", "4kib", "3T"], ["7e", "1e400", "99999999999999999999999", "9007199254740993", "1.", "12 GiB", "Mar", "x"]),
      month: lsField(["Mar", "Dec", "mar"], ["3", "12", "2012-03-14", "M\u00e4r", "Sept", "3\u6708"]),
      day: lsField(["14", "1"], ["x", "123", "1.5G"]),
      time: lsField(["09:30", "9:30", "2012"], ["09:30:00", "12345", "09:3", "1.5G"]),
      name: fc.oneof(
        lsField(["vm-flat.vmdk", "a b.vmdk", "link -> /vmfs/volumes/ds/vm-flat.vmdk", '"quoted name.vmdk"', '"a" -> "b"', "/vmfs/volumes/ds/vm/vm.vmdk", "sub\\vm.vmdk", ".", "..", "-> x", '"', "1.5G", "Mar 14 09:30 x.vmdk"], ["\u00a0nb.vmdk", " x"]),
        fc.string({ minLength: 1, maxLength: 8 }).map((text) => ({ text, good: false })),
      ),
      gaps: fc.array(lsField([" ", "    "], ["\t", " \t", "\u00a0", "\v", "\f", "\r"], 19), { minLength: 10, maxLength: 10 }),
    })
    .map((r) => {
      const fields = [r.blocks, r.perms, r.links, r.owner, r.group, r.size, r.month, r.day, r.time, r.name].filter((f) => f !== undefined);
      const line = fields.map((f, i) => (i === 0 ? f.text : r.gaps[i].text + f.text)).join("");
      const wellFormed = fields.every((f) => f.good) && r.gaps.slice(1, fields.length).every((g) => g.good);
      return { line, wellFormed };
    });
