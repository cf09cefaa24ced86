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
  /** Children in name order. */
  children: DiskNode[];
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
  const all = [...nodes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
    children: [],
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

/** The parent of each descriptor, by the base name of its parentFileNameHint. */
function linkParents(graph: Graph): void {
  for (const n of graph.all) {
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
      parent.children.push(n);
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
 * Top, end and depth of every node, and the loops. Each walk goes up from a node until it reaches a
 * node whose result is known, a node without a parent, or a node already on this walk (a loop); the
 * nodes it passed then take their result from where it stopped, so every link is walked once.
 */
function walkToTops(graph: Graph): void {
  const done = new Set<DiskNode>();
  // the current walk's nodes, in order, and where each is on it (emptied for each walk)
  const path: DiskNode[] = [];
  const onPath = new Map<DiskNode, number>();
  for (const start of graph.all) {
    if (done.has(start)) continue;
    path.length = 0;
    onPath.clear();
    let cur = start;
    // where the walk stopped: a node whose top, end and depth are known
    let stop: DiskNode;
    for (;;) {
      if (done.has(cur)) {
        stop = cur;
        break;
      }
      const at = onPath.get(cur);
      if (at !== undefined) {
        const cycle = path.splice(at);
        let top = cycle[0];
        for (const c of cycle) if (c.name < top.name) top = c;
        graph.cycles.push(cycle);
        for (const c of cycle) settle(done, c, top, "loop", -1);
        stop = cur;
        break;
      }
      onPath.set(cur, path.length);
      path.push(cur);
      if (cur.parent === null) {
        path.pop();
        settle(done, cur, cur, cur.ref === "missing" || cur.ref === "outside" ? cur.ref : "base", 0);
        stop = cur;
        break;
      }
      cur = cur.parent;
    }
    // the nodes walked, nearest the stop first
    for (let k = path.length - 1; k >= 0; k--) {
      const distance = path.length - k;
      settle(done, path[k], stop.top, stop.end, stop.end === "loop" ? -1 : stop.depth + distance);
    }
  }
}

function settle(done: Set<DiskNode>, n: DiskNode, top: DiskNode, end: WalkEnd, depth: number): void {
  n.top = top;
  n.end = end;
  n.depth = depth;
  done.add(n);
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
