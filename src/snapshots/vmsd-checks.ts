/**
 * The .vmsd against the disks' chains: which descriptor each snapshot froze, whether that fits the
 * trees (the parent snapshot's descriptor is an ancestor of it), disk counts, and consolidation.
 * Source: spec section 4 ([3] KB 337269: for snapshot S with diskM.fileName = D, the disk state of S's
 * parent snapshot must be an ancestor of D) and section 7 (VMSD_DISK_NOT_IN_CHAIN, NUMDISKS_MISMATCH,
 * NEEDS_CONSOLIDATION). Simplification: an entry for a parent that an absolute parentFileNameHint
 * places outside the folder cannot be checked and is not reported.
 */
import { finding, SOURCES, type Finding } from "./findings.ts";
import type { DiskNode, Graph } from "./graph.ts";
import { baseName } from "./text.ts";
import type { Vmsd, VmsdDisk, VmsdSnapshot } from "./vmsd.ts";
import { listedAs, type ChainContext, type DiskRecord, type SnapshotNodes } from "./disk-chain.ts";

/** Each snapshot with the nodes its disk entries name, and each node's snapshot uids, ascending. */
export function resolveVmsdEntries(graph: Graph, snapshots: readonly VmsdSnapshot[]): SnapshotNodes[] {
  const resolved = snapshots.map((snapshot) => ({ snapshot, nodes: snapshot.disks.map((e) => graph.nodes.get(baseName(e.fileName))) }));
  for (const { snapshot, nodes } of resolved) {
    for (const n of nodes) {
      if (n !== undefined && !n.uids.includes(snapshot.uid)) n.uids.push(snapshot.uid);
    }
  }
  // most descriptors are frozen by one snapshot at most: only a longer list needs sorting
  for (const n of graph.all) if (n.uids.length > 1) n.uids.sort((a, b) => a - b);
  return resolved;
}

/**
 * For each snapshot, where its first disk entry per node and per index is, made when first asked for,
 * so that matching every entry against its parent snapshot stays linear in the number of entries.
 */
class EntryLookup {
  private readonly byNode = new Map<VmsdSnapshot, Map<string, number>>();
  private readonly byIndex = new Map<VmsdSnapshot, Map<number, number>>();

  /** Where the entry of `snapshot` that matches `e` is: the first for the same node, or, for an entry without a node, the first with the same index. */
  matching(snapshot: VmsdSnapshot, e: VmsdDisk): number | undefined {
    if (e.node !== null) {
      let byNode = this.byNode.get(snapshot);
      if (byNode === undefined) this.byNode.set(snapshot, (byNode = firstPositions(snapshot.disks, (x) => x.node)));
      return byNode.get(e.node);
    }
    let byIndex = this.byIndex.get(snapshot);
    if (byIndex === undefined) this.byIndex.set(snapshot, (byIndex = firstPositions(snapshot.disks, (x) => x.index)));
    return byIndex.get(e.index);
  }
}

/** Where the first entry with each key is (entries without a key are left out). */
function firstPositions<K>(disks: readonly VmsdDisk[], keyOf: (e: VmsdDisk) => K | null): Map<K, number> {
  const first = new Map<K, number>();
  disks.forEach((e, i) => {
    const key = keyOf(e);
    if (key !== null && !first.has(key)) first.set(key, i);
  });
  return first;
}

/** The .vmsd against the disks: disk counts, entries that are not in the chains, consolidation. */
export function vmsdFindings(ctx: ChainContext, disks: readonly DiskRecord[], vmsd: Vmsd, dependentCount: number, orphans: readonly DiskNode[]): void {
  // the last snapshot with a uid, and the last disk with a key, win
  const byUid = new Map(ctx.snapshots.map((s) => [s.snapshot.uid, s]));
  const byKey = new Map(disks.map((d) => [d.chain.key, d]));
  for (const disk of disks) if (disk.leaf && !disk.chain.inferred) disk.leaf.leafOf ??= disk.chain.key;
  const entries = new EntryLookup();
  for (const { snapshot: s, nodes } of ctx.snapshots) {
    const count = s.numDisks ?? s.disks.length;
    if (ctx.vmx && count !== dependentCount) {
      ctx.findings.push(
        finding(
          "NUMDISKS_MISMATCH",
          "warning",
          vmsd.file,
          `${vmsd.file}: snapshot uid ${s.uid} '${s.displayName}' has ${count} disk${count === 1 ? "" : "s"}, but ${ctx.vmx.file} has ${dependentCount} disk${
            dependentCount === 1 ? "" : "s"
          } that snapshots include.`,
          { line: s.line, fix: "Normal if a disk was added or made independent after this snapshot; otherwise the .vmsd is out of date.", source: SOURCES.kbSnapshotManager },
        ),
      );
    }
    const parent = s.parentUid !== null ? byUid.get(s.parentUid) : undefined;
    for (let i = 0; i < s.disks.length; i++) {
      const e = s.disks[i];
      const match = parent !== undefined ? entries.matching(parent.snapshot, e) : undefined;
      const parentNode = match !== undefined ? parent!.nodes[match] : undefined;
      const problem = entryProblem(ctx, e, nodes[i], parentNode, byKey);
      if (problem !== null) ctx.findings.push(entryFinding(ctx, vmsd, { snapshot: s, entry: e, node: nodes[i], parent: parent?.snapshot, parentNode }, problem));
    }
  }
  const reasons = consolidationReasons(ctx, disks, vmsd, orphans);
  if (reasons.length > 0) {
    ctx.findings.push(
      finding("NEEDS_CONSOLIDATION", "warning", vmsd.file, `Consolidation needed: ${reasons.join("; ")}.`, {
        fix: "Run Consolidate on the VM (vSphere 5.0 and later), after checking that the datastore has the free space the commit needs.",
        source: `${SOURCES.kbSnapshotManager}; ${SOURCES.consolidate}`,
      }),
    );
  }
}

function consolidationReasons(ctx: ChainContext, disks: readonly DiskRecord[], vmsd: Vmsd, orphans: readonly DiskNode[]): string[] {
  const reasons: string[] = [];
  if (vmsd.needConsolidate) reasons.push(`${vmsd.file} has snapshot.needConsolidate = "TRUE"`);
  if (vmsd.snapshots.length === 0) {
    const onDelta = disks.filter((disk) => !disk.chain.independent && disk.leaf?.d.kind === "delta");
    // without a .vmx, which file the VM runs on is not known: only say that deltas exist
    const running = onDelta.filter((disk) => !disk.chain.inferred);
    const inferred = onDelta.filter((disk) => disk.chain.inferred);
    if (running.length > 0) {
      reasons.push(`${running.map((disk) => `disk ${disk.chain.key}`).join(", ")} ${running.length === 1 ? "runs" : "run"} on a delta but ${vmsd.file} lists 0 snapshots`);
    }
    if (inferred.length > 0) {
      reasons.push(
        `${inferred.map((disk) => disk.chain.leaf).join(", ")} ${inferred.length === 1 ? "is a delta" : "are deltas"} but ${vmsd.file} lists 0 snapshots (no .vmx was dropped, so which file the VM runs on is not known)`,
      );
    }
  }
  // an orphaned base is not something Consolidate merges; only orphaned deltas call for it
  const orphanDeltas = orphans.filter((n) => n.d.kind === "delta");
  if (orphanDeltas.length > 0) reasons.push(`${orphanDeltas.map((n) => n.name).join(", ")} ${orphanDeltas.length === 1 ? "is a delta" : "are deltas"} no snapshot lists`);
  return reasons;
}

/** A disk entry of a snapshot, the node it names, and what its parent snapshot froze for the same disk. */
interface EntryCheck {
  snapshot: VmsdSnapshot;
  entry: VmsdDisk;
  /** The node the entry names, when it was dropped. */
  node: DiskNode | undefined;
  /** The snapshot's parent snapshot, and the node its entry for the same disk names. */
  parent: VmsdSnapshot | undefined;
  parentNode: DiskNode | undefined;
}

/** Why an entry does not fit the disks' chains. */
type EntryProblem = "not-dropped" | "current-leaf" | "outside-disk-tree" | "not-ancestor" | "other-tree";

/**
 * Why entry `e`, which names node `n`, does not fit the disks' chains, where `pn` is what its parent
 * snapshot froze for the same disk; null when it fits (most do: no sentence is written for them).
 */
function entryProblem(ctx: ChainContext, e: VmsdDisk, n: DiskNode | undefined, pn: DiskNode | undefined, byKey: ReadonlyMap<string, DiskRecord>): EntryProblem | null {
  // a parent the analyzer already reports as outside the folder (PARENT_OUTSIDE_FOLDER) cannot be checked either
  if (!n) return ctx.graph.outsideParents.has(baseName(e.fileName)) ? null : "not-dropped";
  if (n.leafOf !== undefined) return "current-leaf";
  const disk = e.node !== null ? byKey.get(e.node) : undefined;
  if (disk && disk.chain.end === "base" && n.top !== disk.chainNodes[0].top) return "outside-disk-tree";
  return pn ? parentProblem(n, pn) : null;
}

/** VMSD_DISK_NOT_IN_CHAIN for an entry and its problem. */
function entryFinding(ctx: ChainContext, vmsd: Vmsd, check: EntryCheck, problem: EntryProblem): Finding {
  const { snapshot: s, entry: e, node: n, parent, parentNode: pn } = check;
  const label = `snapshot uid ${s.uid} '${s.displayName}' disk${e.index}`;
  const D = baseName(e.fileName);
  let message: string;
  let fix = "Run Consolidate; if the snapshot still shows, delete it in the Snapshot Manager. Never delete delta files by hand.";
  if (problem === "not-dropped") {
    let where = "";
    if (ctx.listing) {
      const present = listedAs(ctx.listing, D);
      where = present ? ` (${ctx.listing.file} shows ${present}: drop ${D} too)` : ` (and ${ctx.listing.file} does not list it)`;
    }
    message = `${label} ${D} not found among the dropped files${where}: the disks do not have this snapshot.`;
    fix = `If ${D} exists, drop it too. Otherwise this snapshot is only an entry in ${vmsd.file}: delete it in the Snapshot Manager (or Consolidate), which removes the entry.`;
  } else if (problem === "current-leaf") {
    message = `${label} says its frozen disk is ${D}, but the VM writes to that file (it is the current leaf of ${n!.leafOf}, not a read-only ancestor).`;
  } else if (problem === "outside-disk-tree") {
    message = `${label} names ${D}, which is not in the snapshot tree of ${e.node}.`;
  } else {
    message = `${label} names ${D}, but its parent snapshot uid ${parent!.uid} froze ${pn!.name}, which is ${problem === "not-ancestor" ? `not an ancestor of ${D}` : "in another tree"}.`;
  }
  return finding("VMSD_DISK_NOT_IN_CHAIN", "warning", vmsd.file, message, { line: e.line, disk: e.node ?? undefined, fix, source: SOURCES.kbSnapshotManager });
}

/** What is wrong when the parent snapshot froze `pn` for this disk and this snapshot froze `n` (pn must be an ancestor of n), or null. */
function parentProblem(n: DiskNode, pn: DiskNode): "not-ancestor" | "other-tree" | null {
  if (n.end !== "loop" && pn.end !== "loop" && n.top === pn.top) {
    let cur: DiskNode | null = n;
    for (let steps = n.depth - pn.depth; steps > 0 && cur !== null; steps--) cur = cur.parent;
    return n.depth <= pn.depth || cur !== pn ? "not-ancestor" : null;
  }
  if (n.end === "base" && pn.end === "base" && n.top !== pn.top) return "other-tree";
  return null;
}
