import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { useSiteAndBrowser, drawEveryFigure, figureSummary, testAxeInBothSchemes, testJunkQuery, waitForLive, watchPage } from "./harness.ts";

const env = useSiteAndBrowser();
const url = (path = "") => `${env.site.origin}${env.site.base}vaai/${path}`;
const FIGURES = ["copyTimeFigure", "copyCostFigure", "lockTimelineFigure", "stormSweepFigure", "zeroingFigure", "poolFigure", "vmStateFigure"];

/** Focuses a control's slider and presses a key; returns once the URL carries the new value. */
async function nudge(page: Page, control: string, key: string, expectedQuery: string): Promise<void> {
  const slider = page.locator(`[data-control=${control}] input[type=range]`);
  await slider.scrollIntoViewIfNeeded();
  await slider.focus();
  await page.keyboard.press(key);
  await expect.poll(() => page.evaluate(() => location.search)).toContain(expectedQuery);
}

describe("VAAI notebook in Chromium", () => {
  test("loads with no console error, CSP violation or request to another origin; every figure draws", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    await drawEveryFigure(page);
    for (const name of FIGURES) expect(await page.locator(`figure[data-cell=${name}] svg`).count(), name).toBe(1);
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("full copy: the size slider by keyboard redraws both copy charts, their summaries and the URL; reload restores it", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const before = await figureSummary(page, "copyTimeFigure");
    expect(before).toContain("Copying 40 GB");
    await nudge(page, "copySizeGB", "ArrowRight", "copySizeGB=41");
    await expect.poll(() => figureSummary(page, "copyTimeFigure")).toContain("Copying 41 GB");
    await page.reload();
    await waitForLive(page);
    expect(await page.locator("[data-control=copySizeGB] input[type=range]").inputValue()).toBe("41");
    expect(await figureSummary(page, "copyTimeFigure")).toContain("Copying 41 GB");
    // The array refuses: both bars the same, the headline says why.
    const select = page.locator("[data-control=copyCase] select");
    await select.scrollIntoViewIfNeeded();
    await select.selectOption({ label: "Refuses it: the array has no VAAI support" });
    await expect.poll(() => page.locator("span.value[data-cell=copyHeadline]").first().textContent()).toMatch(/falls back to the FS3DM/);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("locking: more hosts redraw the lock-wait lanes, and more VMs lengthen the reservation storm", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const lanes = page.locator("figure[data-cell=lockTimelineFigure]");
    await figureSummary(page, "lockTimelineFigure");
    const svgBefore = await lanes.locator("svg").innerHTML();
    await nudge(page, "lockHosts", "ArrowRight", "lockHosts=9");
    await expect.poll(() => lanes.locator("svg").innerHTML()).not.toBe(svgBefore);
    expect(await lanes.locator("svg").innerHTML()).toContain("esx-9");
    const before = await figureSummary(page, "stormSweepFigure");
    await nudge(page, "lockVms", "End", "lockVms=1000");
    await expect.poll(() => figureSummary(page, "stormSweepFigure"), { timeout: 20_000 }).not.toBe(before);
    expect(await figureSummary(page, "stormSweepFigure")).toContain("At 1,000 VMs");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("zeroing: turning WRITE SAME off makes both bars equal and says so", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    await figureSummary(page, "zeroingFigure");
    const toggle = page.locator("[data-control=writeSame] input[type=checkbox]");
    await toggle.scrollIntoViewIfNeeded();
    await toggle.focus();
    await page.keyboard.press("Space");
    await expect.poll(() => page.evaluate(() => location.search)).toContain("writeSame=0");
    await expect.poll(() => page.locator("span.value[data-cell=zeroingHeadline]").first().textContent()).toMatch(/Without WRITE SAME support/);
    await nudge(page, "zeroSizeGB", "ArrowRight", "zeroSizeGB=101");
    await expect.poll(() => figureSummary(page, "zeroingFigure")).toMatch(/Creating the disk: ([\d.]+ \w+) without VAAI, \1 with it/);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("thin pool: a faster administrator keeps the VMs from ever being stunned", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url("?addTB=20"));
    await waitForLive(page);
    expect(await figureSummary(page, "vmStateFigure")).toMatch(/at most 0 VMs are stunned/);
    await nudge(page, "addTB", "Home", "addTB=0");
    await expect.poll(() => figureSummary(page, "vmStateFigure")).toMatch(/at most 80 VMs are stunned/);
    expect(await figureSummary(page, "poolFigure")).toMatch(/Without the API the pool is full at/);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  testJunkQuery(env, url, "?lockHosts=999&segmentMB=abc&copyCase=%3Cscript%3E", { lockHosts: "64", segmentMB: "4" }, "999");

  testAxeInBothSchemes(env, url);

  test("at 390 px: chart text is at least 11 px and no chart is wider than the page", async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const page = await context.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    await drawEveryFigure(page);
    const report = await page.evaluate((names) => names.map((name) => {
      const svg = document.querySelector<SVGSVGElement>(`figure[data-cell=${name}] svg`)!;
      const box = svg.getBoundingClientRect();
      const sizes = [...svg.querySelectorAll("text")].filter((t) => t.textContent).map((t) => t.getBoundingClientRect().height > 0 ? parseFloat(getComputedStyle(t).fontSize) * (box.width / svg.viewBox.baseVal.width) : 99);
      const overflow = [...svg.querySelectorAll("text")].filter((t) => { const r = t.getBoundingClientRect(); return r.width > 0 && (r.left < -1 || r.right > innerWidth + 1); }).map((t) => t.textContent);
      return { name, right: box.right, smallest: Math.min(...sizes), overflow };
    }), FIGURES);
    for (const r of report) {
      expect(r.right, r.name).toBeLessThanOrEqual(390);
      expect(r.smallest, r.name).toBeGreaterThanOrEqual(11 - 0.01);
      expect(r.overflow, r.name).toEqual([]);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  test("is readable with JavaScript disabled: every figure as SVG with its summary", async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url());
    expect(await page.locator("h1").textContent()).toBe("VAAI array offloads");
    expect(await page.locator("figure[data-cell] svg").count()).toBe(FIGURES.length);
    expect(await page.locator("figure[data-cell=copyTimeFigure] .figure-summary").textContent()).toMatch(/Copying 40 GB/);
    await context.close();
  });

  test("the embed page of the lock timeline renders it with the given state", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(`${env.site.origin}${env.site.base}embed/vaai/lockTimelineFigure/?lockHosts=4`);
    // The pre-rendered default has 8 hosts; the live figure for this state has 4.
    await expect.poll(() => page.locator("figure[data-cell=lockTimelineFigure] svg").innerHTML()).not.toContain("esx-5");
    expect(await page.locator("figure[data-cell=lockTimelineFigure] svg").innerHTML()).toContain("esx-4");
    expect(watch.errors).toEqual([]);
    await page.close();
  });
});
