// @vitest-environment happy-dom
/**
 * The engine's frame-budget machinery: charts are brought up to date inside the SVG already on
 * the page (same elements, same result as a fresh drawing), and cells whose inputs did not change
 * do no work; value cells that wait until what they feed is in view. Also: a refusal shows no
 * empty data table.
 */
import { describe, expect, test } from "vitest";
import { Runtime } from "@observablehq/runtime";
import { cell, defineNotebook, figure, text, view } from "../../notebooks/lib/cells.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { number } from "../../notebooks/lib/params.ts";
import { barChart, lineChart, slotChart, type ChartView } from "../../notebooks/lib/chart.ts";
import { renderFigure } from "../../notebooks/lib/figure.ts";
import { deepEqual, reuseEqualResult, sameInputsSameResult } from "../../notebooks/lib/memo.ts";

const table = { caption: "c", columns: ["a"], rows: [[1]] };
const charts: Record<string, (k: number, width?: number) => ChartView> = {
  line: (k, width) => lineChart(document, {
    title: `line ${k}`, width, x: { label: "x" }, y: { label: "y" },
    series: Array.from({ length: 1 + (k % 3) }, (_, s) => ({ name: `s${s}`, x: [0, 1, 2], y: [0, k, s], faded: s === 1 })),
    rules: k % 2 ? [{ y: k, label: `rule ${k}` }] : [], summary: `now ${k}`, table,
  }),
  bar: (k, width) => barChart(document, {
    title: `bar ${k}`, width, categories: Array.from({ length: 2 + k }, (_, c) => `c${c}`),
    groups: [{ name: "g0", colour: 0 }, { name: "g1", colour: 2, faded: k % 2 === 0 }],
    values: [Array.from({ length: 2 + k }, (_, c) => c + k), Array.from({ length: 2 + k }, (_, c) => c * k)],
    markers: k % 2 ? { name: "m", values: Array.from({ length: 2 + k }, () => k) } : undefined,
    x: { label: "x" }, y: { label: "y" }, summary: `now ${k}`, table,
  }),
  slot: (k, width) => slotChart(document, {
    title: `slot ${k}`, width,
    panels: Array.from({ length: 1 + (k % 2) }, (_, p) => ({ title: `p${p}`, faded: p === 1, rows: Array.from({ length: 1 + k }, (_, r) => ({ name: `Host ${r}`, used: r + k / 2, capacity: 8 + k, colour: r })) })),
    summary: `now ${k}`, table,
  }),
};

/** The SVG's markup without the generated title id, which differs between drawings. */
const markup = (svg: SVGSVGElement) => svg.outerHTML.replace(/chart-title-\d+/g, "ID");

describe.each(Object.keys(charts))("%s chart drawn into the SVG already there", (kind) => {
  const view = charts[kind];

  test("keeps the SVG element and the elements of marks that persist", () => {
    const root = document.createElement("figure");
    renderFigure(document, root, view(1));
    const svg = root.querySelector("svg")!;
    const axis = svg.querySelector("g.axis.y");
    const firstMark = svg.querySelector("path.series, g.bars rect, rect.slot-used");
    renderFigure(document, root, view(2));
    expect(root.querySelector("svg")).toBe(svg);
    expect(svg.querySelector("g.axis.y")).toBe(axis);
    expect(svg.querySelector("path.series, g.bars rect, rect.slot-used")).toBe(firstMark);
    expect(root.querySelectorAll("svg")).toHaveLength(1);
  });

  test("gives exactly the SVG a fresh drawing gives, whatever it was before (more or fewer marks, other width)", () => {
    for (const [from, to] of [[1, 4], [4, 1], [2, 3], [3, 2], [0, 0]]) {
      const root = document.createElement("figure");
      renderFigure(document, root, view(from, 640));
      renderFigure(document, root, view(to, 320));
      expect(markup(root.querySelector("svg")!), `${from} → ${to}`).toBe(markup(view(to, 320).svg));
    }
  });
});

test("an update leaves the parts it does not change alone: x axis, legend and labels see no mutation", () => {
  // Views 1 and 4 of the line chart: the same x values and legend, other y values and rules.
  const root = document.createElement("figure");
  renderFigure(document, root, charts.line(1));
  const svg = root.querySelector("svg")!;
  const observer = new MutationObserver(() => undefined);
  observer.observe(svg, { subtree: true, childList: true, characterData: true, attributes: true, attributeOldValue: true });
  renderFigure(document, root, charts.line(4));
  // (An attribute set again to the value it had changes nothing.)
  const touched = observer.takeRecords()
    .filter((r) => r.type !== "attributes" || r.oldValue !== (r.target as Element).getAttribute(r.attributeName!))
    .map((r) => r.target);
  observer.disconnect();
  const inside = (selector: string) => touched.filter((node) => svg.querySelector(selector)!.contains(node));
  expect(inside("g.axis.x")).toEqual([]);
  expect(inside("g.legend")).toEqual([]);
  expect(inside("text.x-label")).toEqual([]);
  expect(inside("text.y-label")).toEqual([]);
  // What did change was redrawn: the y axis and the lines.
  expect(inside("g.axis.y").length).toBeGreaterThan(0);
  expect(inside("g.series-layer").length).toBeGreaterThan(0);
});

test("a y axis redrawn for a new domain keeps the ticks whose values stay: they move, their labels are not rewritten", () => {
  // Line views 4 and 5: y domains [0, 4.5] and [0, 5.5], ticks 0 to 4 and 0 to 5.
  const root = document.createElement("figure");
  renderFigure(document, root, charts.line(4));
  const svg = root.querySelector("svg")!;
  const ticks = () => new Map([...svg.querySelectorAll("g.axis.y g.tick")].map((tick) => [tick.textContent, tick]));
  const before = ticks();
  const moved = before.get("1")!.getAttribute("transform");
  const observer = new MutationObserver(() => undefined);
  observer.observe(svg.querySelector("g.axis.y")!, { subtree: true, childList: true, characterData: true });
  renderFigure(document, root, charts.line(5));
  const changed = observer.takeRecords().map((r) => r.target);
  observer.disconnect();
  const after = ticks();
  expect([...before.keys()]).toEqual(["0", "1", "2", "3", "4"]);
  expect([...after.keys()]).toEqual(["0", "1", "2", "3", "4", "5"]);
  for (const label of before.keys()) {
    expect(after.get(label), label).toBe(before.get(label));
    expect(changed.filter((node) => after.get(label)!.contains(node)), label).toEqual([]);
  }
  expect(after.get("1")!.getAttribute("transform")).not.toBe(moved);
});

test("a lazy data table stays empty while closed and, once opened, shows the latest table", () => {
  const root = document.createElement("figure");
  const rows = (k: number) => ({ caption: `c${k}`, columns: ["a"], rows: [[k], [k + 1]] });
  renderFigure(document, root, { ...charts.line(1), table: rows(1) }, { lazyTable: true });
  renderFigure(document, root, { ...charts.line(2), table: rows(2) }, { lazyTable: true });
  const details = root.querySelector<HTMLDetailsElement>("details.figure-data")!;
  expect(details.querySelectorAll("tbody td")).toHaveLength(0);
  details.open = true;
  details.dispatchEvent(new Event("toggle"));
  expect([...details.querySelectorAll("tbody td")].map((td) => td.textContent)).toEqual(["2", "3"]);
  expect(details.querySelector("caption")!.textContent).toBe("c2");
});

test("a chart of another kind, or one not from chart.ts, replaces the SVG", () => {
  const root = document.createElement("figure");
  renderFigure(document, root, charts.line(1));
  const svg = root.querySelector("svg");
  renderFigure(document, root, charts.bar(1));
  expect(root.querySelector("svg")).not.toBe(svg);
  const custom = document.createElementNS("http://www.w3.org/2000/svg", "svg") as SVGSVGElement;
  renderFigure(document, root, { title: "t", svg: custom, summary: "s", table });
  expect(root.querySelector("svg")).toBe(custom);
});

test("a refusal shows its sentence with no empty data table under it; a chart brings the table back", () => {
  const root = document.createElement("figure");
  renderFigure(document, root, { title: "t", refusal: "Not for these settings." });
  const details = root.querySelector<HTMLDetailsElement>("details.figure-data")!;
  expect(details.hidden).toBe(true);
  expect(root.querySelector(".figure-message")!.textContent).toBe("Not for these settings.");
  renderFigure(document, root, charts.line(1));
  expect(details.hidden).toBe(false);
});

describe("unchanged inputs do no work", () => {
  test("deepEqual compares plain data and typed arrays, and gives up past its budget", () => {
    expect(deepEqual({ a: [1, { b: new Float64Array([1, 2]) }] }, { a: [1, { b: new Float64Array([1, 2]) }] }, { left: 100 })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [1, 3] }, { left: 100 })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined }, { left: 100 })).toBe(false);
    expect(deepEqual(new Float64Array(500), new Float64Array(500), { left: 100 })).toBe(false);
    expect(deepEqual(new Date(0), new Date(0), { left: 100 })).toBe(false);
  });

  test("the wrappers reuse the previous result for identical inputs or an equal result", () => {
    let calls = 0;
    const square = sameInputsSameResult((n: number) => ({ n: n * n, call: ++calls }));
    expect(square(3)).toBe(square(3));
    expect(calls).toBe(1);
    const parity = reuseEqualResult((n: number) => ({ even: n % 2 === 0 }));
    expect(parity(2)).toBe(parity(4));
    expect(parity(3)).not.toBe(parity(4));
    // A value that arrives later (code or data imported on demand) is compared once it is there.
    const later = reuseEqualResult(async (n: number) => ({ even: n % 2 === 0 }));
    return Promise.all([later(2), later(4)]).then(([a, b]) => expect(a).toBe(b));
  });

  test("in a notebook, a figure whose upstream value came out equal is not recomputed", async () => {
    let figureCalls = 0;
    const toy = defineNotebook({
      id: "toy",
      params: { n: number({ label: "n", min: 0, max: 10, step: 1, value: 2 }) },
      cells: [
        cell("parity", ["n"], (n: number) => ({ even: n % 2 === 0 })),
        figure("chart", ["parity", "document"], (parity: { even: boolean }, doc: Document) => {
          figureCalls++;
          return { title: "t", refusal: parity.even ? "even" : "odd" };
        }),
      ],
    });
    const runtime = new Runtime({ document });
    const module = toy.instantiate(runtime);
    const first = await module.value("chart");
    module.redefine("n", [], () => 4);
    expect(await module.value("chart")).toBe(first);
    expect(figureCalls).toBe(1);
    module.redefine("n", [], () => 5);
    expect(await module.value("chart")).toEqual({ title: "t", refusal: "odd" });
    expect(figureCalls).toBe(2);
    runtime.dispose();
  });
});

describe("value cells that wait until what they feed is seen", () => {
  /** A stand-in IntersectionObserver: `show(node)` reports that node in view. */
  function fakeIntersections() {
    const watchers: Array<{ node: Element; report: (entries: Array<{ isIntersecting: boolean }>) => void }> = [];
    const original = globalThis.IntersectionObserver;
    globalThis.IntersectionObserver = class {
      report: (entries: Array<{ isIntersecting: boolean }>) => void;
      constructor(report: (entries: Array<{ isIntersecting: boolean }>) => void) {
        this.report = report;
      }
      observe(node: Element) {
        watchers.push({ node, report: this.report });
      }
      disconnect() {}
    } as unknown as typeof IntersectionObserver;
    return {
      show: (node: Element) => watchers.filter((w) => w.node === node).forEach((w) => w.report([{ isIntersecting: true }])),
      watched: () => watchers.length,
      restore: () => void (globalThis.IntersectionObserver = original),
    };
  }

  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  function toy(calls: string[]) {
    return defineNotebook({
      id: "toy",
      params: { n: number({ label: "n", min: 0, max: 10, step: 1, value: 2 }) },
      cells: [
        cell("model", ["n"], (n: number) => (calls.push("model"), { squared: n * n }), { whenVisible: true }),
        cell("summary", ["model"], (m: { squared: number }) => (calls.push("summary"), `n² is ${m.squared}`)),
        figure("far", ["summary", "document"], (s: string) => (calls.push("far"), { title: "far", refusal: s })),
        figure("near", ["n", "document"], (n: number) => ({ title: "near", refusal: `n is ${n}` })),
        // Not on the page (no observer): the runtime never computes it, so it does not open the gate.
        text("unplaced", ["model"], (m: { squared: number }) => `${m.squared}`),
      ],
    });
  }

  test("a waiting value cell computes only once a figure that reads it (through another value) is in view", async () => {
    const io = fakeIntersections();
    const calls: string[] = [];
    const places = { far: document.createElement("div"), near: document.createElement("div") };
    const shown = new Map<string, unknown>();
    const runtime = new Runtime({ document });
    try {
      toy(calls).instantiate(runtime, {
        observer: (name) => (name === "far" || name === "near" ? { _node: places[name], fulfilled: (v) => shown.set(name, v) } : undefined),
      });
      // Two places watched, one observer each, shared by the figures and the value cell.
      expect(io.watched()).toBe(2);
      io.show(places.near);
      await expect.poll(() => shown.get("near")).toEqual({ title: "near", refusal: "n is 2" });
      await tick();
      expect(calls).toEqual([]);
      io.show(places.far);
      await expect.poll(() => shown.get("far")).toEqual({ title: "far", refusal: "n² is 4" });
      expect(calls).toEqual(["model", "summary", "far"]);
    } finally {
      runtime.dispose();
      io.restore();
    }
  });

  test("a waiting view (a stepper above a tall figure) computes when the figure it drives comes into view, though it is not", async () => {
    const io = fakeIntersections();
    const calls: string[] = [];
    const places = { stepper: document.createElement("div"), chart: document.createElement("div") };
    const shown = new Map<string, unknown>();
    const stepped = defineNotebook({
      id: "toy",
      params: { n: number({ label: "n", min: 0, max: 10, step: 1, value: 2 }) },
      cells: [
        cell("walk", ["n"], (n: number) => (calls.push("walk"), n + 1), { whenVisible: true }),
        view("step", ["walk", "document"], (steps: number, doc: Document) => Object.assign(doc.createElement("div"), { value: steps }), 0, { whenVisible: true }),
        figure("chart", ["walk", "step", "document"], (steps: number, step: string) => ({ title: "t", refusal: `step ${step} of ${steps}` })),
      ],
    });
    const runtime = new Runtime({ document });
    try {
      stepped.instantiate(runtime, {
        createControl: (_key, _param, value) => Object.assign(document.createElement("div"), { value }),
        observer: (name) =>
          name === "viewof step" ? { _node: places.stepper } : name === "chart" ? { _node: places.chart, fulfilled: (v) => shown.set(name, v) } : undefined,
      });
      await tick();
      expect(calls).toEqual([]);
      io.show(places.chart);
      await expect.poll(() => shown.get("chart")).toEqual({ title: "t", refusal: "step 3 of 3" });
      expect(calls).toEqual(["walk"]);
    } finally {
      runtime.dispose();
      io.restore();
    }
  });

  test("a reader that does not wait (a text cell) lets it compute at once; without a page it never waits", async () => {
    const calls: string[] = [];
    const withText = defineNotebook({
      id: "toy",
      params: { n: number({ label: "n", min: 0, max: 10, step: 1, value: 3 }) },
      cells: [
        cell("model", ["n"], (n: number) => (calls.push("model"), n * n), { whenVisible: true }),
        text("said", ["model"], (m: number) => `${m}`),
        figure("chart", ["model", "document"], (m: number) => ({ title: "t", refusal: `${m}` })),
      ],
    });
    const io = fakeIntersections();
    const runtime = new Runtime({ document });
    const said = new Map<string, unknown>();
    try {
      withText.instantiate(runtime, {
        observer: (name) => (name === "said" ? { fulfilled: (v) => said.set(name, v) } : name === "chart" ? { _node: document.createElement("div") } : undefined),
      });
      await expect.poll(() => said.get("said")).toBe("9");
      expect(calls).toEqual(["model"]);
    } finally {
      runtime.dispose();
      io.restore();
    }
    // Headless (build time, tests): no places, nothing waits.
    const cells = await renderStatic(toy([]));
    expect(cells.get("far")!.html).toContain("n² is 4");
  });
});
