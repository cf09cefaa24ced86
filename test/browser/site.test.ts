import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readdirSync, existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser } from "playwright-core";
import { launchBrowser, serveSite, waitForLive, watchPage, type Site } from "./harness.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const notebooks = readdirSync("notebooks").filter((d) => existsSync(`notebooks/${d}/index.mdx`));
let site: Site;
let browser: Browser;

beforeAll(async () => {
  site = await serveSite();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

describe("the site as a whole", () => {
  test("the home page lists every notebook with a picture, with no error and no foreign request", async () => {
    const page = await browser.newPage();
    const watch = watchPage(page, site.origin);
    await page.goto(`${site.origin}${site.base}`);
    const cards = page.locator(".notebook-card");
    expect(await cards.count()).toBe(notebooks.length);
    expect(await page.locator(".notebook-card svg").count()).toBe(notebooks.length);
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => (await (window as any).axe.run()).violations.map((v: { id: string }) => v.id));
    expect(violations).toEqual([]);
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("every page carries a strict Content-Security-Policy", async () => {
    for (const path of ["", ...notebooks.map((n) => `${n}/`)]) {
      const html = await (await fetch(`${site.origin}${site.base}${path}`)).text();
      const csp = html.match(/<meta http-equiv="content-security-policy" content="([^"]+)"/)?.[1];
      expect(csp, path).toBeDefined();
      expect(csp).toContain("default-src 'none'");
      const scriptSrc = csp!.split(";").find((d) => d.trim().startsWith("script-src "))!;
      expect(scriptSrc).not.toContain("unsafe-inline");
      expect(scriptSrc).not.toContain("unsafe-eval");
    }
  });

  for (const notebook of notebooks) {
    test(`${notebook}: every figure's embed page runs with no error, scrolling every figure into view`, async () => {
      const page = await browser.newPage();
      const watch = watchPage(page, site.origin);
      await page.goto(`${site.origin}${site.base}${notebook}/`);
      await waitForLive(page);
      const names = await page.locator("figure[data-cell]").evaluateAll((figs) => figs.map((f) => (f as HTMLElement).dataset.cell!));
      for (const name of names) {
        const figure = page.locator(`figure[data-cell="${name}"]`);
        await figure.scrollIntoViewIfNeeded();
        await expect.poll(() => figure.getAttribute("data-state")).not.toBeNull();
      }
      for (const name of names) {
        await page.goto(`${site.origin}${site.base}embed/${notebook}/${name}/`);
        await waitForLive(page);
        expect(await page.locator("figure[data-cell]").count()).toBe(1);
      }
      expect(watch.errors).toEqual([]);
      expect(watch.foreignRequests).toEqual([]);
      await page.close();
    });
  }
});
