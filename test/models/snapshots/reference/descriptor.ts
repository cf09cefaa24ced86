/**
 * The VMDK text descriptor: CID, parentCID, createType, parentFileNameHint, extents, disk database.
 * Source: spec section 1 ([1] libvmdk VMDK format specification; [10] descriptors written by ESXi;
 * [14] VMware Virtual Disk Format 1.1: keys are not case-sensitive). Simplifications: sections are
 * recognised by their lines (extent lines start with RW/RDONLY/NOACCESS, disk-database lines with
 * "ddb."), not by the section comments; unknown keys are kept; a file without the
 * "# Disk DescriptorFile" signature is not a descriptor and yields only a finding.
 */
import { excerpt, finding, SOURCES, type Finding } from "../../../../src/snapshots/findings.ts";
import { kvScan, scanKeyValueLine, skipBlanks } from "./kv.ts";
import { hasNul, isHex8, LineCursor, parseWholeAt, pushTextFindings, sameAt, trimEndAt, trimStartAt, type FileText } from "./text.ts";
import { checkArray, checkRecord, checkString } from "../../../../src/shared/index.ts";
import { checkFileText } from "./validate.ts";

/** Space or tab (or a stray CR); local so the hot token loop stays inlined. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

export const SECTOR_BYTES = 512;
/** parentCID of a base disk: no parent [1][2]. */
export const NO_PARENT_CID = "ffffffff";

export const CREATE_TYPES = [
  "monolithicSparse",
  "monolithicFlat",
  "twoGbMaxExtentSparse",
  "twoGbMaxExtentFlat",
  "streamOptimized",
  "vmfs",
  "vmfsThin",
  "vmfsPreallocated",
  "vmfsEagerZeroedThick",
  "vmfsSparse",
  "seSparse",
  "vmfsRaw",
  "vmfsRawDeviceMap",
  "vmfsPassthroughRawDeviceMap",
  "fullDevice",
  "partitionedDevice",
  "custom",
] as const;

export const EXTENT_TYPES = ["FLAT", "SPARSE", "ZERO", "VMFS", "VMFSSPARSE", "SESPARSE", "VMFSRDM", "VMFSRAW"] as const;
export const EXTENT_ACCESS = ["RW", "RDONLY", "NOACCESS"] as const;

const CREATE_TYPE_BY_LOWER = new Map<string, string>(CREATE_TYPES.map((t) => [t.toLowerCase(), t]));
const CREATE_TYPE_LOWER = new Map<string, string>(CREATE_TYPES.map((t) => [t, t.toLowerCase()]));

/**
 * The canonical createType spelled exactly as text[from, to), compared in place (a map lookup would
 * first hash a copy of the value), or undefined. The descriptor keeps the shared constant.
 */
function createTypeAt(text: string, from: number, to: number): string | undefined {
  for (const t of CREATE_TYPES) if (t.length === to - from && sameAt(text, from, t)) return t;
  return undefined;
}

/** Delta formats: VMFS redo log (vmfsSparse), SEsparse, or a hosted product's sparse child. */
export type DeltaFormat = "vmfsSparse" | "seSparse" | "hostedSparse";
/** How a base disk holds its blocks, which decides how much a commit can grow it (spec section 6). */
export type BaseType = "thick" | "thin" | "rdm-virtual" | "rdm-physical";

export interface Extent {
  access: string;
  sectors: number;
  /** Upper case, e.g. "VMFS", "VMFSSPARSE". */
  type: string;
  /** Data file name relative to the descriptor's folder; null for ZERO extents. */
  file: string | null;
  offset: number | null;
  line: number;
}

export interface DdbEntry {
  /** Without the "ddb." prefix, as written, e.g. "longContentID". */
  key: string;
  value: string;
  line: number;
}

export interface HeaderEntry {
  key: string;
  value: string;
  line: number;
}

export interface Descriptor {
  file: string;
  version: number | null;
  encoding: string | null;
  /** 8 hex digits as written, or null when missing or malformed. */
  cid: string | null;
  parentCid: string | null;
  isNativeSnapshot: string | null;
  /** Canonical spelling when known, else as written; null when absent. */
  createType: string | null;
  parentFileNameHint: string | null;
  changeTrackPath: string | null;
  extents: Extent[];
  ddb: DdbEntry[];
  /** Header keys this model does not interpret, kept in order. */
  otherKeys: HeaderEntry[];
  capacityBytes: number;
  kind: "base" | "delta";
  deltaFormat: DeltaFormat | null;
  baseType: BaseType;
  lines: { cid: number | null; parentCid: number | null; parentFileNameHint: number | null; createType: number | null };
}

/** The value of disk-database key `key` (without "ddb.", any case), the last one when repeated. */
export function ddbValue(d: Descriptor, key: string): string | null {
  const rec = checkRecord("descriptor", d);
  const ddb = checkArray(
    "descriptor.ddb",
    rec.ddb,
    (v, f) => {
      const e = checkRecord(f, v);
      return { key: checkString(`${f}.key`, e.key), value: checkString(`${f}.value`, e.value) };
    },
    { maxLength: 1_000_000 },
  );
  const lower = checkString("key", key, { maxLength: 4096 }).toLowerCase();
  let value: string | null = null;
  for (const e of ddb) if (e.key.toLowerCase() === lower) value = e.value;
  return value;
}

/** Index after the run of non-blank characters that starts at i, stopping at `stop`. */
function tokenEnd(text: string, i: number, stop: number): number {
  while (i < stop && !isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** Index of the first non-blank character at or after i, or `stop`. */
function tokenStart(text: string, i: number, stop: number): number {
  while (i < stop && isBlank(text.charCodeAt(i))) i++;
  return i;
}

const SIGNATURE = "# Disk DescriptorFile";

function isSignature(line: string): boolean {
  if (line === SIGNATURE) return true;
  if (line.charCodeAt(0) !== 35) return false;
  const body = line.slice(1).trim().toLowerCase();
  return body === "disk descriptorfile" || body.replace(/\s+/g, " ") === "disk descriptorfile";
}

/**
 * Length of the access word (RW, RDONLY, NOACCESS, any case) that starts an extent line, else 0.
 * Upper-case RW is matched in place; any other word goes through toUpperCase.
 */
function extentAccessLength(line: string, from: number, stop: number): number {
  const c = line.charCodeAt(from) | 32;
  if (c !== 114 && c !== 110) return 0;
  let end = from;
  while (end < stop && end - from < 9 && !isBlank(line.charCodeAt(end))) end++;
  const length = end - from;
  if (length !== 2 && length !== 6 && length !== 8) return 0;
  // RW, as ESXi writes it, by its two character codes
  if (length === 2 && line.charCodeAt(from) === 82 && line.charCodeAt(from + 1) === 87) return length;
  const word = line.slice(from, end).toUpperCase();
  return word === "RW" || word === "RDONLY" || word === "NOACCESS" ? length : 0;
}

/** The access word of an extent line by its length (extentAccessLength only accepts these three). */
function accessWord(length: number): string {
  return length === 2 ? "RW" : length === 6 ? "RDONLY" : "NOACCESS";
}

/** The upper-case extent type as written: the shared constant when it is a known type in upper case. */
function extentTypeOf(typeText: string): string {
  switch (typeText) {
    case "VMFS":
      return "VMFS";
    case "VMFSSPARSE":
      return "VMFSSPARSE";
    case "SESPARSE":
      return "SESPARSE";
    case "FLAT":
      return "FLAT";
    default:
      return typeText.toUpperCase();
  }
}

/**
 * Header keys this parser interprets, as bits (so duplicate detection needs no map for them).
 * Keys compare case-insensitively [14].
 */
const H_VERSION = 1;
const H_ENCODING = 2;
const H_CID = 4;
const H_PARENT_CID = 8;
const H_NATIVE = 16;
const H_CREATE_TYPE = 32;
const H_HINT = 64;
const H_CTK = 128;

/** The bit of a lower-case header key, else 0. */
function headerBit(lower: string): number {
  switch (lower) {
    case "version":
      return H_VERSION;
    case "encoding":
      return H_ENCODING;
    case "cid":
      return H_CID;
    case "parentcid":
      return H_PARENT_CID;
    case "isnativesnapshot":
      return H_NATIVE;
    case "createtype":
      return H_CREATE_TYPE;
    case "parentfilenamehint":
      return H_HINT;
    case "changetrackpath":
      return H_CTK;
    default:
      return 0;
  }
}

/**
 * headerBit of the key text[from, to): the spelling ESXi writes is compared in place (the known keys'
 * lengths all differ), so no copy of the key is made, nor a slow comparison of a long copy that shares
 * its text; any other spelling is lower-cased (keys are not case-sensitive [14]).
 */
function headerBitAt(text: string, from: number, to: number): number {
  let spelling: string;
  let bit: number;
  switch (to - from) {
    case 3:
      spelling = "CID";
      bit = H_CID;
      break;
    case 7:
      spelling = "version";
      bit = H_VERSION;
      break;
    case 8:
      spelling = "encoding";
      bit = H_ENCODING;
      break;
    case 9:
      spelling = "parentCID";
      bit = H_PARENT_CID;
      break;
    case 10:
      spelling = "createType";
      bit = H_CREATE_TYPE;
      break;
    case 15:
      spelling = "changeTrackPath";
      bit = H_CTK;
      break;
    case 16:
      spelling = "isNativeSnapshot";
      bit = H_NATIVE;
      break;
    case 18:
      spelling = "parentFileNameHint";
      bit = H_HINT;
      break;
    default:
      return headerBit(text.slice(from, to).toLowerCase());
  }
  return sameAt(text, from, spelling) ? bit : headerBit(text.slice(from, to).toLowerCase());
}

/**
 * text[from, to) as a string: the shared constant `common` when it spells exactly that (compared in
 * place, nothing copied), else a copy.
 */
function commonValueAt(text: string, from: number, to: number, common: string): string {
  return to - from === common.length && sameAt(text, from, common) ? common : text.slice(from, to);
}

/** True when text[from, from + 4) is "ddb." in any case (only D/d and B/b lower-case to d and b). */
function isDdbPrefixAt(text: string, from: number): boolean {
  return (text.charCodeAt(from) | 32) === 100 && (text.charCodeAt(from + 1) | 32) === 100 && (text.charCodeAt(from + 2) | 32) === 98 && text.charCodeAt(from + 3) === 46;
}

/** The last 8 characters of `longId` equal `cid` ignoring case (the usual exact match makes no copies). */
function endsWithCid(longId: string, cid: string): boolean {
  return sameAt(longId, longId.length - cid.length, cid) || longId.slice(-8).toLowerCase() === cid.toLowerCase();
}

/**
 * A list that is filled again for every descriptor and copied out at its exact size: a fresh [] that
 * is pushed to reserves room for 17 entries, and `length = 0` would drop the reused backing store.
 */
class ScratchList<T> {
  private readonly items: T[] = [];
  private count = 0;

  reset(): void {
    this.count = 0;
  }

  push(item: T): void {
    this.items[this.count++] = item;
  }

  copy(): T[] {
    // literals for the usual short lists (cheaper than a call to slice)
    if (this.count === 0) return [];
    if (this.count === 1) return [this.items[0]];
    return this.items.slice(0, this.count);
  }
}

/**
 * The disk-database key text[from, to): the shared constant when it is one ESXi writes in every
 * descriptor (compared in place), else a copy. Descriptors are kept, and thousands of copies of
 * "longContentID" would only add to what the garbage collector copies.
 */
function ddbKeyAt(text: string, from: number, to: number): string {
  let common: string;
  switch (to - from) {
    case 4:
      common = "uuid";
      break;
    case 9:
      common = "deletable";
      break;
    case 11:
      common = "adapterType";
      break;
    case 13:
      common = "longContentID";
      break;
    case 15:
      common = "thinProvisioned";
      break;
    case 16:
      common = "virtualHWVersion";
      break;
    default:
      return text.slice(from, to);
  }
  return sameAt(text, from, common) ? common : text.slice(from, to);
}

// Scratch state for parseDescriptorText (it is not re-entrant; each parse copies the lists out at the end).
const descriptorLines = new LineCursor("");
/** Line of each interpreted header key by its bit's position; only slots whose bit was seen are read. */
const seenLine = [0, 0, 0, 0, 0, 0, 0, 0];
const extentScratch = new ScratchList<Extent>();
/** The empty lists of a descriptor parsed without keepDdb (only analyze() sees those; never changed). */
const NOT_KEPT: never[] = Object.freeze([]) as never[];
const ddbScratch = new ScratchList<DdbEntry>();
const otherScratch = new ScratchList<HeaderEntry>();

export function parseDescriptor(file: FileText): { descriptor: Descriptor | null; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  return { descriptor: parseDescriptorText(name, text, findings), findings };
}

/**
 * parseDescriptor for text that was already checked: appends its findings to `findings` and returns
 * the descriptor or null. analyze() uses it so that thousands of descriptors share one findings list;
 * `checkedText` skips the binary check that classifyFiles already made, and without `keepDdb` the
 * descriptor's disk database and other keys are left empty (analyze() reads neither, and the findings
 * are the same).
 */
export function parseDescriptorText(name: string, text: string, findings: Finding[], checkedText = false, keepDdb = true): Descriptor | null {
  if (!checkedText && hasNul(text)) {
    findings.push(
      finding(
        "BINARY_FILE",
        "warning",
        name,
        `${name}: this is a binary file (found NUL bytes in the first 1 KiB). Drop the small descriptor .vmdk, not the -flat/-delta data file.`,
        { fix: "Drop only the descriptor .vmdk files (under 64 KiB); data files are never read.", source: SOURCES.vmdkSpec },
      ),
    );
    return null;
  }
  // one pass over the text by line bounds: no array of lines, no slice per line
  const lines = descriptorLines;
  lines.reset(text);
  let firstLine = "";
  let firstLineNo = 0;
  while (lines.next()) {
    const a = skipBlanks(text, lines.start);
    if (a >= lines.end) continue;
    firstLine = text.slice(lines.start, lines.end).trim();
    if (firstLine === "") continue;
    firstLineNo = lines.lineNo;
    break;
  }
  if (!isSignature(firstLine)) {
    const kdmv = firstLine.startsWith("KDMV") || firstLine.startsWith("COWD");
    findings.push(
      finding(
        "NOT_A_DESCRIPTOR",
        "error",
        name,
        firstLineNo === 0
          ? `${name}: the file is empty; a descriptor starts with "# Disk DescriptorFile".`
          : `${name} line ${firstLineNo}: expected "# Disk DescriptorFile"; found "${excerpt(firstLine, 40)}"${
              kdmv
                ? " - this looks like a monolithic sparse disk with an embedded descriptor; only its text part can be read."
                : " - this is not a VMDK descriptor."
            }`,
        { line: firstLineNo === 0 ? undefined : firstLineNo, fix: "Drop the small descriptor .vmdk that names the disk's CID and extents.", source: SOURCES.vmdkSpec },
      ),
    );
    return null;
  }

  // header values are kept in locals and the descriptor is made once at the end, in its final shape
  let version: number | null = null;
  let encoding: string | null = null;
  let isNativeSnapshot: string | null = null;
  let createType: string | null = null;
  let parentFileNameHint: string | null = null;
  let changeTrackPath: string | null = null;
  let cidLine: number | null = null;
  let parentCidLine: number | null = null;
  let hintLine: number | null = null;
  let createTypeLine: number | null = null;
  // the lists grow in reused scratch arrays and are copied out at their exact size ([] would reserve 17 slots)
  extentScratch.reset();
  ddbScratch.reset();
  otherScratch.reset();
  // the line of each interpreted header key is in seenLine[bit position], valid where seenBits has the bit
  let seenBits = 0;
  let seenOther: Map<string, number> | null = null;
  let rawCid: string | null = null;
  let rawParentCid: string | null = null;
  let thinValue: string | null = null;
  let longId: string | null = null;
  let longIdLine = 0;

  while (lines.next()) {
    const lineNo = lines.lineNo;
    const lineEnd = lines.end;
    const a = skipBlanks(text, lines.start);
    if (a >= lineEnd || text.charCodeAt(a) === 35) continue;
    const accessLength = extentAccessLength(text, a, lineEnd);
    if (accessLength > 0) {
      const extent = parseExtent(name, lines, a, lineNo, accessLength, findings);
      if (extent !== null) extentScratch.push(extent);
      continue;
    }
    if (!scanKeyValueLine(lines, a)) {
      findings.push(
        finding("BAD_LINE", "warning", name, `${name} line ${lineNo}: expected key=value or an extent line; found "${excerpt(text.slice(a, lineEnd).trim())}". Line skipped.`, {
          line: lineNo,
        }),
      );
      continue;
    }
    const keyStart = kvScan.keyStart;
    const keyEnd = kvScan.keyEnd;
    // the value is text[valueStart, valueEnd): sliced only where it is kept or quoted in a message
    const valueStart = kvScan.valueStart;
    const valueEnd = kvScan.valueEnd;
    if (keyEnd - keyStart > 4 && isDdbPrefixAt(text, keyStart)) {
      // without keepDdb only ddb.thinProvisioned (15 characters) and ddb.longContentID (13) matter
      const keyLength = keyEnd - keyStart - 4;
      if (!keepDdb && keyLength !== 15 && keyLength !== 13) continue;
      const ddbKey = ddbKeyAt(text, keyStart + 4, keyEnd);
      const thin = keyLength === 15 && (ddbKey === "thinProvisioned" || ddbKey.toLowerCase() === "thinprovisioned");
      const longContentId = !thin && keyLength === 13 && (ddbKey === "longContentID" || ddbKey.toLowerCase() === "longcontentid");
      if (!keepDdb && !thin && !longContentId) continue;
      const value = text.slice(valueStart, valueEnd);
      if (keepDdb) ddbScratch.push({ key: ddbKey, value, line: lineNo });
      if (thin) thinValue = value;
      else if (longContentId) {
        longId = value;
        longIdLine = lineNo;
      }
      continue;
    }
    const bit = headerBitAt(text, keyStart, keyEnd);
    // the key as written: for unknown keys and messages only
    let key: string | null = null;
    let prev: number | undefined;
    if (bit !== 0) {
      const slot = 31 - Math.clz32(bit);
      if (seenBits & bit) prev = seenLine[slot];
      seenBits |= bit;
      seenLine[slot] = lineNo;
    } else {
      key = text.slice(keyStart, keyEnd);
      const lower = key.toLowerCase();
      seenOther ??= new Map();
      prev = seenOther.get(lower);
      seenOther.set(lower, lineNo);
    }
    if (prev !== undefined) {
      key ??= text.slice(keyStart, keyEnd);
      findings.push(
        finding("DUPLICATE_KEY", "warning", name, `${name} line ${lineNo}: ${excerpt(key, 40)} is set again (first on line ${prev}); the last value is used.`, {
          line: lineNo,
        }),
      );
    }
    switch (bit) {
      case H_VERSION: {
        const v = parseWholeAt(text, valueStart, valueEnd);
        version = v;
        if (v === null || v < 1 || v > 3) {
          findings.push(
            finding("UNKNOWN_VERSION", "warning", name, `${name} line ${lineNo}: version "${excerpt(text.slice(valueStart, valueEnd), 20)}" is not 1, 2 or 3; read anyway.`, {
              line: lineNo,
              source: SOURCES.vmdkSpec,
            }),
          );
        }
        break;
      }
      case H_ENCODING:
        encoding = commonValueAt(text, valueStart, valueEnd, "UTF-8");
        break;
      case H_CID:
        rawCid = text.slice(valueStart, valueEnd);
        cidLine = lineNo;
        break;
      case H_PARENT_CID:
        rawParentCid = commonValueAt(text, valueStart, valueEnd, NO_PARENT_CID);
        parentCidLine = lineNo;
        break;
      case H_NATIVE:
        isNativeSnapshot = commonValueAt(text, valueStart, valueEnd, "no");
        break;
      case H_CREATE_TYPE: {
        createTypeLine = lineNo;
        const canonical = createTypeAt(text, valueStart, valueEnd);
        if (canonical !== undefined) {
          createType = canonical;
          break;
        }
        const value = text.slice(valueStart, valueEnd);
        const known = CREATE_TYPE_BY_LOWER.get(value.toLowerCase());
        createType = known ?? value;
        if (!known) {
          findings.push(
            finding("UNKNOWN_CREATE_TYPE", "warning", name, `${name} line ${lineNo}: createType "${excerpt(value, 40)}" is not one this model knows; read anyway.`, {
              line: lineNo,
              source: SOURCES.vmdkSpec,
            }),
          );
        }
        break;
      }
      case H_HINT:
        parentFileNameHint = text.slice(valueStart, valueEnd);
        hintLine = lineNo;
        break;
      case H_CTK:
        changeTrackPath = text.slice(valueStart, valueEnd);
        break;
      default:
        if (keepDdb) otherScratch.push({ key: key!, value: text.slice(valueStart, valueEnd), line: lineNo });
    }
  }

  pushTextFindings(findings, name, text, lines.truncated);
  let cid: string | null = null;
  let parentCid: string | null = null;
  if (rawCid !== null && isHex8(rawCid)) cid = rawCid;
  else findings.push(cidFinding(name, "CID", rawCid, cidLine));
  if (rawParentCid !== null && isHex8(rawParentCid)) parentCid = rawParentCid;
  else findings.push(cidFinding(name, "parentCID", rawParentCid, parentCidLine));

  const extents = extentScratch.copy();
  let sectors = 0;
  for (const e of extents) sectors += e.sectors;
  if (extents.length === 0) {
    findings.push(
      finding("NO_EXTENTS", "error", name, `${name}: no extent lines (RW <sectors> <TYPE> "<file>"), so the disk's capacity and data file are unknown.`, {
        source: SOURCES.vmdkSpec,
      }),
    );
  }

  const ct = createType === null ? "" : (CREATE_TYPE_LOWER.get(createType) ?? createType.toLowerCase());
  let hasVmfsSparse = false;
  let hasSeSparse = false;
  let hasRdm = false;
  let hasRaw = false;
  for (const e of extents) {
    if (e.type === "VMFSSPARSE") hasVmfsSparse = true;
    else if (e.type === "SESPARSE") hasSeSparse = true;
    else if (e.type === "VMFSRDM") hasRdm = true;
    else if (e.type === "VMFSRAW") hasRaw = true;
  }
  let deltaFormat: DeltaFormat | null = null;
  if (ct === "vmfssparse" || (ct === "" && hasVmfsSparse)) deltaFormat = "vmfsSparse";
  else if (ct === "sesparse" || (ct === "" && hasSeSparse)) deltaFormat = "seSparse";
  const hasParent = (parentCid !== null && parentCid !== NO_PARENT_CID && parentCid.toLowerCase() !== NO_PARENT_CID) || (parentFileNameHint ?? "") !== "";
  if (deltaFormat === null && hasParent) deltaFormat = hasSeSparse ? "seSparse" : hasVmfsSparse ? "vmfsSparse" : "hostedSparse";

  let baseType: BaseType;
  if (ct === "vmfsrawdevicemap" || (hasRdm && ct !== "vmfspassthroughrawdevicemap")) baseType = "rdm-virtual";
  else if (ct === "vmfspassthroughrawdevicemap" || ct === "vmfsraw" || ct === "fulldevice" || ct === "partitioneddevice" || hasRaw) baseType = "rdm-physical";
  else if ((thinValue !== null && thinValue.trim() === "1") || ct === "vmfsthin" || ct === "monolithicsparse" || ct === "twogbmaxextentsparse" || ct === "streamoptimized")
    baseType = "thin";
  else baseType = "thick";

  if (longId !== null && cid !== null && longId.length >= 8 && !endsWithCid(longId, cid)) {
    findings.push(
      finding(
        "LONG_CONTENT_ID_MISMATCH",
        "warning",
        name,
        `${name} line ${longIdLine}: ddb.longContentID ends in ${excerpt(longId.slice(-8), 8)} but CID is ${cid}; in descriptors written by ESXi they agree.`,
        { line: longIdLine, fix: "Usually harmless; if the CID was edited by hand, check it against the parent's CID (KB 1007969).", source: SOURCES.vmdkSpec },
      ),
    );
  }
  return {
    file: name,
    version,
    encoding,
    cid,
    parentCid,
    isNativeSnapshot,
    createType,
    parentFileNameHint,
    changeTrackPath,
    extents,
    ddb: keepDdb ? ddbScratch.copy() : NOT_KEPT,
    otherKeys: keepDdb ? otherScratch.copy() : NOT_KEPT,
    capacityBytes: sectors * SECTOR_BYTES,
    kind: deltaFormat !== null || hasParent ? "delta" : "base",
    deltaFormat,
    baseType,
    lines: { cid: cidLine, parentCid: parentCidLine, parentFileNameHint: hintLine, createType: createTypeLine },
  };
}

function cidFinding(name: string, label: string, raw: string | null, line: number | null): Finding {
  if (raw === null) {
    return finding("MISSING_CID", "error", name, `${name}: no ${label} line; a descriptor needs CID and parentCID.`, {
      fix: "Restore the descriptor from a backup, or recreate it by the procedure in VMware KB 1007969.",
      source: SOURCES.vmdkSpec,
    });
  }
  return finding("BAD_CID", "error", name, `${name} line ${line}: ${label} must be 8 hex digits; found "${excerpt(raw, 20)}".`, {
    line: line ?? undefined,
    fix: "Correct the value by the documented procedure in VMware KB 1007969 (back up the descriptor first).",
    source: SOURCES.kbCid,
  });
}

/**
 * The extent line at `from` in the cursor's current line: RW <sectors> <TYPE> "<file>" [offset], or null (with a finding)
 * when it cannot be read. Works on index bounds and slices only the file name (and a message's text).
 */
function parseExtent(name: string, lines: LineCursor, from: number, lineNo: number, accessLength: number, findings: Finding[]): Extent | null {
  const text = lines.text;
  // the line as trim() would give it: it starts with the access word, so only its end can move
  const stop = trimEndAt(text, from, lines.end);
  const shape = () => `extent line must look like RW <sectors> <TYPE> "<file>" [offset]; found "${excerpt(text.slice(from, stop), 80)}"`;
  const sectorStart = tokenStart(text, from + accessLength, stop);
  const sectorEnd = tokenEnd(text, sectorStart, stop);
  const typeStart = tokenStart(text, sectorEnd, stop);
  const typeEnd = tokenEnd(text, typeStart, stop);
  if (sectorStart === sectorEnd || typeStart === typeEnd) {
    findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape()}.`, { line: lineNo, source: SOURCES.vmdkSpec }));
    return null;
  }
  const sectors = parseWholeAt(text, sectorStart, sectorEnd);
  if (sectors === null) {
    findings.push(
      finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: sector count "${excerpt(text.slice(sectorStart, sectorEnd), 20)}" is not a whole number.`, {
        line: lineNo,
        source: SOURCES.vmdkSpec,
      }),
    );
    return null;
  }
  const typeText = text.slice(typeStart, typeEnd);
  const type = extentTypeOf(typeText);
  if (!(EXTENT_TYPES as readonly string[]).includes(type)) {
    findings.push(
      finding(
        "UNKNOWN_EXTENT_TYPE",
        "warning",
        name,
        `${name} line ${lineNo}: unknown extent type "${excerpt(typeText, 20)}"; known types are ${EXTENT_TYPES.join(", ")}.`,
        { line: lineNo, source: SOURCES.vmdkSpec },
      ),
    );
  }
  // the rest after the type, trimmed: [restStart, stop)
  const restStart = trimStartAt(text, typeEnd, stop);
  let file: string | null = null;
  let offset: number | null = null;
  if (restStart === stop) {
    if (type !== "ZERO") {
      findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape()} (no file name).`, { line: lineNo, source: SOURCES.vmdkSpec }));
      return null;
    }
  } else if (text.charCodeAt(restStart) !== 34) {
    const bareEnd = tokenEnd(text, restStart, stop);
    file = text.slice(restStart, bareEnd);
    const offsetStart = trimStartAt(text, bareEnd, stop);
    offset = offsetStart === stop ? null : parseWholeAt(text, offsetStart, stop);
    findings.push(
      finding("BAD_EXTENT", "warning", name, `${name} line ${lineNo}: ${shape()} (file name is not quoted). Read anyway.`, {
        line: lineNo,
        source: SOURCES.vmdkSpec,
      }),
    );
  } else {
    const close = lines.quoteIn(restStart + 1);
    if (close < 0 || close >= stop) {
      findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape()} (the file name has no closing quote).`, { line: lineNo, source: SOURCES.vmdkSpec }));
      return null;
    }
    file = text.slice(restStart + 1, close);
    const offsetStart = trimStartAt(text, close + 1, stop);
    if (offsetStart < stop) {
      offset = parseWholeAt(text, offsetStart, stop);
      if (offset === null) {
        findings.push(
          finding("BAD_EXTENT", "warning", name, `${name} line ${lineNo}: extent offset "${excerpt(text.slice(offsetStart, stop), 20)}" is not a whole number; ignored.`, {
            line: lineNo,
            source: SOURCES.vmdkSpec,
          }),
        );
      }
    }
  }
  if (offset !== null && !offsetAllowed(type, offset)) {
    findings.push(
      finding(
        "BAD_EXTENT",
        "warning",
        name,
        `${name} line ${lineNo}: a ${type} extent with offset ${offset}; only FLAT extents (and VMFS ones at offset 0) take an offset, and qemu refuses this line. Read anyway.`,
        { line: lineNo, source: SOURCES.vmdkSpec },
      ),
    );
  }
  return { access: accessWord(accessLength), sectors, type, file, offset, line: lineNo };
}

/**
 * Whether an extent of this type may carry this offset. The format gives an offset to FLAT extents
 * (qemu rejects it on any other type); the spec also allows it on VMFS, where it is always 0 in
 * practice, so a VMFS offset of 0 passes and any other offset on a non-FLAT extent is worth a warning.
 */
function offsetAllowed(type: string, offset: number): boolean {
  return type === "FLAT" || (type === "VMFS" && offset === 0);
}
