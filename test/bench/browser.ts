/**
 * Control-to-paint benchmark in Chromium for every notebook page of the built site and every
 * control on it (sliders, selects and toggles; multi-selects are skipped). For each control,
 * `moves` changes spread over the frame's phase, each measuring (a) the time from the input event
 * to the page's figures or inline values changing (the page's runtime recomputes right after the
 * input unless it already did in this frame, see notebooks/lib/runtime.ts; then it waits for the
 * next frame, and this includes that wait) and (b) the script time of that update: every
 * cell's own function (model + chart) plus rendering into the page, as the client reports it in
 * bench mode. Also the JS bytes each page loads, gzip-compressed as a server would send them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { percentile, type BenchRow } from "./types.ts";
import { waitForLive, type Site } from "../browser/harness.ts";

export const FRAME_BUDGET_MS = 17;
export const SCRIPT_BUDGET_MS = 4;
export const JS_BUDGET_KB = 60;
/** Untimed moves of each control before its timed ones (see benchControl). */
export const WARM_UP_MOVES = 3;
/**
 * Timed moves of each control. A p95 is the move that only one in twenty is slower than: of 40
 * moves it is the third slowest, so two garbage collections falling into one control's moves (the
 * page's collector runs every 30 to 100 moves, whichever control is moving) decided the row, and
 * three runs of the same code put the SDRS page's worst control at 2.5, 4.2 and 6.5 ms, each time
 * a different control. Of 200 moves it is the tenth slowest; p99 shows the rarer slow moves.
 */
export const TIMED_MOVES = 200;
/**
 * A control whose first this many timed moves changed nothing on the page is not moved further:
 * one that acts only with another setting (the snapshot to revert to, while the sequence ends
 * otherwise), or whose figures are out of view in the bench's window and wait to be seen
 * (visibility.ts). Each such move waits the full 250 ms for a change that does not come, which
 * took five of the full bench's 25 minutes, and its script time is the cells finding nothing to do.
 */
export const QUIET_MOVES = 20;

/** One control's figures, for the per-control table. */
export interface ControlBench {
  page: string;
  control: string;
  kind: string;
  moves: number;
  /** Moves after which nothing on the page changed within the wait (e.g. a value already shown). */
  unchanged: number;
  domP50: number;
  domP95: number;
  scriptP50: number;
  scriptP95: number;
  scriptP99: number;
}

/** The notebook pages of the built site: top-level folders whose page mounts a notebook. */
export function notebookPages(dist = "dist"): string[] {
  return readdirSync(dist, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${dist}/${d.name}/index.html`))
    .filter((d) => /<body[^>]*data-notebook="/.test(readFileSync(`${dist}/${d.name}/index.html`, "utf8")))
    .map((d) => d.name)
    .sort();
}

export async function benchNotebookPage(browser: Browser, site: Site, notebook: string, moves: number): Promise<{ rows: BenchRow[]; controls: ControlBench[] }> {
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

  const keys = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("[data-control]")]
      .filter((slot) => slot.querySelector("input[type=range], input[type=checkbox], select:not([multiple])"))
      .map((slot) => slot.dataset.control!));
  const controls: ControlBench[] = [];
  for (const key of keys) {
    const result = await page.evaluate(benchControl, { key, count: moves, warmUp: WARM_UP_MOVES, quietLimit: QUIET_MOVES });
    const toDom = result.samples.filter((s) => s.toDomMs !== null).map((s) => s.toDomMs!);
    const script = result.samples.map((s) => s.scriptMs);
    controls.push({
      page: notebook, control: key, kind: result.kind, moves: result.samples.length, unchanged: result.samples.length - toDom.length,
      domP50: toDom.length ? percentile(toDom, 50) : 0, domP95: toDom.length ? percentile(toDom, 95) : 0,
      scriptP50: percentile(script, 50), scriptP95: percentile(script, 95), scriptP99: percentile(script, 99),
    });
  }
  await page.close();

  const worstDom = controls.reduce((w, c) => (c.domP95 > (w?.domP95 ?? -1) ? c : w), undefined as ControlBench | undefined);
  const worstScript = controls.reduce((w, c) => (c.scriptP95 > (w?.scriptP95 ?? -1) ? c : w), undefined as ControlBench | undefined);
  const rows: BenchRow[] = [];
  if (worstDom && worstScript) {
    rows.push(
      { name: `${notebook}: input → DOM p95, worst of ${controls.length} controls (${worstDom.control}; ${moves} moves each)`, value: worstDom.domP95, unit: "ms", budget: `<= ${FRAME_BUDGET_MS} ms`, pass: worstDom.domP95 <= FRAME_BUDGET_MS },
      { name: `${notebook}: script time of one update p95, worst control (${worstScript.control})`, value: worstScript.scriptP95, unit: "ms", budget: `<= ${SCRIPT_BUDGET_MS} ms`, pass: worstScript.scriptP95 <= SCRIPT_BUDGET_MS },
    );
  }
  rows.push({ name: `${notebook}: JS on the page (gzip)`, value: jsBytes / 1024, unit: "KB", budget: `<= ${JS_BUDGET_KB} KB`, pass: jsBytes / 1024 <= JS_BUDGET_KB });
  return { rows, controls };
}

/**
 * Runs in the page: moves one control `count` times among up to 8 values next to where it
 * starts (as a reader drags), timing each move after a few untimed ones, then puts the control back
 * where it was. Stops after `quietLimit` moves when none of them changed the page.
 */
export async function benchControl({ key, count, warmUp, quietLimit }: { key: string; count: number; warmUp: number; quietLimit: number }): Promise<{ kind: string; samples: Array<{ toDomMs: number | null; scriptMs: number }> }> {
  const slot = document.querySelector<HTMLElement>(`[data-control="${CSS.escape(key)}"]`)!;
  const range = slot.querySelector<HTMLInputElement>("input[type=range]");
  const checkbox = slot.querySelector<HTMLInputElement>("input[type=checkbox]");
  const select = slot.querySelector<HTMLSelectElement>("select:not([multiple])");
  const kind = range ? "slider" : checkbox ? "toggle" : "select";
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  let values: string[];
  let set: (value: string) => void;
  let read: () => string;
  if (range) {
    const min = Number(range.min);
    const max = Number(range.max);
    const step = Number(range.step) || 1;
    const start = Number(range.value);
    values = [];
    for (let k = -3; k <= 4; k++) {
      const v = Math.round((start + k * step) * 1e9) / 1e9;
      if (v >= min && v <= max) values.push(String(v));
    }
    set = (v) => (range.value = v);
    read = () => range.value;
  } else if (checkbox) {
    values = ["1", "0"];
    set = (v) => (checkbox.checked = v === "1");
    read = () => (checkbox.checked ? "1" : "0");
  } else {
    values = [...select!.options].slice(0, 8).map((o) => o.value);
    set = (v) => (select!.value = v);
    read = () => select!.value;
  }
  const input = (range ?? checkbox ?? select)!;
  const initial = read();
  input.scrollIntoView({ block: "center" });
  await wait(150);
  const watched = document.querySelector("main") ?? document.body;
  const bench = window.__explorablesBench!;
  const move = () => {
    const next = values[(values.indexOf(read()) + 1) % values.length];
    set(next);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  // A few untimed moves first. Scrolling to the control brings figures into view that were
  // waiting (visibility.ts): their first computation and drawing, and the first run of the code
  // this control reaches, belong to reading down the page, not to the slider's update; timed,
  // they would land in every control's p95 and hide what one more move costs.
  for (let i = 0; i < warmUp; i++) {
    move();
    await wait(60);
    await settle();
  }
  const samples: Array<{ toDomMs: number | null; scriptMs: number }> = [];
  for (let i = 0; i < count; i++) {
    bench.cellTimes.length = 0;
    // A reader's input lands anywhere within a frame: spread the moves over the frame's phase
    // (a fixed pattern, so runs stay comparable) rather than always just after a paint.
    await wait((i * 7) % 17);
    // Watch from here on only: a late change from the previous move must not count for this one.
    const changed = new Promise<number | null>((resolve) => {
      const observer = new MutationObserver((records) => {
        // Changes inside the moved control itself (its number box) are not the page responding.
        if (records.every((r) => slot.contains(r.target))) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve(performance.now());
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        resolve(null);
      }, 250);
      observer.observe(watched, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const start = performance.now();
    move();
    const end = await changed;
    // Let the rest of this update (other figures, text) finish before adding up its script time.
    await settle();
    const scriptMs = bench.cellTimes.filter((t) => t.at >= start).reduce((s, t) => s + t.ms, 0);
    samples.push({ toDomMs: end === null ? null : end - start, scriptMs });
    if (samples.length === quietLimit && samples.every((s) => s.toDomMs === null)) break;
  }
  set(initial);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await wait(100);
  return { kind, samples };
}
