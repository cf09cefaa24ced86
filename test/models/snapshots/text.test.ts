// Properties of the text helpers every parser shares (src/snapshots/text.ts and kv.ts).
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { baseName, cidLinkOk, isBlank, isBlankOrComment, isHex8, MAX_LINE_CHARS, parseWhole, skipBlanks, TextReader, textFileFindings, trimBlanksEnd, words, type Line } from "../../../src/snapshots/text.ts";
import { splitKeyValue } from "../../../src/snapshots/kv.ts";

const blank = fc.constantFrom(" ", "\t", "\r", "\v", "\f");
const anyText = fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("\n", "\r\n", "\r", " ", "=", '"', "x".repeat(MAX_LINE_CHARS + 3))), { maxLength: 30 }).map((p) => p.join(""));

/** Every line the reader gives, copied (the reader itself is only the current line), and the reader. */
function readAll(text: string): { lines: Line[]; reader: TextReader } {
  const reader = new TextReader("f", text);
  const lines: Line[] = [];
  while (reader.nextLine()) lines.push({ no: reader.no, text: reader.text, cut: reader.cut });
  return { lines, reader };
}

describe("TextReader", () => {
  test.prop([anyText], { numRuns: 1000 })("one line per LF plus one, numbered from 1; joined back they give the text without each line's final CR, when nothing was cut", (text) => {
    const { lines, reader } = readAll(text);
    expect(lines.length).toBe(text.split("\n").length);
    lines.forEach((l, i) => expect(l.no).toBe(i + 1));
    for (const l of lines) {
      expect(l.text.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
      expect(l.text.includes("\n")).toBe(false);
    }
    if (lines.every((l) => !l.cut)) expect(lines.map((l) => l.text).join("\n")).toBe(text.split("\n").map((l) => l.replace(/\r$/, "")).join("\n"));
    // once every line was read, it stays read
    expect(reader.nextLine()).toBe(false);
  });

  test.prop([anyText], { numRuns: 1000 })("every cut line, and only those, gets one LINE_TOO_LONG notice", (text) => {
    const { lines, reader } = readAll(text);
    const cut = lines.filter((l) => l.cut).map((l) => l.no);
    expect(reader.cutLines).toEqual(cut);
    expect(textFileFindings(reader).filter((f) => f.code === "LINE_TOO_LONG").map((f) => f.line)).toEqual(cut);
    for (const l of lines) expect(l.cut).toBe(text.split("\n")[l.no - 1].replace(/\r$/, "").length > MAX_LINE_CHARS);
  });
});

describe("blanks and words", () => {
  test.prop([fc.string({ maxLength: 40 })], { numRuns: 1000 })("skipBlanks stops at the first non-blank; trimBlanksEnd removes only trailing blanks", (s) => {
    const at = skipBlanks(s);
    for (let i = 0; i < at; i++) expect(isBlank(s.charCodeAt(i))).toBe(true);
    if (at < s.length) expect(isBlank(s.charCodeAt(at))).toBe(false);
    const t = trimBlanksEnd(s);
    expect(s.startsWith(t)).toBe(true);
    for (const ch of s.slice(t.length)) expect(isBlank(ch.charCodeAt(0))).toBe(true);
    if (t !== "") expect(isBlank(t.charCodeAt(t.length - 1))).toBe(false);
  });

  const lineOf = fc.array(fc.oneof(blank, fc.constantFrom("#", "a", "=")), { maxLength: 12 }).map((cs) => cs.join(""));
  test.prop([lineOf], { numRuns: 1000 })("isBlankOrComment: nothing but blanks, or a # after them", (s) => {
    const said = /[^ \t\r\v\f]/.test(s) && !/^[ \t\r\v\f]*#/.test(s);
    expect(isBlankOrComment(s, skipBlanks(s))).toBe(!said);
  });

  test.prop([fc.array(fc.stringMatching(/^[^ \t\r\v\f]{1,6}$/), { maxLength: 8 }), fc.array(fc.array(blank, { minLength: 1, maxLength: 3 }).map((b) => b.join("")), { maxLength: 10 })], {
    numRuns: 1000,
  })("words() gives back the words between any blanks, each at its place", (ws, gaps) => {
    let s = gaps[0] ?? "";
    ws.forEach((w, i) => (s += w + (gaps[i + 1] ?? " ")));
    const found = words(s);
    expect(found.map((w) => w.text)).toEqual(ws);
    for (const w of found) expect(s.slice(w.start, w.start + w.text.length)).toBe(w.text);
  });
});

describe("key = value", () => {
  test.prop([fc.stringMatching(/^[a-zA-Z.:0-9]{1,12}$/), fc.stringMatching(/^[^"\n]{0,20}$/), blank, blank], { numRuns: 1000 })(
    "a quoted value comes back as written, whatever the blanks around '='",
    (key, value, b1, b2) => {
      expect(splitKeyValue(`${key}${b1}=${b2}"${value}"${b1}`, 0)).toEqual({ key, value, quoting: "quoted" });
    },
  );

  test.prop([fc.string({ maxLength: 30 })], { numRuns: 1000 })("no '=' or no key: null; otherwise the key has no '=' and no blank at its end", (line) => {
    const kv = splitKeyValue(line, skipBlanks(line));
    if (!line.includes("=")) expect(kv).toBeNull();
    if (kv !== null) {
      expect(kv.key.includes("=")).toBe(false);
      expect(kv.key).toBe(trimBlanksEnd(kv.key));
      expect(kv.key).not.toBe("");
    }
  });
});

describe("value readers", () => {
  test.prop([fc.nat({ max: Number.MAX_SAFE_INTEGER })], { numRuns: 1000 })("parseWhole reads back any whole number of up to 15 digits, and nothing longer", (n) => {
    const s = String(n);
    expect(parseWhole(s)).toBe(s.length <= 15 ? n : null);
    expect(parseWhole(`${s}x`)).toBeNull();
    expect(parseWhole(` ${s}`)).toBeNull();
  });

  test.prop([fc.string({ maxLength: 10 })], { numRuns: 1000 })("isHex8 is exactly 8 hex digits", (s) => {
    expect(isHex8(s)).toBe(s.length === 8 && [...s].every((c) => "0123456789abcdefABCDEF".includes(c)));
  });

  test.prop([fc.stringMatching(/^[0-9a-f]{8}$/), fc.stringMatching(/^[0-9a-f]{8}$/)], { numRuns: 1000 })("one CID-link test: equal ignoring case; unknown when either is missing", (a, b) => {
    expect(cidLinkOk(a, a.toUpperCase())).toBe(true);
    expect(cidLinkOk(a, b)).toBe(a === b);
    expect(cidLinkOk(null, b)).toBeNull();
    expect(cidLinkOk(a, null)).toBeNull();
  });

  test.prop([fc.array(fc.stringMatching(/^[^/\\]{0,6}$/), { minLength: 1, maxLength: 5 }), fc.constantFrom("/", "\\")], { numRuns: 1000 })("baseName is the last component", (parts, sep) => {
    expect(baseName(parts.join(sep))).toBe(parts[parts.length - 1]);
  });
});
