/**
 * Snapshot trees per disk, as the notebook draws them: the descriptors below a top node, which of them
 * are on the disk's current chain, its leaf, orphans, the snapshots that froze each one, and
 * placeholders for parents that were named but not dropped.
 * Source: spec section 4 (snapshot tree per disk: nodes = descriptors, edges = parentFileNameHint;
 * a descriptor no chain and no .vmsd entry reaches is an orphan). Simplification: a tree no disk's
 * chain reaches is tied to a disk by a .vmsd entry for that disk, else by a shared name stem.
 */
import type { DeltaFormat } from "./descriptor.ts";
import { stem, type DiskNode, type Graph } from "./graph.ts";
import type { SnapshotNodes } from "./disk-chain.ts";

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
  /** uids of the .vmsd snapshots that froze this descriptor, ascending. */
  snapshotUids: readonly number[];
  /** CID link to the parent: true when parentCID matches, false when not, null when unknown. */
  linkOk: boolean | null;
  children: TreeNode[];
}

/** A descriptor no .vmx chain and no .vmsd snapshot reaches (once the references are marked). */
export function isOrphan(n: DiskNode): boolean {
  return !n.referenced;
}

/** What a tree is drawn with: the chain, the leaf, and each node's size. */
export interface TreeView {
  onChain: (n: DiskNode) => boolean;
  leaf: DiskNode | null;
  sizeOf: (n: DiskNode) => number | undefined;
}

function treeNode(n: DiskNode, view: TreeView, children: TreeNode[]): TreeNode {
  return {
    name: n.name,
    status: "ok",
    cid: n.d.cid,
    parentCid: n.d.parentCid,
    createType: n.d.createType,
    kind: n.d.kind,
    format: n.d.deltaFormat,
    capacityBytes: n.d.capacityBytes,
    sizeBytes: view.sizeOf(n) ?? null,
    onChain: view.onChain(n),
    current: n === view.leaf,
    orphan: isOrphan(n),
    snapshotUids: n.uids,
    linkOk: n.linkOk,
    children,
  };
}

/**
 * The tree below `top` and its members (top first, then in the order a depth-first walk with the
 * last child first reaches them: a node's children together, in name order); members without an
 * owner get `owner`. A loop is drawn once: the walk down stops where it comes back to `top` (every
 * other node has one parent, so it is reached once).
 */
export function buildTree(top: DiskNode, view: TreeView, owner: string | null): { tree: TreeNode; members: DiskNode[] } {
  const members = [top];
  // the nodes in the order the walk leaves them for their children: each subtree in one piece
  const visited: DiskNode[] = [];
  const stack = [top];
  while (stack.length > 0) {
    const n = stack.pop()!;
    visited.push(n);
    for (let c = n.firstChild; c !== null; c = c.nextSibling) {
      if (c === top) continue;
      members.push(c);
      stack.push(c);
    }
  }
  // Built from the last visited node back to the first: by then the trees of a node's children are
  // the last ones finished, in name order, so each node takes its children whole. The first
  // `waiting` entries of `finished` are the trees whose parent is not built yet (later ones are stale).
  const finished: TreeNode[] = [];
  let waiting = 0;
  for (let i = visited.length - 1; i >= 0; i--) {
    const n = visited[i];
    const count = childCount(n, top);
    const children = finished.slice(waiting - count, waiting);
    waiting -= count;
    finished[waiting++] = treeNode(n, view, children);
  }
  if (owner !== null) for (const m of members) m.owner ??= owner;
  return { tree: finished[0], members };
}

/** How many children n has in the tree below `top` (all of them, but `top` itself when a loop leads back to it). */
function childCount(n: DiskNode, top: DiskNode): number {
  let count = 0;
  for (let c = n.firstChild; c !== null; c = c.nextSibling) if (c !== top) count++;
  return count;
}

/** A tree node for a parent that was named but not dropped, above `child`. */
export function placeholder(name: string, status: "missing" | "outside", child: TreeNode): TreeNode {
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
    snapshotUids: [],
    linkOk: null,
    children: [child],
  };
}

/** The tree, under a placeholder when its top names a parent that could not be followed. */
export function withGap(top: DiskNode, tree: TreeNode): TreeNode {
  return top.end === "missing" || top.end === "outside" ? placeholder(top.top.gapName ?? "(unnamed parent)", top.end, tree) : tree;
}

/** A disk as the detached trees need it: its key, its leaf's name, and where its trees go. */
export interface DiskTrees {
  key: string;
  leaf: string;
  detached: TreeNode[];
}

/**
 * Trees no disk's chain reaches: a .vmsd entry for a disk's node, or a shared name stem, ties them
 * to that disk (as detached trees). Returns the rest.
 */
export function attachDetachedTrees(
  graph: Graph,
  disks: readonly DiskTrees[],
  claimedTops: ReadonlySet<DiskNode>,
  snapshots: readonly SnapshotNodes[],
  sizeOf: (n: DiskNode) => number | undefined,
): TreeNode[] {
  const byKey = new Map(disks.map((d) => [d.key, d]));
  const attach = new Map<DiskNode, DiskTrees>();
  for (const { snapshot, nodes } of snapshots) {
    for (let i = 0; i < snapshot.disks.length; i++) {
      const e = snapshot.disks[i];
      const n = nodes[i];
      if (!n || e.node === null || claimedTops.has(n.top) || attach.has(n.top)) continue;
      const disk = byKey.get(e.node);
      if (disk) attach.set(n.top, disk);
    }
  }
  const byStem = new Map<string, DiskTrees>();
  for (const disk of disks) {
    if (!graph.nodes.has(disk.leaf)) continue;
    const diskStem = stem(disk.leaf);
    if (!byStem.has(diskStem)) byStem.set(diskStem, disk);
  }
  const unattached: TreeNode[] = [];
  const view: TreeView = { onChain: () => false, leaf: null, sizeOf };
  for (const n of graph.all) {
    if (n.top !== n || claimedTops.has(n)) continue;
    const disk = attach.get(n) ?? byStem.get(stem(n.name));
    const tree = withGap(n, buildTree(n, view, disk ? disk.key : null).tree);
    tree.onChain = false;
    if (disk) disk.detached.push(tree);
    else unattached.push(tree);
  }
  return unattached;
}

/** Leaves of a tree, counting only the nodes `keep` accepts (a node whose kept children are none is a leaf). */
export function countLeaves(tree: TreeNode | null, keep: (name: string) => boolean): number {
  if (tree === null) return 0;
  let leaves = 0;
  const stack = [tree];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const kept = n.children.filter((c) => keep(c.name));
    if (kept.length === 0) leaves++;
    for (const c of kept) stack.push(c);
  }
  return leaves;
}
