/**
 * Slider-to-paint benchmark in Chromium for every notebook page: for ≥ 200 moves of the page's
 * first slider (or, on a page without one, flips of its first toggle), (a) the time from the input event to the figure's DOM changing (the runtime
 * recomputes on the next animation frame, so this includes the wait for that frame) and (b) the script time of one update: every cell's own function
 * (model + chart) plus rendering into the page, as the client reports it in bench mode.
 * Also the JS bytes each page loads, gzip-compressed as a server would send them.
 */
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { percentile, type BenchRow } from "./types.ts";
import { waitForLive, type Site } from "../browser/harness.ts";

const FRAME_BUDGET_MS = 17;
const SCRIPT_BUDGET_MS = 4;
const JS_BUDGET_KB = 60;

export async function benchNotebookPage(browser: Browser, site: Site, notebook: string, moves: number): Promise<BenchRow[]> {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.__explorablesBench = { cellTimes: [] };
  });
  const jsBodies: Array<Promise<number>> = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") jsBodies.push(response.body().then((b) => gzipSync(b, { level: 9 }).length, () => 0));
  });
  await page.goto(`${site.origin}${site.base}${notebook}/`);
  await waitForLive(page);
  const jsBytes = (await Promise.all(jsBodies)).reduce((a, b) => a + b, 0);

  const samples = await page.evaluate(async (count) => {
    // The first slider; on a page with none (failure toggles only), the first toggle, flipped each move.
    const slider =
      document.querySelector<HTMLInputElement>("[data-control] input[type=range]") ?? document.querySelector<HTMLInputElement>("[data-control] input[type=checkbox]");
    if (!slider) throw new Error("no slider or toggle on the page");
    const isToggle = slider.type === "checkbox";
    // As a reader would: the slider in view, watching the figure it sits under.
    slider.scrollIntoView({ block: "center" });
    const figures = [...document.querySelectorAll<HTMLElement>("figure[data-cell]")];
    const target = figures.filter((f) => f.compareDocumentPosition(slider) & Node.DOCUMENT_POSITION_FOLLOWING).at(-1) ?? figures[0];
    if (!target) throw new Error("no figure on the page");
    await new Promise((r) => setTimeout(r, 100));
    const min = Number(slider.min);
    const max = Number(slider.max);
    const step = Number(slider.step) || 1;
    const values: number[] = [];
    for (let v = min; !isToggle && v <= max && values.length < 8; v += step) values.push(v);
    const out: Array<{ toDomMs: number; scriptMs: number }> = [];
    for (let i = 0; i < count; i++) {
      const next = isToggle ? 0 : values[(values.indexOf(Number(slider.value)) + 1) % values.length];
      const changed = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          resolve(performance.now());
        });
        observer.observe(target, { subtree: true, childList: true, characterData: true });
      });
      const bench = window.__explorablesBench!;
      bench.cellTimes.length = 0;
      // A reader's input lands anywhere within a frame: spread the moves over the frame's phase
      // (a fixed pattern, so runs stay comparable) rather than always just after a paint.
      await new Promise((r) => setTimeout(r, (i * 7) % 17));
      const start = performance.now();
      if (isToggle) slider.checked = !slider.checked;
      else slider.value = String(next);
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      const end = await changed;
      // Let the rest of this update (other figures, text) finish before adding up its script time.
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const scriptMs = bench.cellTimes.filter((t) => t.at >= start).reduce((s, t) => s + t.ms, 0);
      out.push({ toDomMs: end - start, scriptMs });
    }
    return out;
  }, moves);
  await page.close();
  const toDom = samples.map((s) => s.toDomMs);
  const script = samples.map((s) => s.scriptMs);
  const p95Dom = percentile(toDom, 95);
  const p95Script = percentile(script, 95);
  return [
    { name: `${notebook}: input → chart DOM, p50 (${moves} moves)`, value: percentile(toDom, 50), unit: "ms", budget: "(one frame)", pass: true },
    { name: `${notebook}: input → chart DOM, p95`, value: p95Dom, unit: "ms", budget: `<= ${FRAME_BUDGET_MS} ms`, pass: p95Dom <= FRAME_BUDGET_MS },
    { name: `${notebook}: script time of one update, p50`, value: percentile(script, 50), unit: "ms", budget: "", pass: true },
    { name: `${notebook}: script time of one update, p95`, value: p95Script, unit: "ms", budget: `<= ${SCRIPT_BUDGET_MS} ms`, pass: p95Script <= SCRIPT_BUDGET_MS },
    { name: `${notebook}: JS on the page (gzip)`, value: jsBytes / 1024, unit: "KB", budget: `<= ${JS_BUDGET_KB} KB`, pass: jsBytes / 1024 <= JS_BUDGET_KB },
  ];
}
