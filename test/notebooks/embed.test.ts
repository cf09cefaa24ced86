import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import {
  embedHeightFor, embedPath, embedSnippet, embedUrl, oembedDocument, pageUrl, parseTheme, staticSvgPath, svgSize, withTheme,
} from "../../notebooks/lib/embed.ts";
import { headerRules, headersFile } from "../../site/lib/host-headers.mjs";

const target = { origin: "https://example.org", base: "/explorables/", notebook: "sioc", cell: "queueFigure", query: "hosts=3", title: "Queue" };

describe("embed snippet", () => {
  test("points at the embed page of the cell with the current state, under any base path", () => {
    const snippet = embedSnippet(target);
    expect(snippet).toContain('<iframe src="https://example.org/explorables/embed/sioc/queueFigure/?hosts=3"');
    expect(snippet).toContain('<script src="https://example.org/explorables/embed.js" async></script>');
    expect(embedPath("/", "sioc", "x")).toBe("/embed/sioc/x/");
  });

  test("is a borderless lazy iframe, then a link with the static image, then the resizer", () => {
    const [iframe, fallback, script] = embedSnippet(target).split("\n");
    expect(iframe).toMatch(/^<iframe .*style="border:0".*loading="lazy".*data-vsphere-explorable><\/iframe>$/);
    expect(fallback).toContain('<a href="https://example.org/explorables/sioc/?hosts=3#figure-queueFigure"');
    expect(fallback).toContain('data-vsphere-explorable-fallback="https://example.org/explorables/embed/sioc/queueFigure/?hosts=3"');
    expect(fallback).toContain('<img src="https://example.org/explorables/embed/sioc/queueFigure.svg" alt="Queue (');
    expect(script).toMatch(/^<script src=".*embed\.js" async><\/script>$/);
  });

  test("carries a theme after the state, and only light or dark", () => {
    expect(embedSnippet({ ...target, theme: "dark" })).toContain("?hosts=3&amp;theme=dark");
    expect(embedUrl({ ...target, query: "", theme: "light" })).toBe("https://example.org/explorables/embed/sioc/queueFigure/?theme=light");
    expect(withTheme("a=1", undefined)).toBe("a=1");
    expect(parseTheme("?theme=dark")).toBe("dark");
    for (const junk of ["theme=DARK", "theme=", "theme=blue", "x=1"]) expect(parseTheme(junk)).toBeUndefined();
  });

  test("escapes a title so it cannot break out of the attribute", () => {
    const snippet = embedSnippet({ origin: "https://e.org", base: "/", notebook: "n", cell: "c", query: "", title: '"><script>alert(1)</script>' });
    expect(snippet).not.toContain("<script>alert");
    expect(snippet).toContain("&quot;&gt;&lt;script&gt;");
  });

  test.prop([fc.string(), fc.string()], { numRuns: 1000 })("no title or query can add a tag or attribute", (title, query) => {
    const snippet = embedSnippet({ ...target, title, query });
    expect(snippet.match(/</g)?.length).toBe(7);
    expect(snippet.match(/"/g)?.length).toBe(embedSnippet({ ...target, title: "", query: "" }).match(/"/g)?.length);
  });

  test("links the notebook page at the state, scrolled to the figure", () => {
    expect(pageUrl({ ...target, query: "" })).toBe("https://example.org/explorables/sioc/#figure-queueFigure");
    expect(staticSvgPath("/", "evc", "m")).toBe("/embed/evc/m.svg");
  });
});

describe("oEmbed document", () => {
  test("is a rich oEmbed 1.0 document with absolute URLs and a frame tall enough for the chart", () => {
    const doc = oembedDocument({ origin: "https://example.org", base: "/", notebook: "sioc", cell: "queueFigure", title: "Queue", imageWidth: 640, imageHeight: 180 });
    expect(doc).toMatchObject({ version: "1.0", type: "rich", title: "Queue", width: 640, thumbnail_url: "https://example.org/embed/sioc/queueFigure.svg", thumbnail_height: 180 });
    expect(doc.height).toBe(embedHeightFor(640, 180));
    expect(doc.height).toBeGreaterThan(180);
    expect(doc.html).toMatch(/^<iframe src="https:\/\/example\.org\/embed\/sioc\/queueFigure\/" [^>]*height="\d+" style="border:0"/);
  });

  test("reads a chart's size from its viewBox, with a default for anything else", () => {
    expect(svgSize('<svg viewBox="0 0 640 180" class="chart">')).toEqual({ width: 640, height: 180 });
    expect(svgSize("<svg>")).toEqual({ width: 640, height: 320 });
    expect(svgSize('<svg viewBox="0 0 0 10">')).toEqual({ width: 640, height: 320 });
  });
});

describe("host headers", () => {
  test("embed pages may be framed by anyone; the home page and every other folder by no one", () => {
    const rules = headerRules("/sub/", ["sioc", "embed", "_astro", "evc"]);
    expect(rules.map((r) => r.path)).toEqual(["/sub/embed/*", "/sub/", "/sub/_astro/*", "/sub/evc/*", "/sub/sioc/*"]);
    expect(rules[0].headers["Content-Security-Policy"]).toBe("frame-ancestors *");
    expect(rules[0].headers).not.toHaveProperty("X-Frame-Options");
    for (const rule of rules.slice(1)) expect(rule.headers).toMatchObject({ "Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY" });
    expect(headersFile(rules)).toContain("/sub/embed/*\n  Content-Security-Policy: frame-ancestors *\n");
  });
});

describe("embed.js", () => {
  const source = readFileSync("site/public/embed.js", "utf8");
  test("stays small and self-contained", () => {
    expect(gzipSync(source).length).toBeLessThan(2048);
    expect(source).not.toMatch(/\bimport\b|\brequire\(|fetch\(|XMLHttpRequest|document\.cookie|localStorage/);
  });
});
