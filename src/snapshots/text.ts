/**
 * What every parser of the VM folder's small text files shares: the file read line by line,
 * the notices every text file gets (lines too long, bytes that were not UTF-8), the one notion of a
 * blank character, and the small value readers (whole numbers, CIDs, path names).
 * Source: spec section 8 (LF or CRLF line ends, lines over 4 KiB truncated with a warning, NUL bytes
 * mean a binary file, U+FFFD means the bytes were not valid UTF-8). Simplification: a line is cut at
 * MAX_LINE_CHARS characters (UTF-16 units), not bytes.
 */
import { finding, type Finding } from "./findings.ts";

export const MAX_LINE_CHARS = 4096;

/** The files the parsers read: a name and its decoded text (never a data file). */
export interface FileText {
  name: string;
  text: string;
}

/** One line of a text file, without its line end. */
export interface Line {
  /** 1-based. */
  no: number;
  /** At most MAX_LINE_CHARS characters. */
  text: string;
  /** True when the line was longer and `text` is only its start. */
  cut: boolean;
}

/**
 * A text file read one line at a time, as every parser reads it: after each successful `nextLine()`
 * the reader itself is the current line (its number, text and cut flag). Lines end at LF (a CR before
 * it is dropped); lines longer than MAX_LINE_CHARS are cut, and their numbers are kept for the
 * long-line notices. A text always has at least one line, and one more after a final line end. No
 * array of lines is built: a parser reads each file in one pass.
 */
export class TextReader implements Line {
  no = 0;
  text = "";
  cut = false;
  /** Numbers of the lines read so far that were cut. */
  readonly cutLines: number[] = [];
  readonly name: string;
  readonly source: string;
  /** Where the next line starts; past the end of `source` once the last line was read. */
  private nextStart = 0;

  constructor(name: string, source: string) {
    this.name = name;
    this.source = source;
  }

  /** Moves to the next line; false when every line was read. */
  nextLine(): boolean {
    const { source, nextStart: start } = this;
    if (start > source.length) return false;
    const lf = source.indexOf("\n", start);
    const end = lf < 0 ? source.length : lf;
    const stop = end > start && source.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    this.no++;
    this.cut = stop - start > MAX_LINE_CHARS;
    this.text = source.slice(start, this.cut ? start + MAX_LINE_CHARS : stop);
    if (this.cut) this.cutLines.push(this.no);
    this.nextStart = end + 1;
    return true;
  }
}

/** The notices every text file gets, in this order: each cut line, then undecodable bytes. Call it once every line was read. */
export function textFileFindings(file: TextReader): Finding[] {
  const out: Finding[] = [];
  for (const no of file.cutLines) {
    out.push(
      finding("LINE_TOO_LONG", "warning", file.name, `${file.name} line ${no}: the line is longer than ${MAX_LINE_CHARS} characters; only its start was read.`, {
        line: no,
      }),
    );
  }
  if (file.source.includes("\uFFFD")) {
    out.push(
      finding("INVALID_UTF8", "warning", file.name, `${file.name}: some bytes are not valid UTF-8; they were replaced by \uFFFD and read anyway.`, {
        fix: "If names look wrong, save the file as UTF-8 and drop it again.",
      }),
    );
  }
  return out;
}

/** True when the first `limit` characters contain a NUL: the file is binary (a data file). */
export function hasNul(text: string, limit = 1024): boolean {
  return text.slice(0, limit).includes("\u0000");
}

/**
 * The characters that separate a key from its value and the words of an extent or listing line:
 * space, tab, and the control characters a stray CR, VT or FF. (Wider Unicode spaces are only
 * removed where a whole line is trimmed.) Takes a character code, as charCodeAt gives it.
 */
export function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0b || code === 0x0c;
}

/** Index of the first non-blank character of `s` at or after `from`, or s.length. */
export function skipBlanks(s: string, from = 0): number {
  let i = from;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

/**
 * True for a line that says nothing to a parser of key = value lines: blank from `from` (its first
 * non-blank character, as skipBlanks finds it) to the end, or a comment there.
 */
export function isBlankOrComment(line: string, from: number): boolean {
  return from === line.length || line[from] === "#";
}

/** `s` without the blank characters at its end. */
export function trimBlanksEnd(s: string): string {
  return s.slice(0, blanksEndAt(s));
}

/** Where the blank characters at the end of `s` start: just after its last non-blank character (0 when it is all blanks). */
export function blanksEndAt(s: string): number {
  let end = s.length;
  while (end > 0 && isBlank(s.charCodeAt(end - 1))) end--;
  return end;
}

/** The words of `s`, split at blank characters, each with where it starts in `s`. */
export function words(s: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let i = skipBlanks(s);
  while (i < s.length) {
    const start = i;
    while (i < s.length && !isBlank(s.charCodeAt(i))) i++;
    out.push({ text: s.slice(start, i), start });
    i = skipBlanks(s, i);
  }
  return out;
}

/** The last path component, for `/vmfs/volumes/ds/vm/vm.vmdk`, `sub\\vm.vmdk` or `vm.vmdk`. */
export function baseName(path: string): string {
  // most names the parsers meet are bare file names: they need no search from the end
  if (!path.includes("/") && !path.includes("\\")) return path;
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return cut < 0 ? path : path.slice(cut + 1);
}

/** A Windows drive path: "C:\\" or "C:/". */
const DRIVE_PATH = /^[\s\S]:[\\/]/;

export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/") || path.startsWith("\\") || DRIVE_PATH.test(path);
}

// The patterns below are constants: a regular expression literal inside a function is a new object
// on every call, and these run for every line and every descriptor.
const WHOLE_NUMBER = /^[0-9]{1,15}$/;
const HEX8 = /^[0-9a-fA-F]{8}$/;

/** Decimal digits only, at most 15 of them (so the number is exact): the value, else null. */
export function parseWhole(text: string): number | null {
  return WHOLE_NUMBER.test(text) ? Number(text) : null;
}

/** An optionally negative whole number (the .vmsd writes createTimeLow as signed decimal). */
export function parseSigned(text: string): number | null {
  if (text.startsWith("-")) {
    const v = parseWhole(text.slice(1));
    return v === null ? null : -v;
  }
  return parseWhole(text);
}

/** Exactly 8 hex digits (a CID). */
export function isHex8(text: string): boolean {
  return HEX8.test(text);
}

/** Whether a child's recorded parentCID matches its parent's CID: null when either is unknown (hex compares without case) [2]. */
export function cidLinkOk(childParentCid: string | null, parentCid: string | null): boolean | null {
  if (childParentCid === null || parentCid === null) return null;
  // the usual link has both spelled alike: no case to fold
  return childParentCid === parentCid || childParentCid.toLowerCase() === parentCid.toLowerCase();
}
