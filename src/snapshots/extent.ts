/**
 * Extent lines of a VMDK descriptor: `<access> <sectors> <type> ["<file>" [<offset>]]`.
 * Source: spec section 1 ([1] libvmdk, "Extent descriptions"): access RW, RDONLY or NOACCESS;
 * sectors a decimal count of 512-byte sectors; the file quoted and omitted only for ZERO; the
 * offset only on FLAT extents (qemu refuses it on any other type), and on VMFS ones at 0 per spec.
 * Simplification: an unquoted file name is read up to the next blank, with a warning.
 */
import { excerpt, finding, SOURCES, type Finding } from "./findings.ts";
import { isBlank, parseWhole, skipBlanks, type Line } from "./text.ts";

export const EXTENT_TYPES = ["FLAT", "SPARSE", "ZERO", "VMFS", "VMFSSPARSE", "SESPARSE", "VMFSRDM", "VMFSRAW"] as const;
export const EXTENT_ACCESS = ["RW", "RDONLY", "NOACCESS"] as const;

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

/** The word of `s` that starts at `from`: up to the next blank character. */
function wordAt(s: string, from: number): string {
  let end = from;
  while (end < s.length && !isBlank(s.charCodeAt(end))) end++;
  return s.slice(from, end);
}

/** The access word (RW, RDONLY, NOACCESS, any case) that starts an extent line at `from`, spelled as in EXTENT_ACCESS, else null. */
export function extentAccess(line: string, from: number): string | null {
  // every access word starts with R or N; most lines (keys) are told apart by that alone
  if (!"RrNn".includes(line[from])) return null;
  const written = wordAt(line, from);
  const word = written.toUpperCase();
  // the same length as written: a word such as "NOACCEß" upper-cases to NOACCESS but is not one
  return word.length === written.length ? knownSpelling(EXTENT_ACCESS, word) : null;
}

/** `word` as `known` spells it (one string every extent shares instead of each holding a copy), or null when `known` does not hold it. */
function knownSpelling<T extends string>(known: readonly T[], word: string): T | null {
  const at = (known as readonly string[]).indexOf(word);
  return at < 0 ? null : known[at];
}

/**
 * The extent line that starts at `from` (its access word), or null with a finding when it cannot
 * be read. `descriptor` names the file in messages.
 */
export function parseExtentLine(descriptor: string, line: Line, from: number, access: string, findings: Finding[]): Extent | null {
  const lineNo = line.no;
  const text = line.text.slice(from).trimEnd();
  const problem = (severity: "error" | "warning", message: string) =>
    findings.push(finding("BAD_EXTENT", severity, descriptor, `${descriptor} line ${lineNo}: ${message}`, { line: lineNo, source: SOURCES.vmdkSpec }));
  const shape = () => `extent line must look like RW <sectors> <TYPE> "<file>" [offset]; found "${excerpt(text, 80)}"`;

  const sectorsAt = skipBlanks(text, access.length);
  const sectorsText = wordAt(text, sectorsAt);
  const typeAt = skipBlanks(text, sectorsAt + sectorsText.length);
  const typeText = wordAt(text, typeAt);
  if (sectorsText === "" || typeText === "") {
    problem("error", `${shape()}.`);
    return null;
  }
  const sectors = parseWhole(sectorsText);
  if (sectors === null) {
    problem("error", `sector count "${excerpt(sectorsText, 20)}" is not a whole number.`);
    return null;
  }
  const upper = typeText.toUpperCase();
  const known = knownSpelling(EXTENT_TYPES, upper);
  const type = known ?? upper;
  if (known === null) {
    findings.push(
      finding("UNKNOWN_EXTENT_TYPE", "warning", descriptor, `${descriptor} line ${lineNo}: unknown extent type "${excerpt(typeText, 20)}"; known types are ${EXTENT_TYPES.join(", ")}.`, {
        line: lineNo,
        source: SOURCES.vmdkSpec,
      }),
    );
  }

  const rest = text.slice(typeAt + typeText.length).trimStart();
  let file: string | null = null;
  let offset: number | null = null;
  if (rest === "") {
    if (type !== "ZERO") {
      problem("error", `${shape()} (no file name).`);
      return null;
    }
  } else if (!rest.startsWith('"')) {
    file = wordAt(rest, 0);
    const offsetText = rest.slice(file.length).trimStart();
    offset = offsetText === "" ? null : parseWhole(offsetText);
    problem("warning", `${shape()} (file name is not quoted). Read anyway.`);
  } else {
    const close = rest.indexOf('"', 1);
    if (close < 0) {
      // a line cut at the length limit lost its closing quote to the cut: it gets only the long-line notice
      if (!line.cut) problem("error", `${shape()} (the file name has no closing quote).`);
      return null;
    }
    file = rest.slice(1, close);
    const offsetText = rest.slice(close + 1).trimStart();
    if (offsetText !== "") {
      offset = parseWhole(offsetText);
      if (offset === null) problem("warning", `extent offset "${excerpt(offsetText, 20)}" is not a whole number; ignored.`);
    }
  }
  if (offset !== null && !offsetAllowed(type, offset)) {
    problem("warning", `a ${type} extent with offset ${offset}; only FLAT extents (and VMFS ones at offset 0) take an offset, and qemu refuses this line. Read anyway.`);
  }
  return { access, sectors, type, file, offset, line: lineNo };
}

/**
 * Whether an extent of this type may carry this offset. The format gives an offset to FLAT extents
 * (qemu rejects it on any other type); the spec also allows it on VMFS, where it is always 0 in
 * practice, so a VMFS offset of 0 passes and any other offset on a non-FLAT extent is worth a warning.
 */
function offsetAllowed(type: string, offset: number): boolean {
  return type === "FLAT" || (type === "VMFS" && offset === 0);
}
