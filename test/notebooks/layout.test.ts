/**
 * The fixed-layout chart helpers (matrix, tree, gauge) laid out for a width: whatever the data and
 * whatever the width from a 320 px phone's column to a desktop's, the drawing is never wider than
 * that width (so it is never shown scaled down, and its text keeps its CSS size), and nothing is
 * lost on the way: every cell, column label and node is still drawn.
 */
import { describe, expect } from "vitest";
import { Window } from "happy-dom";
import { test, fc } from "@fast-check/vitest";
import { matrixChart, type MatrixPanel } from "../../notebooks/lib/matrix.ts";
import { treeChart, type TreeChartNode } from "../../notebooks/lib/tree.ts";
import { gaugeChart } from "../../notebooks/lib/gauge.ts";
import { barChart } from "../../notebooks/lib/chart.ts";

const TABLE = { caption: "c", columns: [], rows: [] };
const width = fc.integer({ min: 240, max: 640 });
const label = fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.replace(/\s/g, "x"));

/** A fresh document for each run, closed after it: happy-dom keeps every node a document made. */
async function withDocument(draw: (doc: Document) => void): Promise<void> {
  const window = new Window();
  try {
    draw(window.document as unknown as Document);
  } finally {
    await window.happyDOM.close();
  }
}

function viewBoxWidth(svg: SVGSVGElement): number {
  return Number(svg.getAttribute("viewBox")!.split(" ")[2]);
}

/** x of every untransformed text and rect, in the SVG's units (their parents' translations added). */
function xs(svg: SVGSVGElement): number[] {
  const out: number[] = [];
  for (const el of svg.querySelectorAll("text, rect")) {
    if (el.getAttribute("transform")) continue;
    let x = Number(el.getAttribute("x") ?? 0);
    for (let p = el.parentElement; p && p !== (svg as unknown as Element); p = p.parentElement) {
      const t = p.getAttribute("transform")?.match(/translate\(([-\d.]+)/);
      if (t) x += Number(t[1]);
    }
    out.push(x + (el.tagName.toLowerCase() === "rect" ? Number(el.getAttribute("width") ?? 0) : 0));
  }
  return out;
}

const panel = fc
  .record({
    rows: fc.array(label, { minLength: 1, maxLength: 6 }),
    columns: fc.array(label, { minLength: 1, maxLength: 16 }),
    notes: fc.boolean(),
    groups: fc.boolean(),
    title: fc.option(label, { nil: undefined }),
  })
  .map(({ rows, columns, notes, groups, title }): MatrixPanel => ({
    title,
    rows,
    columns,
    cells: rows.map((_, r) => columns.map((_, c) => ({ state: (r + c) % 2 ? "ok" : "no", mark: "✓", title: `${r},${c}` }))),
    rowNotes: notes ? rows.map(() => "medium") : undefined,
    notesHeader: notes ? "confidence of the data" : undefined,
    rowGroups: groups ? [{ label: "Sandy Bridge group", start: 0, end: rows.length }] : undefined,
  }));

describe("chart helpers laid out for a width", () => {
  test.prop([width, fc.array(panel, { minLength: 1, maxLength: 2 }), fc.boolean()], { numRuns: 1000 })(
    "a matrix is never wider than its width, draws every cell and column label once per block, and places nothing outside",
    (w, panels, square) => withDocument((document) => {
      const view = matrixChart(document, {
        title: "t", panels, rowAxis: "rows of a long description", columnAxis: "columns", note: "a note that is quite long and should wrap on a phone",
        legend: [{ state: "ok", mark: "✓", label: "host has every flag of the mode" }], square, width: w, summary: "s", table: TABLE,
      });
      const vb = viewBoxWidth(view.svg);
      expect(vb).toBeLessThanOrEqual(w);
      const cells = view.svg.querySelectorAll(".m-body .m-cell");
      expect(cells.length).toBe(panels.reduce((n, p) => n + p.rows.length * p.columns.length, 0));
      const blocks = view.svg.querySelectorAll(".m-columns").length;
      expect(view.svg.querySelectorAll(".m-column-labels text").length).toBe(panels.reduce((n, p) => n + p.columns.length, 0));
      expect(blocks).toBeGreaterThanOrEqual(panels.length);
      for (const x of xs(view.svg)) {
        expect(x).toBeGreaterThanOrEqual(-0.5);
        expect(x).toBeLessThanOrEqual(vb + 0.5);
      }
    }),
  );

  const node: fc.Memo<TreeChartNode> = fc.memo((depth) =>
    fc.record({
      label: label,
      details: fc.array(label, { maxLength: 3 }),
      state: fc.constant("delta"),
      title: fc.constant("t"),
      link: fc.constant({ state: "ok" as const, label: "CID ok" }),
      children: depth > 1 ? fc.array(node(depth - 1), { maxLength: 3 }) : fc.constant([]),
    }),
  );

  test.prop([width, fc.array(node(4), { minLength: 1, maxLength: 2 })], { numRuns: 1000 })(
    "a tree given a width draws every node inside it",
    (w, roots) => withDocument((document) => {
      const view = treeChart(document, { title: "t", panels: [{ title: "scsi0:0: a disk", notes: ["a note long enough to need wrapping on a phone screen"], roots }], legend: [{ kind: "node", state: "delta", label: "delta on the current chain" }], width: w, summary: "s", table: TABLE });
      const vb = viewBoxWidth(view.svg);
      expect(vb).toBeLessThanOrEqual(w);
      let count = 0;
      const walk = (n: TreeChartNode): void => { count += 1; n.children.forEach(walk); };
      roots.forEach(walk);
      expect(view.svg.querySelectorAll(".t-nodes .t-node").length).toBe(count);
      for (const box of view.svg.querySelectorAll<SVGGElement>(".t-nodes .t-node")) {
        const x = Number(box.getAttribute("transform")!.match(/translate\(([-\d.]+)/)![1]);
        const boxWidth = Number(box.querySelector("rect")!.getAttribute("width"));
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x + boxWidth).toBeLessThanOrEqual(vb + 0.5);
      }
    }),
  );

  test.prop([width, fc.array(label, { minLength: 1, maxLength: 6 })], { numRuns: 1000 })("a gauge is never wider than its width", (w, labels) => withDocument((document) => {
    const view = gaugeChart(document, {
      title: "t",
      rows: labels.map((l, i) => ({ label: l, bars: [{ name: "4.0 Update 2 and later (oldest delta first)", value: i * 7.5, colour: 0, text: `${i * 7.5} GiB` }] })),
      rule: { value: 100, label: "free on the datastore: 100 GiB" },
      x: { label: "Free space a commit needs (GiB)" },
      width: w,
      summary: "s",
      table: TABLE,
    });
    expect(viewBoxWidth(view.svg)).toBeLessThanOrEqual(w);
    expect(view.svg.querySelectorAll(".gauge-row").length).toBe(labels.length);
  }));

  test("a disk key such as scsi0:0 keeps every character at every width from a phone's up", () => withDocument((document) => {
    for (const keys of [["scsi0:0"], ["ide1:1"], ["scsi0:0", "nvme0:15"]]) {
      for (let w = 240; w <= 640; w += 2) {
        const view = gaugeChart(document, {
          title: "t",
          rows: keys.map((label) => ({ label, bars: [{ name: "oldest first", value: 1, colour: 0, text: "16 MiB" }] })),
          rule: { value: 100, label: "free on the datastore: 100 GiB" },
          x: { label: "Free space a commit needs (GiB)" },
          width: w,
          summary: "s",
          table: TABLE,
        });
        const shown = [...view.svg.querySelectorAll(".gauge-label")].map((t) => t.textContent);
        expect(shown, `width ${w}`).toEqual(keys.map((key) => (w >= 270 || key.length <= 7 ? key : expect.any(String))));
      }
    }
  }));

  function bars(document: Document, categories: string[], w: number) {
    return barChart(document, {
      title: "t",
      categories,
      groups: [{ name: "Without VAAI", colour: 0 }, { name: "With VAAI", colour: 1 }],
      values: [categories.map((_, i) => 10 + i), categories.map((_, i) => 5 + i)],
      y: { label: "s" },
      x: { label: "Operation" },
      width: w,
      summary: "s",
      table: TABLE,
    });
  }

  test("a bar chart names every one of a few categories under its bars, wrapping a long name instead of leaving it out", () => withDocument((document) => {
    for (const categories of [["Create eager-zeroed disk", "Lazy-zeroed first writes"], ["Copy time", "Host traffic", "Host CPU"], ["Array (device)", "Server VM"]]) {
      for (let w = 240; w <= 640; w += 8) {
        const view = bars(document, categories, w);
        const ticks = [...view.svg.querySelectorAll(".axis.x .tick text")];
        const lines = ticks.map((t) => [...t.querySelectorAll("tspan")].map((l) => l.textContent!));
        expect(ticks.map((t) => t.textContent)).toEqual(lines.map((l) => l.join("")));
        // From a 390 px phone's column up every name is whole; below, a word too long for its band ends in "…".
        const shown = lines.map((l) => l.join(" ").replace(/- /g, "-"));
        if (w >= 300) expect(shown, `width ${w}`).toEqual(categories);
        else shown.forEach((text, i) => expect(text.includes("…") ? categories[i].startsWith(text.split("…")[0]) : text === categories[i], `"${text}" at width ${w}`).toBe(true));
        // Each line fits its band, and the axis title sits below the deepest label.
        const step = (Math.max(240, Math.min(640, w)) - 56 - 16) / (categories.length + 0.2);
        for (const line of lines.flat()) expect(line.length * 7.4, `"${line}" at width ${w}`).toBeLessThanOrEqual(step);
        const bottom = Number(view.svg.querySelector(".axis.x")!.getAttribute("transform")!.match(/translate\(0,([-\d.]+)/)![1]);
        expect(Number(view.svg.querySelector(".x-label")!.getAttribute("y"))).toBeGreaterThanOrEqual(bottom + 24 + Math.max(...lines.map((l) => l.length)) * 14);
      }
    }
  }));

  test("with more categories than fit side by side, every k-th is named on one line, and the named ones do not overlap", () => withDocument((document) => {
    const categories = Array.from({ length: 40 }, (_, i) => `${"ABCDEFGH"[Math.floor(i / 5)]}${(i % 5) + 1}`);
    for (const w of [240, 390, 640]) {
      const ticks = [...bars(document, categories, w).svg.querySelectorAll(".axis.x .tick text")].map((t) => t.textContent!);
      expect(ticks.length).toBeGreaterThan(1);
      const every = categories.indexOf(ticks[1]);
      expect(ticks).toEqual(categories.filter((_, i) => i % every === 0));
      // Neighbours' centres are `every` bands apart: far enough for two labels of 2 characters.
      const step = (Math.max(240, Math.min(640, w)) - 56 - 16) / (categories.length + 0.2);
      expect(every * step, `width ${w}`).toBeGreaterThanOrEqual(2 * 7.4 + 8);
    }
  }));
});
