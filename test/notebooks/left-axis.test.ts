// @vitest-environment happy-dom
/**
 * The charts' own y axis (drawLeftAxis) draws what d3-axis's axisLeft draws, fresh or brought up
 * to date after a rescale, and a rescale keeps the tick elements (and labels) of values that stay.
 */
import { describe, expect, test } from "vitest";
import { axisLeft } from "d3-axis";
import { scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { drawLeftAxis } from "../../notebooks/lib/chart.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

function axisGroup() {
  const g = document.createElementNS(SVG_NS, "g") as SVGGElement;
  g.setAttribute("class", "axis y");
  return select(g);
}

const scales = [
  scaleLinear([0, 100], [256, 36]).nice(),
  scaleLinear([0, 1234.5], [300, 50]).nice(),
  scaleLinear([0, 0.37], [256, 36]).nice(),
  scaleLinear([0, 52_000], [256, 60]).nice(),
  scaleLinear([0, 1], [256, 36]),
];

describe("drawLeftAxis", () => {
  test.each(scales.map((s, i) => [i, s] as const))("draws scale %i as axisLeft(scale).ticks(6) does", (_, scale) => {
    const ours = axisGroup();
    drawLeftAxis(ours, scale);
    const d3s = axisGroup();
    d3s.call(axisLeft(scale).ticks(6));
    expect(ours.node()!.outerHTML).toBe(d3s.node()!.outerHTML);
  });

  test("brought up to date from any other scale, it draws what a fresh axis draws", () => {
    for (const from of scales) {
      for (const to of scales) {
        const updated = axisGroup();
        drawLeftAxis(updated, from);
        drawLeftAxis(updated, to);
        const fresh = axisGroup();
        drawLeftAxis(fresh, to);
        expect(updated.node()!.outerHTML).toBe(fresh.node()!.outerHTML);
      }
    }
  });

  test("a rescale keeps the ticks whose values stay, with their labels, and moves them", () => {
    const g = axisGroup();
    drawLeftAxis(g, scaleLinear([0, 1000], [256, 36]));
    const tickAt = (label: string) => [...g.node()!.querySelectorAll("g.tick")].find((t) => t.textContent === label);
    const tick = tickAt("400")!;
    const label = tick.querySelector("text")!.firstChild;
    const before = tick.getAttribute("transform");
    drawLeftAxis(g, scaleLinear([0, 1200], [256, 36]));
    expect(tickAt("400")).toBe(tick);
    expect(tick.querySelector("text")!.firstChild).toBe(label);
    expect(tick.getAttribute("transform")).not.toBe(before);
    expect(tickAt("1,200")).toBeDefined();
  });
});
