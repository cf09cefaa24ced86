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
import { checkArray, checkBoolean, checkNumber, checkOneOf, checkRecord, checkString, ModelInputError } from "../../../../src/shared/index.ts";
import { finding, formatBytes, formatMiB, SOURCES, type Finding } from "../../../../src/snapshots/findings.ts";
import type { BaseType, DeltaFormat, Descriptor } from "../../../../src/snapshots/descriptor.ts";
import { baseName, isAbsolutePath } from "../../../../src/snapshots/text.ts";
import { DISK_MODES, type DiskMode, type Vmx } from "../../../../src/snapshots/vmx.ts";
import type { Vmsd, VmsdDisk, VmsdSnapshot } from "../../../../src/snapshots/vmsd.ts";

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
  /** A descriptor (delta or base) no .vmx chain and no .vmsd snapshot reaches. */
  orphan: boolean;
  /** uids of the .vmsd snapshots that froze this descriptor, ascending (shared, do not modify). */
  snapshotUids: readonly number[];
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

/** One descriptor in the parent graph, with everything the walks memoise on it. */
interface GNode {
  name: string;
  /** Position in the input's descriptors. */
  index: number;
  d: Descriptor;
  /** Lower-case CID and parentCID (null when missing or malformed). */
  cid: string | null;
  parentCid: string | null;
  ref: "resolved" | "none" | "missing" | "outside";
  /** Resolved parent node. */
  parent: GNode | null;
  /** The parent as named, when it could not be followed. */
  gapName: string | null;
  /** Children in the order they were linked (a list through the nodes: no array per parent). */
  firstChild: GNode | null;
  lastChild: GNode | null;
  nextSibling: GNode | null;
  /** Memo: top-most known ancestor, how the walk up ends, distance from the top (-1 in or above a loop). */
  top: GNode | null;
  end: "base" | "missing" | "outside" | "loop";
  depth: number;
  /** Walk bookkeeping: the walk that last put this node on its path, and where. */
  walk: number;
  at: number;
  referenced: boolean;
  owner: string | undefined;
  uids: number[] | null;
  /** Stamps instead of per-disk sets: the chain walk and the tree build that last visited this node. */
  chainMark: number;
  treeMark: number;
  /** Key of the first (non-inferred) disk whose current leaf this is. */
  leafOf: string | undefined;
}

/** Appends a child to its parent's list of children. */
function addChild(parent: GNode, child: GNode): void {
  if (parent.lastChild === null) parent.firstChild = child;
  else parent.lastChild.nextSibling = child;
  parent.lastChild = child;
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

/** Shared by every tree node no snapshot froze (tree nodes' uid lists are read-only). */
const NO_UIDS: readonly number[] = Object.freeze([]);

/** Placeholder children of a tree node until buildTree gives it its own array. */
const NO_TREE_NODES: TreeNode[] = Object.freeze([]) as unknown as TreeNode[];

function linkOk(n: GNode): boolean | null {
  return n.parent !== null && n.parentCid !== null && n.parent.cid !== null ? n.parentCid === n.parent.cid : null;
}

const optString = (field: string, v: unknown) => (v === null ? null : checkString(field, v, { maxLength: 100_000 }));
const optNumber = (field: string, v: unknown) => (v === null || v === undefined ? null : checkNumber(field, v));

/** The parsed shapes buildChains reads (it may be called with hand-made input, not only parser output). */
function checkChainInput(value: unknown): ChainInput {
  const rec = checkRecord("input", value);
  checkArray(
    "input.descriptors",
    rec.descriptors,
    (v, f) => {
      const d = checkRecord(f, v);
      checkString(`${f}.file`, d.file, { maxLength: 4096 });
      for (const k of ["cid", "parentCid", "createType", "parentFileNameHint"] as const) optString(`${f}.${k}`, d[k]);
      checkOneOf(`${f}.kind`, d.kind, ["base", "delta"] as const);
      if (d.deltaFormat !== null) checkOneOf(`${f}.deltaFormat`, d.deltaFormat, ["vmfsSparse", "seSparse", "hostedSparse"] as const);
      checkOneOf(`${f}.baseType`, d.baseType, ["thick", "thin", "rdm-virtual", "rdm-physical"] as const);
      checkNumber(`${f}.capacityBytes`, d.capacityBytes, { min: 0 });
      checkArray(`${f}.extents`, d.extents, (e, ef) => optNumber(`${ef}.line`, checkRecord(ef, e).line), { maxLength: 1_000_000 });
      const lines = checkRecord(`${f}.lines`, d.lines);
      for (const k of ["cid", "parentCid", "parentFileNameHint", "createType"] as const) optNumber(`${f}.lines.${k}`, lines[k]);
      return d;
    },
    { maxLength: 10_000_000 },
  );
  if (rec.vmx !== null) {
    const vmx = checkRecord("input.vmx", rec.vmx);
    checkString("input.vmx.file", vmx.file, { maxLength: 4096 });
    checkArray("input.vmx.disks", vmx.disks, (v, f) => {
      const d = checkRecord(f, v);
      checkString(`${f}.key`, d.key, { maxLength: 4096 });
      checkString(`${f}.fileName`, d.fileName, { maxLength: 100_000 });
      checkOneOf(`${f}.mode`, d.mode, DISK_MODES);
      checkBoolean(`${f}.independent`, d.independent);
      optNumber(`${f}.line`, d.line);
      optNumber(`${f}.modeLine`, d.modeLine);
      return d;
    }, { maxLength: 100_000 });
  }
  if (rec.vmsd !== null) {
    const vmsd = checkRecord("input.vmsd", rec.vmsd);
    checkString("input.vmsd.file", vmsd.file, { maxLength: 4096 });
    checkBoolean("input.vmsd.needConsolidate", vmsd.needConsolidate);
    checkArray("input.vmsd.snapshots", vmsd.snapshots, (v, f) => {
      const snap = checkRecord(f, v);
      checkNumber(`${f}.uid`, snap.uid);
      optNumber(`${f}.parentUid`, snap.parentUid);
      optNumber(`${f}.numDisks`, snap.numDisks);
      checkString(`${f}.displayName`, snap.displayName, { maxLength: 100_000 });
      optNumber(`${f}.line`, snap.line);
      checkArray(`${f}.disks`, snap.disks, (x, xf) => {
        const e = checkRecord(xf, x);
        checkNumber(`${xf}.index`, e.index);
        checkString(`${xf}.fileName`, e.fileName, { maxLength: 100_000 });
        optString(`${xf}.node`, e.node);
        optNumber(`${xf}.line`, e.line);
        return e;
      }, { maxLength: 100_000 });
      return snap;
    }, { maxLength: 10_000_000 });
  }
  if (rec.sizes !== undefined && !(rec.sizes instanceof Map)) throw new ModelInputError("input.sizes", rec.sizes, "a Map from descriptor name to bytes");
  if (rec.listing !== undefined && rec.listing !== null) {
    const l = checkRecord("input.listing", rec.listing);
    checkString("input.listing.file", l.file, { maxLength: 4096 });
    if (!(l.names instanceof Set)) throw new ModelInputError("input.listing.names", l.names, "a Set of file names");
  }
  return value as ChainInput;
}

/**
 * Builds every disk's chain and tree from parsed files and reports what is wrong with them.
 * Takes the outputs of parseDescriptor, parseVmx and parseVmsd (analyze() wires them up).
 */
export function buildChains(input: ChainInput): ChainResult {
  const { disks, unattached, findings } = buildChainsChecked(checkChainInput(input));
  return { disks, unattached, findings };
}

/** What analyze() passes: parser output, with sizes by descriptor position and any name lookup for the listing. */
export interface CheckedChainInput extends Omit<ChainInput, "listing"> {
  /** Sizes by position in `descriptors`; used instead of `sizes` when given (no map by name needed). */
  sizeList?: readonly (number | undefined)[];
  listing?: { file: string; names: { has(name: string): boolean } } | null;
}

/** buildChains' result plus what analyze() reads per disk without looking names up again. */
export interface CheckedChainResult extends ChainResult {
  /** Per disk: positions in input.descriptors of disks[i].chain, in the same order. */
  chainPositions: number[][];
  /** Per disk: the known sizes of its tree's nodes off the chain (branches, then orphans), added up. */
  offChainBytes: number[];
}

/** buildChains for input made by this library's parsers (analyze() skips the re-check). */
export function buildChainsChecked(input: CheckedChainInput): CheckedChainResult {
  const g = makeGraph(input);
  linkParents(g);
  walkToTops(g);
  resolveVmsdEntries(g);
  const seeds = diskSeeds(g);
  markReferenced(g, seeds);
  const d = buildDiskChains(g, seeds);
  const unattached = attachDetachedTrees(g, d);
  linkFindings(g, d);
  const perDisk = diskFindings(g, d);
  const orphans = orphanFindings(g);
  if (input.vmsd) vmsdFindings(g, d, input.vmsd, perDisk.dependentCount, orphans);
  return { disks: d.disks, unattached, findings: g.findings, chainPositions: perDisk.chainPositions, offChainBytes: perDisk.offChainBytes };
}

/**
 * Everything the steps of buildChainsChecked share. Each step is its own function, so that each is
 * small enough for the JIT to optimise on its own.
 */
interface Graph {
  input: CheckedChainInput;
  findings: Finding[];
  /** Nodes by descriptor name (the last descriptor with a name wins). */
  nodes: Map<string, GNode>;
  /** Every node, sorted by name. */
  all: GNode[];
  cycles: GNode[][];
  snapshots: readonly VmsdSnapshot[];
  /** entryNodes[i][k]: the node that snapshots[i].disks[k] names, resolved once (step 3). */
  entryNodes: (GNode | undefined)[][];
  /** Last stamp handed out: chain walks and tree builds mark the nodes they visit (no set per disk). */
  stamp: number;
  /** Sizes by name, when the input gives no sizeList. */
  sizes: ReadonlyMap<string, number>;
  /** Base names of the parents that absolute hints place outside the folder (step 1). */
  outsideParents: Set<string>;
}

/** A node's size from the listing or entered by hand (by position when the input has a sizeList), or undefined. */
function sizeOf(g: Graph, n: GNode): number | undefined {
  const list = g.input.sizeList;
  return list !== undefined ? list[n.index] : g.sizes.get(n.name);
}

/** A disk to analyse: one from the .vmx, or one inferred from a leaf. */
interface DiskSeed {
  key: string;
  fileName: string;
  mode: DiskMode;
  independent: boolean;
  inferred: boolean;
  line: number | null;
  modeLine: number | null;
}

/** The disks' chains and trees (step 6), with what the later steps read per disk. */
interface Disks {
  seeds: DiskSeed[];
  disks: DiskChain[];
  /** Each disk's tree members, in tree order. */
  members: GNode[][];
  /** Each disk's chain as nodes, base-ward first link first (empty when its leaf was not dropped). */
  chainNodes: GNode[][];
  claimedTops: Set<GNode>;
  /** Disk index by key (the last disk with a key wins). */
  byKey: Map<string, number>;
}

/** No chain stamp: tree nodes built with it are never on the chain. */
const NO_CHAIN = -1;

/** One node per descriptor name, and every node sorted by name. */
function makeGraph(input: CheckedChainInput): Graph {
  const nodes = new Map<string, GNode>();
  for (let index = 0; index < input.descriptors.length; index++) {
    const d = input.descriptors[index];
    nodes.set(d.file, {
      name: d.file,
      index,
      d,
      cid: d.cid === null ? null : d.cid.toLowerCase(),
      parentCid: d.parentCid === null ? null : d.parentCid.toLowerCase(),
      ref: "none",
      parent: null,
      gapName: null,
      firstChild: null,
      lastChild: null,
      nextSibling: null,
      top: null,
      end: "base",
      depth: -1,
      walk: -1,
      at: 0,
      referenced: false,
      owner: undefined,
      uids: null,
      chainMark: 0,
      treeMark: 0,
      leafOf: undefined,
    });
  }
  let all = [...nodes.values()];
  let sorted = true;
  for (let i = 1; i < all.length && sorted; i++) if (all[i - 1].name > all[i].name) sorted = false;
  if (!sorted) all = all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    input,
    findings: [],
    nodes,
    all,
    cycles: [],
    snapshots: input.vmsd ? input.vmsd.snapshots : [],
    entryNodes: [],
    stamp: 0,
    sizes: input.sizes ?? new Map<string, number>(),
    outsideParents: new Set<string>(),
  };
}

/**
 * The node named `name`: `guess` when it has that name (comparing one name is cheaper than hashing a
 * fresh copy of it for the map), else the map's. Every node is the map's node for its name, so a
 * guess with the same name is what the map would give.
 */
function nodeNamed(g: Graph, name: string, guess: GNode | null): GNode | undefined {
  if (guess !== null && guess.name.length === name.length && guess.name === name) return guess;
  return g.nodes.get(name);
}

/** 1. The parent of each descriptor, by the base name of its parentFileNameHint. */
function linkParents(g: Graph): void {
  const all = g.all;
  for (let i = 0; i < all.length; i++) {
    const n = all[i];
    const hint = n.d.parentFileNameHint ?? "";
    if (hint.trim() !== "") {
      // in name order a delta usually comes right after its parent (vm-000001.vmdk, vm-000002.vmdk, ...)
      const p = nodeNamed(g, baseName(hint), i > 0 ? all[i - 1] : null);
      if (p) {
        n.ref = "resolved";
        n.parent = p;
        addChild(p, n);
      } else if (isAbsolutePath(hint)) {
        n.ref = "outside";
        n.gapName = hint;
        g.outsideParents.add(baseName(hint));
      } else {
        n.ref = "missing";
        n.gapName = baseName(hint);
      }
    } else if (n.d.kind === "delta") n.ref = "missing";
  }
}

/** 2. Top, end and depth of every descriptor, and the loops (each walk step is done once). */
function walkToTops(g: Graph): void {
  const all = g.all;
  // the walk's path: path[0, pathLength) (reused; `length = 0` would free its backing store every walk)
  const path: GNode[] = [];
  let pathLength = 0;
  let walk = 0;
  for (let i = 0; i < all.length; i++) {
    const start = all[i];
    if (start.top !== null) continue;
    pathLength = 0;
    walk++;
    let cur = start;
    let base: GNode;
    for (;;) {
      if (cur.top !== null) {
        base = cur;
        break;
      }
      if (cur.walk === walk) {
        const cycle = path.slice(cur.at, pathLength);
        let top = cycle[0];
        for (const c of cycle) if (c.name < top.name) top = c;
        g.cycles.push(cycle);
        for (const c of cycle) {
          c.top = top;
          c.end = "loop";
          c.depth = -1;
        }
        pathLength = cur.at;
        base = cur;
        break;
      }
      cur.walk = walk;
      cur.at = pathLength;
      path[pathLength++] = cur;
      if (cur.parent !== null) {
        cur = cur.parent;
        continue;
      }
      pathLength--;
      cur.top = cur;
      cur.end = cur.ref === "none" || cur.ref === "resolved" ? "base" : cur.ref;
      cur.depth = 0;
      base = cur;
      break;
    }
    for (let k = pathLength - 1; k >= 0; k--) {
      const n = path[k];
      n.top = base.top;
      n.end = base.end;
      n.depth = base.end === "loop" ? -1 : base.depth + (pathLength - k);
    }
  }
}

/** The parent that could not be followed from n (missing or outside), or null. */
function gapOf(n: GNode): string | null {
  return n.end === "missing" || n.end === "outside" ? n.top!.gapName : null;
}

/** 3. .vmsd references by descriptor: each entry resolved once, and each node's snapshot uids, ascending. */
function resolveVmsdEntries(g: Graph): void {
  for (let si = 0; si < g.snapshots.length; si++) {
    const s = g.snapshots[si];
    const resolved: (GNode | undefined)[] = [];
    const entries = s.disks;
    // a snapshot usually froze, for each disk entry, the child of what the snapshot before it froze
    const before = si > 0 ? g.entryNodes[si - 1] : null;
    for (let k = 0; k < entries.length; k++) {
      const previous = before !== null && k < before.length ? before[k] : undefined;
      const n = nodeNamed(g, baseName(entries[k].fileName), previous !== undefined ? previous.firstChild : null);
      resolved.push(n);
      if (!n) continue;
      if (n.uids === null) n.uids = [s.uid];
      else if (!n.uids.includes(s.uid)) n.uids.push(s.uid);
    }
    g.entryNodes.push(resolved);
  }
  const all = g.all;
  for (let i = 0; i < all.length; i++) {
    const uids = all[i].uids;
    if (uids !== null && uids.length > 1) uids.sort((a, b) => a - b);
  }
}

/** 4. The disks: from the .vmx, or inferred from leaves when there is none. */
function diskSeeds(g: Graph): DiskSeed[] {
  const seeds: DiskSeed[] = [];
  const vmx = g.input.vmx;
  if (vmx) {
    for (const d of vmx.disks) {
      seeds.push({ key: d.key, fileName: d.fileName, mode: d.mode, independent: d.independent, inferred: false, line: d.line, modeLine: d.modeLine });
    }
    return seeds;
  }
  for (const n of g.all) {
    if (n.firstChild !== null || n.end === "loop") continue;
    seeds.push({ key: n.name, fileName: n.name, mode: "persistent", independent: false, inferred: true, line: null, modeLine: null });
    g.findings.push(
      finding("INFERRED_DISK", "info", n.name, `No .vmx was dropped, so ${n.name} is taken as a disk's current file (no other descriptor names it as parent).`, {
        disk: n.name,
        fix: "Drop the .vmx too, to check disk modes and which file each disk writes to.",
      }),
    );
  }
  return seeds;
}

/** Marks `start` and its ancestors as referenced (stops at the first one already marked). */
function markUp(start: GNode | undefined): void {
  for (let cur = start ?? null; cur !== null && !cur.referenced; cur = cur.parent) cur.referenced = true;
}

/** 5. Referenced descriptors: ancestors of the leaves and of the .vmsd entries. */
function markReferenced(g: Graph, seeds: readonly DiskSeed[]): void {
  for (const s of seeds) markUp(g.nodes.get(baseName(s.fileName)));
  const all = g.all;
  for (let i = 0; i < all.length; i++) if (all[i].uids !== null) markUp(all[i]);
}

/**
 * A descriptor no .vmx chain and no .vmsd snapshot reaches (after step 5): a delta, a base cut off by a
 * loop, or a loop no disk runs on. Every unreachable descriptor counts, whatever its kind.
 */
function isOrphan(n: GNode): boolean {
  return !n.referenced;
}

function makeTreeNode(g: Graph, n: GNode, chainStamp: number, leaf: GNode | null): TreeNode {
  return {
    name: n.name,
    status: "ok",
    cid: n.d.cid,
    parentCid: n.d.parentCid,
    createType: n.d.createType,
    kind: n.d.kind,
    format: n.d.deltaFormat,
    capacityBytes: n.d.capacityBytes,
    sizeBytes: sizeOf(g, n) ?? null,
    onChain: n.chainMark === chainStamp,
    current: n === leaf,
    orphan: isOrphan(n),
    snapshotUids: n.uids ?? NO_UIDS,
    linkOk: linkOk(n),
    // replaced when buildTree reaches the node
    children: NO_TREE_NODES,
  };
}

/** The tree below `top` (depth first) and its members; members without an owner get `owner`. */
function buildTree(g: Graph, top: GNode, chainStamp: number, leaf: GNode | null, owner: string | null): { tree: TreeNode; members: GNode[] } {
  const seen = ++g.stamp;
  top.treeMark = seen;
  const root = makeTreeNode(g, top, chainStamp, leaf);
  const treeStack: TreeNode[] = [root];
  const nodeStack: GNode[] = [top];
  const members = [top];
  while (treeStack.length > 0) {
    const tn = treeStack.pop()!;
    const n = nodeStack.pop()!;
    // most nodes have one child: give each its own array of the exact size
    let kids = 0;
    for (let c = n.firstChild; c !== null; c = c.nextSibling) if (c.treeMark !== seen) kids++;
    tn.children = kids === 0 ? [] : new Array<TreeNode>(kids);
    let k = 0;
    for (let c = n.firstChild; c !== null; c = c.nextSibling) {
      if (c.treeMark === seen) continue;
      c.treeMark = seen;
      members.push(c);
      const child = makeTreeNode(g, c, chainStamp, leaf);
      tn.children[k++] = child;
      treeStack.push(child);
      nodeStack.push(c);
    }
  }
  if (owner !== null) for (const m of members) if (m.owner === undefined) m.owner = owner;
  return { tree: root, members };
}

/** A tree node for a parent that was named but not dropped, above `child`. */
function placeholder(name: string, status: "missing" | "outside", child: TreeNode): TreeNode {
  return {
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
    snapshotUids: NO_UIDS,
    linkOk: null,
    children: [child],
  };
}

/** 6. Each disk's chain (from its leaf toward the base) and the tree through it. */
function buildDiskChains(g: Graph, seeds: DiskSeed[]): Disks {
  const out: Disks = { seeds, disks: [], members: [], chainNodes: [], claimedTops: new Set<GNode>(), byKey: new Map() };
  const vmxFile = g.input.vmx?.file ?? "";
  for (const seed of seeds) {
    const leafName = baseName(seed.fileName);
    const disk: DiskChain = {
      key: seed.key,
      fileName: seed.fileName,
      leaf: leafName,
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
    out.disks.push(disk);
    const leaf = g.nodes.get(leafName);
    if (!leaf) {
      g.findings.push(
        finding(
          "MISSING_DISK_FILE",
          "warning",
          vmxFile || leafName,
          `${vmxFile} line ${seed.line}: ${seed.key} writes to ${leafName}, which was not among the dropped files, so its chain cannot be checked.`,
          { line: seed.line ?? undefined, disk: seed.key, fix: `Drop ${leafName} (a small text descriptor) together with the .vmx.` },
        ),
      );
      disk.chainErrors.push(`${leafName} was not dropped`);
      out.members.push([]);
      out.chainNodes.push([]);
      continue;
    }
    const chainNodes: GNode[] = [];
    const inChain = ++g.stamp;
    for (let cur: GNode | null = leaf; cur !== null && cur.chainMark !== inChain; cur = cur.parent) {
      chainNodes.push(cur);
      cur.chainMark = inChain;
    }
    chainNodes.reverse();
    out.chainNodes.push(chainNodes);
    disk.chain = chainNodes.map((n) => n.name);
    disk.end = leaf.end;
    disk.gap = gapOf(leaf);
    const top = leaf.end === "loop" ? leaf.top! : chainNodes[0];
    disk.capacityBytes = leaf.d.capacityBytes || chainNodes[0].d.capacityBytes;
    if (leaf.end === "base") disk.baseType = chainNodes[0].d.baseType;
    const built = buildTree(g, top, inChain, leaf, seed.key);
    out.claimedTops.add(top);
    out.members.push(built.members);
    disk.tree = leaf.end === "missing" || leaf.end === "outside" ? placeholder(disk.gap ?? "(unnamed parent)", leaf.end, built.tree) : built.tree;
  }
  for (let i = 0; i < out.disks.length; i++) out.byKey.set(out.disks[i].key, i);
  return out;
}

/** 7. Trees no disk's chain reaches: a vmsd entry for a disk node, or a shared name stem, ties them to a disk. Returns the rest. */
function attachDetachedTrees(g: Graph, d: Disks): TreeNode[] {
  const attach = new Map<GNode, DiskChain>();
  for (let si = 0; si < g.snapshots.length; si++) {
    const entries = g.snapshots[si].disks;
    const resolved = g.entryNodes[si];
    for (let k = 0; k < entries.length; k++) {
      const n = resolved[k];
      const node = entries[k].node;
      if (!n || node === null || d.claimedTops.has(n.top!) || attach.has(n.top!)) continue;
      const i = d.byKey.get(node);
      if (i !== undefined) attach.set(n.top!, d.disks[i]);
    }
  }
  const diskByStem = new Map<string, DiskChain>();
  for (const disk of d.disks) if (g.nodes.has(disk.leaf) && !diskByStem.has(stem(disk.leaf))) diskByStem.set(stem(disk.leaf), disk);
  const unattached: TreeNode[] = [];
  const all = g.all;
  for (let i = 0; i < all.length; i++) {
    const n = all[i];
    if (n.top !== n || d.claimedTops.has(n)) continue;
    const disk = attach.get(n) ?? diskByStem.get(stem(n.name));
    const built = buildTree(g, n, NO_CHAIN, null, disk ? disk.key : null);
    const tree = n.end === "missing" || n.end === "outside" ? placeholder(n.gapName ?? "(unnamed parent)", n.end, built.tree) : built.tree;
    tree.onChain = false;
    if (disk) disk.detached.push(tree);
    else unattached.push(tree);
  }
  return unattached;
}

/** 8. Link findings, once per descriptor with a parent (or a parent it could not follow), then the loops. */
function linkFindings(g: Graph, d: Disks): void {
  const listing = g.input.listing ?? null;
  const findings = g.findings;
  const all = g.all;
  for (let i = 0; i < all.length; i++) {
    const n = all[i];
    const d = n.d;
    if (n.parent !== null) {
      const parent = n.parent.d;
      if (n.parentCid !== null && n.parent.cid !== null && n.parentCid !== n.parent.cid) {
        findings.push(
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
      if (d.capacityBytes > 0 && parent.capacityBytes > 0 && d.capacityBytes !== parent.capacityBytes) {
        findings.push(
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
    } else if (n.ref === "missing") {
      const gap = n.gapName;
      let where = "";
      if (gap !== null && listing) {
        const s = gap.replace(/\.vmdk$/i, "");
        const present = [gap, `${s}-delta.vmdk`, `${s}-sesparse.vmdk`, `${s}-flat.vmdk`].find((c) => listing.names.has(c));
        where = present ? ` (but ${listing.file} shows ${present}: drop ${gap} too)` : ` (and is absent from ${listing.file})`;
      }
      findings.push(
        finding(
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
        ),
      );
    } else if (n.ref === "outside") {
      const b = baseName(n.gapName ?? "");
      findings.push(
        finding(
          "PARENT_OUTSIDE_FOLDER",
          "warning",
          n.name,
          `${n.name}: its parent is "${n.gapName}", in another folder or datastore; that link cannot be checked unless ${b} is dropped too.`,
          { line: d.lines.parentFileNameHint ?? undefined, disk: n.owner, fix: `Drop ${b} from that folder as well.`, source: SOURCES.vmdkSpec },
        ),
      );
    }
  }
  // a loop a disk runs into is shown as that disk's walk from its current file until it repeats
  const leafIntoLoop = new Map<GNode, { leaf: GNode; disk: DiskChain }>();
  for (let i = 0; i < d.disks.length; i++) {
    const leaf = d.chainNodes[i].length > 0 ? d.chainNodes[i][d.chainNodes[i].length - 1] : null;
    if (leaf !== null && leaf.end === "loop" && !leafIntoLoop.has(leaf.top!)) leafIntoLoop.set(leaf.top!, { leaf, disk: d.disks[i] });
  }
  for (const cycle of g.cycles) {
    const entry = leafIntoLoop.get(cycle[0].top!);
    const walked = entry ? walkUntilRepeat(entry.leaf) : cycleFromFirstName(cycle);
    // the descriptor whose parentFileNameHint closes the loop
    const closing = walked[walked.length - 2];
    const path = walked.map((c) => c.name).join(" -> ");
    const message = entry
      ? `${closing.name}: following parentFileNameHint from ${entry.leaf.name}, the current file of ${entry.disk.key}, revisits a descriptor (${path}).`
      : `${closing.name}: following parentFileNameHint revisits a descriptor (${path}).`;
    findings.push(
      finding("CHAIN_LOOP", "error", closing.name, message, {
        line: closing.d.lines.parentFileNameHint ?? undefined,
        disk: entry ? entry.disk.key : closing.owner,
        fix: "A chain must end at a base disk. Restore the descriptors from backup; the parentFileNameHint of one of them was edited wrongly.",
        source: SOURCES.vmdkSpec,
      }),
    );
  }
}

/** The nodes from `start` along parent links up to and including the first node seen twice. */
function walkUntilRepeat(start: GNode): GNode[] {
  const seen = new Set<GNode>();
  const walked: GNode[] = [];
  for (let cur: GNode | null = start; cur !== null; cur = cur.parent) {
    walked.push(cur);
    if (seen.has(cur)) break;
    seen.add(cur);
  }
  return walked;
}

/** A loop no disk runs into, from its alphabetically first descriptor around and back to it. */
function cycleFromFirstName(cycle: readonly GNode[]): GNode[] {
  let first = cycle[0];
  for (const c of cycle) if (c.name < first.name) first = c;
  const from = cycle.indexOf(first);
  return [...cycle.slice(from), ...cycle.slice(0, from), first];
}

/** 9. Per-disk findings and chain errors, and what analyze() reads per disk. */
function diskFindings(g: Graph, d: Disks): { dependentCount: number; chainPositions: number[][]; offChainBytes: number[] } {
  const findings = g.findings;
  const disks = d.disks;
  const vmxFile = g.input.vmx?.file ?? "";
  let dependentCount = 0;
  const chainPositions: number[][] = [];
  const offChainBytes: number[] = [];
  for (let i = 0; i < disks.length; i++) {
    const disk = disks[i];
    const seed = d.seeds[i];
    const members = d.members[i];
    const leaf = g.nodes.get(disk.leaf);
    const chainNodes = d.chainNodes[i];
    const onChain = ++g.stamp;
    let deltas = 0;
    for (const n of chainNodes) {
      n.chainMark = onChain;
      if (n.d.kind === "delta") deltas++;
      if (n.parent !== null) {
        if (n.parentCid !== null && n.parent.cid !== null && n.parentCid !== n.parent.cid) disk.chainErrors.push(`CID mismatch ${n.name} -> ${n.parent.name}`);
        if (n.d.capacityBytes > 0 && n.parent.d.capacityBytes > 0 && n.d.capacityBytes !== n.parent.d.capacityBytes)
          disk.chainErrors.push(`capacity mismatch ${n.name} -> ${n.parent.name}`);
      }
    }
    let vmfsSparse = false;
    let seSparse = false;
    const branches: GNode[] = [];
    const orphanMembers: GNode[] = [];
    for (const m of members) {
      if (m.chainMark !== onChain) {
        const isOrphanMember = isOrphan(m);
        (isOrphanMember ? disk.orphanNodes : disk.branchNodes).push(m.name);
        (isOrphanMember ? orphanMembers : branches).push(m);
      }
      if (m.d.deltaFormat === "vmfsSparse") vmfsSparse = true;
      else if (m.d.deltaFormat === "seSparse") seSparse = true;
    }
    if (disk.end === "missing") disk.chainErrors.push(`missing parent ${disk.gap ?? ""}`.trim());
    if (disk.end === "outside") disk.chainErrors.push(`parent outside the folder ${disk.gap ?? ""}`.trim());
    if (disk.end === "loop") disk.chainErrors.push("loop in the chain");

    const base = disk.end === "base" ? chainNodes[0].d : undefined;
    const physicalRdm = base?.baseType === "rdm-physical";
    if (!disk.independent && !physicalRdm) dependentCount++;
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
      if (leaf && leaf.d.kind === "delta") {
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
    if (vmfsSparse && seSparse) {
      findings.push(
        finding("MIXED_DELTA_FORMATS", "error", disk.leaf, `${disk.key}: the snapshot tree mixes vmfsSparse and SEsparse deltas, which one hierarchy cannot do.`, {
          disk: disk.key,
          fix: "Check that every descriptor belongs to this disk; restore stray descriptors from backup.",
          source: SOURCES.snapshotFormats,
        }),
      );
    } else if (seSparse) {
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
    // in the order analyze() has always added them: branches, then orphans
    let offChain = 0;
    for (const b of branches) offChain += sizeOf(g, b) ?? 0;
    for (const o of orphanMembers) if (o.d.kind === "delta") offChain += sizeOf(g, o) ?? 0;
    offChainBytes.push(offChain);
    chainPositions.push(chainNodes.map((n) => n.index));
    if (disk.branchNodes.length > 0) {
      let bytes = 0;
      let known = 0;
      for (const b of branches) {
        const v = sizeOf(g, b);
        if (v !== undefined) {
          bytes += v;
          known++;
        }
      }
      const orphanSet = new Set(disk.orphanNodes);
      const leaves = countLeaves(disk.tree, (name) => !orphanSet.has(name));
      const freed = known === disk.branchNodes.length ? `frees ${formatMiB(bytes)}` : known > 0 ? `frees at least ${formatMiB(bytes)}` : "frees their space";
      findings.push(
        finding(
          "BRANCHES",
          "info",
          disk.leaf,
          `${leaves} branches on ${disk.key}; only the current branch (${disk.chain.filter((name) => g.nodes.get(name)!.d.kind === "delta").join(", ")}) is merged by Delete All; ${disk.branchNodes.join(", ")} ${
            disk.branchNodes.length === 1 ? "is" : "are"
          } deleted (${freed}).`,
          { disk: disk.key, source: SOURCES.deleteAllOrder },
        ),
      );
    }
  }

  return { dependentCount, chainPositions, offChainBytes };
}

/** 10. Descriptors nothing refers to (deltas, and bases a loop or a lost leaf cut off). Returns them. */
function orphanFindings(g: Graph): GNode[] {
  const findings = g.findings;
  const orphans = g.all.filter(isOrphan);
  for (const n of orphans) {
    if (n.d.kind === "base") {
      findings.push(orphanBaseFinding(g, n));
      continue;
    }
    const size = sizeOf(g, n);
    const sizeText = size !== undefined ? ` (${formatBytes(size)} delta)` : "";
    const linkText = linkOk(n) === true ? `; its CID link to ${n.parent!.name} is intact` : "";
    if (g.input.vmsd) {
      findings.push(
        finding(
          "ORPHAN_DELTA",
          "warning",
          n.name,
          `${n.name}${sizeText} is referenced by neither ${g.input.vmx ? g.input.vmx.file : "the .vmx"} nor ${g.input.vmsd.file}${linkText}. The Snapshot Manager cannot see it, so Delete All will not remove it.`,
          {
            disk: n.owner,
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
          n.name,
          `${n.name}${sizeText} is not on any disk's current chain. Drop the .vmsd to tell whether a snapshot uses it or it is an orphan.`,
          { disk: n.owner, source: SOURCES.kbSnapshotManager },
        ),
      );
    }
  }

  return orphans;
}

/** A base descriptor that no disk's chain and no snapshot reaches (e.g. cut off when its children loop). */
function orphanBaseFinding(g: Graph, n: GNode): Finding {
  const vmsd = g.input.vmsd;
  const by = `${g.input.vmx ? g.input.vmx.file : "the .vmx"}${vmsd ? ` nor ${vmsd.file}` : ""}`;
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

/** 11. The .vmsd against the disks: disk counts, entries that are not in the chains, consolidation. */
function vmsdFindings(g: Graph, d: Disks, vmsd: Vmsd, dependentCount: number, orphans: readonly GNode[]): void {
  const findings = g.findings;
  const disks = d.disks;
  // snapshot index by uid (the last snapshot with a uid wins)
  const byUid = new Map<number, number>();
  for (let si = 0; si < g.snapshots.length; si++) byUid.set(g.snapshots[si].uid, si);
  for (const disk of disks) {
    const n = g.nodes.get(disk.leaf);
    if (n && !disk.inferred && n.leafOf === undefined) n.leafOf = disk.key;
  }
  const entryIndex = new EntryIndex(g.snapshots);
  // the disk of each node id (the last disk with that key, as byKey has it), or -1
  const diskOfNode = new Int32Array(entryIndex.nodeCount).fill(-1);
  for (let id = 0; id < entryIndex.nodeCount; id++) diskOfNode[id] = d.byKey.get(entryIndex.nodeKey(id)) ?? -1;
  for (let si = 0; si < g.snapshots.length; si++) {
    const s = g.snapshots[si];
    const count = s.numDisks ?? s.disks.length;
    if (g.input.vmx && count !== dependentCount) {
      findings.push(
        finding(
          "NUMDISKS_MISMATCH",
          "warning",
          vmsd.file,
          `${vmsd.file}: snapshot uid ${s.uid} '${s.displayName}' has ${count} disk${count === 1 ? "" : "s"}, but ${g.input.vmx.file} has ${dependentCount} disk${
            dependentCount === 1 ? "" : "s"
          } that snapshots include.`,
          { line: s.line, fix: "Normal if a disk was added or made independent after this snapshot; otherwise the .vmsd is out of date.", source: SOURCES.kbSnapshotManager },
        ),
      );
    }
    const parentIndex = s.parentUid !== null ? byUid.get(s.parentUid) : undefined;
    for (let k = 0; k < s.disks.length; k++) {
      const problem = entryFinding(g, d, vmsd, entryIndex, diskOfNode, si, k, parentIndex);
      if (problem !== null) findings.push(problem);
    }
  }

  const reasons: string[] = [];
  if (vmsd.needConsolidate) reasons.push(`${vmsd.file} has snapshot.needConsolidate = "TRUE"`);
  if (vmsd.snapshots.length === 0) {
    const onDelta = disks.filter((disk) => !disk.independent && g.nodes.get(disk.leaf)?.d.kind === "delta");
    // without a .vmx, which file the VM runs on is not known: only say that deltas exist
    const running = onDelta.filter((disk) => !disk.inferred);
    const inferred = onDelta.filter((disk) => disk.inferred);
    if (running.length > 0) {
      reasons.push(`${running.map((disk) => `disk ${disk.key}`).join(", ")} ${running.length === 1 ? "runs" : "run"} on a delta but ${vmsd.file} lists 0 snapshots`);
    }
    if (inferred.length > 0) {
      reasons.push(
        `${inferred.map((disk) => disk.leaf).join(", ")} ${inferred.length === 1 ? "is a delta" : "are deltas"} but ${vmsd.file} lists 0 snapshots (no .vmx was dropped, so which file the VM runs on is not known)`,
      );
    }
  }
  // an orphaned base is not something Consolidate merges; only orphaned deltas call for it
  const orphanDeltas = orphans.filter((n) => n.d.kind === "delta");
  if (orphanDeltas.length > 0) reasons.push(`${orphanDeltas.map((n) => n.name).join(", ")} ${orphanDeltas.length === 1 ? "is a delta" : "are deltas"} no snapshot lists`);
  if (reasons.length > 0) {
    findings.push(
      finding("NEEDS_CONSOLIDATION", "warning", vmsd.file, `Consolidation needed: ${reasons.join("; ")}.`, {
        fix: "Run Consolidate on the VM (vSphere 5.0 and later), after checking that the datastore has the free space the commit needs.",
        source: `${SOURCES.kbSnapshotManager}; ${SOURCES.consolidate}`,
      }),
    );
  }
}

/** Why disk entry k of .vmsd snapshot si does not fit the disks' chains, as a finding, or null when it fits. */
function entryFinding(g: Graph, d: Disks, vmsd: Vmsd, entryIndex: EntryIndex, diskOfNode: Int32Array, si: number, k: number, parentIndex: number | undefined): Finding | null {
  const listing = g.input.listing ?? null;
  const s = g.snapshots[si];
  const parentSnap = parentIndex !== undefined ? g.snapshots[parentIndex] : undefined;
  const e = s.disks[k];
  const n = g.entryNodes[si][k];
  const nodeId = entryIndex.nodeIdOf(si, k);
  const diskIndex = nodeId >= 0 ? diskOfNode[nodeId] : -1;
  const disk = diskIndex >= 0 ? d.disks[diskIndex] : undefined;
  let problem: string | null = null;
  let fix = "Run Consolidate; if the snapshot still shows, delete it in the Snapshot Manager. Never delete delta files by hand.";
  if (!n && isOutsideParent(g, e.fileName)) {
    // a parent the analyzer already reports as outside the folder (PARENT_OUTSIDE_FOLDER) cannot be checked either
    return null;
  } else if (!n) {
    const D = baseName(e.fileName);
    let where = "";
    if (listing) {
      const s2 = D.replace(/\.vmdk$/i, "");
      const present = [D, `${s2}-delta.vmdk`, `${s2}-sesparse.vmdk`].find((c) => listing.names.has(c));
      where = present ? ` (${listing.file} shows ${present}: drop ${D} too)` : ` (and ${listing.file} does not list it)`;
    }
    problem = `${entryLabel(s, e)} ${D} not found among the dropped files${where}: the disks do not have this snapshot.`;
    fix = `If ${D} exists, drop it too. Otherwise this snapshot is only an entry in ${vmsd.file}: delete it in the Snapshot Manager (or Consolidate), which removes the entry.`;
  } else if (n.leafOf !== undefined) {
    problem = `${entryLabel(s, e)} says its frozen disk is ${baseName(e.fileName)}, but the VM writes to that file (it is the current leaf of ${n.leafOf}, not a read-only ancestor).`;
  } else if (disk && disk.end === "base" && n.top !== d.chainNodes[diskIndex][0].top) {
    problem = `${entryLabel(s, e)} names ${baseName(e.fileName)}, which is not in the snapshot tree of ${disk.key}.`;
  } else if (parentSnap) {
    const pk = entryIndex.matchIn(parentIndex!, nodeId, e.index);
    const pn = pk !== undefined ? g.entryNodes[parentIndex!][pk] : undefined;
    if (pn) {
      if (n.end !== "loop" && pn.end !== "loop" && n.top === pn.top) {
        let cur: GNode | null = n;
        for (let steps = n.depth - pn.depth; steps > 0 && cur !== null; steps--) cur = cur.parent;
        if (n.depth <= pn.depth || cur !== pn) {
          const D = baseName(e.fileName);
          problem = `${entryLabel(s, e)} names ${D}, but its parent snapshot uid ${parentSnap.uid} froze ${pn.name}, which is not an ancestor of ${D}.`;
        }
      } else if (n.end === "base" && pn.end === "base" && n.top !== pn.top) {
        problem = `${entryLabel(s, e)} names ${baseName(e.fileName)}, but its parent snapshot uid ${parentSnap.uid} froze ${pn.name}, which is in another tree.`;
      }
    }
  }
  if (problem === null) return null;
  return finding("VMSD_DISK_NOT_IN_CHAIN", "warning", vmsd.file, problem, { line: e.line, disk: e.node ?? undefined, fix, source: SOURCES.kbSnapshotManager });
}

/**
 * For a disk entry of one snapshot, the position of the matching entry of another snapshot: the first
 * one for the same node, or, for an entry without a node, the first with the same index. Each distinct
 * node is numbered once, so a snapshot needs one small array of first positions, not a map.
 */
class EntryIndex {
  private readonly snapshots: readonly VmsdSnapshot[];
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  /** Node id of each snapshot's entries (-1 for an entry without a node). */
  private readonly entryIds: Int32Array[] = [];
  /** Per snapshot, built when first asked: first position by node id, and by index. */
  private readonly firstByNode: (Int32Array | undefined)[] = [];
  private readonly firstByIndex: (Map<number, number> | undefined)[] = [];

  constructor(snapshots: readonly VmsdSnapshot[]) {
    this.snapshots = snapshots;
    for (const s of snapshots) {
      const ids = new Int32Array(s.disks.length);
      for (let k = 0; k < s.disks.length; k++) {
        const node = s.disks[k].node;
        if (node === null) {
          ids[k] = -1;
          continue;
        }
        let id = this.ids.get(node);
        if (id === undefined) {
          id = this.keys.length;
          this.ids.set(node, id);
          this.keys.push(node);
        }
        ids[k] = id;
      }
      this.entryIds.push(ids);
    }
  }

  get nodeCount(): number {
    return this.keys.length;
  }

  nodeKey(id: number): string {
    return this.keys[id];
  }

  /** Node id of snapshots[si].disks[k], or -1 when it names no node. */
  nodeIdOf(si: number, k: number): number {
    return this.entryIds[si][k];
  }

  /** Position in snapshots[si].disks of the first entry for node `nodeId` (or, when it is -1, with `index`). */
  matchIn(si: number, nodeId: number, index: number): number | undefined {
    if (nodeId >= 0) {
      let first = this.firstByNode[si];
      if (first === undefined) {
        first = new Int32Array(this.keys.length).fill(-1);
        const ids = this.entryIds[si];
        for (let k = 0; k < ids.length; k++) if (ids[k] >= 0 && first[ids[k]] < 0) first[ids[k]] = k;
        this.firstByNode[si] = first;
      }
      return first[nodeId] >= 0 ? first[nodeId] : undefined;
    }
    let byIndex = this.firstByIndex[si];
    if (byIndex === undefined) {
      byIndex = new Map();
      const entries = this.snapshots[si].disks;
      for (let k = 0; k < entries.length; k++) if (!byIndex.has(entries[k].index)) byIndex.set(entries[k].index, k);
      this.firstByIndex[si] = byIndex;
    }
    return byIndex.get(index);
  }
}

/**
 * True when `fileName` names a parent that a dropped descriptor's absolute parentFileNameHint points
 * to outside the folder: the analyzer cannot check it, so it cannot say the disks lack it.
 */
function isOutsideParent(g: Graph, fileName: string): boolean {
  return g.outsideParents.has(baseName(fileName));
}

/** How a finding names one disk entry of a .vmsd snapshot. */
function entryLabel(s: VmsdSnapshot, e: VmsdDisk): string {
  return `snapshot uid ${s.uid} '${s.displayName}' disk${e.index}`;
}

function countLeaves(tree: TreeNode | null, keep: (name: string) => boolean): number {
  if (tree === null) return 0;
  let leaves = 0;
  const stack = [tree];
  while (stack.length > 0) {
    const n = stack.pop()!;
    let kept = 0;
    for (const c of n.children) {
      if (!keep(c.name)) continue;
      kept++;
      stack.push(c);
    }
    if (kept === 0) leaves++;
  }
  return leaves;
}
