/**
 * The browser sample of the URL fuzz test (test/notebooks/url-fuzz.test.ts runs 10,000 per
 * notebook headless): a few random query strings per notebook, on the real page, every figure
 * scrolled into view. No console error, no NaN or undefined on screen, the URL written back
 * canonical (what serializeParams makes of what parseParams read).
 */
import { describe, expect, test } from "vitest";
import { fc } from "@fast-check/vitest";
import { parseParams, serializeParams } from "../../notebooks/lib/params.ts";
import { notebookIds, loadNotebook, queryArbitrary } from "../notebooks/url-arbitrary.ts";
import { useSiteAndBrowser, waitForLive, watchPage } from "./harness.ts";

const SAMPLES = 3;
const env = useSiteAndBrowser();

describe("random URLs in Chromium", () => {
  for (const id of notebookIds) {
    test(`${id}: ${SAMPLES} random query strings`, async () => {
      const notebook = await loadNotebook(id);
      const queries = fc.sample(queryArbitrary(notebook.params), { numRuns: SAMPLES, seed: 17 });
      const page = await env.browser.newPage();
      const watch = watchPage(page, env.site.origin);
      for (const query of queries) {
        await page.goto(`${env.site.origin}${env.site.base}${id}/?${query}`);
        await waitForLive(page);
        for (const figure of await page.locator("figure[data-cell]").all()) {
          await figure.scrollIntoViewIfNeeded();
          await expect.poll(() => figure.getAttribute("data-state")).not.toBeNull();
        }
        const canonical = serializeParams(notebook.params, parseParams(notebook.params, query).values);
        await expect.poll(() => new URL(page.url()).search, { message: `?${query}` }).toBe(canonical ? `?${canonical}` : "");
        const shown = (await page.locator("main").innerText()).replace(/“[^”]*”/g, "“…”");
        expect(shown, `?${query}`).not.toMatch(/\bNaN\b|\bundefined\b|\[object Object\]/);
      }
      expect(watch.errors).toEqual([]);
      expect(watch.foreignRequests).toEqual([]);
      await page.close();
    });
  }
});
