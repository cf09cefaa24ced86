/**
 * Shared by the browser tests and the benchmark: serve the built site on loopback with Astro's
 * own preview server and drive Debian's Chromium through playwright-core (no browser download).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, test } from "vitest";
import { preview } from "astro";
import { chromium, type Browser, type Page } from "playwright-core";

export interface Site {
  origin: string;
  base: string;
  stop(): Promise<void>;
}

/** Serves the site built in `root`'s dist/ (default: this checkout's). */
export async function serveSite(port = 4400 + Math.floor(Math.random() * 500), root = process.cwd()): Promise<Site> {
  if (!existsSync(`${root}/dist/index.html`)) throw new Error(`No built site in ${root}/dist/: run \`npm run build\` there first.`);
  const server = await preview({ root, logLevel: "error", server: { host: "127.0.0.1", port } });
  const base = process.env.BASE_PATH ?? "/";
  return { origin: `http://127.0.0.1:${server.port}`, base, stop: () => server.stop() };
}

export function chromePath(): string {
  const path = process.env.CHROME_PATH ?? "/usr/bin/chromium";
  if (!existsSync(path)) throw new Error(`No Chromium at ${path}: install Debian's chromium or set CHROME_PATH.`);
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromePath(),
    // The machines have no network but loopback: keep Chromium from trying to reach Google.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"],
  });
}

export interface PageWatch {
  errors: string[];
  foreignRequests: string[];
  requests: string[];
}

/** Records console errors, page errors (CSP violations arrive as console errors) and requests. */
export function watchPage(page: Page, origin: string): PageWatch {
  const watch: PageWatch = { errors: [], foreignRequests: [], requests: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") watch.errors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (error) => watch.errors.push(`pageerror: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    watch.requests.push(url);
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) watch.foreignRequests.push(url);
  });
  return watch;
}

/**
 * Resolves once the notebook's runtime has mounted (the client sets data-notebook="live") and has
 * drawn every figure in the viewport; figures out of view wait until they are scrolled to.
 */
export async function waitForLive(page: Page): Promise<void> {
  await page.waitForSelector("html[data-notebook=live]", { timeout: 30_000 });
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>("figure[data-cell]")]
      .filter((f) => {
        const box = f.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight;
      })
      .every((f) => f.dataset.state));
}

/** One served site and one browser for a test file: `const env = useSiteAndBrowser()`. */
export function useSiteAndBrowser(): { readonly site: Site; readonly browser: Browser } {
  let site: Site | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await serveSite();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });
  return {
    get site() {
      return site!;
    },
    get browser() {
      return browser!;
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core in the page (evaluated through the protocol, so the page's CSP does not apply). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
}

/** A figure's live summary, once the runtime has drawn it (scrolled into view first). */
export async function figureSummary(page: Page, name: string): Promise<string> {
  const figure = page.locator(`figure[data-cell=${name}]`);
  await figure.scrollIntoViewIfNeeded();
  await expect.poll(() => figure.getAttribute("data-state")).not.toBeNull();
  return (await figure.locator(".figure-summary").textContent()) ?? "";
}

/** Scrolls every figure into view and waits until the runtime has drawn it at this width. */
export async function drawEveryFigure(page: Page): Promise<void> {
  const names = await page.locator("figure[data-cell]").evaluateAll((figs) => figs.map((f) => (f as HTMLElement).dataset.cell!));
  for (const name of names) {
    const figure = page.locator(`figure[data-cell="${name}"]`);
    await figure.scrollIntoViewIfNeeded();
    await expect.poll(() => figure.getAttribute("data-state")).not.toBeNull();
  }
  // Let the ResizeObserver-driven fitting and any redraw at the phone's width settle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
}

/** A test that axe-core finds nothing on the page with every figure drawn, in light and in dark. */
export function testAxeInBothSchemes(env: { readonly browser: Browser }, url: () => string): void {
  for (const colorScheme of ["light", "dark"] as const) {
    test(`axe-core finds no accessibility violations (${colorScheme})`, async () => {
      const context = await env.browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(url());
      await waitForLive(page);
      await drawEveryFigure(page);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }
}

/**
 * A test that a query of junk and out-of-range values loads without an error: each slider named
 * in `sliders` shows the clamped value given, and the page's URL note mentions `note`.
 */
export function testJunkQuery(env: { readonly site: Site; readonly browser: Browser }, url: (query: string) => string, query: string, sliders: Record<string, string>, note: string): void {
  test("junk and out-of-range URL values are clamped or ignored, with a note", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url(query));
    await waitForLive(page);
    for (const [key, value] of Object.entries(sliders)) {
      expect(await page.locator(`[data-control=${key}] input[type=range]`).inputValue()).toBe(value);
    }
    await expect.poll(() => page.locator("[data-url-notes]").textContent()).toContain(note);
    expect(watch.errors).toEqual([]);
    await page.close();
  });
}
