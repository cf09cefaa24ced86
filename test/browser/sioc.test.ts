import { describe, expect, test } from "vitest";
import { useSiteAndBrowser, axeViolations, waitForLive, watchPage } from "./harness.ts";

const env = useSiteAndBrowser();
const url = (path = "") => `${env.site.origin}${env.site.base}sioc/${path}`;

describe("SIOC notebook in Chromium", () => {
  test("loads with no console error, CSP violation or request to another origin", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("moving the hosts slider with the keyboard redraws the chart, its summary and the URL; reload restores it", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const figure = page.locator("figure[data-cell=queueFigure]");
    await figure.scrollIntoViewIfNeeded();
    const summaryBefore = await figure.locator(".figure-summary").textContent();
    const svgBefore = await figure.locator("svg").innerHTML();
    const slider = page.locator("[data-control=hosts] input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => page.evaluate(() => location.search)).toBe("?hosts=3");
    await expect.poll(() => figure.locator(".figure-summary").textContent()).not.toBe(summaryBefore);
    expect(await figure.locator(".figure-summary").textContent()).toContain("Host C");
    expect(await figure.locator("svg").innerHTML()).not.toBe(svgBefore);
    expect(await figure.locator(".figure-summary").getAttribute("aria-live")).toBe("polite");
    await page.reload();
    await waitForLive(page);
    expect(await slider.inputValue()).toBe("3");
    expect(await figure.locator(".figure-summary").textContent()).toContain("Host C");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("an input reaches the figure before the next frame begins (notebooks/lib/runtime.ts)", async () => {
    const page = await env.browser.newPage();
    await page.goto(url());
    await waitForLive(page);
    const figure = page.locator("figure[data-cell=queueFigure]");
    await figure.scrollIntoViewIfNeeded();
    const order = await page.evaluate(async () => {
      const figure = document.querySelector("figure[data-cell=queueFigure]")!;
      const slider = document.querySelector<HTMLInputElement>("[data-control=hosts] input[type=range]")!;
      const events: string[] = [];
      // Start between frames, as a key press would.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 2)));
      const observer = new MutationObserver(() => events.push("figure changed"));
      observer.observe(figure, { subtree: true, childList: true, characterData: true, attributes: true });
      requestAnimationFrame(() => events.push("next frame"));
      slider.value = String(Number(slider.value) + 1);
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      observer.disconnect();
      return events;
    });
    expect(order[0]).toBe("figure changed");
    expect(order).toContain("next frame");
    await page.close();
  });

  test("junk and out-of-range URL values are clamped or ignored, with a note", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url("?hosts=999&thresholdMs=abc&storage=%3Cscript%3E"));
    await waitForLive(page);
    expect(await page.locator("[data-control=hosts] input[type=range]").inputValue()).toBe("16");
    expect(await page.locator("[data-control=thresholdMs] input[type=range]").inputValue()).toBe("30");
    await expect.poll(() => page.locator("[data-url-notes]").textContent()).toContain("ESX hosts on the datastore” 999");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("an unsupported datastore gives a sentence instead of a chart", async () => {
    const page = await env.browser.newPage();
    await page.goto(url("?storage=nfs"));
    await waitForLive(page);
    await page.locator("figure[data-cell=queueFigure]").scrollIntoViewIfNeeded();
    const message = page.locator("figure[data-cell=queueFigure] .figure-message");
    await expect.poll(() => message.textContent()).toMatch(/NFS/);
    expect(await page.locator("figure[data-cell=queueFigure] svg").count()).toBe(0);
    await page.close();
  });

  test("axe-core finds no accessibility violations", async () => {
    const page = await env.browser.newPage();
    await page.goto(url());
    await waitForLive(page);
    const violations = await axeViolations(page);
    expect(violations).toEqual([]);
    await page.close();
  });

  test("is readable with JavaScript disabled: prose, figures as SVG, summaries", async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url());
    expect(await page.locator("h1").textContent()).toBe("Storage I/O Control");
    expect(await page.locator("figure[data-cell] svg").count()).toBe(4);
    expect(await page.locator("figure[data-cell=queueFigure] .figure-summary").textContent()).toMatch(/SIOC on/);
    expect(await page.locator(".katex").count()).toBeGreaterThan(0);
    await context.close();
  });

  test("the embed page renders one figure and reports its height to the parent", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    // A stand-in for a blogger's page on the same server (a page elsewhere cannot be served here).
    await page.goto(`${env.site.origin}${env.site.base}`);
    await page.setContent(`<link rel="icon" href="data:,"><iframe data-vsphere-explorable src="${env.site.origin}${env.site.base}embed/sioc/latencyFigure/?thresholdMs=20" height="50"></iframe>`);
    await page.addScriptTag({ url: `${env.site.origin}${env.site.base}embed.js` });
    const frame = page.frameLocator("iframe");
    await expect.poll(() => frame.locator("figure[data-cell=latencyFigure] .figure-summary").textContent()).toContain("20 ms threshold");
    await expect.poll(() => page.locator("iframe").evaluate((f) => f.getBoundingClientRect().height)).toBeGreaterThan(200);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the copy-embed button copies an iframe of that figure with the current state", async () => {
    const context = await env.browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.site.origin });
    const page = await context.newPage();
    await page.goto(url("?hosts=3"));
    await waitForLive(page);
    const button = page.locator("button[data-embed-button=latencyFigure]");
    await button.scrollIntoViewIfNeeded();
    await button.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#figure-latencyFigure ~ .figure-tools [data-embed-status]").textContent()).toBe("Embed code copied.");
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    expect(snippet).toContain(`<iframe src="${env.site.origin}${env.site.base}embed/sioc/latencyFigure/?hosts=3"`);
    expect(snippet).toContain("embed.js");
    await context.close();
  });

  test("the static SVG of a figure is a standalone image", async () => {
    const response = await fetch(`${env.site.origin}${env.site.base}embed/sioc/queueFigure.svg`);
    expect(response.headers.get("content-type")).toContain("image/svg+xml");
    const svg = await response.text();
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain("<style>");
  });
});
