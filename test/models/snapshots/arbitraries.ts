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
