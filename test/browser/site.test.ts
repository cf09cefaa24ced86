import { describe, expect, test } from "vitest";
import { readdirSync, existsSync } from "node:fs";
import { useSiteAndBrowser, axeViolations, waitForLive, watchPage } from "./harness.ts";

const notebooks = readdirSync("notebooks").filter((d) => existsSync(`notebooks/${d}/index.mdx`));
const env = useSiteAndBrowser();

describe("the site as a whole", () => {
  test("the home page lists every notebook with a picture, with no error and no foreign request", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(`${env.site.origin}${env.site.base}`);
    const cards = page.locator(".notebook-card");
    expect(await cards.count()).toBe(notebooks.length);
    expect(await page.locator(".notebook-card svg").count()).toBe(notebooks.length);
    const violations = await axeViolations(page);
    expect(violations).toEqual([]);
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("every page carries a strict Content-Security-Policy", async () => {
    for (const path of ["", ...notebooks.map((n) => `${n}/`)]) {
      const html = await (await fetch(`${env.site.origin}${env.site.base}${path}`)).text();
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
      const page = await env.browser.newPage();
      const watch = watchPage(page, env.site.origin);
      await page.goto(`${env.site.origin}${env.site.base}${notebook}/`);
      await waitForLive(page);
      const names = await page.locator("figure[data-cell]").evaluateAll((figs) => figs.map((f) => (f as HTMLElement).dataset.cell!));
      for (const name of names) {
        const figure = page.locator(`figure[data-cell="${name}"]`);
        await figure.scrollIntoViewIfNeeded();
        await expect.poll(() => figure.getAttribute("data-state")).not.toBeNull();
      }
      for (const name of names) {
        await page.goto(`${env.site.origin}${env.site.base}embed/${notebook}/${name}/`);
        await waitForLive(page);
        expect(await page.locator("figure[data-cell]").count()).toBe(1);
      }
      expect(watch.errors).toEqual([]);
      expect(watch.foreignRequests).toEqual([]);
      await page.close();
    });
  }
});
