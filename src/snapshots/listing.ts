/**
 * A pasted folder listing: file name -> size in bytes, so data files are sized without being read.
 * Source: spec sections 5 and 7 (sizes come from an optional listing the user pastes: `ls -l`, a
 * datastore browser copy or `du`), plus this project's sample convention `# allocated <name>: <bytes>`
 * for the real allocation of a thin disk and `# free: <bytes>` for the datastore's free space.
 * Simplifications: units K/M/G/T (with or without B/iB) are binary multiples, as ESXi's `ls -lh` and
 * the datastore browser use them; lines that name no file with a size are skipped with a warning.
 */
import { excerpt, finding, insertFindings, type Finding } from "./findings.ts";
import { baseName, TextReader, textFileFindings, words, type FileText } from "./text.ts";
import { checkString } from "../shared/index.ts";
import { checkFileText } from "./validate.ts";

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

const UNITS = new Map<string, number>([["b", 1], ["k", 2 ** 10], ["kb", 2 ** 10], ["kib", 2 ** 10], ["m", 2 ** 20], ["mb", 2 ** 20], ["mib", 2 ** 20], ["g", 2 ** 30], ["gb", 2 ** 30], ["gib", 2 ** 30], ["t", 2 ** 40], ["tb", 2 ** 40], ["tib", 2 ** 40]]);

/** "42949672960", "41,943,040", "1.5G", "12 GiB": bytes (K, M, G, T are binary multiples), or null. */
export function parseSize(numberText: string, unitText = ""): number | null {
  return sizeOf(checkString("numberText", numberText, { maxLength: 4096 }), checkString("unitText", unitText, { maxLength: 4096 }));
}

function sizeOf(numberText: string, unitText = ""): number | null {
  const n = numberText.length;
  let whole = 0;
  let fraction = 0;
  let scale = 1;
  let digits = 0;
  let dot = false;
  let i = 0;
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
  const attached = numberText.slice(i);
  if (attached !== "" && unitText !== "") return null;
  const unitName = attached || unitText;
  // a bare number is bytes (the usual case)
  const unit = unitName === "" ? 1 : UNITS.get(unitName.toLowerCase());
  if (unit === undefined) return null;
  const bytes = Math.round((whole + fraction) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/**
 * `ls -l` permissions such as -rw-------: a file type (- d l b c p s), nine mode characters
 * (r w x s S t T -), and an optional ACL or attribute mark.
 */
function isPermissions(word: string): boolean {
  return /^[-dlbcps][rwxsStT-]{9}[\s\S]?$/.test(word);
}

function cleanName(raw: string): string {
  let name = raw.trim();
  const arrow = name.indexOf(" -> ");
  if (arrow > 0) name = name.slice(0, arrow);
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
  return baseName(name);
}

/** What one line of a listing says: a file and its size, a line to pass over quietly (`total N`, a directory), or null when it names no file with a size. */
export type LineReading = { fileName: string; bytes: number } | "ignored" | null;

/**
 * The usual `ls -l` line of a file (not a directory): [block count] permissions links owner [group]
 * size month day time-or-year name, where `ls -ls` adds the block count, busybox leaves out the group,
 * and the name is the rest of the line. Fields are separated by spaces only, so each field is one of
 * the words readAnyLine splits the line into. The month never starts with a digit, so it is never
 * taken for a size: with the group or without it, readAnyLine finds the size (and so the name) where
 * this finds it.
 */
const LS_LINE = /^(?:(\d\S*) +)?[-lbcps][rwxsStT-]{9}\S? +\d+ +\S+ +(?:\S+ +)?(\d\S*) +[A-Za-z]{3} +\d{1,2} +(?:\d{1,2}:\d{2}|\d{4}) +(\S.*)$/s;

/**
 * A trimmed line read as LS_LINE, which is how nearly every line of a real listing looks, or undefined
 * when the line has another shape (or a block count or size that is not a size): readAnyLine reads it.
 * Gives what readAnyLine gives for every line it takes, in one match instead of a split into words.
 */
export function readLsLine(line: string): LineReading | undefined {
  const match = LS_LINE.exec(line);
  if (match === null) return undefined;
  const [, blocks, size, name] = match;
  const bytes = sizeOf(size);
  if (bytes === null || (blocks !== undefined && sizeOf(blocks) === null)) return undefined;
  return { fileName: cleanName(name), bytes };
}

/** A trimmed line of any shape the listing allows: `ls -l` (GNU, busybox, `ls -ls`), du style or datastore-browser style. */
export function readAnyLine(line: string): LineReading {
  const all = words(line);
  if (all.length === 2 && all[0].text.toLowerCase() === "total") return "ignored";
  // `ls -ls` puts a block count before the permissions
  const w = all.length > 1 && isPermissions(all[1].text) && sizeOf(all[0].text) !== null ? all.slice(1) : all;
  const count = w.length;
  if (isPermissions(w[0].text)) {
    if (w[0].text.startsWith("d")) return "ignored";
    // perms links owner group size month day time name; busybox may omit the group
    for (let sizeAt = 4; sizeAt >= 3; sizeAt--) {
      if (count < sizeAt + 5) continue;
      const bytes = sizeOf(w[sizeAt].text);
      if (bytes !== null) return { fileName: cleanName(line.slice(w[sizeAt + 4].start)), bytes };
    }
    return null;
  }
  const first = count >= 2 ? sizeOf(w[0].text) : null;
  // du style: size name
  if (first !== null) return { fileName: cleanName(line.slice(w[1].start)), bytes: first };
  // datastore browser style: name size unit
  const withUnit = count >= 3 ? sizeOf(w[count - 2].text, w[count - 1].text) : null;
  if (withUnit !== null) return { fileName: cleanName(line.slice(0, w[count - 2].start)), bytes: withUnit };
  const last = count >= 2 ? sizeOf(w[count - 1].text) : null;
  if (last !== null) return { fileName: cleanName(line.slice(0, w[count - 1].start)), bytes: last };
  return null;
}

export function parseListing(file: FileText): { listing: Listing; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  return { listing: parseListingText(name, text, findings).listing, findings };
}

/** Sizes by file name, in the order the names first appear; a later line for a name replaces its entry. */
export type SizesByName = Map<string, ListingEntry>;

/** A parsed listing and its sizes by file name, as analyze() looks them up. */
export interface ParsedListing {
  listing: Listing;
  entries: SizesByName;
  allocated: SizesByName;
}

/** parseListing for text that was already checked; appends its findings to `findings`. */
export function parseListingText(name: string, text: string, findings: Finding[]): ParsedListing {
  const listing: Listing = { file: name, entries: [], allocated: [], freeBytes: null };
  const lines = new TextReader(name, text);
  const start = findings.length;
  const entries: SizesByName = new Map();
  const allocated: SizesByName = new Map();
  // a name set again keeps its place in the map and takes the later line's size
  const set = (sizes: SizesByName, fileName: string, sizeBytes: number, line: number) => sizes.set(fileName, { name: fileName, sizeBytes, line });
  const skip = (lineNo: number, line: string, why: string) =>
    findings.push(finding("LISTING_LINE_SKIPPED", "warning", name, `${name} line ${lineNo}: ${why}; found "${excerpt(line)}". Line skipped.`, { line: lineNo }));
  /** A size written as one word ("12G") or as a number and a unit ("12 GiB"), else null. */
  const sizeAfterColon = (text: string): number | null => {
    const w = words(text);
    return w.length === 1 ? sizeOf(w[0].text) : w.length === 2 ? sizeOf(w[0].text, w[1].text) : null;
  };

  while (lines.nextLine()) {
    const lineNo = lines.no;
    const line = lines.text.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const body = line.slice(1).trim();
      const lower = body.toLowerCase();
      if (lower.startsWith("allocated ")) {
        const colon = body.lastIndexOf(":");
        const bytes = colon < 0 ? null : sizeAfterColon(body.slice(colon + 1));
        let fileName = colon < 0 ? "" : body.slice("allocated ".length, colon).trim();
        const paren = fileName.indexOf(" (");
        if (paren > 0 && fileName.endsWith(")")) fileName = fileName.slice(0, paren).trim();
        if (bytes === null || fileName === "") skip(lineNo, line, 'expected "# allocated <file>: <bytes>"');
        else set(allocated, cleanName(fileName), bytes, lineNo);
      } else if (lower.startsWith("free") || lower.startsWith("datastore free")) {
        const colon = body.indexOf(":");
        const bytes = colon < 0 ? null : sizeAfterColon(body.slice(colon + 1));
        if (bytes === null) skip(lineNo, line, 'expected "# free: <bytes>"');
        else listing.freeBytes = bytes;
      }
      continue;
    }
    const reading = readLsLine(line) ?? readAnyLine(line);
    if (reading === "ignored") continue;
    if (reading === null || reading.fileName === "" || reading.fileName === "." || reading.fileName === "..") {
      skip(lineNo, line, "expected an `ls -l` line or <file> <size>");
      continue;
    }
    set(entries, reading.fileName, reading.bytes, lineNo);
  }
  // the notices every text file gets come before its line findings
  insertFindings(findings, start, textFileFindings(lines));
  listing.entries = [...entries.values()];
  listing.allocated = [...allocated.values()];
  return { listing, entries, allocated };
}
