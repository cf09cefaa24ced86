/**
 * One call from a dropped VM folder to what the notebook shows: per disk the snapshot tree, the chain
 * from base to current, sizes, the worst-case space a commit needs, and every finding, sorted.
 * Source: spec section 7 (pipeline parse -> validate -> trees -> sizes -> commit space -> findings) and
 * section 5 (sizes: a thick base is its capacity; a thin base's allocation comes only from a listing;
 * data file sizes come from a listing, from dropped data files' sizes, or are entered by hand).
 * Simplifications: all disks are taken to be on one datastore (the VM folder's); a delta whose size is
 * unknown is assumed as large as its disk (the upper bound) and the estimate is flagged unreliable.
 */
import { checkNumber, checkOneOf, checkRecord, checkString } from "../../../../src/shared/index.ts";
import { compareFindings, finding, formatBytes, SOURCES, type Finding } from "../../../../src/snapshots/findings.ts";
import { parseDescriptorText, type Descriptor, type DeltaFormat, type BaseType } from "../../../../src/snapshots/descriptor.ts";
import { parseVmx } from "../../../../src/snapshots/vmx.ts";
import { parseVmsd, type VmsdSnapshot } from "../../../../src/snapshots/vmsd.ts";
import { NamedSizes, parseListingText, type Listing } from "../../../../src/snapshots/listing.ts";
import { checkDroppedFiles, classifyChecked, type Classified, type DroppedFile } from "../../../../src/snapshots/folder.ts";
import { buildChainsChecked, type DiskChain, type TreeNode } from "./chain.ts";
import { commitSpace, DELTA_GROWTH_STEP_BYTES, type CommitBaseType, type CommitSpace } from "../../../../src/snapshots/commit-space.ts";
import { baseName } from "../../../../src/snapshots/text.ts";
import { MAX_TEXT_CHARS } from "../../../../src/snapshots/validate.ts";

export type CommitOrder = "oldest-first" | "newest-first";

export interface AnalyzeOptions {
  /** A pasted `ls -l` / datastore browser listing of the VM folder. */
  listing?: string | null;
  /** Free space on the datastore; overrides a `# free:` line of the listing. */
  datastoreFreeBytes?: number | null;
  /** Helper delta for writes during the commit; default 16 MiB. */
  helperBytes?: number;
  /** Which order the free-space check uses: "oldest-first" (ESX/ESXi 4.0 U2 and later, default) or "newest-first" (older). */
  order?: CommitOrder;
  /** Sizes entered by hand, by descriptor name: a delta's data size, or a thin base's allocation. */
  sizes?: Record<string, number>;
}

export type SizeSource = "entered" | "listing" | "capacity" | "lun" | "assumed" | null;

export interface ChainLink {
  name: string;
  kind: "base" | "delta";
  cid: string | null;
  parentCid: string | null;
  createType: string | null;
  format: DeltaFormat | null;
  capacityBytes: number;
  /** Delta: data file size. Base: allocated datastore bytes. Null when unknown. */
  sizeBytes: number | null;
  sizeSource: SizeSource;
  /** CID link to the previous (base-ward) link: true, false, or null for the first link. */
  linkOk: boolean | null;
}

/** A disk as chain.ts finds it, with its links resolved to records, its sizes and commit space. */
export interface DiskAnalysis
  extends Pick<DiskChain, "key" | "fileName" | "leaf" | "mode" | "independent" | "inferred" | "end" | "gap" | "baseType" | "capacityBytes" | "tree" | "detached" | "branchNodes" | "orphanNodes"> {
  /** Base first, leaf last; only descriptors that were dropped. */
  chain: ChainLink[];
  sizes: {
    /** Datastore bytes of the base (thick: capacity; thin: allocated; RDM: 0), or null when unknown. */
    baseAllocatedBytes: number | null;
    /** Sum of the chain's delta sizes, counting unknown ones as their assumed maximum. */
    chainDeltaBytes: number;
    /** Known sizes of the tree's deltas off the current chain (deleted, not merged, by Delete All). */
    offChainBytes: number;
  };
  /** Null when the disk's current file was not dropped, or when its chain loops (it cannot be committed). */
  commitSpace: CommitSpace | null;
  /** False when the chain is broken or a size had to be assumed. */
  reliable: boolean;
  /** Why the estimate is unreliable, and the assumptions it made. */
  notes: string[];
}

export interface Analysis {
  vm: { displayName: string | null; vmx: string | null; vmsd: string | null; listing: string | null };
  disks: DiskAnalysis[];
  /** Trees of descriptors that belong to no disk. */
  unattached: TreeNode[];
  /** Snapshots from the .vmsd, sorted by uid (empty without a .vmsd). */
  snapshots: VmsdSnapshot[];
  currentSnapshotUid: number | null;
  total: {
    oldestFirstExtraBytes: number;
    newestFirstExtraBytes: number;
    footprintBytes: number;
    reliable: boolean;
  };
  datastoreFreeBytes: number | null;
  order: CommitOrder;
  files: { read: string[]; notRead: { name: string; sizeBytes: number | null; reason: string }[] };
  findings: Finding[];
}

function checkOptions(value: unknown): Required<Omit<AnalyzeOptions, "listing" | "datastoreFreeBytes">> & {
  listing: string | null;
  datastoreFreeBytes: number | null;
} {
  const rec = value === undefined ? {} : checkRecord("options", value);
  const listing = rec.listing === undefined || rec.listing === null ? null : checkString("options.listing", rec.listing, { maxLength: MAX_TEXT_CHARS });
  const datastoreFreeBytes =
    rec.datastoreFreeBytes === undefined || rec.datastoreFreeBytes === null
      ? null
      : checkNumber("options.datastoreFreeBytes", rec.datastoreFreeBytes, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const helperBytes = rec.helperBytes === undefined ? DELTA_GROWTH_STEP_BYTES : checkNumber("options.helperBytes", rec.helperBytes, { min: 0, max: 2 ** 50 });
  const order = rec.order === undefined ? "oldest-first" : checkOneOf("options.order", rec.order, ["oldest-first", "newest-first"] as const);
  const sizes: Record<string, number> = {};
  if (rec.sizes !== undefined) {
    const s = checkRecord("options.sizes", rec.sizes);
    for (const k of Object.keys(s)) sizes[k] = checkNumber(`options.sizes.${k}`, s[k], { min: 0, max: Number.MAX_SAFE_INTEGER });
  }
  return { listing, datastoreFreeBytes, helperBytes, order, sizes };
}

const COMMIT_TYPE: Record<BaseType, CommitBaseType> = { thick: "thick", thin: "thin", "rdm-virtual": "rdm", "rdm-physical": "rdm" };

/**
 * File sizes by name from several sources, where a later source wins for a name (listings after the
 * dropped data files, a later listing over an earlier one). Looks names up in the sources' own maps
 * instead of copying every entry into one more map.
 */
class SizeTable {
  /** Highest priority first. */
  private readonly sources: NamedSizes[] = [];
  /**
   * With one source, the position of the last name found: descriptors come sorted by name, so the
   * next one usually names the next file of the same chain, and a listing lists a chain's files in
   * that order too. Comparing one name is cheaper than hashing it for the map.
   */
  private at = -1;

  add(source: NamedSizes): void {
    if (source.names.length > 0) this.sources.unshift(source);
  }

  get(name: string): number | undefined {
    if (this.sources.length === 1) {
      const source = this.sources[0];
      const next = this.at + 1;
      if (next < source.names.length && source.names[next].length === name.length && source.names[next] === name) {
        this.at = next;
        return source.sizes[next];
      }
      const at = source.positions.get(name);
      if (at === undefined) return undefined;
      this.at = at;
      return source.sizes[at];
    }
    for (const source of this.sources) {
      const at = source.positions.get(name);
      if (at !== undefined) return source.sizes[at];
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

/** Sum of the sizes of a descriptor's data files in `table`, or null when one is unknown or it has no extents. */
function extentBytes(d: Descriptor, table: SizeTable): number | null {
  if (d.extents.length === 0) return null;
  let total = 0;
  for (const e of d.extents) {
    if (e.file === null) continue;
    const v = table.get(baseName(e.file));
    if (v === undefined) return null;
    total += v;
  }
  return total;
}

/** File sizes from the listings and the dropped data files, and what the findings call them. */
interface ListedSizes {
  listings: Listing[];
  apparent: SizeTable;
  allocated: SizeTable;
  /** The last listing's `# free:` figure, or null. */
  freeBytes: number | null;
  /** The listing a finding names, or null when there is none. */
  label: string | null;
}

/** Dropped listing files, then the pasted one (later lines win), over the sizes of the dropped data files. */
function readListings(classified: Classified, pasted: string | null, findings: Finding[]): ListedSizes {
  const listed: ListedSizes = { listings: [], apparent: new SizeTable(), allocated: new SizeTable(), freeBytes: null, label: null };
  const dataFiles = new NamedSizes();
  for (const f of classified.dataFiles) if (f.sizeBytes !== null) dataFiles.set(f.name, f.sizeBytes, 0);
  listed.apparent.add(dataFiles);
  for (const f of classified.listings) addListing(listed, f.name, f.text, findings);
  if (pasted !== null && pasted.trim() !== "") addListing(listed, "pasted listing", pasted, findings);
  for (const l of listed.listings) if (l.freeBytes !== null) listed.freeBytes = l.freeBytes;
  const listings = listed.listings;
  listed.label = listings.length > 0 ? listings[listings.length - 1].file : classified.dataFiles.length > 0 ? "the dropped data files" : null;
  return listed;
}

function addListing(listed: ListedSizes, name: string, text: string, findings: Finding[]): void {
  const r = parseListingText(name, text, findings, false);
  listed.listings.push(r.listing);
  listed.apparent.add(r.entries);
  listed.allocated.add(r.allocated);
}

/** The names a listing or the dropped data files show (for messages about files that were not dropped). */
class ListedNames {
  private readonly listed: ListedSizes;

  constructor(listed: ListedSizes) {
    this.listed = listed;
  }

  has(name: string): boolean {
    return this.listed.apparent.has(name) || this.listed.allocated.has(name);
  }
}

/**
 * Each descriptor's size and where it came from, by descriptor position (names are unique:
 * classifyFiles keeps one file per name). Built by pushing, so the lists stay packed.
 */
function descriptorSizes(descriptors: readonly Descriptor[], listed: ListedSizes, enteredSizes: Record<string, number>): { sizes: (number | undefined)[]; sources: SizeSource[] } {
  const sizes: (number | undefined)[] = [];
  const sources: SizeSource[] = [];
  const entered = new Map<string, number>(Object.entries(enteredSizes));
  for (let i = 0; i < descriptors.length; i++) {
    const d = descriptors[i];
    const e = entered.size > 0 ? entered.get(d.file) : undefined;
    let bytes: number | null = null;
    let source: SizeSource = null;
    if (e !== undefined) {
      bytes = e;
      source = "entered";
    } else if (d.kind === "delta") {
      bytes = extentBytes(d, listed.apparent);
      source = "listing";
    } else if (d.baseType === "thick") {
      bytes = d.capacityBytes;
      source = "capacity";
    } else if (d.baseType === "thin") {
      const v = extentBytes(d, listed.allocated);
      bytes = v === null ? null : Math.min(v, d.capacityBytes || v);
      source = "listing";
    } else {
      bytes = 0;
      source = "lun";
    }
    sizes.push(bytes === null ? undefined : bytes);
    sources.push(bytes === null ? null : source);
  }
  return { sizes, sources };
}

/** Analyses a dropped VM folder. Throws ModelInputError only for arguments of the wrong type. */
export function analyze(files: readonly DroppedFile[], options?: AnalyzeOptions): Analysis {
  const list = checkDroppedFiles("files", files);
  const opts = checkOptions(options);
  const classified = classifyChecked(list);
  const findings: Finding[] = [...classified.findings];
  const listed = readListings(classified, opts.listing, findings);

  const vmxResult = classified.vmx.length > 0 ? parseVmx(classified.vmx[0]) : null;
  const vmsdResult = classified.vmsd.length > 0 ? parseVmsd(classified.vmsd[0]) : null;
  if (vmxResult) findings.push(...vmxResult.findings);
  if (vmsdResult) findings.push(...vmsdResult.findings);
  const descriptors: Descriptor[] = [];
  // indexed loops here and below: this long function runs partly unoptimised, where for-of allocates
  for (let i = 0; i < classified.descriptors.length; i++) {
    const f = classified.descriptors[i];
    const d = parseDescriptorText(f.name, f.text, findings, { checkedText: true, keepDdb: false });
    if (d !== null) descriptors.push(d);
  }
  const { sizes, sources } = descriptorSizes(descriptors, listed, opts.sizes);

  const chains = buildChainsChecked({
    descriptors,
    vmx: vmxResult ? vmxResult.vmx : null,
    vmsd: vmsdResult ? vmsdResult.vmsd : null,
    sizeList: sizes,
    listing: listed.label !== null ? { file: listed.label, names: new ListedNames(listed) } : null,
  });
  findings.push(...chains.findings);

  // Each disk's links, sizes and commit space. This loop stays inline (not a helper function): measured
  // on the 4x bench input, V8 then allocates its many long-lived links straight into the old generation,
  // and the young-generation collections took about half as long as with the loop in a function.
  const disks: DiskAnalysis[] = [];
  let oldestTotal = 0;
  let newestTotal = 0;
  let footprintTotal = 0;
  let allReliable = true;
  for (let di = 0; di < chains.disks.length; di++) {
    const c = chains.disks[di];
    const positions = chains.chainPositions[di];
    const notes: string[] = [...c.chainErrors];
    const links: ChainLink[] = c.chain.map((name, i) => {
      const d = descriptors[positions[i]];
      const bytes = sizes[positions[i]];
      const prev = i > 0 ? descriptors[positions[i - 1]] : null;
      return {
        name,
        kind: d.kind,
        cid: d.cid,
        parentCid: d.parentCid,
        createType: d.createType,
        format: d.deltaFormat,
        capacityBytes: d.capacityBytes,
        sizeBytes: bytes ?? null,
        sizeSource: bytes === undefined ? null : sources[positions[i]],
        linkOk: prev && d.parentCid !== null && prev.cid !== null ? d.parentCid.toLowerCase() === prev.cid.toLowerCase() : null,
      };
    });
    let estimate: CommitSpace | null = null;
    let chainDeltaBytes = 0;
    let baseAllocated: number | null = null;
    if (c.end === "loop") {
      // a chain that loops has no base to merge into: it cannot be committed, so there is no figure to add
      notes.push("the chain loops, so it cannot be committed and no commit-space figure is given");
    } else if (links.length > 0) {
      const capacity = c.capacityBytes;
      const deltas: number[] = [];
      let assumed = 0;
      for (let i = 0; i < links.length; i++) {
        const l = links[i];
        if (l.kind !== "delta") continue;
        if (l.sizeBytes === null) {
          assumed++;
          l.sizeSource = "assumed";
          deltas.push(capacity);
        } else deltas.push(l.sizeBytes);
      }
      for (let i = 0; i < deltas.length; i++) chainDeltaBytes += deltas[i];
      if (assumed > 0) notes.push(`${assumed} delta size${assumed === 1 ? " is" : "s are"} unknown and assumed as large as the disk (${formatBytes(capacity)}); paste a listing or enter sizes`);
      let type: CommitBaseType;
      if (c.end === "base" && c.baseType !== null) {
        type = COMMIT_TYPE[c.baseType];
        baseAllocated = sizes[positions[0]] ?? null;
        if (type === "thin" && baseAllocated === null) notes.push("the thin base's allocated size is unknown and taken as 0 (the worst case); add a '# allocated' line to the listing");
      } else {
        type = "thin";
        notes.push("the chain does not reach its base, so the base is treated as an empty thin disk (the worst case)");
      }
      estimate = commitSpace({ capacityBytes: capacity, baseType: type, baseAllocatedBytes: type === "thin" ? baseAllocated : null, deltaBytes: deltas, helperBytes: opts.helperBytes });
      oldestTotal += estimate.oldestFirst.extraBytes;
      newestTotal += estimate.newestFirst.extraBytes;
      footprintTotal += estimate.footprintBytes;
    } else {
      notes.push(`${c.leaf} was not dropped`);
    }
    const offChain = chains.offChainBytes[di];
    const reliable = notes.length === 0;
    if (!reliable) allReliable = false;
    disks.push({
      key: c.key,
      fileName: c.fileName,
      leaf: c.leaf,
      mode: c.mode,
      independent: c.independent,
      inferred: c.inferred,
      chain: links,
      end: c.end,
      gap: c.gap,
      baseType: c.baseType,
      capacityBytes: c.capacityBytes,
      tree: c.tree,
      detached: c.detached,
      branchNodes: c.branchNodes,
      orphanNodes: c.orphanNodes,
      sizes: { baseAllocatedBytes: baseAllocated, chainDeltaBytes, offChainBytes: offChain },
      commitSpace: estimate,
      reliable,
      notes,
    });
  }

  const free = opts.datastoreFreeBytes ?? listed.freeBytes;
  const needed = opts.order === "oldest-first" ? oldestTotal : newestTotal;
  if (free !== null && needed > free) {
    const anchor = vmxResult?.vmx.file ?? vmsdResult?.vmsd.file ?? descriptors[0]?.file ?? listed.label ?? "";
    findings.push(
      finding(
        "NOT_ENOUGH_SPACE",
        "error",
        anchor,
        `Committing all snapshots needs up to ${formatBytes(needed)} of free space (${opts.order === "oldest-first" ? "oldest delta first, ESX/ESXi 4.0 Update 2 and later" : "newest delta first, before ESX/ESXi 4.0 Update 2"}), but the datastore has ${formatBytes(free)} free: a commit in place could fill it and stop every VM on it.`,
        {
          fix: `Free at least ${formatBytes(needed - free)} on this datastore first, or cold-migrate the powered-off VM to a datastore with at least ${formatBytes(footprintTotal + needed)} free (its files now plus the commit's extra) and Delete All there.`,
          source: `${SOURCES.deleteAllOrder}; ${SOURCES.techTarget}`,
        },
      ),
    );
  }

  const read: string[] = [];
  for (const group of [classified.vmx, classified.vmsd, classified.descriptors, classified.listings]) for (let i = 0; i < group.length; i++) read.push(group[i].name);
  return {
    vm: {
      displayName: vmxResult?.vmx.displayName ?? null,
      vmx: vmxResult?.vmx.file ?? null,
      vmsd: vmsdResult?.vmsd.file ?? null,
      listing: listed.label,
    },
    disks,
    unattached: chains.unattached,
    snapshots: vmsdResult ? vmsdResult.vmsd.snapshots : [],
    currentSnapshotUid: vmsdResult ? vmsdResult.vmsd.currentUid : null,
    total: { oldestFirstExtraBytes: oldestTotal, newestFirstExtraBytes: newestTotal, footprintBytes: footprintTotal, reliable: allReliable },
    datastoreFreeBytes: free,
    order: opts.order,
    files: { read, notRead: classified.notRead.map((f) => ({ name: f.name, sizeBytes: f.sizeBytes, reason: f.reason })) },
    findings: findings.sort(compareFindings),
  };
}
