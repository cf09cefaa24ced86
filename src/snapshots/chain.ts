/**
 * Snapshot chains per disk: the tree of descriptors from the base to the current leaf, and what is
 * wrong with it (broken CID links, missing parents, loops, orphans, .vmsd disagreements). This module
 * runs the steps in order; each concept has its own module: the parent graph (graph.ts), the trees
 * (trees.ts), the findings on links and chains (chain-findings.ts), the .vmsd checks (vmsd-checks.ts)
 * and the input check (chain-input.ts).
 * Source: spec section 4 ([2] KB 1007969; [3] KB 337269 and [4] KB 304387: the .vmx names the leaf,
 * the .vmsd names each snapshot's frozen descriptor; [9] independent disks are skipped) and section 7.
 * Simplifications: a parent is found by the base name of parentFileNameHint among the dropped files;
 * an absolute hint whose file was not dropped cannot be checked (PARENT_OUTSIDE_FOLDER). Every walk's
 * result is kept, so the analysis is linear in the number of descriptors plus the output.
 */
import { finding, type Finding } from "./findings.ts";
import type { Descriptor } from "./descriptor.ts";
import { buildGraph, gapOf, walkUntilRepeat, type DiskNode } from "./graph.ts";
import { attachDetachedTrees, buildTree, withGap, type TreeNode } from "./trees.ts";
import { diskFindings, linkFindings, orphanFindings } from "./chain-findings.ts";
import { resolveVmsdEntries, vmsdFindings } from "./vmsd-checks.ts";
import { checkChainInput, type ChainInput } from "./chain-input.ts";
import { baseName } from "./text.ts";
import type { Vmx } from "./vmx.ts";
import type { Vmsd } from "./vmsd.ts";
import type { ChainContext, DiskChain, DiskRecord, DiskSeed, ListedNames } from "./disk-chain.ts";

export { DEEP_CHAIN_DELTAS, type ChainEnd, type DiskChain } from "./disk-chain.ts";
export type { TreeNode } from "./trees.ts";
export type { ChainInput } from "./chain-input.ts";

export interface ChainResult {
  disks: DiskChain[];
  /** Trees that belong to no disk. */
  unattached: TreeNode[];
  findings: Finding[];
}

/**
 * Builds every disk's chain and tree from parsed files and reports what is wrong with them.
 * Takes the outputs of parseDescriptor, parseVmx and parseVmsd (analyze() wires them up).
 */
export function buildChains(input: ChainInput): ChainResult {
  const checked = checkChainInput(input);
  const sizes = checked.sizes ?? new Map<string, number>();
  const listing = checked.listing ? { file: checked.listing.file, has: (name: string) => checked.listing!.names.has(name) } : null;
  const result = analyzeChains({ ...checked, sizeOf: (index) => sizes.get(checked.descriptors[index].file), listing });
  return { disks: result.disks.map((d) => d.chain), unattached: result.unattached, findings: result.findings };
}

/** What analyze() passes: parser output, a size for each descriptor, and the names a listing shows. */
export interface ChainAnalysisInput {
  descriptors: readonly Descriptor[];
  vmx: Vmx | null;
  vmsd: Vmsd | null;
  /** The size of the descriptor at `index` in `descriptors`, from the listing or entered by hand (delta: its data; base: allocated), or undefined. */
  sizeOf: (index: number) => number | undefined;
  listing: ListedNames | null;
}

/** One disk of the result, with what analyze() reads beside its chain. */
export interface AnalyzedDisk {
  chain: DiskChain;
  /** The chain's nodes, base-ward first, each the parent of the next (empty when the leaf was not dropped). */
  links: DiskNode[];
  /** Known sizes of the tree's deltas off the chain, which Delete All deletes rather than merges. */
  offChainBytes: number;
}

/** buildChains for input made by this library's parsers (analyze() skips the re-check). */
export function analyzeChains(input: ChainAnalysisInput): { disks: AnalyzedDisk[]; unattached: TreeNode[]; findings: Finding[] } {
  const graph = buildGraph(input.descriptors);
  const ctx: ChainContext = {
    graph,
    findings: [],
    vmx: input.vmx,
    vmsd: input.vmsd,
    snapshots: input.vmsd ? resolveVmsdEntries(graph, input.vmsd.snapshots) : [],
    sizeOf: (n) => input.sizeOf(n.index),
    listing: input.listing,
  };
  const seeds = diskSeeds(ctx);
  markReferenced(ctx, seeds);
  const disks = seeds.map((seed) => diskRecord(ctx, seed));
  const claimedTops = new Set(disks.filter((d) => d.members.length > 0).map((d) => d.members[0]));
  const unattached = attachDetachedTrees(
    graph,
    disks.map((d) => d.chain),
    claimedTops,
    ctx.snapshots,
    ctx.sizeOf,
  );
  linkFindings(ctx, disks);
  const dependentCount = diskFindings(ctx, disks);
  const orphans = orphanFindings(ctx);
  if (input.vmsd) vmsdFindings(ctx, disks, input.vmsd, dependentCount, orphans);
  return {
    disks: disks.map((d) => ({ chain: d.chain, links: d.chainNodes, offChainBytes: d.offChainBytes })),
    unattached,
    findings: ctx.findings,
  };
}

/** The disks: from the .vmx, or, without one, inferred from the leaves (descriptors nothing names as parent, outside loops). */
function diskSeeds(ctx: ChainContext): DiskSeed[] {
  if (ctx.vmx) {
    return ctx.vmx.disks.map((d) => ({ key: d.key, fileName: d.fileName, mode: d.mode, independent: d.independent, inferred: false, line: d.line, modeLine: d.modeLine }));
  }
  const seeds: DiskSeed[] = [];
  for (const n of ctx.graph.all) {
    if (n.firstChild !== null || n.end === "loop") continue;
    seeds.push({ key: n.name, fileName: n.name, mode: "persistent", independent: false, inferred: true, line: null, modeLine: null });
    ctx.findings.push(
      finding("INFERRED_DISK", "info", n.name, `No .vmx was dropped, so ${n.name} is taken as a disk's current file (no other descriptor names it as parent).`, {
        disk: n.name,
        fix: "Drop the .vmx too, to check disk modes and which file each disk writes to.",
      }),
    );
  }
  return seeds;
}

/** Marks the descriptors a disk's leaf or a .vmsd entry reaches, with their ancestors (orphans are the rest). */
function markReferenced(ctx: ChainContext, seeds: readonly DiskSeed[]): void {
  const markUp = (start: DiskNode | undefined) => {
    for (let cur = start ?? null; cur !== null && !cur.referenced; cur = cur.parent) cur.referenced = true;
  };
  for (const s of seeds) markUp(ctx.graph.nodes.get(baseName(s.fileName)));
  for (const n of ctx.graph.all) if (n.uids.length > 0) markUp(n);
}

/** A disk's chain (from its leaf toward the base, until a node repeats) and the tree through it. */
function diskRecord(ctx: ChainContext, seed: DiskSeed): DiskRecord {
  const leafName = baseName(seed.fileName);
  const chain: DiskChain = {
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
  const leaf = ctx.graph.nodes.get(leafName);
  const disk: DiskRecord = { seed, chain, leaf, chainNodes: [], onChain: () => false, members: [], offChainBytes: 0 };
  if (!leaf) {
    const vmxFile = ctx.vmx?.file ?? "";
    ctx.findings.push(
      finding(
        "MISSING_DISK_FILE",
        "warning",
        vmxFile || leafName,
        `${vmxFile} line ${seed.line}: ${seed.key} writes to ${leafName}, which was not among the dropped files, so its chain cannot be checked.`,
        { line: seed.line ?? undefined, disk: seed.key, fix: `Drop ${leafName} (a small text descriptor) together with the .vmx.` },
      ),
    );
    chain.chainErrors.push(`${leafName} was not dropped`);
    return disk;
  }
  disk.chainNodes = chainFrom(leaf);
  disk.onChain = onChainTest(leaf, disk.chainNodes);
  chain.chain = disk.chainNodes.map((n) => n.name);
  chain.end = leaf.end;
  chain.gap = gapOf(leaf);
  chain.capacityBytes = leaf.d.capacityBytes || disk.chainNodes[0].d.capacityBytes;
  if (leaf.end === "base") chain.baseType = disk.chainNodes[0].d.baseType;
  const top = leaf.end === "loop" ? leaf.top : disk.chainNodes[0];
  const built = buildTree(top, { onChain: disk.onChain, leaf, sizeOf: ctx.sizeOf }, seed.key);
  disk.members = built.members;
  chain.tree = withGap(top, built.tree);
  return disk;
}

/** The nodes from the base-ward end of the chain to `leaf`: its ancestors, up to the first one that repeats. */
function chainFrom(leaf: DiskNode): DiskNode[] {
  let up: DiskNode[];
  if (leaf.end === "loop") {
    up = walkUntilRepeat(leaf);
    up.pop();
  } else {
    up = [];
    for (let cur: DiskNode | null = leaf; cur !== null; cur = cur.parent) up.push(cur);
  }
  return up.reverse();
}

/**
 * Whether a node of the leaf's tree is on its chain. Outside a loop the chain runs from the top, at
 * depth 0, so the node at depth i is on it when it is the chain's i-th node.
 */
function onChainTest(leaf: DiskNode, chain: readonly DiskNode[]): (n: DiskNode) => boolean {
  if (leaf.end === "loop") {
    const onChain = new Set(chain);
    return (n) => onChain.has(n);
  }
  return (n) => chain[n.depth] === n;
}
