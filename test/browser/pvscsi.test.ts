import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { useSiteAndBrowser, axeViolations, figureSummary, waitForLive, watchPage } from "./harness.ts";

const env = useSiteAndBrowser();
const url = (path = "") => `${env.site.origin}${env.site.base}pvscsi/${path}`;

const marker = (page: Page) => page.locator("figure[data-cell=heatmapFigure] .hm-marker circle");

/** The smallest rendered font size (px) of the text in a figure's chart, after the SVG's scaling. */
function smallestChartText(page: Page, name: string): Promise<number> {
  return page.locator(`figure[data-cell=${name}] svg`).evaluate((svg) => {
    const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
    return Math.min(...[...svg.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
  });
}

describe("PVSCSI notebook in Chromium", { timeout: 60_000 }, () => {
  test("moving the IOPS and OIO sliders with the keyboard moves the marker, redraws the summary and the URL; reload restores it", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const before = await figureSummary(page, "heatmapFigure");
    expect(before).toMatch(/Your VM \(1,000 IOPS, 8 outstanding I\/Os\): LSI Logic is faster/);
    const iops = page.locator("[data-control=iops] input[type=range]");
    await iops.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => page.evaluate(() => location.search)).toBe("?iops=1010");
    await expect.poll(() => page.locator("figure[data-cell=heatmapFigure] .figure-summary").textContent()).toMatch(/Your VM \(1,010 IOPS/);
    // From here the map is the one drawn on the page: a marker move must leave its grid alone.
    const cells = page.locator("figure[data-cell=heatmapFigure] .hm-cells");
    await cells.evaluate((g) => g.setAttribute("data-test-kept", "1"));
    const cxBefore = await marker(page).getAttribute("cx");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => page.locator("figure[data-cell=heatmapFigure] .figure-summary").textContent()).toMatch(/Your VM \(1,020 IOPS/);
    expect(Number(await marker(page).getAttribute("cx"))).toBeGreaterThan(Number(cxBefore));
    expect(await cells.getAttribute("data-test-kept")).toBe("1");

    const oio = page.locator("[data-control=oio] input[type=range]");
    await oio.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowLeft");
    await expect.poll(() => page.evaluate(() => location.search)).toBe("?iops=1020&oio=4");
    await expect.poll(() => page.locator("figure[data-cell=heatmapFigure] .figure-summary").textContent()).toMatch(/4 outstanding I\/Os\): PVSCSI is faster/);
    expect(await page.locator("[data-cell=verdict]").textContent()).toMatch(/^PVSCSI: /);
    expect(await page.locator("figure[data-cell=heatmapFigure] .figure-summary").getAttribute("aria-live")).toBe("polite");

    await page.reload();
    await waitForLive(page);
    expect(await oio.inputValue()).toBe("4");
    expect(await figureSummary(page, "heatmapFigure")).toMatch(/Your VM \(1,020 IOPS, 4 outstanding/);
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("the heat map has its contour, the published zone, a marker, a summary and a data table", async () => {
    const page = await env.browser.newPage();
    await page.goto(url("?release=4.0"));
    await waitForLive(page);
    await figureSummary(page, "heatmapFigure");
    const figure = page.locator("figure[data-cell=heatmapFigure]");
    expect(await figure.locator(".hm-line .hm-contour").count()).toBe(1);
    expect(await figure.locator(".hm-kb rect").count()).toBe(1);
    expect(await marker(page).count()).toBe(1);
    await figure.locator(".figure-data summary").click();
    await expect.poll(() => figure.locator(".figure-data tbody tr").count()).toBe(8);
    // vSphere 4.1: the same map with no region where PVSCSI is slower, so no crossover line; the
    // chart is brought up to date in place (same axes), not rebuilt.
    await figure.locator(".axis.x").evaluate((g) => g.setAttribute("data-test-kept", "1"));
    await page.locator("[data-control=release] select").selectOption({ label: "vSphere 4.1 or later" });
    await expect.poll(() => figure.locator(".figure-summary").textContent()).toMatch(/^vSphere 4\.1 or later: PVSCSI is never slower/);
    // (The legend keeps its key to the line and to every colour.)
    expect(await figure.locator(".hm-line .hm-contour").count()).toBe(0);
    expect(await figure.locator(".hm-cells .hm-lsi1, .hm-cells .hm-lsi2, .hm-cells .hm-lsi3, .hm-cells .hm-lsi4").count()).toBe(0);
    expect(await marker(page).count()).toBe(1);
    expect(await figure.locator(".axis.x").getAttribute("data-test-kept")).toBe("1");
    expect(await figure.locator("svg.chart > title").textContent()).toMatch(/vSphere 4\.1 or later/);
    await page.close();
  });

  test("an unreachable workload gives a sentence under the timeline instead of a chart", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url("?iops=20000&oio=1"));
    await waitForLive(page);
    const figure = page.locator("figure[data-cell=timelineFigure]");
    await figure.scrollIntoViewIfNeeded();
    await expect.poll(() => figure.locator(".figure-message").textContent()).toMatch(/LSI Logic cannot deliver 20,000 IOPS/);
    expect(await figure.locator("svg").count()).toBe(0);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`${colorScheme}, 390 px wide: axe passes, chart text is at least 11 px, nothing is cut off`, async () => {
      const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme });
      const page = await context.newPage();
      await page.goto(url());
      await waitForLive(page);
      for (const name of ["heatmapFigure", "timelineFigure"]) {
        await figureSummary(page, name);
        expect(await smallestChartText(page, name), name).toBeGreaterThanOrEqual(11);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }
});
