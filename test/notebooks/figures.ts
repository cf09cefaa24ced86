/** Checks every notebook test makes of the figures a headless render produced. */
import { expect } from "vitest";
import type { StaticCell } from "../../notebooks/lib/static.ts";

/** Each named figure was drawn as an SVG chart and its words hold no NaN, Infinity or undefined; `context` names the setting in a failure. */
export function expectFiguresDrawn(cells: ReadonlyMap<string, StaticCell>, names: readonly string[], context = ""): void {
  for (const name of names) {
    const figure = cells.get(name);
    expect(figure?.svg, `${name} ${context}`).toMatch(/^<svg/);
    expect(figure!.html, `${name} ${context}`).not.toMatch(/NaN|Infinity|undefined/);
  }
}

/** expectFiguresDrawn, and each figure also has its text summary for screen readers and a data table with rows. */
export function expectFiguresComplete(cells: ReadonlyMap<string, StaticCell>, names: readonly string[]): void {
  expectFiguresDrawn(cells, names);
  for (const name of names) {
    const html = cells.get(name)!.html;
    expect(html, name).toContain('aria-live="polite"');
    expect(html, name).toMatch(/<tbody><tr>/);
  }
}
