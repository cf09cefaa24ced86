// @vitest-environment happy-dom
import { describe, expect, test } from "vitest";
import { Runtime } from "@observablehq/runtime";
import { cell, defineNotebook, figure, text, view } from "../../notebooks/lib/cells.ts";
import { number } from "../../notebooks/lib/params.ts";
import { createControl } from "../../notebooks/lib/controls.ts";
import { lineChart } from "../../notebooks/lib/chart.ts";
import { renderFigure } from "../../notebooks/lib/figure.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { ModelInputError } from "../../src/shared/errors.ts";

const params = { n: number({ label: "Points", min: 1, max: 50, step: 1, value: 3 }) };
const toy = defineNotebook({
  id: "toy",
  params,
  cells: [
    cell("squares", ["n"], (n: number) => {
      if (n > 40) throw new ModelInputError("n", n, "at most 40 in this toy model");
      return Array.from({ length: n }, (_, i) => i * i);
    }),
    figure("chart", ["squares", "document"], (ys: number[], doc: Document) =>
      lineChart(doc, {
        title: "Squares",
        x: { label: "i" },
        y: { label: "i²" },
        series: [{ name: "i²", x: ys.map((_, i) => i), y: ys }],
        summary: `${ys.length} points, the last is ${ys.at(-1)}.`,
        table: { caption: "squares", columns: ["i", "i²"], rows: ys.map((y, i) => [i, y]) },
      })),
  ],
});

function nextFulfilled(): { observer: { fulfilled: (v: unknown) => void; rejected: (e: unknown) => void }; next: () => Promise<unknown> } {
  let waiting: ((v: unknown) => void) | undefined;
  const queue: unknown[] = [];
  const push = (v: unknown) => (waiting ? (waiting(v), (waiting = undefined)) : queue.push(v));
  return {
    observer: { fulfilled: push, rejected: (e) => push(e) },
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => (waiting = r))),
  };
}

describe("notebook cells on the Observable runtime", () => {
  test("a control's input event recomputes the dependent figure", async () => {
    const runtime = new Runtime({ document });
    const chart = nextFulfilled();
    let control: (HTMLElement & { value: unknown }) | undefined;
    toy.instantiate(runtime, {
      createControl: (key, param, value) => (control = createControl(key, param, value)),
      observer: (name) => (name === "chart" ? chart.observer : undefined),
    });
    const first = (await chart.next()) as { summary: string };
    expect(first.summary).toBe("3 points, the last is 4.");
    const range = control!.querySelector<HTMLInputElement>("input[type=range]")!;
    range.value = "7";
    range.dispatchEvent(new Event("input", { bubbles: true }));
    const second = (await chart.next()) as { summary: string };
    expect(second.summary).toBe("7 points, the last is 36.");
    runtime.dispose();
  });

  test("a model input error reaches the figure as a sentence, not a blank chart", async () => {
    const cells = await renderStatic(toy, { n: 45 });
    const html = cells.get("chart")!.html;
    expect(html).toContain("n = 45 is not allowed: expected at most 40 in this toy model");
    expect(html).not.toContain("<svg");
  });

  test("build-time rendering gives the figure with title, summary and table", async () => {
    const cells = await renderStatic(toy);
    const chart = cells.get("chart")!;
    expect(chart.svg).toMatch(/^<svg[^>]*viewBox="0 0 640 300"/);
    expect(chart.html).toContain("3 points, the last is 4.");
    expect(chart.html).toContain("<th scope=\"col\">i²</th>");
  });

  test("renderFigure updates in place: the live summary element survives an update", () => {
    const root = document.createElement("figure");
    const view = (n: number) => lineChart(document, {
      title: "t", x: { label: "x" }, y: { label: "y" }, series: [{ name: "s", x: [0, 1], y: [0, n] }],
      summary: `now ${n}`, table: { caption: "c", columns: ["a"], rows: [[n]] },
    });
    renderFigure(document, root, view(1));
    const summary = root.querySelector(".figure-summary");
    renderFigure(document, root, view(2));
    expect(root.querySelector(".figure-summary")).toBe(summary);
    expect(summary!.textContent).toBe("now 2");
    expect(summary!.getAttribute("aria-live")).toBe("polite");
  });

  test("a view cell is an input element in the browser and its static value at build time", async () => {
    const withView = defineNotebook({
      id: "v",
      params: {},
      cells: [
        view("picked", [], () => Object.assign(document.createElement("input"), { value: "live" }), "static"),
        text("echo", ["picked"], (p: string) => `picked ${p}`),
      ],
    });
    expect((await renderStatic(withView)).get("echo")!.html).toBe("picked static");
    const runtime = new Runtime({ document });
    const echo = nextFulfilled();
    let element: HTMLInputElement | undefined;
    withView.instantiate(runtime, {
      createControl: () => { throw new Error("no params here"); },
      observer: (name) => (name === "echo" ? echo.observer : name === "viewof picked" ? { fulfilled: (el) => (element = el as HTMLInputElement) } : undefined),
    });
    expect(await echo.next()).toBe("picked live");
    element!.value = "typed";
    element!.dispatchEvent(new Event("input"));
    expect(await echo.next()).toBe("picked typed");
    runtime.dispose();
  });

  test("a notebook mounts the Observable way: runtime.module(define, observer)", async () => {
    const { define } = await import("../../notebooks/sioc/cells.ts");
    const runtime = new Runtime({ document });
    const headline = nextFulfilled();
    const seen: string[] = [];
    runtime.module(define, (name) => {
      seen.push(name ?? "");
      return name === "headline" ? headline.observer : undefined;
    });
    expect(await headline.next()).toMatch(/^Without SIOC the hosts fill Host A 24, Host B 24/);
    expect(seen).toContain("viewof hosts");
    runtime.dispose();
  });

  test("cell names must be unique", () => {
    expect(() => defineNotebook({ id: "x", params, cells: [cell("n", [], () => 1)] })).toThrow(/used twice/);
  });
});
