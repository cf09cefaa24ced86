import { describe, expect, test } from "vitest";
import { embedPath, embedSnippet } from "../../notebooks/lib/embed.ts";

describe("embed snippet", () => {
  test("points at the embed page of the cell with the current state, under any base path", () => {
    const snippet = embedSnippet({ origin: "https://example.org", base: "/explorables/", notebook: "sioc", cell: "queueFigure", query: "hosts=3", title: "Queue" });
    expect(snippet).toContain('src="https://example.org/explorables/embed/sioc/queueFigure/?hosts=3"');
    expect(snippet).toContain('<script src="https://example.org/explorables/embed.js" async></script>');
    expect(embedPath("/", "sioc", "x")).toBe("/embed/sioc/x/");
  });

  test("escapes a title so it cannot break out of the attribute", () => {
    const snippet = embedSnippet({ origin: "https://e.org", base: "/", notebook: "n", cell: "c", query: "", title: '"><script>alert(1)</script>' });
    expect(snippet).not.toContain("<script>alert");
    expect(snippet).toContain("&quot;&gt;&lt;script&gt;");
  });
});
