/**
 * The parent graph of the dropped descriptors: one node per descriptor, its parent found by the base
 * name of parentFileNameHint, and for every node where the walk up its parents ends (a base, a
 * missing or outside parent, or a loop) and how far that is.
 * Source: spec section 4 ([2] KB 1007969: a link child -> parent holds iff child.parentCID ==
 * parent.CID; [1]: parentFileNameHint is relative to the descriptor's folder or an absolute path).
 * Simplification: a parent is looked up by base name among the dropped files only; an absolute hint
 * whose file was not dropped cannot be followed ("outside"). Each node's walk result is kept, so
 * building the graph is linear in the number of descriptors.
 */
import type { Descriptor } from "./descriptor.ts";
import { baseName, cidLinkOk, isAbsolutePath } from "./text.ts";

/** Where the walk from a node up its parents ends. */
export type WalkEnd = "base" | "missing" | "outside" | "loop";

/** One descriptor in the parent graph. */
export interface DiskNode {
  name: string;
  /** Position in the input's descriptors. */
  index: number;
  d: Descriptor;
  /** How its parent was found: it has none (a base), it was dropped, or it was named and is missing / outside. */
  ref: "none" | "resolved" | "missing" | "outside";
  parent: DiskNode | null;
  /** The CID link to the parent, tested once when the parent is found: true when parentCID matches, false when not, null when unknown [2]. */
  linkOk: boolean | null;
  /** The parent as named, when it could not be followed (null for a delta that names none). */
  gapName: string | null;
  /**
   * Its children in name order: the first, then each one's next sibling (every node has one parent,
   * so one sibling link per node holds every list).
   */
  firstChild: DiskNode | null;
  nextSibling: DiskNode | null;
  /** The top-most node the walk up reaches (for a loop: its alphabetically first node). */
  top: DiskNode;
  end: WalkEnd;
  /** Links from the top; -1 in or above a loop. */
  depth: number;
  /** Set once the chains are known: reached from a disk's leaf or a .vmsd entry. */
  referenced: boolean;
  /** Key of the disk whose tree holds this node first, if any. */
  owner: string | undefined;
  /** uids of the .vmsd snapshots that froze this descriptor, ascending. */
  uids: number[];
  /** Key of the first (non-inferred) disk whose current leaf this is. */
  leafOf: string | undefined;
}

export interface Graph {
  /** Nodes by descriptor name (the last descriptor with a name wins). */
  nodes: Map<string, DiskNode>;
  /** Every node, sorted by name. */
  all: DiskNode[];
  /** Each loop once, in the order the walks found it. */
  cycles: DiskNode[][];
  /** Base names of the parents that absolute hints place outside the folder. */
  outsideParents: Set<string>;
}

/** The graph of the descriptors: nodes, parent links, and where each walk up ends. */
export function buildGraph(descriptors: readonly Descriptor[]): Graph {
  const nodes = new Map<string, DiskNode>();
  descriptors.forEach((d, index) => nodes.set(d.file, newNode(d, index)));
  const all = [...nodes.values()];
  // analyze() hands the descriptors over sorted by name already: sort only when they are not
  if (!isSortedByName(all)) all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const graph: Graph = { nodes, all, cycles: [], outsideParents: new Set() };
  linkParents(graph);
  walkToTops(graph);
  return graph;
}

function newNode(d: Descriptor, index: number): DiskNode {
  const node: DiskNode = {
    name: d.file,
    index,
    d,
    ref: "none",
    parent: null,
    linkOk: null,
    gapName: null,
    firstChild: null,
    nextSibling: null,
    // set by walkToTops
    top: null as unknown as DiskNode,
    end: "base",
    depth: -1,
    referenced: false,
    owner: undefined,
    uids: [],
    leafOf: undefined,
  };
  return node;
}

/** True when every node's name sorts after the one before it. */
export function isSortedByName(nodes: readonly DiskNode[]): boolean {
  for (let i = 1; i < nodes.length; i++) if (nodes[i - 1].name > nodes[i].name) return false;
  return true;
}

/**
 * The parent of each descriptor, by the base name of its parentFileNameHint. The nodes are taken in
 * reverse name order and each is put in front of its parent's children, so every list ends in name order.
 */
function linkParents(graph: Graph): void {
  for (let i = graph.all.length - 1; i >= 0; i--) {
    const n = graph.all[i];
    const hint = n.d.parentFileNameHint ?? "";
    if (hint.trim() === "") {
      if (n.d.kind === "delta") n.ref = "missing";
      continue;
    }
    const parent = graph.nodes.get(baseName(hint));
    if (parent) {
      n.ref = "resolved";
      n.parent = parent;
      n.linkOk = cidLinkOk(n.d.parentCid, parent.d.cid);
      n.nextSibling = parent.firstChild;
      parent.firstChild = n;
    } else if (isAbsolutePath(hint)) {
      n.ref = "outside";
      n.gapName = hint;
      graph.outsideParents.add(baseName(hint));
    } else {
      n.ref = "missing";
      n.gapName = baseName(hint);
    }
  }
}

/**
 * Top, end and depth of every node, and the loops. Each tree is walked once, down from its top (a
 * node without a parent), so every link is followed once. What no top reaches is on a loop or hangs
 * below one: a walk goes up from it until it reaches a node already settled or a node already on this
 * walk (the loop), and the nodes it passed take their result from where it stopped.
 */
function walkToTops(graph: Graph): void {
  for (const top of graph.all) if (top.parent === null) settleTree(top);
  // the current walk's nodes, in order, and where each is on it (emptied for each walk)
  const path: DiskNode[] = [];
  const onPath = new Map<DiskNode, number>();
  for (const start of graph.all) {
    if (isSettled(start)) continue;
    path.length = 0;
    onPath.clear();
    // every walk ends, at the latest, where it repeats a node: no node left here has a top without a parent
    let cur = start;
    while (!isSettled(cur) && !onPath.has(cur)) {
      onPath.set(cur, path.length);
      path.push(cur);
      cur = cur.parent!;
    }
    if (!isSettled(cur)) {
      const cycle = path.splice(onPath.get(cur)!);
      let top = cycle[0];
      for (const c of cycle) if (c.name < top.name) top = c;
      graph.cycles.push(cycle);
      for (const c of cycle) settle(c, top, "loop", -1);
    }
    // the nodes walked below the loop, or below a node such a walk settled
    for (const n of path) settle(n, cur.top, "loop", -1);
  }
}

/** Settles `top`, a node without a parent, and every node below it: their top, how the walk up ends, and their depth. */
function settleTree(top: DiskNode): void {
  const end: WalkEnd = top.ref === "missing" || top.ref === "outside" ? top.ref : "base";
  settle(top, top, end, 0);
  const stack = [top];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (let c = n.firstChild; c !== null; c = c.nextSibling) {
      settle(c, top, end, n.depth + 1);
      stack.push(c);
    }
  }
}

function settle(n: DiskNode, top: DiskNode, end: WalkEnd, depth: number): void {
  n.top = top;
  n.end = end;
  n.depth = depth;
}

/** Whether walkToTops has settled n yet: below a top it has a depth, on or below a loop its walk ends there. */
function isSettled(n: DiskNode): boolean {
  return n.depth >= 0 || n.end === "loop";
}

/** The parent that could not be followed from n (missing or outside), or null. */
export function gapOf(n: DiskNode): string | null {
  return n.end === "missing" || n.end === "outside" ? n.top.gapName : null;
}

/** The nodes from `start` along parent links up to and including the first node seen twice. */
export function walkUntilRepeat(start: DiskNode): DiskNode[] {
  const seen = new Set<DiskNode>();
  const walked: DiskNode[] = [];
  for (let cur: DiskNode | null = start; cur !== null; cur = cur.parent) {
    walked.push(cur);
    if (seen.has(cur)) break;
    seen.add(cur);
  }
  return walked;
}

/** A loop no disk runs into, from its alphabetically first descriptor around and back to it. */
export function cycleFromFirstName(cycle: readonly DiskNode[]): DiskNode[] {
  let first = cycle[0];
  for (const c of cycle) if (c.name < first.name) first = c;
  const from = cycle.indexOf(first);
  return [...cycle.slice(from), ...cycle.slice(0, from), first];
}

/** The name stem a descriptor shares with its disk's other files: vm-000012.vmdk -> vm, vm_1.vmdk -> vm_1. */
export function stem(name: string): string {
  const s = name.toLowerCase().endsWith(".vmdk") ? name.slice(0, -5) : name;
  return s.replace(/(?<=.)-[0-9]{6}$/, "");
}
