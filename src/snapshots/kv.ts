/**
 * The `key = "value"` dictionary format of .vmx and .vmsd files.
 * Source: spec sections 2, 3 and 8 ([3][4]): flat quoted values; unquoted values are read anyway
 * with a warning; duplicate keys keep the last value with a warning; unknown keys are kept.
 * Simplification: keys compare case-insensitively (VMware treats them so); a value ends at its
 * first closing quote, because VMware escapes quotes inside values as |22.
 */
import { excerpt, finding, type Finding } from "./findings.ts";
import type { Lines } from "./text.ts";

export interface KvEntry {
  /** The key as written. */
  key: string;
  value: string;
  /** 1-based line. */
  line: number;
}

/** Entries by lower-cased key, in file order; duplicate keys keep the last value. */
export type KvMap = Map<string, KvEntry>;

/** Native trim: linear, and it also drops a byte-order mark at the start of a file. */
function trimRange(s: string): string {
  return s.trim();
}

/** Space, tab or a stray CR; local so the scanning loops stay inlined. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/** Index of the first non-blank character of `line` at or after `from`, or line.length. */
export function skipBlanks(line: string, from = 0): number {
  let i = from;
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return i;
}

/**
 * Scratch result of scanKeyValue: the parsers call it once per line, so it returns its parts here
 * instead of allocating an object per line. quote: 0 = unquoted, 1 = quoted, 2 = no closing quote.
 * The bounds are indices into the scanned text; key and value are set only by scanKeyValue, so a
 * caller of scanKeyValueBounds slices just the parts it keeps.
 */
export const kvScan: { key: string; value: string; quote: 0 | 1 | 2; keyStart: number; keyEnd: number; valueStart: number; valueEnd: number } = {
  key: "",
  value: "",
  quote: 0,
  keyStart: 0,
  keyEnd: 0,
  valueStart: 0,
  valueEnd: 0,
};

/**
 * Finds the bounds of `key = value` (value optionally quoted) in line[from, end); false when there is
 * no '=' or no key. Sets kvScan's bounds and quote only; no string is made.
 */
export function scanKeyValueBounds(line: string, from: number, end = line.length): boolean {
  const eq = line.indexOf("=", from);
  if (eq < 0 || eq >= end) return false;
  let keyEnd = eq;
  while (keyEnd > from && isBlank(line.charCodeAt(keyEnd - 1))) keyEnd--;
  if (keyEnd === from) return false;
  kvScan.keyStart = from;
  kvScan.keyEnd = keyEnd;
  let vs = eq + 1;
  while (vs < end && isBlank(line.charCodeAt(vs))) vs++;
  let ve = end;
  while (ve > vs && isBlank(line.charCodeAt(ve - 1))) ve--;
  if (vs < ve && line.charCodeAt(vs) === 34) {
    const close = line.indexOf('"', vs + 1);
    kvScan.valueStart = vs + 1;
    if (close < 0 || close >= ve) {
      kvScan.valueEnd = ve;
      kvScan.quote = 2;
    } else {
      kvScan.valueEnd = close;
      kvScan.quote = 1;
    }
  } else {
    kvScan.valueStart = vs;
    kvScan.valueEnd = ve;
    kvScan.quote = 0;
  }
  return true;
}

/**
 * Splits `key = value` (value optionally quoted) in line[from, end); false when there is no '=' or
 * no key. Works on index bounds so a caller can scan a whole file without slicing each line.
 */
export function scanKeyValue(line: string, from: number, end = line.length): boolean {
  if (!scanKeyValueBounds(line, from, end)) return false;
  kvScan.key = line.slice(kvScan.keyStart, kvScan.keyEnd);
  kvScan.value = line.slice(kvScan.valueStart, kvScan.valueEnd);
  return true;
}

/**
 * Calls `each` for every `key = value` line, in order, with the line number; reports lines that are
 * not key = value and values without quotes. No duplicate handling: the caller decides.
 */
export function forEachKeyValue(file: string, { lines }: Lines, findings: Finding[], each: (key: string, value: string, line: number) => void): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    const a = skipBlanks(line);
    if (a === line.length || line.charCodeAt(a) === 35) continue;
    if (!scanKeyValue(line, a)) {
      findings.push(
        finding("BAD_LINE", "warning", file, `${file} line ${lineNo}: expected key = "value"; found '${excerpt(line.trim())}'. Line skipped.`, {
          line: lineNo,
        }),
      );
      continue;
    }
    if (kvScan.quote === 2) {
      findings.push(
        finding("UNQUOTED_VALUE", "warning", file, `${file} line ${lineNo}: the value of ${excerpt(kvScan.key, 40)} has no closing quote. Read anyway.`, {
          line: lineNo,
        }),
      );
    } else if (kvScan.quote === 0) {
      findings.push(
        finding(
          "UNQUOTED_VALUE",
          "warning",
          file,
          `${file} line ${lineNo}: expected key = "value"; found '${excerpt(line.trim())}' (value not quoted). Read anyway.`,
          { line: lineNo },
        ),
      );
    }
    each(kvScan.key, kvScan.value, lineNo);
  }
}

export function duplicateKey(file: string, key: string, line: number, firstLine: number): Finding {
  return finding("DUPLICATE_KEY", "warning", file, `${file} line ${line}: ${excerpt(key, 40)} is set again (first on line ${firstLine}); the last value is used.`, {
    line,
  });
}

export function parseKeyValues(file: string, { lines }: Lines, findings: Finding[]): KvMap {
  const map: KvMap = new Map();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    const a = skipBlanks(line);
    if (a === line.length || line.charCodeAt(a) === 35) continue;
    if (!scanKeyValue(line, a)) {
      findings.push(
        finding("BAD_LINE", "warning", file, `${file} line ${lineNo}: expected key = "value"; found '${excerpt(line.trim())}'. Line skipped.`, {
          line: lineNo,
        }),
      );
      continue;
    }
    const key = kvScan.key;
    const value = kvScan.value;
    if (kvScan.quote === 2) {
      findings.push(
        finding("UNQUOTED_VALUE", "warning", file, `${file} line ${lineNo}: the value of ${excerpt(key, 40)} has no closing quote. Read anyway.`, {
          line: lineNo,
        }),
      );
    } else if (kvScan.quote === 0) {
      findings.push(
        finding(
          "UNQUOTED_VALUE",
          "warning",
          file,
          `${file} line ${lineNo}: expected key = "value"; found '${excerpt(line.trim())}' (value not quoted). Read anyway.`,
          { line: lineNo },
        ),
      );
    }
    const lower = key.toLowerCase();
    const previous = map.get(lower);
    if (previous) {
      findings.push(
        finding(
          "DUPLICATE_KEY",
          "warning",
          file,
          `${file} line ${lineNo}: ${excerpt(key, 40)} is set again (first on line ${previous.line}); the last value is used.`,
          { line: lineNo },
        ),
      );
      map.delete(lower);
    }
    map.set(lower, { key, value, line: lineNo });
  }
  return map;
}

export { trimRange };
