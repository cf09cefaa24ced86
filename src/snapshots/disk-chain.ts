/**
 * The records the chain analysis works with: a disk's chain as the result gives it (DiskChain), the
 * disk as the analysis holds it while it runs (one record per disk), and what every step shares.
 * Source: spec section 4 (a disk's chain runs from the .vmx fileName, its leaf, to the base) and
 * section 7 (finding codes). Simplification: a disk without a .vmx is inferred from a leaf.
 */
import type { Finding } from "./findings.ts";
import type { BaseType } from "./descriptor.ts";
import type { DiskNode, Graph } from "./graph.ts";
import type { TreeNode } from "./trees.ts";
import type { DiskMode, Vmx } from "./vmx.ts";
import type { Vmsd, VmsdSnapshot } from "./vmsd.ts";

/** How the walk from a disk's leaf toward its base ended. */
export type ChainEnd = "base" | "missing" | "outside" | "loop" | "not-dropped";

/** ESXi's limit is about 255 links (uncertain); from 32 deltas on, the chain is worth a note. */
export const DEEP_CHAIN_DELTAS = 32;

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
  /** Descriptors in the tree that no snapshot or chain refers to. */
  orphanNodes: string[];
  /** Errors on the chain itself (broken link, gap, loop): a commit could not open it. */
  chainErrors: string[];
}

/** A disk to analyse: one from the .vmx, or one inferred from a leaf. */
export interface DiskSeed {
  key: string;
  fileName: string;
  mode: DiskMode;
  independent: boolean;
  inferred: boolean;
  line: number | null;
  modeLine: number | null;
}

/** One disk while the analysis runs. */
export interface DiskRecord {
  seed: DiskSeed;
  /** What the result gives for it. */
  chain: DiskChain;
  /** Its current file, when it was dropped. */
  leaf: DiskNode | undefined;
  /** The chain as nodes, base-ward first (empty when the leaf was not dropped). */
  chainNodes: DiskNode[];
  /** Whether a node of its tree is on its chain. */
  onChain: (n: DiskNode) => boolean;
  /** The members of its tree, in tree order. */
  members: DiskNode[];
  /** Known sizes of its tree's deltas off the chain (branches, then orphans), added up. */
  offChainBytes: number;
}

/** Names a listing shows, to say whether a file that was not dropped still exists. */
export interface ListedNames {
  /** The listing's name, as findings call it. */
  file: string;
  has(name: string): boolean;
}

/** A .vmsd snapshot and, entry by entry, the node its disk entry names (undefined when that file was not dropped). */
export interface SnapshotNodes {
  snapshot: VmsdSnapshot;
  nodes: readonly (DiskNode | undefined)[];
}

/** What every step of the chain analysis reads, and the findings they add to. */
export interface ChainContext {
  graph: Graph;
  findings: Finding[];
  vmx: Vmx | null;
  vmsd: Vmsd | null;
  /** The .vmsd's snapshots with the nodes their entries name (none without a .vmsd). */
  snapshots: readonly SnapshotNodes[];
  /** A node's size from the listing or entered by hand, or undefined. */
  sizeOf: (n: DiskNode) => number | undefined;
  listing: ListedNames | null;
}

/**
 * The one rule for "does the listing still show this descriptor": the first of the descriptor
 * itself and its data files (-delta, -sesparse, -flat) that the listing names, or undefined.
 */
export function listedAs(listing: ListedNames, descriptor: string): string | undefined {
  const stemName = descriptor.replace(/\.vmdk$/i, "");
  return [descriptor, `${stemName}-delta.vmdk`, `${stemName}-sesparse.vmdk`, `${stemName}-flat.vmdk`].find((c) => listing.has(c));
}
