/**
 * Sorting a dropped set of files: which are the small text files the model reads (.vmx, .vmsd,
 * descriptor .vmdk, a listing) and which are data files or binaries that are only named, never read.
 * Source: spec sections 4 and 8 (data file names -flat, -delta, -sesparse, -rdm, -rdmp; descriptors
 * are under 64 KiB; "file too large ... skipped"). Simplifications: the kind comes from the name
 * alone, plus a NUL-byte check on text that was read anyway; folder paths are reduced to base names.
 */
import { checkArray, checkRecord, checkString, ModelInputError } from "../shared/index.ts";
import { excerpt, finding, formatBytes, SOURCES, type Finding } from "./findings.ts";
import { baseName, hasNul, type FileText } from "./text.ts";
import { MAX_TEXT_CHARS } from "./validate.ts";

/** Descriptors are under 64 KiB (spec section 8); anything larger named .vmdk is a data file. */
export const MAX_DESCRIPTOR_BYTES = 64 * 1024;
/** .vmx, .vmsd and listings: generous, but a multi-megabyte "text" file is not one of them. */
export const MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024;

export type FileKind = "vmx" | "vmsd" | "descriptor" | "listing" | "data" | "binary" | "other";

/** A dropped file: its name, its size when known, and its text only if it was read. */
export interface DroppedFile {
  name: string;
  text?: string;
  size?: number;
  /**
   * True when `text` is the descriptor embedded in this single-file sparse disk (read from its header
   * region, see sparse-header.ts) and `size` is the whole file's: the file is then both a descriptor
   * and its own data file, and its size is not held against the descriptor size limit.
   */
  embedded?: boolean;
}

export interface NamedFile {
  name: string;
  sizeBytes: number | null;
}

export interface Classified {
  vmx: FileText[];
  vmsd: FileText[];
  descriptors: FileText[];
  listings: FileText[];
  /** Data files named in the drop: never read; their sizes serve as a listing. */
  dataFiles: NamedFile[];
  /** Files that were not read, with the reason. */
  notRead: (NamedFile & { reason: string })[];
  findings: Finding[];
}

const DATA_SUFFIXES = ["-flat.vmdk", "-delta.vmdk", "-sesparse.vmdk", "-rdm.vmdk", "-rdmp.vmdk", "-ctk.vmdk"];
const BINARY_EXTENSIONS = [".vmsn", ".vmem", ".vswp", ".vmss", ".nvram", ".iso", ".hlog", ".vmtx", ".zip", ".gz", ".ova"];

const HOSTED_EXTENT_PART = /-[sf][0-9]{3}\.vmdk$/;

/** A twoGbMaxExtent part: name-s001.vmdk (sparse) or name-f001.vmdk (flat). */
function isHostedExtentPart(lower: string): boolean {
  return HOSTED_EXTENT_PART.test(lower);
}

/** A redo log's name ending: .vmdk.REDO_<id> or .vmdk-delta.REDO_<id>. */
const REDO_LOG_SUFFIX = /\.vmdk(?:-delta)?\.redo_[^.]+$/i;

/**
 * The redo log of a non-persistent (or undoable) disk: `<disk>.vmdk.REDO_<id>`, and its data file
 * `<disk>.vmdk-delta.REDO_<id>`, written by ESX while such a disk runs and discarded at power-off
 * (non-persistent) [9]. Not a snapshot delta: no .vmsd entry or snapshot chain names it. Takes a
 * base name; gives the disk's file name, or null.
 */
function redoLogDisk(base: string): string | null {
  const match = REDO_LOG_SUFFIX.exec(base);
  return match === null ? null : base.slice(0, match.index + ".vmdk".length);
}

function redoLogReason(base: string, disk: string): string {
  return `${base} is the redo log of the non-persistent disk ${disk}: the VM ran, or is running, with changes that are discarded at power-off. It is not part of any snapshot chain, so it is not read.`;
}

/** The kind of a file from its name alone. */
export function fileKind(name: string): FileKind {
  return kindOf(baseName(checkString("name", name, { maxLength: 4096 })).toLowerCase());
}

function kindOf(lower: string): FileKind {
  if (lower.endsWith(".vmx")) return "vmx";
  if (lower.endsWith(".vmsd")) return "vmsd";
  if (lower.endsWith(".vmdk")) {
    if (DATA_SUFFIXES.some((suffix) => lower.endsWith(suffix)) || isHostedExtentPart(lower)) return "data";
    return "descriptor";
  }
  if (lower.endsWith(".txt") || lower.endsWith(".lst") || lower === "listing") return "listing";
  if (BINARY_EXTENSIONS.some((s) => lower.endsWith(s))) return "binary";
  return "other";
}

/**
 * Whether the notebook should read a file's text at all, decided before reading it, from its name
 * and size. Data files and binaries are named, never read; oversized files are refused.
 */
export function readDecision(name: string, sizeBytes: number): { read: boolean; kind: FileKind; reason: string | null } {
  const kind = fileKind(name);
  if (typeof sizeBytes !== "number" || !Number.isFinite(sizeBytes) || sizeBytes < 0) {
    throw new ModelInputError("sizeBytes", sizeBytes, "a finite number of bytes >= 0");
  }
  return decide(kind, baseName(name), sizeBytes);
}

function decide(kind: FileKind, base: string, sizeBytes: number): { read: boolean; kind: FileKind; reason: string | null } {
  const redo = redoLogDisk(base);
  const reason = redo !== null ? redoLogReason(base, redo) : notReadReason(kind, base, sizeBytes);
  return { read: reason === null, kind, reason };
}

/** Why a file of this kind and size is not read, or null when it is read (no object per file). */
function notReadReason(kind: FileKind, base: string, sizeBytes: number): string | null {
  if (kind === "data") return `${base} is a data file (${formatBytes(sizeBytes)}); only its name and size are used.`;
  if (kind === "binary") return `${base} is a binary file (${formatBytes(sizeBytes)}); the model does not need it.`;
  if (kind === "other") return `${base} is not a file the snapshot model uses.`;
  const limit = kind === "descriptor" ? MAX_DESCRIPTOR_BYTES : MAX_TEXT_FILE_BYTES;
  if (sizeBytes > limit) {
    return kind === "descriptor"
      ? `${base}: file too large (${formatBytes(sizeBytes)}) - descriptors are under 64 KiB; skipped. It is probably a data file or a monolithic sparse disk.`
      : `${base}: file too large (${formatBytes(sizeBytes)}) for a ${kind} file; skipped.`;
  }
  return null;
}

function checkDropped(value: unknown, field: string): DroppedFile {
  const rec = checkRecord(field, value);
  const name = checkString(`${field}.name`, rec.name, { maxLength: 4096 });
  const out: DroppedFile = { name };
  if (rec.text !== undefined) out.text = checkString(`${field}.text`, rec.text, { maxLength: MAX_TEXT_CHARS });
  if (rec.size !== undefined) {
    if (typeof rec.size !== "number" || !Number.isFinite(rec.size) || rec.size < 0) {
      throw new ModelInputError(`${field}.size`, rec.size, "a finite number of bytes >= 0");
    }
    out.size = rec.size;
  }
  if (rec.embedded !== undefined) {
    if (typeof rec.embedded !== "boolean") throw new ModelInputError(`${field}.embedded`, rec.embedded, "true or false");
    out.embedded = rec.embedded;
  }
  return out;
}

export function checkDroppedFiles(field: string, value: unknown): DroppedFile[] {
  return checkArray(field, value, checkDropped, { maxLength: 1_000_000 });
}

/** Sorts dropped files into what the parsers read and what is only named. Never reads data files. */
export function classifyFiles(files: readonly DroppedFile[]): Classified {
  return classifyChecked(checkDroppedFiles("files", files));
}

/** classifyFiles for a list that was already checked (analyze checks its argument once). */
export function classifyChecked(list: readonly DroppedFile[]): Classified {
  const out: Classified = { vmx: [], vmsd: [], descriptors: [], listings: [], dataFiles: [], notRead: [], findings: [] };
  // duplicate names: the last one dropped wins (spec section 8)
  const byName = new Map<string, DroppedFile>();
  for (const f of list) {
    const name = baseName(f.name);
    if (byName.has(name)) out.findings.push(finding("DUPLICATE_FILE", "warning", name, `two files named ${name} dropped; using the last one.`));
    byName.set(name, f);
  }
  const names = [...byName.keys()].sort();
  for (const name of names) {
    const f = byName.get(name)!;
    const kind = kindOf(name.toLowerCase());
    const size = f.size ?? (f.text !== undefined ? f.text.length : null);
    const redo = redoLogDisk(name);
    if (redo !== null) {
      // named, never read: its descriptor would name the disk as parent, but it belongs to no chain
      const reason = redoLogReason(name, redo);
      out.notRead.push({ name, sizeBytes: size, reason });
      out.findings.push(finding("REDO_LOG", "info", name, reason, { source: SOURCES.diskMode }));
      continue;
    }
    if (kind === "data") {
      out.dataFiles.push({ name, sizeBytes: f.size ?? null });
      out.findings.push(
        finding(
          "DATA_FILE_NOT_READ",
          "info",
          name,
          f.size !== undefined
            ? `${name} is a data file (${formatBytes(f.size)}): it was not read; only its name and size are used.`
            : `${name} is a data file: it was not read.`,
        ),
      );
      continue;
    }
    if (kind === "descriptor" && f.embedded === true && f.text !== undefined && f.text.length <= MAX_DESCRIPTOR_BYTES && !hasNul(f.text)) {
      // a single-file sparse disk: its embedded descriptor is read, and the file's size is its data size
      out.descriptors.push({ name, text: f.text });
      if (f.size !== undefined) out.dataFiles.push({ name, sizeBytes: f.size });
      continue;
    }
    // null: the file is read
    const notRead =
      size !== null ? notReadReason(kind, name, size) : kind === "binary" || kind === "other" ? `${name} is not a file the snapshot model uses.` : null;
    if (notRead !== null || f.text === undefined) {
      const reason = notRead ?? `${name} was named but its text was not given.`;
      out.notRead.push({ name, sizeBytes: size, reason });
      if (kind === "binary" || kind === "other") {
        out.findings.push(finding(kind === "binary" ? "BINARY_NOT_READ" : "NOT_USED", "info", name, `${reason} It was not read.`));
        continue;
      }
      out.findings.push(
        finding(size !== null && notRead !== null ? "FILE_TOO_LARGE" : "NOT_READ", "warning", name, reason, {
          fix: kind === "descriptor" ? "Drop the small descriptor .vmdk (a few hundred bytes of text), not the data file." : undefined,
        }),
      );
      continue;
    }
    if (hasNul(f.text)) {
      out.notRead.push({ name, sizeBytes: size, reason: "binary content" });
      out.findings.push(
        finding(
          "BINARY_FILE",
          "warning",
          name,
          `${name}: this is a binary file (found NUL bytes in the first 1 KiB). ${
            kind === "descriptor" ? "Drop the small descriptor .vmdk, not the -flat/-delta data file." : `A ${kind} file is plain text.`
          }`,
          { fix: "Drop only the small text files of the VM folder: .vmx, .vmsd and the descriptor .vmdk files." },
        ),
      );
      continue;
    }
    const text: FileText = { name, text: f.text };
    if (kind === "vmx") out.vmx.push(text);
    else if (kind === "vmsd") out.vmsd.push(text);
    else if (kind === "descriptor") out.descriptors.push(text);
    else if (kind === "listing") out.listings.push(text);
  }
  if (out.vmx.length > 1) {
    out.findings.push(
      finding("SEVERAL_VMX", "warning", out.vmx[0].name, `${out.vmx.length} .vmx files dropped (${out.vmx.map((v) => excerpt(v.name, 40)).join(", ")}); only ${out.vmx[0].name} is used.`, {
        fix: "Drop one VM folder at a time.",
      }),
    );
  }
  if (out.vmsd.length > 1) {
    out.findings.push(
      finding("SEVERAL_VMSD", "warning", out.vmsd[0].name, `${out.vmsd.length} .vmsd files dropped; only ${out.vmsd[0].name} is used.`, {
        fix: "Drop one VM folder at a time.",
      }),
    );
  }
  return out;
}
