/**
 * The .vmsd against the disks' chains: which descriptor each snapshot froze, whether that fits the
 * trees (the parent snapshot's descriptor is an ancestor of it), disk counts, and consolidation.
 * Source: spec section 4 ([3] KB 337269: for snapshot S with diskM.fileName = D, the disk state of S's
 * parent snapshot must be an ancestor of D) and section 7 (VMSD_DISK_NOT_IN_CHAIN, NUMDISKS_MISMATCH,
 * NEEDS_CONSOLIDATION). Simplification: an entry for a parent that an absolute parentFileNameHint
 * places outside the folder cannot be checked and is not reported.
 */
import { finding, SOURCES, type Finding } from "./findings.ts";
import type { DiskNode } from "./graph.ts";
import { baseName } from "./text.ts";
import type { Vmsd, VmsdDisk, VmsdSnapshot } from "./vmsd.ts";
import { listedAs, type ChainContext, type DiskRecord } from "./disk-chain.ts";

/** The node each .vmsd disk entry names, and each node's snapshot uids, ascending. */
export function resolveVmsdEntries(ctx: ChainContext): void {
  for (const s of ctx.snapshots) {
    for (const e of s.disks) {
      const n = ctx.graph.nodes.get(baseName(e.fileName));
      if (!n) continue;
      ctx.entryNode.set(e, n);
      if (!n.uids.includes(s.uid)) n.uids.push(s.uid);
    }
  }
  // most descriptors are frozen by one snapshot at most: only a longer list needs sorting
  for (const n of ctx.graph.all) if (n.uids.length > 1) n.uids.sort((a, b) => a - b);
}

/**
 * For each snapshot, its first disk entry per node and per index, made when first asked for, so that
 * matching every entry against its parent snapshot stays linear in the number of entries.
 */
class EntryLookup {
  private readonly bySnapshot = new Map<VmsdSnapshot, { byNode: Map<string, VmsdDisk>; byIndex: Map<number, VmsdDisk> }>();

  /** The entry of `snapshot` that matches `e`: the first for the same node, or, for an entry without a node, the first with the same index. */
  matching(snapshot: VmsdSnapshot, e: VmsdDisk): VmsdDisk | undefined {
    let index = this.bySnapshot.get(snapshot);
    if (index === undefined) {
      index = { byNode: new Map(), byIndex: new Map() };
      for (const x of snapshot.disks) {
        if (x.node !== null && !index.byNode.has(x.node)) index.byNode.set(x.node, x);
        if (!index.byIndex.has(x.index)) index.byIndex.set(x.index, x);
      }
      this.bySnapshot.set(snapshot, index);
    }
    return e.node !== null ? index.byNode.get(e.node) : index.byIndex.get(e.index);
  }
}

/** The .vmsd against the disks: disk counts, entries that are not in the chains, consolidation. */
export function vmsdFindings(ctx: ChainContext, disks: readonly DiskRecord[], vmsd: Vmsd, dependentCount: number, orphans: readonly DiskNode[]): void {
  // the last snapshot with a uid, and the last disk with a key, win
  const byUid = new Map(ctx.snapshots.map((s) => [s.uid, s]));
  const byKey = new Map(disks.map((d) => [d.chain.key, d]));
  for (const disk of disks) if (disk.leaf && !disk.chain.inferred) disk.leaf.leafOf ??= disk.chain.key;
  const entries = new EntryLookup();
  for (const s of ctx.snapshots) {
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
    for (const e of s.disks) {
      const match = parent !== undefined ? entries.matching(parent, e) : undefined;
      const problem = entryFinding(ctx, { vmsd, snapshot: s, entry: e, parent, parentEntry: match, disk: e.node !== null ? byKey.get(e.node) : undefined });
      if (problem !== null) ctx.findings.push(problem);
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

/** Why disk entry `e` of snapshot `s` does not fit the disks' chains, as a finding, or null when it fits. */
interface EntryCheck {
  vmsd: Vmsd;
  snapshot: VmsdSnapshot;
  entry: VmsdDisk;
  /** The snapshot's parent snapshot, and its entry for the same disk. */
  parent: VmsdSnapshot | undefined;
  parentEntry: VmsdDisk | undefined;
  /** The disk the entry's node names. */
  disk: DiskRecord | undefined;
}

function entryFinding(ctx: ChainContext, check: EntryCheck): Finding | null {
  const { vmsd, snapshot: s, entry: e, parent, parentEntry, disk } = check;
  const n = ctx.entryNode.get(e);
  // most entries fit: the sentence is only written for one that does not
  const label = () => `snapshot uid ${s.uid} '${s.displayName}' disk${e.index}`;
  const D = () => baseName(e.fileName);
  let problem: string | null = null;
  let fix = "Run Consolidate; if the snapshot still shows, delete it in the Snapshot Manager. Never delete delta files by hand.";
  if (!n) {
    // a parent the analyzer already reports as outside the folder (PARENT_OUTSIDE_FOLDER) cannot be checked either
    if (ctx.graph.outsideParents.has(D())) return null;
    let where = "";
    if (ctx.listing) {
      const present = listedAs(ctx.listing, D());
      where = present ? ` (${ctx.listing.file} shows ${present}: drop ${D()} too)` : ` (and ${ctx.listing.file} does not list it)`;
    }
    problem = `${label()} ${D()} not found among the dropped files${where}: the disks do not have this snapshot.`;
    fix = `If ${D()} exists, drop it too. Otherwise this snapshot is only an entry in ${vmsd.file}: delete it in the Snapshot Manager (or Consolidate), which removes the entry.`;
  } else if (n.leafOf !== undefined) {
    problem = `${label()} says its frozen disk is ${D()}, but the VM writes to that file (it is the current leaf of ${n.leafOf}, not a read-only ancestor).`;
  } else if (disk && disk.chain.end === "base" && n.top !== disk.chainNodes[0].top) {
    problem = `${label()} names ${D()}, which is not in the snapshot tree of ${disk.chain.key}.`;
  } else if (parent) {
    const pn = parentEntry !== undefined ? ctx.entryNode.get(parentEntry) : undefined;
    if (pn) {
      const why = parentProblem(n, pn);
      if (why !== null) problem = `${label()} names ${D()}, but its parent snapshot uid ${parent.uid} froze ${pn.name}, which is ${why === "not-ancestor" ? `not an ancestor of ${D()}` : "in another tree"}.`;
    }
  }
  if (problem === null) return null;
  return finding("VMSD_DISK_NOT_IN_CHAIN", "warning", vmsd.file, problem, { line: e.line, disk: e.node ?? undefined, fix, source: SOURCES.kbSnapshotManager });
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
