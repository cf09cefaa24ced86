/**
 * The `key = "value"` lines of .vmx, .vmsd and descriptor files.
 * Source: spec sections 2, 3 and 8 ([3][4]): flat quoted values; unquoted values are read anyway
 * with a warning; duplicate keys keep the last value with a warning; unknown keys are kept.
 * Simplification: keys compare case-insensitively (VMware treats them so); a value ends at its
 * first closing quote, because VMware escapes quotes inside values as |22.
 */
import { excerpt, finding, type Finding } from "./findings.ts";
import { blanksEndAt, isBlank, isBlankOrComment, skipBlanks, type Line, type TextReader } from "./text.ts";

/** How a value was written: in quotes, without, or with an opening quote and no closing one. */
export type Quoting = "quoted" | "unquoted" | "unclosed";

export interface KeyValue {
  /** The key as written. */
  key: string;
  value: string;
  quoting: Quoting;
}

export interface KvEntry {
  /** The key as written. */
  key: string;
  value: string;
  /** 1-based line. */
  line: number;
}

/** Entries by lower-cased key, in file order; duplicate keys keep the last value. */
export type KvMap = Map<string, KvEntry>;

/**
 * `key = value` in `line` from `from` (its first non-blank character) on, the value without its
 * quotes; null when there is no '=' or no key before it.
 */
export function splitKeyValue(line: string, from: number): KeyValue | null {
  const eq = line.indexOf("=", from);
  if (eq < 0) return null;
  // the key is cut out once, without the blanks before '='
  let keyEnd = eq;
  while (keyEnd > from && isBlank(line.charCodeAt(keyEnd - 1))) keyEnd--;
  if (keyEnd === from) return null;
  const key = line.slice(from, keyEnd);
  // the value runs from the first non-blank after '=' to the line's last non-blank character (a
  // closing quote, never blank itself, is always before that end); only the value is cut out
  const start = skipBlanks(line, eq + 1);
  const end = blanksEndAt(line);
  if (line[start] !== '"') return { key, value: line.slice(start, end), quoting: "unquoted" };
  const close = line.indexOf('"', start + 1);
  return close < 0 ? { key, value: line.slice(start + 1, end), quoting: "unclosed" } : { key, value: line.slice(start + 1, close), quoting: "quoted" };
}

/**
 * Reads every `key = value` line of a .vmx or .vmsd, in order, and hands each to `onEntry` with its
 * line (the reader: read its fields there, do not keep it). Skips blank and comment lines, and
 * reports lines that are not key = value, and values without quotes (a line cut at the length limit
 * lost its closing quote to the cut: it gets only the long-line notice). A caller's own findings
 * about a line (a duplicate key) thus come in line order with these.
 */
export function readKeyValues(lines: TextReader, findings: Finding[], onEntry: (kv: KeyValue, line: Line) => void): void {
  const name = lines.name;
  const line: Line = lines;
  while (lines.nextLine()) {
    const from = skipBlanks(line.text);
    if (isBlankOrComment(line.text, from)) continue;
    const kv = splitKeyValue(line.text, from);
    if (kv === null) {
      findings.push(
        finding("BAD_LINE", "warning", name, `${name} line ${line.no}: expected key = "value"; found '${excerpt(line.text.trim())}'. Line skipped.`, { line: line.no }),
      );
      continue;
    }
    if (kv.quoting === "unclosed" && !line.cut) {
      findings.push(
        finding("UNQUOTED_VALUE", "warning", name, `${name} line ${line.no}: the value of ${excerpt(kv.key, 40)} has no closing quote. Read anyway.`, { line: line.no }),
      );
    } else if (kv.quoting === "unquoted") {
      findings.push(
        finding("UNQUOTED_VALUE", "warning", name, `${name} line ${line.no}: expected key = "value"; found '${excerpt(line.text.trim())}' (value not quoted). Read anyway.`, {
          line: line.no,
        }),
      );
    }
    onEntry(kv, line);
  }
}

export function duplicateKey(file: string, key: string, line: number, firstLine: number): Finding {
  return finding("DUPLICATE_KEY", "warning", file, `${file} line ${line}: ${excerpt(key, 40)} is set again (first on line ${firstLine}); the last value is used.`, {
    line,
  });
}

/** Every `key = value` line by lower-cased key; a repeated key keeps its last value, with a finding. */
export function parseKeyValues(lines: TextReader, findings: Finding[]): KvMap {
  const map: KvMap = new Map();
  readKeyValues(lines, findings, (kv, line) => {
    const lower = kv.key.toLowerCase();
    const previous = map.get(lower);
    if (previous) {
      findings.push(duplicateKey(lines.name, kv.key, line.no, previous.line));
      // a repeated key moves to the end, as it was last set there
      map.delete(lower);
    }
    map.set(lower, { key: kv.key, value: kv.value, line: line.no });
  });
  return map;
}
