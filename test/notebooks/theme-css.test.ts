// Embeds take ?theme=light|dark (data-theme on <html>), which only works if every colour follows
// the used color-scheme: light-dark() values, never a prefers-color-scheme media query, which
// would keep following the reader's system whatever the embed asked for.
import { describe, expect, test } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

function styleSources(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(css|astro|mdx)$/.test(f)).map((f) => join(dir, f));
}

describe("theme colours", () => {
  test("no stylesheet of the site or the notebooks uses a prefers-color-scheme query", () => {
    const offenders = [...styleSources("site"), ...styleSources("notebooks")].filter((file) => /@media[^{]*prefers-color-scheme/.test(readFileSync(file, "utf8")));
    expect(offenders, "write colours as light-dark(light, dark) custom properties (see site/styles/global.css)").toEqual([]);
  });

  test("the forced themes set the color-scheme that light-dark() follows", () => {
    const css = readFileSync("site/styles/global.css", "utf8");
    expect(css).toContain(':root[data-theme="light"] { color-scheme: light; }');
    expect(css).toContain(':root[data-theme="dark"] { color-scheme: dark; }');
    expect(css).toMatch(/--bg: light-dark\(/);
  });
});
