/**
 * A pasted folder listing: file name -> size in bytes, so data files are sized without being read.
 * Source: spec sections 5 and 7 (sizes come from an optional listing the user pastes: `ls -l`, a
 * datastore browser copy or `du`), plus this project's sample convention `# allocated <name>: <bytes>`
 * for the real allocation of a thin disk and `# free: <bytes>` for the datastore's free space.
 * Simplifications: units K/M/G/T (with or without B/iB) are binary multiples, as ESXi's `ls -lh` and
 * the datastore browser use them; lines that name no file with a size are skipped with a warning.
 */
import { excerpt, finding, type Finding } from "../../../../src/snapshots/findings.ts";
import { trimRange } from "./kv.ts";
import { baseName, LineCursor, pushTextFindings, trimEndAt, trimStartAt, type FileText } from "./text.ts";
import { checkString } from "../../../../src/shared/index.ts";
import { checkFileText } from "./validate.ts";

/** Space or tab (or a stray CR); local so the hot token loop stays inlined. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

export interface ListingEntry {
  name: string;
  sizeBytes: number;
  line: number;
}

export interface Listing {
  file: string;
  /** Apparent sizes (what `ls -l` prints); the last line for a name wins. */
  entries: ListingEntry[];
  /** Allocated sizes (what `du` prints), from `# allocated` lines. */
  allocated: ListingEntry[];
  /** Datastore free space, from a `# free:` line, or null. */
  freeBytes: number | null;
}

const UNITS = new Map<string, number>([["", 1], ["b", 1], ["k", 2 ** 10], ["kb", 2 ** 10], ["kib", 2 ** 10], ["m", 2 ** 20], ["mb", 2 ** 20], ["mib", 2 ** 20], ["g", 2 ** 30], ["gb", 2 ** 30], ["gib", 2 ** 30], ["t", 2 ** 40], ["tb", 2 ** 40], ["tib", 2 ** 40]]);

function tokens(s: string): { text: string; start: number }[] {
  const count = scanTokens(s, 0, s.length);
  const out: { text: string; start: number }[] = [];
  for (let k = 0; k < count; k++) out.push({ text: s.slice(tokStart[k], tokEnd[k]), start: tokStart[k] });
  return out;
}

// Token bounds of the last scanTokens call (scratch arrays: a listing line allocates no token objects).
const tokStart: number[] = [];
const tokEnd: number[] = [];

/** Splits s[from, to) at blanks; the bounds (indices into s) go to tokStart/tokEnd. Returns the count. */
function scanTokens(s: string, from: number, to: number): number {
  let count = 0;
  let i = from;
  while (i < to) {
    while (i < to && isBlank(s.charCodeAt(i))) i++;
    if (i >= to) break;
    tokStart[count] = i;
    while (i < to && !isBlank(s.charCodeAt(i))) i++;
    tokEnd[count++] = i;
  }
  return count;
}

function tok(s: string, k: number): string {
  return s.slice(tokStart[k], tokEnd[k]);
}

/** sizeOf the token k of the last scanTokens call, without slicing it. */
function tokSize(s: string, k: number, unitText = ""): number | null {
  return sizeOfAt(s, tokStart[k], tokEnd[k], unitText);
}

/** "42949672960", "41,943,040", "1.5G", "12 GiB": bytes (K, M, G, T are binary multiples), or null. */
export function parseSize(numberText: string, unitText = ""): number | null {
  return sizeOf(checkString("numberText", numberText, { maxLength: 4096 }), checkString("unitText", unitText, { maxLength: 4096 }));
}

function sizeOf(numberText: string, unitText = ""): number | null {
  return sizeOfAt(numberText, 0, numberText.length, unitText);
}

/** sizeOf of text[from, to) (a number with or without an attached unit), without slicing the number. */
function sizeOfAt(numberText: string, from: number, n: number, unitText: string): number | null {
  let whole = 0;
  let fraction = 0;
  let scale = 1;
  let digits = 0;
  let dot = false;
  let i = from;
  for (; i < n; i++) {
    const c = numberText.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 20) return null;
      if (dot) {
        scale /= 10;
        fraction += (c - 48) * scale;
      } else whole = whole * 10 + (c - 48);
    } else if (c === 44 && digits > 0 && !dot) continue;
    else if (c === 46 && digits > 0 && !dot) dot = true;
    else break;
  }
  if (digits === 0 || numberText.charCodeAt(i - 1) === 46) return null;
  const attached = i < n ? numberText.slice(i, n) : "";
  if (attached !== "" && unitText !== "") return null;
  const unit = UNITS.get((attached || unitText).toLowerCase());
  if (unit === undefined) return null;
  const bytes = Math.round((whole + fraction) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** `ls -l` permissions such as -rw------- in text[from, to): a file type, then nine mode characters. */
function isPermissionsAt(text: string, from: number, to: number): boolean {
  if (to - from < 10 || to - from > 11) return false;
  if (!isFileTypeChar(text.charCodeAt(from))) return false;
  for (let i = from + 1; i < from + 10; i++) if (!isModeChar(text.charCodeAt(i))) return false;
  return true;
}

/** One of - d l b c p s. */
function isFileTypeChar(c: number): boolean {
  return c === 45 || c === 100 || c === 108 || c === 98 || c === 99 || c === 112 || c === 115;
}

/** One of r w x s S t T -. */
function isModeChar(c: number): boolean {
  return c === 114 || c === 119 || c === 120 || c === 115 || c === 83 || c === 116 || c === 84 || c === 45;
}

function cleanName(raw: string): string {
  let name = trimRange(raw);
  const arrow = name.indexOf(" -> ");
  if (arrow > 0) name = name.slice(0, arrow);
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
  return baseName(name);
}

export function parseListing(file: FileText): { listing: Listing; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  return { listing: parseListingText(name, text, findings).listing, findings };
}

/**
 * File sizes with one entry per name (the last line for a name wins), in the order the names first
 * appear: parallel lists and each name's position, so that analyze() looks sizes up without an object
 * per file.
 */
export class NamedSizes {
  readonly names: string[] = [];
  readonly sizes: number[] = [];
  readonly lines: number[] = [];
  readonly positions = new Map<string, number>();

  set(name: string, sizeBytes: number, line: number): void {
    const at = this.positions.get(name);
    if (at === undefined) {
      this.positions.set(name, this.names.length);
      this.names.push(name);
      this.sizes.push(sizeBytes);
      this.lines.push(line);
    } else {
      this.sizes[at] = sizeBytes;
      this.lines[at] = line;
    }
  }

  /** The entries as the Listing of parseListing has them. */
  toEntries(): ListingEntry[] {
    const out: ListingEntry[] = [];
    for (let i = 0; i < this.names.length; i++) out.push({ name: this.names[i], sizeBytes: this.sizes[i], line: this.lines[i] });
    return out;
  }
}

/** A parsed listing and its sizes by file name, as analyze() looks them up. */
export interface ParsedListing {
  listing: Listing;
  entries: NamedSizes;
  allocated: NamedSizes;
}

/**
 * parseListing for text that was already checked; appends its findings to `findings`. Without
 * `keepEntries` the Listing's own entry lists stay empty (analyze() reads the sizes from the result).
 */
export function parseListingText(name: string, text: string, findings: Finding[], keepEntries = true): ParsedListing {
  const listing: Listing = { file: name, entries: [], allocated: [], freeBytes: null };
  // long-line findings come first, but are known only once every line was read
  const lines = new LineCursor(text);
  const lineFindings: Finding[] = [];
  const entries = new NamedSizes();
  const allocated = new NamedSizes();
  const skip = (lineNo: number, line: string, why: string) =>
    lineFindings.push(finding("LISTING_LINE_SKIPPED", "warning", name, `${name} line ${lineNo}: ${why}; found "${excerpt(line)}". Line skipped.`, { line: lineNo }));

  while (lines.next()) {
    const lineNo = lines.lineNo;
    // the line as trim() gives it is text[ls, le); it is sliced only for comments and messages
    const ls = trimStartAt(text, lines.start, lines.end);
    const le = trimEndAt(text, ls, lines.end);
    if (ls === le) continue;
    if (text.charCodeAt(ls) === 35) {
      const line = text.slice(ls, le);
      const body = trimRange(line.slice(1));
      const lower = body.toLowerCase();
      if (lower.startsWith("allocated ")) {
        const colon = body.lastIndexOf(":");
        const t = colon < 0 ? [] : tokens(body.slice(colon + 1));
        const bytes = t.length === 1 ? sizeOf(t[0].text) : t.length === 2 ? sizeOf(t[0].text, t[1].text) : null;
        let fileName = colon < 0 ? "" : trimRange(body.slice("allocated ".length, colon));
        const paren = fileName.indexOf(" (");
        if (paren > 0 && fileName.endsWith(")")) fileName = trimRange(fileName.slice(0, paren));
        if (bytes === null || fileName === "") skip(lineNo, line, 'expected "# allocated <file>: <bytes>"');
        else allocated.set(cleanName(fileName), bytes, lineNo);
      } else if (lower.startsWith("free") || lower.startsWith("datastore free")) {
        const colon = body.indexOf(":");
        const t = colon < 0 ? [] : tokens(body.slice(colon + 1));
        const bytes = t.length === 1 ? sizeOf(t[0].text) : t.length === 2 ? sizeOf(t[0].text, t[1].text) : null;
        if (bytes === null) skip(lineNo, line, 'expected "# free: <bytes>"');
        else listing.freeBytes = bytes;
      }
      continue;
    }
    let count = scanTokens(text, ls, le);
    let t0 = 0;
    if (count === 2 && tok(text, 0).toLowerCase() === "total") continue;
    // `ls -ls` puts a block count before the permissions
    if (count > 1 && isPermissionsAt(text, tokStart[1], tokEnd[1]) && tokSize(text, 0) !== null) t0 = 1;
    count -= t0;
    let fileName: string | null = null;
    let bytes: number | null = null;
    if (isPermissionsAt(text, tokStart[t0], tokEnd[t0])) {
      if (text.charCodeAt(tokStart[t0]) === 100) continue;
      // perms links owner group size month day time name; busybox may omit the group
      for (let sizeAt = 4; sizeAt >= 3; sizeAt--) {
        if (count < sizeAt + 5) continue;
        const b = tokSize(text, t0 + sizeAt);
        if (b === null) continue;
        bytes = b;
        fileName = cleanName(text.slice(tokStart[t0 + sizeAt + 4], le));
        break;
      }
    } else if (count >= 2 && tokSize(text, t0) !== null) {
      // du style: size name
      bytes = tokSize(text, t0);
      fileName = cleanName(text.slice(tokStart[t0 + 1], le));
    } else if (count >= 3 && tokSize(text, t0 + count - 2, tok(text, t0 + count - 1)) !== null) {
      // datastore browser style: name size unit
      bytes = tokSize(text, t0 + count - 2, tok(text, t0 + count - 1));
      fileName = cleanName(text.slice(ls, tokStart[t0 + count - 2]));
    } else if (count >= 2 && tokSize(text, t0 + count - 1) !== null) {
      bytes = tokSize(text, t0 + count - 1);
      fileName = cleanName(text.slice(ls, tokStart[t0 + count - 1]));
    }
    if (bytes === null || fileName === null || fileName === "" || fileName === "." || fileName === "..") {
      skip(lineNo, text.slice(ls, le), "expected an `ls -l` line or <file> <size>");
      continue;
    }
    entries.set(fileName, bytes, lineNo);
  }
  pushTextFindings(findings, name, text, lines.truncated);
  for (const f of lineFindings) findings.push(f);
  if (keepEntries) {
    listing.entries = entries.toEntries();
    listing.allocated = allocated.toEntries();
  }
  return { listing, entries, allocated };
}
