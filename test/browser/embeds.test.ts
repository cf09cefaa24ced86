/**
 * Embeds as a blogger's reader meets them: a host page on a second localhost origin embeds two
 * charts with the copied snippet. Generic over the notebooks present: the charts are the first
 * figure with a static image of the first two notebooks (or two of one, if there is only one).
 */
import { describe, expect, test, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { useSiteAndBrowser, axeViolations, waitForLive, watchPage } from "./harness.ts";
import { embedSnippet, embedUrl, escapeAttribute, type Theme } from "../../notebooks/lib/embed.ts";
import { headerRules } from "../../site/lib/host-headers.mjs";
import { MARGIN_PX, PNG_SCALE } from "../../notebooks/lib/export-image.ts";

const notebooks = readdirSync("notebooks").filter((d) => existsSync(`notebooks/${d}/index.mdx`)).sort();
const figuresWithImage = (notebook: string) =>
  readdirSync(`dist/embed/${notebook}`).filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -".svg".length)).sort();

const env = useSiteAndBrowser();

/** The blogger's site: serves whatever pages a test puts in `hostPages`, on its own origin. */
const hostPages = new Map<string, string>();
let host: Server;
let hostOrigin = "";
beforeAll(async () => {
  host = createServer((req, res) => {
    const body = hostPages.get(req.url ?? "");
    res.writeHead(body ? 200 : 404, { "Content-Type": "text/html; charset=utf-8" });
    res.end(body ?? "not found");
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  // "localhost" rather than 127.0.0.1: another origin than the site's, on the same machine.
  hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

interface Chart { notebook: string; cell: string }
function charts(): [Chart, Chart] {
  const [first, second] = notebooks;
  const a = { notebook: first, cell: figuresWithImage(first)[0] };
  const b = second ? { notebook: second, cell: figuresWithImage(second)[0] } : { notebook: first, cell: figuresWithImage(first)[1] };
  return [a, b];
}

function snippet(chart: Chart, options: { query?: string; theme?: Theme } = {}): string {
  return embedSnippet({ origin: env.site.origin, base: env.site.base, ...chart, query: options.query ?? "", title: `Chart ${chart.cell}`, theme: options.theme });
}

function hostPage(path: string, ...parts: string[]): string {
  hostPages.set(path, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog post</title><link rel="icon" href="data:,"></head>
<body><h1>A blog post</h1><p>Some prose before the chart.</p>${parts.join("\n")}</body></html>`);
  return `${hostOrigin}${path}`;
}
/** Loading and layout take a while on a busy machine: wait up to 10 s for a condition. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });
const spacer = '<div style="height:5000px">A long stretch of prose.</div>';

async function frameOf(page: Page, selector: string): Promise<Frame> {
  const handle = await page.waitForSelector(selector, { state: "attached" });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`no frame for ${selector}`);
  await frame.waitForSelector("figure[data-cell][data-state]", { timeout: 30_000 });
  return frame;
}

const frameHeight = (page: Page, selector: string) => page.locator(selector).evaluate((f) => Math.round(f.getBoundingClientRect().height));
const contentHeight = (frame: Frame) => frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
const background = (frame: Frame) => frame.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

describe("embeds on another origin", () => {
  test("two charts render, the one far down loads only when scrolled to, and nothing is foreign or stored", async () => {
    const [a, b] = charts();
    const url = hostPage("/two", `<div id="a">${snippet(a)}</div>`, spacer, `<div id="b">${snippet(b)}</div>`, `<script src="${env.site.origin}${env.site.base}embed.js" async></script>`);
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url);
    const frameA = await frameOf(page, "#a iframe");
    // The iframe fits its content (embed.js applied the reported height) and the fallback is gone.
    await poll(async () => Math.abs((await frameHeight(page, "#a iframe")) - (await contentHeight(frameA)))).toBeLessThanOrEqual(2);
    expect(await page.locator("#a [data-vsphere-explorable-fallback]").isVisible()).toBe(false);
    const embedB = embedUrl({ origin: env.site.origin, base: env.site.base, ...b, query: "" });
    expect(watch.requests.filter((r) => r.startsWith(embedB))).toEqual([]);
    await page.locator("#b iframe").scrollIntoViewIfNeeded();
    const frameB = await frameOf(page, "#b iframe");
    expect(await frameB.locator("figure[data-cell] svg").count()).toBeGreaterThan(0);
    expect(watch.requests.some((r) => r.startsWith(embedB))).toBe(true);
    // Only the host page itself and the site: no third party, no cookie, no storage.
    expect(watch.foreignRequests.filter((r) => !r.startsWith(hostOrigin))).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await frameA.evaluate(() => document.cookie)).toBe("");
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  test("the iframe grows and shrinks back as Settings and the Data table open and close", async () => {
    const [a] = charts();
    const url = hostPage("/resize", snippet(a), `<script src="${env.site.origin}${env.site.base}embed.js" async></script>`);
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url);
    const frame = await frameOf(page, "iframe");
    await poll(async () => Math.abs((await frameHeight(page, "iframe")) - (await contentHeight(frame)))).toBeLessThanOrEqual(2);
    const closed = await frameHeight(page, "iframe");
    for (const summary of [".embed-controls > summary", ".figure-data > summary"]) {
      await frame.locator(summary).click();
      await poll(() => frameHeight(page, "iframe")).toBeGreaterThan(closed + 40);
      await frame.locator(summary).click();
      await poll(() => frameHeight(page, "iframe")).toBeLessThanOrEqual(closed + 2);
      expect(await frameHeight(page, "iframe")).toBeGreaterThanOrEqual(closed - 2);
    }
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the theme follows ?theme=, else the reader's colour scheme", async () => {
    const [a] = charts();
    const cases: Array<{ scheme: "light" | "dark"; theme?: Theme; dark: boolean }> = [
      { scheme: "light", dark: false },
      { scheme: "dark", dark: true },
      { scheme: "light", theme: "dark", dark: true },
      { scheme: "dark", theme: "light", dark: false },
    ];
    for (const { scheme, theme, dark } of cases) {
      const context = await env.browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(hostPage(`/theme-${scheme}-${theme}`, snippet(a, { theme }), `<script src="${env.site.origin}${env.site.base}embed.js" async></script>`));
      const frame = await frameOf(page, "iframe");
      expect(await background(frame), `${scheme} ${theme}`).toBe(dark ? "rgb(20, 22, 26)" : "rgb(255, 255, 255)");
      // The URL the embed writes back after a control moves keeps the theme.
      if (theme && (await frame.locator("input[type=range]").count()) > 0) {
        await frame.locator("input[type=range]").first().evaluate((el: HTMLInputElement) => {
          el.value = el.value === el.max ? el.min : el.max;
          el.dispatchEvent(new Event("input", { bubbles: true }));
        });
        await poll(() => new URL(frame.url()).search).toMatch(new RegExp(`^\\?.+&theme=${theme}$`));
      }
      await context.close();
    }
  });

  test("with scripts off, or with the iframe stripped, the static image and link show", async () => {
    const [a] = charts();
    const stripped = snippet(a).split("\n").filter((line) => !line.startsWith("<iframe")).join("\n");
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    for (const [path, html] of [["/noscript", snippet(a)], ["/noiframe-noscript", stripped]]) {
      await page.goto(hostPage(path, html));
      const image = page.locator("[data-vsphere-explorable-fallback] img");
      await poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      expect(await image.isVisible()).toBe(true);
      expect(await page.locator("[data-vsphere-explorable-fallback]").getAttribute("href")).toContain(`/${a.notebook}/`);
    }
    await context.close();
  });

  test("where a host strips the iframe but keeps embed.js, the chart is built lazily from the fallback", async () => {
    const [a] = charts();
    const stripped = snippet(a).split("\n").filter((line) => !line.startsWith("<iframe")).join("\n");
    const page = await env.browser.newPage();
    await page.goto(hostPage("/upgrade", spacer, stripped));
    await page.waitForFunction(() => (window as unknown as { __vsphereExplorablesEmbed?: boolean }).__vsphereExplorablesEmbed === true);
    expect(await page.locator("iframe").count()).toBe(0);
    await page.locator("[data-vsphere-explorable-fallback]").scrollIntoViewIfNeeded();
    const frame = await frameOf(page, "iframe");
    expect(await frame.locator("figure[data-cell] svg").count()).toBeGreaterThan(0);
    expect(await page.locator("[data-vsphere-explorable-fallback]").isVisible()).toBe(false);
    await page.close();
  });

  test("embed.js ignores height messages from other windows, other origins and of the wrong shape", async () => {
    const [a] = charts();
    const page = await env.browser.newPage();
    await page.goto(hostPage("/spoof", snippet(a)));
    await frameOf(page, "iframe");
    await poll(() => page.locator("iframe").getAttribute("data-vsphere-explorable")).toBe("ready");
    const before = await frameHeight(page, "iframe");
    await page.evaluate(() => {
      // From the host window itself (not the frame), then nonsense shapes from anywhere.
      for (const data of [{ type: "vsphere-explorables:height", height: 3000 }, { type: "vsphere-explorables:height", height: "3000" }, "vsphere-explorables:height", null]) {
        window.postMessage(data, "*");
      }
    });
    await page.waitForTimeout(200);
    expect(await frameHeight(page, "iframe")).toBe(before);
    await page.close();
  });

  test("each embed page has a heading and passes axe, light and dark", async () => {
    for (const chart of charts()) {
      for (const colorScheme of ["light", "dark"] as const) {
        const context = await env.browser.newContext({ colorScheme });
        const page = await context.newPage();
        await page.goto(embedUrl({ origin: env.site.origin, base: env.site.base, ...chart, query: "" }));
        await waitForLive(page);
        expect(await page.locator("h1").count()).toBe(1);
        expect(await axeViolations(page)).toEqual([]);
        await context.close();
      }
    }
  });
});

describe("sharing the current state", () => {
  /**
   * A notebook page after a slider moved, and a figure (with a static image) that changed: the
   * first notebook, in name order, where moving a slider to an end redraws such a figure.
   */
  async function changedPage(context: BrowserContext): Promise<{ page: Page; query: string; chart: Chart }> {
    const page = await context.newPage();
    for (const notebook of notebooks) {
      await page.goto(`${env.site.origin}${env.site.base}${notebook}/`);
      await waitForLive(page);
      const cells = figuresWithImage(notebook);
      const drawn = () => page.evaluate((names) => names.map((n) => document.querySelector(`figure[data-cell="${n}"] .figure-chart`)?.innerHTML ?? ""), cells);
      // Each figure drawn while it is in view: one whose inputs wait for their own place (EVC's
      // catch-22 stepper) finishes only while the reader is there, not after scrolling past it.
      for (const cell of cells) {
        await page.locator(`figure[data-cell="${cell}"]`).scrollIntoViewIfNeeded();
        await page.waitForFunction((n) => document.querySelector(`figure[data-cell="${n}"]`)?.getAttribute("data-state"), cell);
      }
      const before = await drawn();
      const ranges = page.locator("[data-control] input[type=range]");
      for (let i = 0; i < (await ranges.count()); i++) {
        await ranges.nth(i).evaluate((el: HTMLInputElement) => {
          el.value = el.value === el.max ? el.min : el.max;
          el.dispatchEvent(new Event("input", { bubbles: true }));
        });
        await page.waitForTimeout(300);
        const after = await drawn();
        const changed = cells.find((cell, k) => after[k] !== before[k] && after[k] !== "");
        if (changed) {
          await poll(() => new URL(page.url()).search).not.toBe("");
          await page.locator(`figure[data-cell="${changed}"]`).scrollIntoViewIfNeeded();
          return { page, query: new URL(page.url()).search.slice(1), chart: { notebook, cell: changed } };
        }
      }
    }
    throw new Error("No slider of any notebook changes a figure");
  }

  test("the copied snippet reproduces the state on another origin, and Copy link opens it", async () => {
    const context = await env.browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.site.origin });
    const { page, query, chart: a } = await changedPage(context);
    const summary = await page.locator(`figure[data-cell="${a.cell}"] .figure-summary`).textContent();
    const tools = page.locator(`#figure-${a.cell} ~ .figure-tools`);
    await tools.locator("[data-embed-theme]").selectOption("dark");
    await tools.locator("[data-embed-button]").click();
    await poll(() => tools.locator("[data-embed-status]").textContent()).toBe("Embed code copied.");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('style="border:0"');
    expect(copied).toContain(escapeAttribute(`?${query}&theme=dark`));
    await tools.locator("[data-copy-link]").click();
    await poll(() => tools.locator("[data-embed-status]").textContent()).toBe("Link copied.");
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${env.site.origin}${env.site.base}${a.notebook}/?${query}#figure-${a.cell}`);

    const host = await context.newPage();
    await host.goto(hostPage("/copied", copied));
    const frame = await frameOf(host, "iframe");
    expect(await frame.locator(".figure-summary").textContent()).toBe(summary);
    expect(await background(frame)).toBe("rgb(20, 22, 26)");
    await host.goto(link);
    await waitForLive(host);
    expect(await host.locator(`figure[data-cell="${a.cell}"] .figure-summary`).textContent()).toBe(summary);
    await context.close();
  });

  test("Download SVG and PNG give the chart as shown now, light or dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await env.browser.newContext({ colorScheme, acceptDownloads: true });
      const { page, chart: a } = await changedPage(context);
      const tools = page.locator(`#figure-${a.cell} ~ .figure-tools`);
      const liveTexts = await page.locator(`figure[data-cell="${a.cell}"] .figure-chart svg text`).allTextContents();

      const [svgDownload] = await Promise.all([page.waitForEvent("download"), tools.locator("[data-download-svg]").click()]);
      expect(svgDownload.suggestedFilename()).toBe(`${a.notebook}-${a.cell}.svg`);
      const svg = readFileSync((await svgDownload.path())!, "utf8");
      // The file alone, in a blank page: the same texts, drawn on the theme's background.
      const viewer = await context.newPage();
      await viewer.setContent(svg.replace(/^<\?xml[^>]*>\s*/, ""));
      expect(await viewer.locator("svg text").allTextContents()).toEqual(liveTexts);
      expect(await viewer.locator("svg > rect").first().getAttribute("fill")).toBe(colorScheme === "dark" ? "rgb(20, 22, 26)" : "rgb(255, 255, 255)");
      const fontSizes = await viewer.locator("svg text").evaluateAll((texts) => texts.map((t) => parseFloat(getComputedStyle(t).fontSize)));
      expect(Math.min(...fontSizes)).toBeGreaterThanOrEqual(10);

      const [pngDownload] = await Promise.all([page.waitForEvent("download"), tools.locator("[data-download-png]").click()]);
      const png = readFileSync((await pngDownload.path())!);
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      const viewBox = await page.locator(`figure[data-cell="${a.cell}"] .figure-chart svg`).getAttribute("viewBox");
      const [, , w, h] = viewBox!.split(/[\s,]+/).map(Number);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Math.round((w + 2 * MARGIN_PX) * PNG_SCALE), Math.round((h + 2 * MARGIN_PX) * PNG_SCALE)]);
      const corner = await viewer.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const pixels = ctx.getImageData(0, 0, img.width, img.height).data;
        let distinct = 0;
        for (let i = 4; i < pixels.length; i += 4 * 97) if (pixels[i] !== pixels[0] || pixels[i + 1] !== pixels[1] || pixels[i + 2] !== pixels[2]) distinct++;
        return { rgb: [...pixels.slice(0, 3)], distinct };
      }, png.toString("base64"));
      expect(corner.rgb).toEqual(colorScheme === "dark" ? [20, 22, 26] : [255, 255, 255]);
      expect(corner.distinct, "the PNG has a drawing on its background").toBeGreaterThan(50);
      await context.close();
    }
  });
});

describe("headers and oEmbed", () => {
  test("the preview server sends the configured headers and sets no cookie", async () => {
    const response = await fetch(`${env.site.origin}${env.site.base}${notebooks[0]}/`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  test("with the _headers rules applied, another origin can frame embed pages but not notebook pages", async () => {
    const rules = headerRules(env.site.base, readdirSync("dist", { withFileTypes: true }).filter((f) => f.isDirectory()).map((f) => f.name));
    const rulesFile = readFileSync("dist/_headers", "utf8");
    for (const rule of rules) expect(rulesFile).toContain(`\n${rule.path}\n`);
    const context = await env.browser.newContext();
    // Play the static host: add each matching rule's headers, as Netlify or Cloudflare Pages would.
    await context.route(`${env.site.origin}/**`, async (route) => {
      const response = await route.fetch();
      const path = new URL(route.request().url()).pathname;
      const headers = { ...response.headers() };
      for (const rule of rules) {
        const matches = rule.path.endsWith("*") ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
        if (matches) Object.assign(headers, Object.fromEntries(Object.entries(rule.headers).map(([k, v]) => [k.toLowerCase(), v])));
      }
      await route.fulfill({ response, headers });
    });
    const [a] = charts();
    const page = await context.newPage();
    const notebookPage = `${env.site.origin}${env.site.base}${a.notebook}/`;
    await page.goto(hostPage("/framing", snippet(a), `<iframe id="page" src="${notebookPage}" title="whole page"></iframe>`));
    const embed = await frameOf(page, "iframe[data-vsphere-explorable]");
    expect(await embed.locator("figure[data-cell]").count()).toBe(1);
    const whole = await (await page.waitForSelector("#page")).contentFrame();
    await page.waitForTimeout(500);
    // Chromium replaces a refused frame with its own error page.
    expect(whole!.url(), "the notebook page must refuse to be framed").toMatch(/^chrome-error:/);
    expect(await whole!.locator("figure[data-cell]").count()).toBe(0);
    await context.close();
  });

  test("every notebook and embed page links its oEmbed document, which describes the chart", async () => {
    for (const notebook of notebooks) {
      const pageHtml = await (await fetch(`${env.site.origin}${env.site.base}${notebook}/`)).text();
      expect(pageHtml, notebook).toMatch(/<link rel="alternate" type="application\/json\+oembed" href="[^"]+\.oembed\.json"/);
      for (const cell of figuresWithImage(notebook)) {
        const html = await (await fetch(`${env.site.origin}${env.site.base}embed/${notebook}/${cell}/`)).text();
        const href = html.match(/<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/)?.[1];
        expect(href, `${notebook}/${cell}`).toBeDefined();
        const response = await fetch(`${env.site.origin}${new URL(href!).pathname}`);
        expect(response.status).toBe(200);
        const doc = await response.json();
        expect(doc).toMatchObject({ version: "1.0", type: "rich", provider_name: "vSphere explorables" });
        expect(doc.width).toBeGreaterThan(0);
        expect(doc.height).toBeGreaterThan(doc.thumbnail_height);
        const src = doc.html.match(/<iframe src="([^"]+)"/)[1];
        expect(new URL(src).pathname).toBe(`${env.site.base}embed/${notebook}/${cell}/`);
        expect((await fetch(`${env.site.origin}${new URL(doc.thumbnail_url).pathname}`)).headers.get("content-type")).toContain("image/svg+xml");
      }
    }
  });
});
