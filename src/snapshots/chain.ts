/**
 * Snapshot chains per disk: the tree of descriptors from the base to the current leaf, and what
 * is wrong with it (broken CID links, missing parents, loops, orphans, .vmsd disagreements).
 * Source: spec section 4 ([2] KB 1007969: a link child -> parent holds iff child.parentCID ==
 * parent.CID; [3] KB 337269 and [4] KB 304387: the .vmx names the leaf, the .vmsd names each
 * snapshot's frozen descriptor; [9] independent disks are skipped) and section 7 (finding codes).
 * Simplifications: a parent is found by the base name of parentFileNameHint among the dropped files;
 * an absolute hint whose file was not dropped cannot be checked (PARENT_OUTSIDE_FOLDER). Every walk
 * is memoised, so the whole analysis is linear in the number of descriptors plus the output.
 */
import { finding, formatBytes, formatMiB, SOURCES, type Finding } from "./findings.ts";
import { type BaseType, type DeltaFormat, type Descriptor } from "./descriptor.ts";
import { baseName, isAbsolutePath } from "./text.ts";
import type { DiskMode, Vmx } from "./vmx.ts";
import type { Vmsd } from "./vmsd.ts";

/** How the walk from a disk's leaf toward its base ended. */
export type ChainEnd = "base" | "missing" | "outside" | "loop" | "not-dropped";

/** ESXi's limit is about 255 links (uncertain); from 32 deltas on, the chain is worth a note. */
export const DEEP_CHAIN_DELTAS = 32;

export interface TreeNode {
  name: string;
  /** "missing" / "outside": a placeholder for a parent that was named but not dropped. */
  status: "ok" | "missing" | "outside";
  cid: string | null;
  parentCid: string | null;
  createType: string | null;
  kind: "base" | "delta";
  format: DeltaFormat | null;
  capacityBytes: number;
  /** Size from the listing or entered by hand (delta: its data file; base: allocated), or null. */
  sizeBytes: number | null;
  /** On the chain from this disk's current leaf to its base (what Delete All merges). */
  onChain: boolean;
  /** This disk's current leaf (the file the VM writes to). */
  current: boolean;
  /** A delta no .vmx chain and no .vmsd snapshot refers to. */
  orphan: boolean;
  /** uids of the .vmsd snapshots that froze this descriptor. */
  snapshotUids: number[];
  /** CID link to the parent: true when parentCID matches, false when not, null when unknown. */
  linkOk: boolean | null;
  children: TreeNode[];
}

export interface DiskChain {
  /** .vmx device key ("scsi0:1"), or the leaf's name for a disk inferred without a .vmx. */
  key: string;
  /** The leaf as named in the .vmx. */
  fileName: string;
  /** Base name of the leaf. */
  leaf: string;
  mode: DiskMode;
  independent: boolean;
  /** True when there was no .vmx and the disk was inferred from a descriptor nothing names as parent. */
  inferred: boolean;
  /** Descriptor names from the top-most known link (the base when complete) to the leaf. */
  chain: string[];
  end: ChainEnd;
  /** The parent that could not be followed (missing or outside), or null. */
  gap: string | null;
  /** Base type when the chain reaches a base, else null. */
  baseType: BaseType | null;
  capacityBytes: number;
  /** The tree through this disk's chain, rooted at its top-most known descriptor (or a placeholder). */
  tree: TreeNode | null;
  /** Other trees that belong to this disk but are not connected to its chain (e.g. past a missing parent). */
  detached: TreeNode[];
  /** Names in the tree that are neither on the chain nor orphans: other snapshot branches. */
  branchNodes: string[];
  /** Deltas in the tree that no snapshot or chain refers to. */
  orphanNodes: string[];
  /** Errors on the chain itself (broken link, gap, loop): a commit could not open it. */
  chainErrors: string[];
}

export interface ChainInput {
  descriptors: readonly Descriptor[];
  vmx: Vmx | null;
  vmsd: Vmsd | null;
  /** Sizes by descriptor name (delta data size, or a thin base's allocation) for messages and trees. */
  sizes?: ReadonlyMap<string, number>;
  /** The pasted listing, to say whether a missing parent still exists on the datastore. */
  listing?: { file: string; names: ReadonlySet<string> } | null;
}

export interface ChainResult {
  disks: DiskChain[];
  /** Trees that belong to no disk. */
  unattached: TreeNode[];
  findings: Finding[];
}

type ParentRef = { kind: "resolved"; name: string } | { kind: "none" } | { kind: "missing" | "outside"; name: string | null };

interface Memo {
  top: string;
  end: "base" | "missing" | "outside" | "loop";
  gap: string | null;
  /** Distance from top; -1 inside or above a loop. */
  depth: number;
}

function stem(name: string): string {
  let s = name.toLowerCase().endsWith(".vmdk") ? name.slice(0, -5) : name;
  // vm-000012 -> vm
  const dash = s.lastIndexOf("-");
  if (dash > 0 && s.length - dash - 1 === 6) {
    let digits = true;
    for (let i = dash + 1; i < s.length; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) digits = false;
    if (digits) s = s.slice(0, dash);
  }
  return s;
}

const lower = (s: string | null) => (s === null ? null : s.toLowerCase());

export function buildChains(input: ChainInput): ChainResult {
  const findings: Finding[] = [];
  const byName = new Map<string, Descriptor>();
  for (const d of input.descriptors) byName.set(d.file, d);
  const names = [...byName.keys()].sort();
  const sizes = input.sizes ?? new Map<string, number>();

  // 1. parent of each descriptor
  const parentOf = new Map<string, ParentRef>();
  const children = new Map<string, string[]>();
  for (const name of names) {
    const d = byName.get(name)!;
    const hint = d.parentFileNameHint ?? "";
    let ref: ParentRef;
    if (hint.trim() !== "") {
      const b = baseName(hint);
      if (byName.has(b)) ref = { kind: "resolved", name: b };
      else ref = { kind: isAbsolutePath(hint) ? "outside" : "missing", name: isAbsolutePath(hint) ? hint : b };
    } else if (d.kind === "delta") ref = { kind: "missing", name: null };
    else ref = { kind: "none" };
    parentOf.set(name, ref);
    if (ref.kind === "resolved") {
      let list = children.get(ref.name);
      if (!list) children.set(ref.name, (list = []));
      list.push(name);
    }
  }

  // 2. top, end and depth of every descriptor, and the loops (each walk step is done once)
  const memo = new Map<string, Memo>();
  const cycles: string[][] = [];
  for (const name of names) {
    if (memo.has(name)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let cur = name;
    let base: Memo;
    for (;;) {
      const known = memo.get(cur);
      if (known) {
        base = known;
        break;
      }
      const at = onPath.get(cur);
      if (at !== undefined) {
        const cycle = path.slice(at);
        let top = cycle[0];
        for (const c of cycle) if (c < top) top = c;
        cycles.push(cycle);
        for (const c of cycle) memo.set(c, { top, end: "loop", gap: null, depth: -1 });
        path.length = at;
        base = memo.get(cur)!;
        break;
      }
      onPath.set(cur, path.length);
      path.push(cur);
      const p: ParentRef = parentOf.get(cur)!;
      if (p.kind === "resolved") {
        cur = p.name;
        continue;
      }
      path.pop();
      base = { top: cur, end: p.kind === "none" ? "base" : p.kind, gap: p.kind === "none" ? null : p.name, depth: 0 };
      memo.set(cur, base);
      break;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      memo.set(path[i], { top: base.top, end: base.end, gap: base.gap, depth: base.end === "loop" ? -1 : base.depth + (path.length - i) });
    }
  }

  // 3. vmsd references by descriptor
  const snapshotsOf = new Map<string, number[]>();
  if (input.vmsd) {
    for (const s of input.vmsd.snapshots) {
      for (const e of s.disks) {
        const b = baseName(e.fileName);
        let list = snapshotsOf.get(b);
        if (!list) snapshotsOf.set(b, (list = []));
        if (!list.includes(s.uid)) list.push(s.uid);
      }
    }
  }

  // 4. disks: from the .vmx, or inferred from leaves when there is none
  interface DiskSeed {
    key: string;
    fileName: string;
    mode: DiskMode;
    independent: boolean;
    inferred: boolean;
    line: number | null;
    modeLine: number | null;
  }
  const seeds: DiskSeed[] = [];
  if (input.vmx) {
    for (const d of input.vmx.disks) {
      seeds.push({ key: d.key, fileName: d.fileName, mode: d.mode, independent: d.independent, inferred: false, line: d.line, modeLine: d.modeLine });
    }
  } else {
    for (const name of names) {
      if (children.has(name) || memo.get(name)!.end === "loop") continue;
      seeds.push({ key: name, fileName: name, mode: "persistent", independent: false, inferred: true, line: null, modeLine: null });
      findings.push(
        finding("INFERRED_DISK", "info", name, `No .vmx was dropped, so ${name} is taken as a disk's current file (no other descriptor names it as parent).`, {
          disk: name,
          fix: "Drop the .vmx too, to check disk modes and which file each disk writes to.",
        }),
      );
    }
  }
  const leafNames = new Set(seeds.map((s) => baseName(s.fileName)));

  // 5. referenced descriptors: ancestors of the leaves and of the .vmsd entries
  const referenced = new Set<string>();
  const markUp = (start: string) => {
    let cur: string | null = start;
    while (cur !== null && byName.has(cur) && !referenced.has(cur)) {
      referenced.add(cur);
      const p: ParentRef = parentOf.get(cur)!;
      cur = p.kind === "resolved" ? p.name : null;
    }
  };
  for (const l of leafNames) markUp(l);
  for (const b of snapshotsOf.keys()) markUp(b);
  const isOrphan = (name: string) => !referenced.has(name) && byName.get(name)!.kind === "delta" && memo.get(name)!.end !== "loop";

  // 6. chains and trees
  const disks: DiskChain[] = [];
  const ownerOf = new Map<string, string>();
  const claimedTops = new Set<string>();
  const vmxFile = input.vmx?.file ?? "";

  const makeNode = (name: string, disk: { chainSet: Set<string>; leaf: string }): TreeNode => {
    const d = byName.get(name)!;
    const p = parentOf.get(name)!;
    let linkOk: boolean | null = null;
    if (p.kind === "resolved") {
      const parent = byName.get(p.name)!;
      if (d.parentCid !== null && parent.cid !== null) linkOk = lower(d.parentCid) === lower(parent.cid);
    }
    return {
      name,
      status: "ok",
      cid: d.cid,
      parentCid: d.parentCid,
      createType: d.createType,
      kind: d.kind,
      format: d.deltaFormat,
      capacityBytes: d.capacityBytes,
      sizeBytes: sizes.get(name) ?? null,
      onChain: disk.chainSet.has(name),
      current: name === disk.leaf,
      orphan: isOrphan(name),
      snapshotUids: [...(snapshotsOf.get(name) ?? [])].sort((a, b) => a - b),
      linkOk,
      children: [],
    };
  };
  const buildTree = (top: string, disk: { chainSet: Set<string>; leaf: string }, owner: string | null): { tree: TreeNode; names: string[] } => {
    const seen = new Set<string>([top]);
    const root = makeNode(top, disk);
    const stack = [root];
    const all = [top];
    while (stack.length > 0) {
      const node = stack.pop()!;
      for (const c of children.get(node.name) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        all.push(c);
        const child = makeNode(c, disk);
        node.children.push(child);
        stack.push(child);
      }
    }
    if (owner !== null) for (const n of all) if (!ownerOf.has(n)) ownerOf.set(n, owner);
    return { tree: root, names: all };
  };
  const placeholder = (name: string, status: "missing" | "outside", child: TreeNode): TreeNode => ({
    name,
    status,
    cid: null,
    parentCid: null,
    createType: null,
    kind: "base",
    format: null,
    capacityBytes: child.capacityBytes,
    sizeBytes: null,
    onChain: true,
    current: false,
    orphan: false,
    snapshotUids: [...(snapshotsOf.get(baseName(name)) ?? [])].sort((a, b) => a - b),
    linkOk: null,
    children: [child],
  });

  const diskTreeNames = new Map<string, string[]>();
  for (const seed of seeds) {
    const leaf = baseName(seed.fileName);
    const disk: DiskChain = {
      key: seed.key,
      fileName: seed.fileName,
      leaf,
      mode: seed.mode,
      independent: seed.independent,
      inferred: seed.inferred,
      chain: [],
      end: "not-dropped",
      gap: null,
      baseType: null,
      capacityBytes: 0,
      tree: null,
      detached: [],
      branchNodes: [],
      orphanNodes: [],
      chainErrors: [],
    };
    disks.push(disk);
    if (!byName.has(leaf)) {
      findings.push(
        finding(
          "MISSING_DISK_FILE",
          "warning",
          vmxFile || leaf,
          `${vmxFile} line ${seed.line}: ${seed.key} writes to ${leaf}, which was not among the dropped files, so its chain cannot be checked.`,
          { line: seed.line ?? undefined, disk: seed.key, fix: `Drop ${leaf} (a small text descriptor) together with the .vmx.` },
        ),
      );
      disk.chainErrors.push(`${leaf} was not dropped`);
      continue;
    }
    const m = memo.get(leaf)!;
    const chain: string[] = [];
    const inChain = new Set<string>();
    let cur: string | null = leaf;
    while (cur !== null && !inChain.has(cur)) {
      chain.push(cur);
      inChain.add(cur);
      const p: ParentRef = parentOf.get(cur)!;
      cur = p.kind === "resolved" ? p.name : null;
    }
    chain.reverse();
    disk.chain = chain;
    disk.end = m.end;
    disk.gap = m.gap;
    const top = m.end === "loop" ? m.top : chain[0];
    const first = byName.get(chain[0])!;
    disk.capacityBytes = byName.get(leaf)!.capacityBytes || first.capacityBytes;
    if (m.end === "base") disk.baseType = first.baseType;
    const built = buildTree(top, { chainSet: inChain, leaf }, seed.key);
    claimedTops.add(top);
    diskTreeNames.set(seed.key, built.names);
    disk.tree = m.end === "missing" || m.end === "outside" ? placeholder(m.gap ?? "(unnamed parent)", m.end, built.tree) : built.tree;
  }

  // 7. detached trees: a vmsd entry for a disk node, or a shared name stem, ties them to a disk
  const diskByKey = new Map(disks.map((d) => [d.key, d]));
  const attach = new Map<string, DiskChain>();
  if (input.vmsd) {
    for (const s of input.vmsd.snapshots) {
      for (const e of s.disks) {
        const b = baseName(e.fileName);
        const m = memo.get(b);
        const disk = e.node !== null ? diskByKey.get(e.node) : undefined;
        if (m && disk && !claimedTops.has(m.top) && !attach.has(m.top)) attach.set(m.top, disk);
      }
    }
  }
  const diskByStem = new Map<string, DiskChain>();
  for (const d of disks) if (byName.has(d.leaf) && !diskByStem.has(stem(d.leaf))) diskByStem.set(stem(d.leaf), d);
  const unattached: TreeNode[] = [];
  const tops = [...new Set(names.map((n) => memo.get(n)!.top))].sort();
  for (const top of tops) {
    if (claimedTops.has(top)) continue;
    let disk = attach.get(top);
    if (!disk) disk = diskByStem.get(stem(top));
    const owner = disk ? disk.key : null;
    const built = buildTree(top, { chainSet: new Set(), leaf: "" }, owner);
    const m = memo.get(top)!;
    const tree = m.end === "missing" || m.end === "outside" ? placeholder(m.gap ?? "(unnamed parent)", m.end, built.tree) : built.tree;
    tree.onChain = false;
    if (disk) disk.detached.push(tree);
    else unattached.push(tree);
  }

  // 8. link findings, once per descriptor with a parent
  const listing = input.listing ?? null;
  for (const name of names) {
    const d = byName.get(name)!;
    const p = parentOf.get(name)!;
    const disk = ownerOf.get(name);
    if (p.kind === "resolved") {
      const parent = byName.get(p.name)!;
      if (d.parentCid !== null && parent.cid !== null && lower(d.parentCid) !== lower(parent.cid)) {
        findings.push(
          finding(
            "CID_MISMATCH",
            "error",
            name,
            `${name}: parentCID ${d.parentCid} does not match the CID ${parent.cid} of its parent ${p.name}. "The parent virtual disk has been modified since the child was created": the chain cannot be opened past this link.`,
            {
              line: d.lines.parentCid ?? undefined,
              disk,
              fix: `Do not delete or consolidate snapshots yet. Back up every descriptor, then follow the documented procedure in VMware KB 1007969: if ${p.name} was only opened elsewhere and not written, set parentCID in ${name} to ${parent.cid}; if it was written, restore it from backup instead.`,
              source: SOURCES.kbCid,
            },
          ),
        );
      }
      if (d.capacityBytes > 0 && parent.capacityBytes > 0 && d.capacityBytes !== parent.capacityBytes) {
        findings.push(
          finding(
            "CAPACITY_MISMATCH",
            "error",
            name,
            `${name}: its extents add up to ${formatBytes(d.capacityBytes)} but its parent ${p.name} has ${formatBytes(parent.capacityBytes)}; all links of a chain must have the same capacity.`,
            {
              line: d.extents[0]?.line,
              disk,
              fix: "Restore the descriptor's extent line from a backup or from the sector count of the parent (KB 1007969 lists this as its own failure).",
              source: SOURCES.kbCid,
            },
          ),
        );
      }
    } else if (p.kind === "missing") {
      let where = "";
      if (p.name !== null && listing) {
        const s = p.name.replace(/\.vmdk$/i, "");
        const present = [p.name, `${s}-delta.vmdk`, `${s}-sesparse.vmdk`, `${s}-flat.vmdk`].find((c) => listing.names.has(c));
        where = present ? ` (but ${listing.file} shows ${present}: drop ${p.name} too)` : ` (and is absent from ${listing.file})`;
      }
      findings.push(
        finding(
          "MISSING_PARENT",
          "error",
          name,
          p.name === null
            ? `${name}: it is a delta (parentCID ${d.parentCid ?? "?"}) but names no parent file (parentFileNameHint is missing).`
            : `${name}: parentFileNameHint "${p.name}" was not among the dropped files${where}.`,
          {
            line: d.lines.parentFileNameHint ?? d.lines.parentCid ?? undefined,
            disk,
            fix:
              p.name === null
                ? "Restore the descriptor from backup; without its parent the disk cannot be opened."
                : `If ${p.name} still exists, drop it too. If it was deleted, restore it and its data file from backup before deleting or consolidating anything: the VM cannot open this disk without it.`,
            source: SOURCES.kbDeltaLayout,
          },
        ),
      );
    } else if (p.kind === "outside") {
      findings.push(
        finding(
          "PARENT_OUTSIDE_FOLDER",
          "warning",
          name,
          `${name}: its parent is "${p.name}", in another folder or datastore; that link cannot be checked unless ${baseName(p.name ?? "")} is dropped too.`,
          { line: d.lines.parentFileNameHint ?? undefined, disk, fix: `Drop ${baseName(p.name ?? "")} from that folder as well.`, source: SOURCES.vmdkSpec },
        ),
      );
    }
  }
  for (const cycle of cycles) {
    let first = cycle[0];
    for (const c of cycle) if (c < first) first = c;
    const from = cycle.indexOf(first);
    const ordered = [...cycle.slice(from), ...cycle.slice(0, from), first];
    findings.push(
      finding("CHAIN_LOOP", "error", first, `${first}: following parentFileNameHint revisits a descriptor (${ordered.join(" -> ")}).`, {
        line: byName.get(first)!.lines.parentFileNameHint ?? undefined,
        disk: ownerOf.get(first),
        fix: "A chain must end at a base disk. Restore the descriptors from backup; the parentFileNameHint of one of them was edited wrongly.",
        source: SOURCES.vmdkSpec,
      }),
    );
  }

  // 9. per-disk findings
  const dependentDisks: DiskChain[] = [];
  for (let i = 0; i < disks.length; i++) {
    const disk = disks[i];
    const seed = seeds[i];
    const treeNames = diskTreeNames.get(disk.key) ?? [];
    const chainSet = new Set(disk.chain);
    for (const n of treeNames) {
      if (chainSet.has(n)) continue;
      if (isOrphan(n)) disk.orphanNodes.push(n);
      else disk.branchNodes.push(n);
    }
    for (const n of disk.chain) {
      const d = byName.get(n)!;
      const p = parentOf.get(n)!;
      if (p.kind === "resolved") {
        const parent = byName.get(p.name)!;
        if (d.parentCid !== null && parent.cid !== null && lower(d.parentCid) !== lower(parent.cid)) disk.chainErrors.push(`CID mismatch ${n} -> ${p.name}`);
        if (d.capacityBytes > 0 && parent.capacityBytes > 0 && d.capacityBytes !== parent.capacityBytes) disk.chainErrors.push(`capacity mismatch ${n} -> ${p.name}`);
      }
    }
    if (disk.end === "missing") disk.chainErrors.push(`missing parent ${disk.gap ?? ""}`.trim());
    if (disk.end === "outside") disk.chainErrors.push(`parent outside the folder ${disk.gap ?? ""}`.trim());
    if (disk.end === "loop") disk.chainErrors.push("loop in the chain");

    const leafDescriptor = byName.get(disk.leaf);
    const base = disk.end === "base" ? byName.get(disk.chain[0]) : undefined;
    const physicalRdm = base?.baseType === "rdm-physical";
    if (!disk.independent && !physicalRdm) dependentDisks.push(disk);
    if (disk.independent) {
      findings.push(
        finding(
          "INDEPENDENT_DISK",
          "info",
          vmxFile,
          `${disk.key} ${disk.leaf} is ${disk.mode}: it is not part of any snapshot, so reverting leaves it as it is and Delete All does not touch it.`,
          { line: seed.modeLine ?? seed.line ?? undefined, disk: disk.key, source: SOURCES.diskMode },
        ),
      );
      if (leafDescriptor && leafDescriptor.kind === "delta") {
        findings.push(
          finding(
            "INDEPENDENT_WITH_DELTA",
            "warning",
            disk.leaf,
            `${disk.key} is ${disk.mode} but its current file ${disk.leaf} is a delta: snapshots skip independent disks, so this delta is left over from an earlier mode or a failed operation.`,
            { disk: disk.key, fix: "Consolidate while the disk is dependent (persistent), or clone the disk, before relying on it.", source: SOURCES.diskMode },
          ),
        );
      }
    }
    if (base && (base.baseType === "rdm-virtual" || base.baseType === "rdm-physical")) {
      findings.push(
        finding(
          "RDM_BASE",
          "info",
          base.file,
          base.baseType === "rdm-virtual"
            ? `${disk.key}: the base ${base.file} maps a raw LUN (virtual compatibility mode). Deltas live on the VMFS datastore; a commit writes into the LUN, so the datastore does not grow, and the mapping file's size is the LUN's, not datastore usage.`
            : `${disk.key}: the base ${base.file} maps a raw LUN in physical compatibility mode, which snapshots cannot include.`,
          { disk: disk.key, source: SOURCES.snapshotFormats },
        ),
      );
    }
    const formats = new Set<DeltaFormat>();
    for (const n of treeNames) {
      const f = byName.get(n)!.deltaFormat;
      if (f !== null) formats.add(f);
    }
    if (formats.has("vmfsSparse") && formats.has("seSparse")) {
      findings.push(
        finding(
          "MIXED_DELTA_FORMATS",
          "error",
          disk.leaf,
          `${disk.key}: the snapshot tree mixes vmfsSparse and SEsparse deltas, which one hierarchy cannot do.`,
          { disk: disk.key, fix: "Check that every descriptor belongs to this disk; restore stray descriptors from backup.", source: SOURCES.snapshotFormats },
        ),
      );
    } else if (formats.has("seSparse")) {
      findings.push(
        finding(
          "SESPARSE_DELTAS",
          "info",
          disk.leaf,
          `${disk.key}: delta format SEsparse (4 KiB grains; space freed in the guest can be reclaimed by shrinking the delta).`,
          { disk: disk.key, source: `${SOURCES.snapshotFormats}; ${SOURCES.seSparse}` },
        ),
      );
    }
    const deltas = disk.chain.filter((n) => byName.get(n)!.kind === "delta").length;
    if (deltas >= DEEP_CHAIN_DELTAS) {
      findings.push(
        finding(
          "DEEP_CHAIN",
          "info",
          disk.leaf,
          `${disk.key}: ${deltas} deltas in the chain. Every read may walk the chain, and ESXi refuses very long chains (the limit is about 255; uncertain).`,
          { disk: disk.key, fix: "Delete snapshots you no longer need, oldest first.", source: SOURCES.kbDeltaLayout },
        ),
      );
    }
    if (disk.branchNodes.length > 0) {
      const known = disk.branchNodes.filter((n) => sizes.has(n));
      let bytes = 0;
      for (const n of known) bytes += sizes.get(n)!;
      const orphanSet = new Set(disk.orphanNodes);
      const leaves = countLeaves(disk.tree, (n) => !orphanSet.has(n));
      const freed =
        known.length === disk.branchNodes.length ? `frees ${formatMiB(bytes)}` : known.length > 0 ? `frees at least ${formatMiB(bytes)}` : "frees their space";
      findings.push(
        finding(
          "BRANCHES",
          "info",
          disk.leaf,
          `${leaves} branches on ${disk.key}; only the current branch (${disk.chain.filter((n) => byName.get(n)!.kind === "delta").join(", ")}) is merged by Delete All; ${disk.branchNodes.join(", ")} ${
            disk.branchNodes.length === 1 ? "is" : "are"
          } deleted (${freed}).`,
          { disk: disk.key, source: SOURCES.deleteAllOrder },
        ),
      );
    }
  }

  // 10. orphans
  const orphans = names.filter(isOrphan);
  for (const n of orphans) {
    const d = byName.get(n)!;
    const p = parentOf.get(n)!;
    const size = sizes.get(n);
    const sizeText = size !== undefined ? ` (${formatBytes(size)} delta)` : "";
    let linkText = "";
    if (p.kind === "resolved") {
      const parent = byName.get(p.name)!;
      const ok = d.parentCid !== null && parent.cid !== null && lower(d.parentCid) === lower(parent.cid);
      linkText = ok ? `; its CID link to ${p.name} is intact` : "";
    }
    if (input.vmsd) {
      findings.push(
        finding(
          "ORPHAN_DELTA",
          "warning",
          n,
          `${n}${sizeText} is referenced by neither ${input.vmx ? input.vmx.file : "the .vmx"} nor ${input.vmsd.file}${linkText}. The Snapshot Manager cannot see it, so Delete All will not remove it.`,
          {
            disk: ownerOf.get(n),
            fix: "Run Consolidate on the VM (Snapshot > Consolidate). If that does not remove it, take a new snapshot and then Delete All; do not delete delta files by hand.",
            source: `${SOURCES.kbSnapshotManager}; ${SOURCES.consolidate}`,
          },
        ),
      );
    } else {
      findings.push(
        finding(
          "DELTA_NOT_IN_CURRENT_CHAIN",
          "info",
          n,
          `${n}${sizeText} is not on any disk's current chain. Drop the .vmsd to tell whether a snapshot uses it or it is an orphan.`,
          { disk: ownerOf.get(n), source: SOURCES.kbSnapshotManager },
        ),
      );
    }
  }

  // 11. .vmsd against the disks
  if (input.vmsd) {
    const vmsd = input.vmsd;
    const byUid = new Map(vmsd.snapshots.map((s) => [s.uid, s]));
    const leafOwner = new Map(disks.filter((d) => !d.inferred).map((d) => [d.leaf, d.key]));
    for (const s of vmsd.snapshots) {
      const count = s.numDisks ?? s.disks.length;
      if (input.vmx && count !== dependentDisks.length) {
        findings.push(
          finding(
            "NUMDISKS_MISMATCH",
            "warning",
            vmsd.file,
            `${vmsd.file}: snapshot uid ${s.uid} '${s.displayName}' has ${count} disk${count === 1 ? "" : "s"}, but ${input.vmx.file} has ${dependentDisks.length} disk${
              dependentDisks.length === 1 ? "" : "s"
            } that snapshots include.`,
            { line: s.line, fix: "Normal if a disk was added or made independent after this snapshot; otherwise the .vmsd is out of date.", source: SOURCES.kbSnapshotManager },
          ),
        );
      }
      for (const e of s.disks) {
        const D = baseName(e.fileName);
        const label = `snapshot uid ${s.uid} '${s.displayName}' disk${e.index}`;
        const disk = e.node !== null ? diskByKey.get(e.node) : undefined;
        let problem: string | null = null;
        let fix = "Run Consolidate; if the snapshot still shows, delete it in the Snapshot Manager. Never delete delta files by hand.";
        if (!byName.has(D)) {
          let where = "";
          if (listing) {
            const s2 = D.replace(/\.vmdk$/i, "");
            const present = [D, `${s2}-delta.vmdk`, `${s2}-sesparse.vmdk`].find((c) => listing.names.has(c));
            where = present ? ` (${listing.file} shows ${present}: drop ${D} too)` : ` (and ${listing.file} does not list it)`;
          }
          problem = `${label} ${D} not found among the dropped files${where}: the disks do not have this snapshot.`;
          fix = `If ${D} exists, drop it too. Otherwise this snapshot is only an entry in ${vmsd.file}: delete it in the Snapshot Manager (or Consolidate), which removes the entry.`;
        } else if (leafOwner.has(D)) {
          problem = `${label} says its frozen disk is ${D}, but the VM writes to that file (it is the current leaf of ${leafOwner.get(D)}, not a read-only ancestor).`;
        } else if (disk && disk.end === "base" && memo.get(D)!.top !== memo.get(disk.chain[0])!.top) {
          problem = `${label} names ${D}, which is not in the snapshot tree of ${disk.key}.`;
        } else if (s.parentUid !== null && byUid.has(s.parentUid)) {
          const parentSnap = byUid.get(s.parentUid)!;
          const pe = parentSnap.disks.find((x) => (e.node !== null ? x.node === e.node : x.index === e.index));
          const PD = pe ? baseName(pe.fileName) : null;
          if (PD !== null && byName.has(PD)) {
            const md = memo.get(D)!;
            const mp = memo.get(PD)!;
            if (md.end !== "loop" && mp.end !== "loop" && md.top === mp.top) {
              let steps = md.depth - mp.depth;
              let cur: string | null = D;
              while (steps > 0 && cur !== null) {
                const p: ParentRef = parentOf.get(cur)!;
                cur = p.kind === "resolved" ? p.name : null;
                steps--;
              }
              if (md.depth <= mp.depth || cur !== PD) {
                problem = `${label} names ${D}, but its parent snapshot uid ${parentSnap.uid} froze ${PD}, which is not an ancestor of ${D}.`;
              }
            } else if (md.end === "base" && mp.end === "base" && md.top !== mp.top) {
              problem = `${label} names ${D}, but its parent snapshot uid ${parentSnap.uid} froze ${PD}, which is in another tree.`;
            }
          }
        }
        if (problem !== null) {
          findings.push(
            finding("VMSD_DISK_NOT_IN_CHAIN", "warning", vmsd.file, problem, { line: e.line, disk: e.node ?? undefined, fix, source: SOURCES.kbSnapshotManager }),
          );
        }
      }
    }

    const reasons: string[] = [];
    if (vmsd.needConsolidate) reasons.push(`${vmsd.file} has snapshot.needConsolidate = "TRUE"`);
    if (vmsd.snapshots.length === 0) {
      const onDelta = disks.filter((d) => !d.independent && byName.get(d.leaf)?.kind === "delta");
      if (onDelta.length > 0) {
        reasons.push(`${onDelta.map((d) => `disk ${d.key}`).join(", ")} ${onDelta.length === 1 ? "runs" : "run"} on a delta but ${vmsd.file} lists 0 snapshots`);
      }
    }
    if (orphans.length > 0) reasons.push(`${orphans.join(", ")} ${orphans.length === 1 ? "is a delta" : "are deltas"} no snapshot lists`);
    if (reasons.length > 0) {
      findings.push(
        finding("NEEDS_CONSOLIDATION", "warning", vmsd.file, `Consolidation needed: ${reasons.join("; ")}.`, {
          fix: "Run Consolidate on the VM (vSphere 5.0 and later), after checking that the datastore has the free space the commit needs.",
          source: `${SOURCES.kbSnapshotManager}; ${SOURCES.consolidate}`,
        }),
      );
    }
  }

  return { disks, unattached, findings };
}

function countLeaves(tree: TreeNode | null, keep: (name: string) => boolean): number {
  if (tree === null) return 0;
  let leaves = 0;
  const stack = [tree];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const kids = n.children.filter((c) => keep(c.name));
    if (kids.length === 0) leaves++;
    for (const c of kids) stack.push(c);
  }
  return leaves;
}
