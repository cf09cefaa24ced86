import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { axeViolations, useSiteAndBrowser, waitForLive, watchPage, figureSummary } from "./harness.ts";

const env = useSiteAndBrowser();
const url = (query = "") => `${env.site.origin}${env.site.base}vds/${query}`;
const part = (page: Page, key: string) => page.locator(`figure[data-cell=diagramFigure] [data-vds-toggle=${key}]`);
const query = (page: Page) => page.evaluate(() => location.search);
/** The outcome the page's table shows for a row, on the first host. */
const outcome = (page: Page, label: string) => page.locator("[data-cell=outcomes] tr", { hasText: label }).locator("td").first().getAttribute("data-outcome");

describe("vDS notebook in Chromium", () => {
  test("loads with no console error, CSP violation or request to another origin; the traffic animates", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    expect(await figureSummary(page, "diagramFigure")).toContain("Traffic flows for vcenter, app01, web01");
    expect(await page.locator("figure[data-cell=diagramFigure]").getAttribute("data-state")).toBe("ready");
    // Five failures, each a focusable button with its pressed state, once the page is live.
    expect(await page.locator("figure[data-cell=diagramFigure] [data-vds-toggle][role=button][tabindex='0'][aria-pressed=false]").count()).toBe(5);
    const animation = await page.locator("figure[data-cell=diagramFigure] .vds-flow.flowing line").first().evaluate((l) => getComputedStyle(l).animationName);
    expect(animation).toBe("vds-flow");
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("clicking a part of the diagram breaks it: the toggle, the URL, the summary and the outcomes table follow", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    expect(await outcome(page, "Change the switch configuration")).toBe("ok");
    // The live drawing replaces the build-time one once the figure is in view.
    await figureSummary(page, "diagramFigure");
    await part(page, "vcenterDown").click();
    await expect.poll(() => query(page)).toContain("vcenterDown=1");
    await expect.poll(() => figureSummary(page, "diagramFigure")).toContain("vCenter is down");
    await expect.poll(() => part(page, "vcenterDown").getAttribute("aria-pressed")).toBe("true");
    expect(await page.locator("[data-control=vcenterDown] input").isChecked()).toBe(true);
    await expect.poll(() => outcome(page, "Change the switch configuration")).toBe("no");
    expect(await outcome(page, "Existing VM traffic")).toBe("ok");
    // The net-dvs listing, far below, follows once scrolled to: the host now runs out of sync.
    await page.locator("[data-cell=netDvs]").scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator("[data-cell=netDvs] pre").textContent()).toContain("com.vmware.common.host.volatile.status = red");
    // Storage link: esx01 loses the datastore; powering on a static-port VM there fails.
    await part(page, "dsLost").click();
    await expect.poll(() => outcome(page, "Power on a VM on a static port")).toBe("no");
    // Reload keeps the state from the URL.
    await expect.poll(() => query(page)).toContain("dsLost=1");
    await page.reload();
    await waitForLive(page);
    await figureSummary(page, "diagramFigure");
    expect(await part(page, "dsLost").getAttribute("aria-pressed")).toBe("true");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the failures work from the keyboard: Enter and Space on a focused part, focus stays on it; reduced motion stops the animation", async () => {
    const context = await env.browser.newContext({ reducedMotion: "reduce" });
    const page = await context.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    await figureSummary(page, "diagramFigure");
    expect(await page.locator("figure[data-cell=diagramFigure] .vds-flow.flowing line").first().evaluate((l) => getComputedStyle(l).animationName)).toBe("none");
    await part(page, "reboot").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => part(page, "reboot").getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-vds-toggle"))).toBe("reboot");
    // Rebooting esx01 takes vCenter (its VM runs there) down: the host booted without vCenter.
    await expect.poll(() => figureSummary(page, "diagramFigure")).toContain("esx01 runs its proxy switch from its own dvsData.db");
    await expect.poll(() => outcome(page, "Restart the vCenter VM")).toBe("risk");
    await page.keyboard.press(" ");
    await expect.poll(() => part(page, "reboot").getAttribute("aria-pressed")).toBe("false");
    await expect.poll(() => outcome(page, "Restart the vCenter VM")).toBe("ok");
    // Tab reaches the parts of the picture.
    await part(page, "vcenterDown").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-vds-toggle"))).toBe("mgmtLost");
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  test("the scenario player steps through the vCenter sequence, and the focus outcome and table follow", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const player = page.locator("[data-view=scenarioStep]");
    await player.scrollIntoViewIfNeeded();
    await player.getByRole("button", { name: "Next ▶" }).click();
    await expect.poll(() => player.locator(".vds-player-status").textContent()).toContain("Step 2 of 7");
    await expect.poll(() => page.locator("figure[data-cell=scenarioFigure] .figure-title").textContent()).toContain("step 2 of 7");
    await player.getByRole("button", { name: /^Step 5:/ }).click();
    await expect.poll(() => page.locator("[data-cell=scenarioSteps] .vds-scenario-focus").textContent()).toContain("Connect a new VM to a static portgroup on esx01: ✕ fails");
    await expect.poll(() => figureSummary(page, "scenarioFigure")).toContain("vcenter (its port could not be restored at boot (Invalid Backing))");
    await player.getByRole("button", { name: "Next ▶" }).click();
    await expect.poll(() => page.locator("[data-cell=scenarioSteps] .vds-scenario-focus").textContent()).toContain("ephemeral portgroup on esx01: ✓ works");
    expect(await page.locator("[data-cell=scenarioSteps] li[aria-current=step]").textContent()).toContain("move vCenter's NIC to the ephemeral portgroup");
    // The other scenario: HA while vCenter is down.
    await page.locator("[data-control=scenario] select").selectOption({ label: "HA restarts a VM while vCenter is down" });
    await expect.poll(() => player.locator(".vds-player-status").textContent()).toContain("Step 1 of 4");
    await player.getByRole("button", { name: /^Step 3:/ }).click();
    await expect.poll(() => page.locator("[data-cell=scenarioSteps] .vds-scenario-focus").textContent()).toContain("HA restart onto this host on esx02: ✓* works if…");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`axe finds nothing in ${colorScheme} mode, with failures on and the tables open`, async () => {
      const context = await env.browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(url("?vcenterDown=1&mgmtLost=1"));
      await waitForLive(page);
      await page.locator(".vds-details summary").click();
      for (const name of ["diagramFigure", "scenarioFigure"]) await figureSummary(page, name);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }

  test("at 390 px wide: diagram text at least 11 px, nothing wider than the page", async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const page = await context.newPage();
    await page.goto(url("?reboot=1&dsLost=1"));
    await waitForLive(page);
    for (const name of ["diagramFigure", "scenarioFigure"]) {
      await figureSummary(page, name);
      const sizes = await page.locator(`figure[data-cell=${name}] svg`).evaluate((svg: SVGSVGElement) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const box = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll("text")];
        return {
          minPx: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
          // Every label ends inside the drawing.
          overflow: Math.max(...texts.map((t) => t.getBoundingClientRect().right - box.right)),
        };
      });
      expect(sizes.minPx, name).toBeGreaterThanOrEqual(11);
      expect(sizes.overflow, name).toBeLessThanOrEqual(1);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
    await context.close();
  });
});
