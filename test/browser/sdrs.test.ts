import { describe, expect, test } from "vitest";
import { useSiteAndBrowser, axeViolations, drawEveryFigure, figureSummary, waitForLive, watchPage } from "./harness.ts";

const env = useSiteAndBrowser();
const url = (path = "") => `${env.site.origin}${env.site.base}sdrs/${path}`;

describe("Storage DRS notebook in Chromium", () => {
  test("loads every figure with no console error, CSP violation or request to another origin", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    for (const name of ["iopsFigure", "latencyFigure", "p90Figure", "siocFigure", "movesFigure", "placementFigure"]) {
      expect(await figureSummary(page, name), name).not.toBe("");
    }
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("the desktops slider, moved by keyboard, redraws the storm and the placement and lands in the URL", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const before = await figureSummary(page, "iopsFigure");
    const slider = page.locator("[data-control=desktops] input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => page.evaluate(() => location.search)).toBe("?desktops=1050");
    await expect.poll(() => figureSummary(page, "iopsFigure")).not.toBe(before);
    expect(await figureSummary(page, "iopsFigure")).toContain("17,850 IOPS");
    expect(await figureSummary(page, "placementFigure")).toMatch(/desktops/);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("turning the flash cache off saturates the disks in the latency figure", async () => {
    const page = await env.browser.newPage();
    await page.goto(url());
    await waitForLive(page);
    expect(await figureSummary(page, "latencyFigure")).toContain("The disks keep up throughout");
    const toggle = page.locator("[data-control=flashCache] input[type=checkbox]");
    await toggle.scrollIntoViewIfNeeded();
    await toggle.focus();
    await page.keyboard.press("Space");
    await expect.poll(() => figureSummary(page, "latencyFigure")).toMatch(/cannot keep up for \d+ minutes/);
    await expect.poll(() => page.evaluate(() => location.search)).toBe("?flashCache=0");
    await page.close();
  });

  for (const [label, options] of [
    ["light, desktop width", { viewport: { width: 1200, height: 900 }, colorScheme: "light" as const }],
    ["dark, phone width", { viewport: { width: 390, height: 844 }, colorScheme: "dark" as const }],
  ] as const) {
    test(`axe-core finds no accessibility violations (${label}) and nothing overflows the page`, async () => {
      const context = await env.browser.newContext(options);
      const page = await context.newPage();
      await page.goto(url());
      await waitForLive(page);
      await drawEveryFigure(page);
      expect(await axeViolations(page), label).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(options.viewport.width);
      await context.close();
    });
  }
});
