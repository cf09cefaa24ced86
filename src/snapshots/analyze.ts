/**
 * One call from a dropped VM folder to what the notebook shows: per disk the snapshot tree, the chain
 * from base to current, sizes, the worst-case space a commit needs, and every finding, sorted.
 * Source: spec section 7 (pipeline parse -> validate -> trees -> sizes -> commit space -> findings) and
 * section 5 (sizes: a thick base is its capacity; a thin base's allocation comes only from a listing;
 * data file sizes come from a listing, from dropped data files' sizes, or are entered by hand).
 * Simplifications: all disks are taken to be on one datastore (the VM folder's); a delta whose size is
 * unknown is assumed as large as its disk (the upper bound) and the estimate is flagged unreliable.
 */
import { checkNumber, checkOneOf, checkRecord, checkString } from "../shared/index.ts";
import { appendFindings, compareFindings, finding, formatBytes, SOURCES, type Finding } from "./findings.ts";
import { parseDescriptorText, type Descriptor, type DeltaFormat, type BaseType } from "./descriptor.ts";
import { parseVmx } from "./vmx.ts";
import { parseVmsd, type VmsdSnapshot } from "./vmsd.ts";
import { parseListingText, type ListingEntry } from "./listing.ts";
import { checkDroppedFiles, classifyChecked, type Classified, type DroppedFile } from "./folder.ts";
import { analyzeChains, type AnalyzedDisk, type DiskChain, type TreeNode } from "./chain.ts";
import { commitSpace, DELTA_GROWTH_STEP_BYTES, type CommitBaseType, type CommitSpace } from "./commit-space.ts";
import { baseName } from "./text.ts";
import { MAX_TEXT_CHARS } from "./validate.ts";

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


/** A file's size as a listing or a dropped data file gives it. */
type Sized = Pick<ListingEntry, "sizeBytes">;

/** File sizes by name: the dropped data files' sizes, then each listing's (a later source wins for a name). */
interface ListedSizes {
  /** Apparent sizes (what `ls -l` shows, or a dropped data file's size). */
  apparent: ReadonlyMap<string, Sized>;
  /** Allocated sizes (the listings' `# allocated` lines). */
  allocated: ReadonlyMap<string, Sized>;
  /** The last listing's `# free:` figure, or null. */
  freeBytes: number | null;
  /** The listing a finding names, or null when there is none. */
  label: string | null;
}

/** Dropped listing files, then the pasted one (later lines win), over the sizes of the dropped data files. */
function readListings(classified: Classified, pasted: string | null, findings: Finding[]): ListedSizes {
  const dropped = new Map<string, Sized>();
  for (const f of classified.dataFiles) if (f.sizeBytes !== null) dropped.set(f.name, { sizeBytes: f.sizeBytes });
  const sources = classified.listings.map((f) => ({ name: f.name, text: f.text }));
  if (pasted !== null && pasted.trim() !== "") sources.push({ name: "pasted listing", text: pasted });
  const parsed = sources.map((source) => parseListingText(source.name, source.text, findings));
  let freeBytes: number | null = null;
  for (const r of parsed) if (r.listing.freeBytes !== null) freeBytes = r.listing.freeBytes;
  const last = parsed[parsed.length - 1];
  return {
    apparent: mergeSizes([dropped, ...parsed.map((r) => r.entries)]),
    allocated: mergeSizes(parsed.map((r) => r.allocated)),
    freeBytes,
    label: last ? last.listing.file : classified.dataFiles.length > 0 ? "the dropped data files" : null,
  };
}

/** One map of sizes by name from several, a later map winning for a name; a single non-empty map (the usual case) is used as it is. */
function mergeSizes(maps: readonly ReadonlyMap<string, Sized>[]): ReadonlyMap<string, Sized> {
  const nonEmpty = maps.filter((m) => m.size > 0);
  if (nonEmpty.length === 1) return nonEmpty[0];
  const merged = new Map<string, Sized>();
  for (const m of nonEmpty) for (const [name, size] of m) merged.set(name, size);
  return merged;
}

/** Sum of the sizes of a descriptor's data files in `sizes`, or null when one is unknown or it has no extents. */
function extentBytes(d: Descriptor, sizes: ReadonlyMap<string, Sized>): number | null {
  if (d.extents.length === 0) return null;
  let total = 0;
  for (const e of d.extents) {
    if (e.file === null) continue;
    const size = sizes.get(baseName(e.file));
    if (size === undefined) return null;
    total += size.sizeBytes;
  }
  return total;
}

/** A descriptor's size (delta: its data; base: datastore bytes) and where it came from. */
interface SizeOf {
  bytes: number;
  source: Exclude<SizeSource, null>;
}

/** Each descriptor's size, when known: entered by hand, from a listing, or the capacity of a thick base (an RDM base takes none). */
function descriptorSize(d: Descriptor, listed: ListedSizes, entered: ReadonlyMap<string, number>): SizeOf | null {
  const e = entered.get(d.file);
  if (e !== undefined) return { bytes: e, source: "entered" };
  if (d.kind === "delta") {
    const bytes = extentBytes(d, listed.apparent);
    return bytes === null ? null : { bytes, source: "listing" };
  }
  if (d.baseType === "thick") return { bytes: d.capacityBytes, source: "capacity" };
  if (d.baseType === "thin") {
    const bytes = extentBytes(d, listed.allocated);
    return bytes === null ? null : { bytes: Math.min(bytes, d.capacityBytes || bytes), source: "listing" };
  }
  return { bytes: 0, source: "lun" };
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
  if (vmxResult) appendFindings(findings, vmxResult.findings);
  if (vmsdResult) appendFindings(findings, vmsdResult.findings);
  const descriptors: Descriptor[] = [];
  for (const f of classified.descriptors) {
    const d = parseDescriptorText(f.name, f.text, findings, { checkedText: true, keepDdb: false });
    if (d !== null) descriptors.push(d);
  }
  const entered = new Map(Object.entries(opts.sizes));
  // each descriptor's size, at its position in `descriptors`
  const sizes = descriptors.map((d) => descriptorSize(d, listed, entered));

  const chains = analyzeChains({
    descriptors,
    vmx: vmxResult ? vmxResult.vmx : null,
    vmsd: vmsdResult ? vmsdResult.vmsd : null,
    sizeOf: (index) => sizes[index]?.bytes,
    listing: listed.label !== null ? { file: listed.label, has: (name) => listed.apparent.has(name) || listed.allocated.has(name) } : null,
  });
  appendFindings(findings, chains.findings);
  const disks = chains.disks.map((c) => diskAnalysis(c, sizes, opts.helperBytes));
  const total = {
    oldestFirstExtraBytes: sum(disks, (d) => d.commitSpace?.oldestFirst.extraBytes ?? 0),
    newestFirstExtraBytes: sum(disks, (d) => d.commitSpace?.newestFirst.extraBytes ?? 0),
    footprintBytes: sum(disks, (d) => d.commitSpace?.footprintBytes ?? 0),
    reliable: disks.every((d) => d.reliable),
  };
  const oldestTotal = total.oldestFirstExtraBytes;
  const newestTotal = total.newestFirstExtraBytes;
  const footprintTotal = total.footprintBytes;

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

  const read = [classified.vmx, classified.vmsd, classified.descriptors, classified.listings].flatMap((group) => group.map((f) => f.name));
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
    total,
    datastoreFreeBytes: free,
    order: opts.order,
    files: { read, notRead: classified.notRead.map((f) => ({ name: f.name, sizeBytes: f.sizeBytes, reason: f.reason })) },
    findings: findings.sort(compareFindings),
  };
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

const COMMIT_TYPE: Record<BaseType, CommitBaseType> = { thick: "thick", thin: "thin", "rdm-virtual": "rdm", "rdm-physical": "rdm" };

/** A disk's links with their sizes, and the space a commit of its chain needs (none when the chain loops or its leaf was not dropped). */
function diskAnalysis(disk: AnalyzedDisk, sizes: readonly (SizeOf | null)[], helperBytes: number): DiskAnalysis {
  const c = disk.chain;
  const notes: string[] = [...c.chainErrors];
  const links: ChainLink[] = disk.links.map((node, i) => {
    const d = node.d;
    const size = sizes[node.index];
    return {
      name: d.file,
      kind: d.kind,
      cid: d.cid,
      parentCid: d.parentCid,
      createType: d.createType,
      format: d.deltaFormat,
      capacityBytes: d.capacityBytes,
      sizeBytes: size?.bytes ?? null,
      sizeSource: size?.source ?? null,
      // each link's parent is the link before it; the first link's parent is not on the chain
      linkOk: i === 0 ? null : node.linkOk,
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
    // the deltas' sizes, base-ward first; a size not known is assumed as large as the disk
    const deltas: number[] = [];
    let assumed = 0;
    for (const l of links) {
      if (l.kind !== "delta") continue;
      if (l.sizeBytes === null) {
        l.sizeSource = "assumed";
        assumed++;
      }
      const bytes = l.sizeBytes ?? capacity;
      deltas.push(bytes);
      chainDeltaBytes += bytes;
    }
    if (assumed > 0) {
      notes.push(`${assumed} delta size${assumed === 1 ? " is" : "s are"} unknown and assumed as large as the disk (${formatBytes(capacity)}); paste a listing or enter sizes`);
    }
    let type: CommitBaseType;
    if (c.end === "base" && c.baseType !== null) {
      type = COMMIT_TYPE[c.baseType];
      baseAllocated = links[0].sizeBytes;
      if (type === "thin" && baseAllocated === null) notes.push("the thin base's allocated size is unknown and taken as 0 (the worst case); add a '# allocated' line to the listing");
    } else {
      type = "thin";
      notes.push("the chain does not reach its base, so the base is treated as an empty thin disk (the worst case)");
    }
    estimate = commitSpace({ capacityBytes: capacity, baseType: type, baseAllocatedBytes: type === "thin" ? baseAllocated : null, deltaBytes: deltas, helperBytes });
  } else {
    notes.push(`${c.leaf} was not dropped`);
  }
  const { chainErrors: _errors, chain: _names, ...fields } = c;
  return {
    ...fields,
    chain: links,
    sizes: { baseAllocatedBytes: baseAllocated, chainDeltaBytes, offChainBytes: disk.offChainBytes },
    commitSpace: estimate,
    reliable: notes.length === 0,
    notes,
  };
}
