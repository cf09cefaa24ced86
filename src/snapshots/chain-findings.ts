/**
 * What is wrong with the descriptors' links and with each disk's chain: broken CID links, capacity
 * mismatches, missing or outside parents, loops, orphans, independent and RDM disks, mixed delta
 * formats, deep chains and branches.
 * Source: spec section 4 ([2] KB 1007969: CID link and capacity of each link; [4] KB 304387;
 * [9] independent disks are skipped by snapshots) and section 7 (finding codes); [5] one hierarchy
 * never mixes vmfsSparse and SEsparse.
 */
import { appendFindings, finding, formatBytes, formatMiB, SOURCES, type Finding } from "./findings.ts";
import { cycleFromFirstName, walkUntilRepeat, type DiskNode } from "./graph.ts";
import { countLeaves, isOrphan } from "./trees.ts";
import { baseName } from "./text.ts";
import { DEEP_CHAIN_DELTAS, listedAs, type ChainContext, type DiskChain, type DiskRecord } from "./disk-chain.ts";

/** Link findings, once per descriptor with a parent (or a parent it could not follow), then the loops. */
export function linkFindings(ctx: ChainContext, disks: readonly DiskRecord[]): void {
  for (const n of ctx.graph.all) {
    if (n.parent !== null) parentFindings(ctx.findings, n, n.parent);
    else {
      const gap = gapFinding(ctx, n);
      if (gap !== null) ctx.findings.push(gap);
    }
  }
  loopFindings(ctx, disks);
}

/** CID_MISMATCH and CAPACITY_MISMATCH on the link from n to its parent, added to `out`. */
function parentFindings(out: Finding[], n: DiskNode, parentNode: DiskNode): void {
  const d = n.d;
  const parent = parentNode.d;
  if (n.linkOk === false) {
    out.push(
      finding(
        "CID_MISMATCH",
        "error",
        n.name,
        `${n.name}: parentCID ${d.parentCid} does not match the CID ${parent.cid} of its parent ${parent.file}. "The parent virtual disk has been modified since the child was created": the chain cannot be opened past this link.`,
        {
          line: d.lines.parentCid ?? undefined,
          disk: n.owner,
          fix: `Do not delete or consolidate snapshots yet. Back up every descriptor, then follow the documented procedure in VMware KB 1007969: if ${parent.file} was only opened elsewhere and not written, set parentCID in ${n.name} to ${parent.cid}; if it was written, restore it from backup instead.`,
          source: SOURCES.kbCid,
        },
      ),
    );
  }
  if (capacityDiffers(n, parentNode)) {
    out.push(
      finding(
        "CAPACITY_MISMATCH",
        "error",
        n.name,
        `${n.name}: its extents add up to ${formatBytes(d.capacityBytes)} but its parent ${parent.file} has ${formatBytes(parent.capacityBytes)}; all links of a chain must have the same capacity.`,
        {
          line: d.extents[0]?.line,
          disk: n.owner,
          fix: "Restore the descriptor's extent line from a backup or from the sector count of the parent (KB 1007969 lists this as its own failure).",
          source: SOURCES.kbCid,
        },
      ),
    );
  }
}

/** Both links know their capacity and they differ [2]. */
function capacityDiffers(n: DiskNode, parent: DiskNode): boolean {
  return n.d.capacityBytes > 0 && parent.d.capacityBytes > 0 && n.d.capacityBytes !== parent.d.capacityBytes;
}

/** MISSING_PARENT or PARENT_OUTSIDE_FOLDER for a descriptor whose parent could not be followed, or null for a base. */
function gapFinding(ctx: ChainContext, n: DiskNode): Finding | null {
  const d = n.d;
  if (n.ref === "missing") {
    const gap = n.gapName;
    let where = "";
    if (gap !== null && ctx.listing) {
      const present = listedAs(ctx.listing, gap);
      where = present ? ` (but ${ctx.listing.file} shows ${present}: drop ${gap} too)` : ` (and is absent from ${ctx.listing.file})`;
    }
    return finding(
      "MISSING_PARENT",
      "error",
      n.name,
      gap === null
        ? `${n.name}: it is a delta (parentCID ${d.parentCid ?? "?"}) but names no parent file (parentFileNameHint is missing).`
        : `${n.name}: parentFileNameHint "${gap}" was not among the dropped files${where}.`,
      {
        line: d.lines.parentFileNameHint ?? d.lines.parentCid ?? undefined,
        disk: n.owner,
        fix:
          gap === null
            ? "Restore the descriptor from backup; without its parent the disk cannot be opened."
            : `If ${gap} still exists, drop it too. If it was deleted, restore it and its data file from backup before deleting or consolidating anything: the VM cannot open this disk without it.`,
        source: SOURCES.kbDeltaLayout,
      },
    );
  }
  if (n.ref === "outside") {
    const b = baseName(n.gapName ?? "");
    return finding(
      "PARENT_OUTSIDE_FOLDER",
      "warning",
      n.name,
      `${n.name}: its parent is "${n.gapName}", in another folder or datastore; that link cannot be checked unless ${b} is dropped too.`,
      { line: d.lines.parentFileNameHint ?? undefined, disk: n.owner, fix: `Drop ${b} from that folder as well.`, source: SOURCES.vmdkSpec },
    );
  }
  return null;
}

/** One CHAIN_LOOP per loop: the walk from the first disk's leaf that runs into it, else the loop from its first name. */
function loopFindings(ctx: ChainContext, disks: readonly DiskRecord[]): void {
  const leafIntoLoop = new Map<DiskNode, DiskRecord>();
  for (const disk of disks) {
    if (disk.leaf !== undefined && disk.leaf.end === "loop" && !leafIntoLoop.has(disk.leaf.top)) leafIntoLoop.set(disk.leaf.top, disk);
  }
  for (const cycle of ctx.graph.cycles) {
    const disk = leafIntoLoop.get(cycle[0].top);
    const walked = disk ? walkUntilRepeat(disk.leaf!) : cycleFromFirstName(cycle);
    // the descriptor whose parentFileNameHint closes the loop
    const closing = walked[walked.length - 2];
    const path = walked.map((c) => c.name).join(" -> ");
    const message = disk
      ? `${closing.name}: following parentFileNameHint from ${disk.leaf!.name}, the current file of ${disk.chain.key}, revisits a descriptor (${path}).`
      : `${closing.name}: following parentFileNameHint revisits a descriptor (${path}).`;
    ctx.findings.push(
      finding("CHAIN_LOOP", "error", closing.name, message, {
        line: closing.d.lines.parentFileNameHint ?? undefined,
        disk: disk ? disk.chain.key : closing.owner,
        fix: "A chain must end at a base disk. Restore the descriptors from backup; the parentFileNameHint of one of them was edited wrongly.",
        source: SOURCES.vmdkSpec,
      }),
    );
  }
}

/** Per-disk findings, each disk's chain errors, branches and orphans, and off-chain sizes. Returns how many disks snapshots include. */
export function diskFindings(ctx: ChainContext, disks: readonly DiskRecord[]): number {
  let dependentCount = 0;
  for (const disk of disks) {
    const c = disk.chain;
    for (const n of disk.chainNodes) {
      if (n.parent === null) continue;
      if (n.linkOk === false) c.chainErrors.push(`CID mismatch ${n.name} -> ${n.parent.name}`);
      if (capacityDiffers(n, n.parent)) c.chainErrors.push(`capacity mismatch ${n.name} -> ${n.parent.name}`);
    }
    const offChain = disk.members.filter((m) => !disk.onChain(m));
    const branches = offChain.filter((m) => !isOrphan(m));
    const orphans = offChain.filter(isOrphan);
    c.branchNodes = branches.map((m) => m.name);
    c.orphanNodes = orphans.map((m) => m.name);
    if (c.end === "missing") c.chainErrors.push(`missing parent ${c.gap ?? ""}`.trim());
    if (c.end === "outside") c.chainErrors.push(`parent outside the folder ${c.gap ?? ""}`.trim());
    if (c.end === "loop") c.chainErrors.push("loop in the chain");

    const base = c.end === "base" ? disk.chainNodes[0].d : undefined;
    if (!c.independent && base?.baseType !== "rdm-physical") dependentCount++;
    appendFindings(ctx.findings, modeFindings(ctx, disk));
    appendFindings(ctx.findings, formatFindings(disk, base?.file, base?.baseType));
    // what Delete All deletes rather than merges: branches, then orphaned deltas (an orphaned base is kept)
    disk.offChainBytes = [...branches, ...orphans.filter((o) => o.d.kind === "delta")].reduce((sum, n) => sum + (ctx.sizeOf(n) ?? 0), 0);
    if (branches.length > 0) ctx.findings.push(branchFinding(ctx, c, branches));
  }
  return dependentCount;
}

/** INDEPENDENT_DISK, and INDEPENDENT_WITH_DELTA when an independent disk runs on a delta anyway [9]. */
function modeFindings(ctx: ChainContext, disk: DiskRecord): Finding[] {
  const c = disk.chain;
  if (!c.independent) return [];
  const out = [
    finding(
      "INDEPENDENT_DISK",
      "info",
      ctx.vmx?.file ?? "",
      `${c.key} ${c.leaf} is ${c.mode}: it is not part of any snapshot, so reverting leaves it as it is and Delete All does not touch it.`,
      { line: disk.seed.modeLine ?? disk.seed.line ?? undefined, disk: c.key, source: SOURCES.diskMode },
    ),
  ];
  if (disk.leaf && disk.leaf.d.kind === "delta") {
    out.push(
      finding(
        "INDEPENDENT_WITH_DELTA",
        "warning",
        c.leaf,
        `${c.key} is ${c.mode} but its current file ${c.leaf} is a delta: snapshots skip independent disks, so this delta is left over from an earlier mode or a failed operation.`,
        { disk: c.key, fix: "Consolidate while the disk is dependent (persistent), or clone the disk, before relying on it.", source: SOURCES.diskMode },
      ),
    );
  }
  return out;
}

/** RDM_BASE, MIXED_DELTA_FORMATS or SESPARSE_DELTAS, and DEEP_CHAIN [5]. */
function formatFindings(disk: DiskRecord, baseFile: string | undefined, baseType: string | undefined): Finding[] {
  const c = disk.chain;
  const out: Finding[] = [];
  if (baseFile !== undefined && (baseType === "rdm-virtual" || baseType === "rdm-physical")) {
    out.push(
      finding(
        "RDM_BASE",
        "info",
        baseFile,
        baseType === "rdm-virtual"
          ? `${c.key}: the base ${baseFile} maps a raw LUN (virtual compatibility mode). Deltas live on the VMFS datastore; a commit writes into the LUN, so the datastore does not grow, and the mapping file's size is the LUN's, not datastore usage.`
          : `${c.key}: the base ${baseFile} maps a raw LUN in physical compatibility mode, which snapshots cannot include.`,
        { disk: c.key, source: SOURCES.snapshotFormats },
      ),
    );
  }
  const vmfsSparse = disk.members.some((m) => m.d.deltaFormat === "vmfsSparse");
  const seSparse = disk.members.some((m) => m.d.deltaFormat === "seSparse");
  if (vmfsSparse && seSparse) {
    out.push(
      finding("MIXED_DELTA_FORMATS", "error", c.leaf, `${c.key}: the snapshot tree mixes vmfsSparse and SEsparse deltas, which one hierarchy cannot do.`, {
        disk: c.key,
        fix: "Check that every descriptor belongs to this disk; restore stray descriptors from backup.",
        source: SOURCES.snapshotFormats,
      }),
    );
  } else if (seSparse) {
    out.push(
      finding("SESPARSE_DELTAS", "info", c.leaf, `${c.key}: delta format SEsparse (4 KiB grains; space freed in the guest can be reclaimed by shrinking the delta).`, {
        disk: c.key,
        source: `${SOURCES.snapshotFormats}; ${SOURCES.seSparse}`,
      }),
    );
  }
  const deltas = disk.chainNodes.filter((n) => n.d.kind === "delta").length;
  if (deltas >= DEEP_CHAIN_DELTAS) {
    out.push(
      finding(
        "DEEP_CHAIN",
        "info",
        c.leaf,
        `${c.key}: ${deltas} deltas in the chain. Every read may walk the chain, and ESXi refuses very long chains (the limit is about 255; uncertain).`,
        { disk: c.key, fix: "Delete snapshots you no longer need, oldest first.", source: SOURCES.kbDeltaLayout },
      ),
    );
  }
  return out;
}

/** BRANCHES: which branches Delete All deletes instead of merging, and what that frees. */
function branchFinding(ctx: ChainContext, c: DiskChain, branches: readonly DiskNode[]): Finding {
  const known = branches.map((b) => ctx.sizeOf(b)).filter((v): v is number => v !== undefined);
  const bytes = known.reduce((sum, v) => sum + v, 0);
  const orphanNames = new Set(c.orphanNodes);
  const leaves = countLeaves(c.tree, (name) => !orphanNames.has(name));
  const freed = known.length === branches.length ? `frees ${formatMiB(bytes)}` : known.length > 0 ? `frees at least ${formatMiB(bytes)}` : "frees their space";
  const merged = c.chain.filter((name) => ctx.graph.nodes.get(name)!.d.kind === "delta").join(", ");
  return finding(
    "BRANCHES",
    "info",
    c.leaf,
    `${leaves} branches on ${c.key}; only the current branch (${merged}) is merged by Delete All; ${c.branchNodes.join(", ")} ${c.branchNodes.length === 1 ? "is" : "are"} deleted (${freed}).`,
    { disk: c.key, source: SOURCES.deleteAllOrder },
  );
}

/** Descriptors nothing refers to: deltas, and bases a loop or a lost leaf cut off. Returns them. */
export function orphanFindings(ctx: ChainContext): DiskNode[] {
  const orphans = ctx.graph.all.filter(isOrphan);
  for (const n of orphans) ctx.findings.push(n.d.kind === "base" ? orphanBaseFinding(ctx, n) : orphanDeltaFinding(ctx, n));
  return orphans;
}

function orphanDeltaFinding(ctx: ChainContext, n: DiskNode): Finding {
  const size = ctx.sizeOf(n);
  const sizeText = size !== undefined ? ` (${formatBytes(size)} delta)` : "";
  if (!ctx.vmsd) {
    return finding(
      "DELTA_NOT_IN_CURRENT_CHAIN",
      "info",
      n.name,
      `${n.name}${sizeText} is not on any disk's current chain. Drop the .vmsd to tell whether a snapshot uses it or it is an orphan.`,
      { disk: n.owner, source: SOURCES.kbSnapshotManager },
    );
  }
  const linkText = n.linkOk === true ? `; its CID link to ${n.parent!.name} is intact` : "";
  return finding(
    "ORPHAN_DELTA",
    "warning",
    n.name,
    `${n.name}${sizeText} is referenced by neither ${ctx.vmx ? ctx.vmx.file : "the .vmx"} nor ${ctx.vmsd.file}${linkText}. The Snapshot Manager cannot see it, so Delete All will not remove it.`,
    {
      disk: n.owner,
      fix: "Run Consolidate on the VM (Snapshot > Consolidate). If that does not remove it, take a new snapshot and then Delete All; do not delete delta files by hand.",
      source: `${SOURCES.kbSnapshotManager}; ${SOURCES.consolidate}`,
    },
  );
}

/** A base descriptor that no disk's chain and no snapshot reaches (e.g. cut off when its children loop). */
function orphanBaseFinding(ctx: ChainContext, n: DiskNode): Finding {
  const vmsd = ctx.vmsd;
  const by = `${ctx.vmx ? ctx.vmx.file : "the .vmx"}${vmsd ? ` nor ${vmsd.file}` : ""}`;
  const message = `${n.name} is a base disk that no disk's current chain reaches (referenced by neither ${by}).`;
  if (!vmsd) {
    return finding("DELTA_NOT_IN_CURRENT_CHAIN", "info", n.name, `${message} Drop the .vmsd to tell whether a snapshot uses it.`, {
      disk: n.owner,
      source: SOURCES.kbSnapshotManager,
    });
  }
  return finding("ORPHAN_DELTA", "warning", n.name, `${message} If a loop or a lost descriptor cut it off, the VM's data below the deltas is in it.`, {
    disk: n.owner,
    fix: "Do not delete it: restore the deltas' descriptors from backup so that the chain reaches this base again, or check whether it belongs to another VM.",
    source: SOURCES.kbSnapshotManager,
  });
}
