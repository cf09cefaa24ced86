/**
 * The VMDK text descriptor: CID, parentCID, createType, parentFileNameHint, extents, disk database.
 * Source: spec section 1 ([1] libvmdk VMDK format specification; [10] descriptors written by ESXi;
 * [14] VMware Virtual Disk Format 1.1: keys are not case-sensitive). Simplifications: sections are
 * recognised by their lines (extent lines start with RW/RDONLY/NOACCESS, disk-database lines with
 * "ddb."), not by the section comments; unknown keys are kept; a file without the
 * "# Disk DescriptorFile" signature is not a descriptor and yields only a finding.
 */
import { excerpt, finding, SOURCES, type Finding } from "./findings.ts";
import { kvScan, scanKeyValue, skipBlanks, trimRange } from "./kv.ts";
import { hasNul, isHex8, MAX_LINE_CHARS, parseWhole, textFindings, type FileText } from "./text.ts";
import { checkArray, checkRecord, checkString } from "../shared/index.ts";
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
const CREATE_TYPE_SET = new Set<string>(CREATE_TYPES);
const CREATE_TYPE_LOWER = new Map<string, string>(CREATE_TYPES.map((t) => [t, t.toLowerCase()]));

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

/** Next whitespace-separated token starting at i: [token, index after it]. */
function token(s: string, i: number): [string, number] {
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  const start = i;
  while (i < s.length && !isBlank(s.charCodeAt(i))) i++;
  return [s.slice(start, i), i];
}

function isSignature(line: string): boolean {
  if (line === "# Disk DescriptorFile") return true;
  if (line.charCodeAt(0) !== 35) return false;
  const body = line.slice(1).trim().toLowerCase();
  return body === "disk descriptorfile" || body.replace(/\s+/g, " ") === "disk descriptorfile";
}

/** Length of the access word (RW, RDONLY, NOACCESS, any case) that starts an extent line, else 0. */
function extentAccessLength(line: string, from: number, stop: number): number {
  const c = line.charCodeAt(from) | 32;
  if (c !== 114 && c !== 110) return 0;
  let end = from;
  while (end < stop && end - from < 9 && !isBlank(line.charCodeAt(end))) end++;
  const length = end - from;
  if (length !== 2 && length !== 6 && length !== 8) return 0;
  const word = line.slice(from, end).toUpperCase();
  return word === "RW" || word === "RDONLY" || word === "NOACCESS" ? length : 0;
}

/**
 * Header keys this parser interprets, as bits (so duplicate detection needs no map for them).
 * The spelling ESXi writes is matched first; any other case falls back to a lower-case compare [14].
 */
const H_VERSION = 1;
const H_ENCODING = 2;
const H_CID = 4;
const H_PARENT_CID = 8;
const H_NATIVE = 16;
const H_CREATE_TYPE = 32;
const H_HINT = 64;
const H_CTK = 128;

function headerBit(key: string): number {
  switch (key) {
    case "CID":
      return H_CID;
    case "parentCID":
      return H_PARENT_CID;
    case "createType":
      return H_CREATE_TYPE;
    case "parentFileNameHint":
      return H_HINT;
    case "version":
      return H_VERSION;
    case "encoding":
      return H_ENCODING;
    case "isNativeSnapshot":
      return H_NATIVE;
    case "changeTrackPath":
      return H_CTK;
  }
  switch (key.toLowerCase()) {
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

export function parseDescriptor(file: FileText): { descriptor: Descriptor | null; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  return { descriptor: parseDescriptorText(name, text, findings), findings };
}

/**
 * parseDescriptor for text that was already checked: appends its findings to `findings` and returns
 * the descriptor or null. analyze() uses it so that thousands of descriptors share one findings list;
 * `checkedText` skips the binary check that classifyFiles already made.
 */
export function parseDescriptorText(name: string, text: string, findings: Finding[], checkedText = false): Descriptor | null {
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
  const n = text.length;
  const truncated: number[] = [];
  let pos = 0;
  let lineNo = 0;
  let lineStart = 0;
  let lineEnd = 0;
  const nextLine = (): boolean => {
    if (pos > n) return false;
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = n;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    lineNo++;
    if (end - pos > MAX_LINE_CHARS) {
      truncated.push(lineNo);
      end = pos + MAX_LINE_CHARS;
    }
    lineStart = pos;
    lineEnd = end;
    pos = nl + 1;
    return true;
  };
  let firstLine = "";
  let firstLineNo = 0;
  while (nextLine()) {
    const a = skipBlanks(text, lineStart);
    if (a >= lineEnd) continue;
    firstLine = text.slice(lineStart, lineEnd).trim();
    if (firstLine === "") continue;
    firstLineNo = lineNo;
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

  const d: Descriptor = {
    file: name,
    version: null,
    encoding: null,
    cid: null,
    parentCid: null,
    isNativeSnapshot: null,
    createType: null,
    parentFileNameHint: null,
    changeTrackPath: null,
    extents: [],
    ddb: [],
    otherKeys: [],
    capacityBytes: 0,
    kind: "base",
    deltaFormat: null,
    baseType: "thick",
    lines: { cid: null, parentCid: null, parentFileNameHint: null, createType: null },
  };
  let seenBits = 0;
  const seenLine: number[] = [];
  let seenOther: Map<string, number> | null = null;
  let rawCid: string | null = null;
  let rawParentCid: string | null = null;
  let thinValue: string | null = null;
  let longId: string | null = null;
  let longIdLine = 0;

  while (nextLine()) {
    const a = skipBlanks(text, lineStart);
    if (a >= lineEnd || text.charCodeAt(a) === 35) continue;
    const accessLength = extentAccessLength(text, a, lineEnd);
    if (accessLength > 0) {
      const line = text.slice(a, lineEnd).trim();
      parseExtent(d, name, line, lineNo, accessLength === 2 ? "RW" : line.slice(0, accessLength).toUpperCase(), accessLength, findings);
      continue;
    }
    if (!scanKeyValue(text, a, lineEnd)) {
      findings.push(
        finding("BAD_LINE", "warning", name, `${name} line ${lineNo}: expected key=value or an extent line; found "${excerpt(text.slice(a, lineEnd).trim())}". Line skipped.`, {
          line: lineNo,
        }),
      );
      continue;
    }
    const key = kvScan.key;
    const value = kvScan.value;
    if (key.length > 4 && key.charCodeAt(3) === 46 && (key.startsWith("ddb.") || key.slice(0, 4).toLowerCase() === "ddb.")) {
      const ddbKey = key.slice(4);
      d.ddb.push({ key: ddbKey, value, line: lineNo });
      if (ddbKey.length === 15 && ddbKey.toLowerCase() === "thinprovisioned") thinValue = value;
      else if (ddbKey.length === 13 && ddbKey.toLowerCase() === "longcontentid") {
        longId = value;
        longIdLine = lineNo;
      }
      continue;
    }
    const bit = headerBit(key);
    let prev: number | undefined;
    if (bit !== 0) {
      if (seenBits & bit) prev = seenLine[bit];
      seenBits |= bit;
      seenLine[bit] = lineNo;
    } else {
      const lower = key.toLowerCase();
      seenOther ??= new Map();
      prev = seenOther.get(lower);
      seenOther.set(lower, lineNo);
    }
    if (prev !== undefined) {
      findings.push(
        finding("DUPLICATE_KEY", "warning", name, `${name} line ${lineNo}: ${excerpt(key, 40)} is set again (first on line ${prev}); the last value is used.`, {
          line: lineNo,
        }),
      );
    }
    switch (bit) {
      case H_VERSION: {
        const v = parseWhole(value);
        d.version = v;
        if (v === null || v < 1 || v > 3) {
          findings.push(
            finding("UNKNOWN_VERSION", "warning", name, `${name} line ${lineNo}: version "${excerpt(value, 20)}" is not 1, 2 or 3; read anyway.`, {
              line: lineNo,
              source: SOURCES.vmdkSpec,
            }),
          );
        }
        break;
      }
      case H_ENCODING:
        d.encoding = value;
        break;
      case H_CID:
        rawCid = value;
        d.lines.cid = lineNo;
        break;
      case H_PARENT_CID:
        rawParentCid = value;
        d.lines.parentCid = lineNo;
        break;
      case H_NATIVE:
        d.isNativeSnapshot = value;
        break;
      case H_CREATE_TYPE: {
        d.lines.createType = lineNo;
        const known = CREATE_TYPE_SET.has(value) ? value : CREATE_TYPE_BY_LOWER.get(value.toLowerCase());
        d.createType = known ?? value;
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
        d.parentFileNameHint = value;
        d.lines.parentFileNameHint = lineNo;
        break;
      case H_CTK:
        d.changeTrackPath = value;
        break;
      default:
        d.otherKeys.push({ key, value, line: lineNo });
    }
  }

  findings.push(...textFindings(name, text, truncated));
  if (rawCid !== null && isHex8(rawCid)) d.cid = rawCid;
  else findings.push(cidFinding(name, "CID", rawCid, d.lines.cid));
  if (rawParentCid !== null && isHex8(rawParentCid)) d.parentCid = rawParentCid;
  else findings.push(cidFinding(name, "parentCID", rawParentCid, d.lines.parentCid));

  let sectors = 0;
  for (const e of d.extents) sectors += e.sectors;
  d.capacityBytes = sectors * SECTOR_BYTES;
  if (d.extents.length === 0) {
    findings.push(
      finding("NO_EXTENTS", "error", name, `${name}: no extent lines (RW <sectors> <TYPE> "<file>"), so the disk's capacity and data file are unknown.`, {
        source: SOURCES.vmdkSpec,
      }),
    );
  }

  const ct = d.createType === null ? "" : (CREATE_TYPE_LOWER.get(d.createType) ?? d.createType.toLowerCase());
  let hasVmfsSparse = false;
  let hasSeSparse = false;
  let hasRdm = false;
  let hasRaw = false;
  for (const e of d.extents) {
    if (e.type === "VMFSSPARSE") hasVmfsSparse = true;
    else if (e.type === "SESPARSE") hasSeSparse = true;
    else if (e.type === "VMFSRDM") hasRdm = true;
    else if (e.type === "VMFSRAW") hasRaw = true;
  }
  if (ct === "vmfssparse" || (ct === "" && hasVmfsSparse)) d.deltaFormat = "vmfsSparse";
  else if (ct === "sesparse" || (ct === "" && hasSeSparse)) d.deltaFormat = "seSparse";
  const hasParent =
    (d.parentCid !== null && d.parentCid !== NO_PARENT_CID && d.parentCid.toLowerCase() !== NO_PARENT_CID) || (d.parentFileNameHint ?? "") !== "";
  if (d.deltaFormat === null && hasParent) d.deltaFormat = hasSeSparse ? "seSparse" : hasVmfsSparse ? "vmfsSparse" : "hostedSparse";
  d.kind = d.deltaFormat !== null || hasParent ? "delta" : "base";

  if (ct === "vmfsrawdevicemap" || (hasRdm && ct !== "vmfspassthroughrawdevicemap")) d.baseType = "rdm-virtual";
  else if (ct === "vmfspassthroughrawdevicemap" || ct === "vmfsraw" || ct === "fulldevice" || ct === "partitioneddevice" || hasRaw) d.baseType = "rdm-physical";
  else if ((thinValue !== null && thinValue.trim() === "1") || ct === "vmfsthin" || ct === "monolithicsparse" || ct === "twogbmaxextentsparse" || ct === "streamoptimized")
    d.baseType = "thin";
  else d.baseType = "thick";

  if (longId !== null && d.cid !== null && longId.length >= 8 && longId.slice(-8).toLowerCase() !== d.cid.toLowerCase()) {
    findings.push(
      finding(
        "LONG_CONTENT_ID_MISMATCH",
        "warning",
        name,
        `${name} line ${longIdLine}: ddb.longContentID ends in ${excerpt(longId.slice(-8), 8)} but CID is ${d.cid}; in descriptors written by ESXi they agree.`,
        { line: longIdLine, fix: "Usually harmless; if the CID was edited by hand, check it against the parent's CID (KB 1007969).", source: SOURCES.vmdkSpec },
      ),
    );
  }
  return d;
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

function parseExtent(d: Descriptor, name: string, line: string, lineNo: number, access: string, start: number, findings: Finding[]): void {
  const shape = () => `extent line must look like RW <sectors> <TYPE> "<file>" [offset]; found "${excerpt(line, 80)}"`;
  const [sectorText, afterSectors] = token(line, start);
  const [typeText, afterType] = token(line, afterSectors);
  if (sectorText === "" || typeText === "") {
    findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape()}.`, { line: lineNo, source: SOURCES.vmdkSpec }));
    return;
  }
  const sectors = parseWhole(sectorText);
  if (sectors === null) {
    findings.push(
      finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: sector count "${excerpt(sectorText, 20)}" is not a whole number.`, {
        line: lineNo,
        source: SOURCES.vmdkSpec,
      }),
    );
    return;
  }
  const type = typeText.toUpperCase();
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
  const rest = trimRange(line.slice(afterType));
  let file: string | null = null;
  let offset: number | null = null;
  if (rest.length === 0) {
    if (type !== "ZERO") {
      findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape()} (no file name).`, { line: lineNo, source: SOURCES.vmdkSpec }));
      return;
    }
  } else if (rest.charCodeAt(0) !== 34) {
    const [bare, afterBare] = token(rest, 0);
    file = bare;
    const o = trimRange(rest.slice(afterBare));
    offset = o === "" ? null : parseWhole(o);
    findings.push(
      finding("BAD_EXTENT", "warning", name, `${name} line ${lineNo}: ${shape()} (file name is not quoted). Read anyway.`, {
        line: lineNo,
        source: SOURCES.vmdkSpec,
      }),
    );
  } else {
    const close = rest.indexOf('"', 1);
    if (close < 0) {
      findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape()} (the file name has no closing quote).`, { line: lineNo, source: SOURCES.vmdkSpec }));
      return;
    }
    file = rest.slice(1, close);
    const o = trimRange(rest.slice(close + 1));
    if (o !== "") {
      offset = parseWhole(o);
      if (offset === null) {
        findings.push(
          finding("BAD_EXTENT", "warning", name, `${name} line ${lineNo}: extent offset "${excerpt(o, 20)}" is not a whole number; ignored.`, {
            line: lineNo,
            source: SOURCES.vmdkSpec,
          }),
        );
      }
    }
  }
  d.extents.push({ access, sectors, type, file, offset, line: lineNo });
}
