import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { axeViolations, useSiteAndBrowser, waitForLive, watchPage, figureSummary } from "./harness.ts";
import { params } from "../../notebooks/evc/cells.ts";
import { CPUINFO_LINES } from "../models/evc/reference/cpuinfo-lines.ts";

const env = useSiteAndBrowser();

const url = (path = "") => `${env.site.origin}${env.site.base}evc/${path}`;
const label = (id: string) => params.hosts.options.find((o) => o.value === id)!.label;
const hostsInUrl = (page: Page) => page.evaluate(() => new URLSearchParams(location.search).get("hosts"));

const summary = figureSummary;

describe("EVC notebook in Chromium", () => {
  test("loads on the source's cluster with no console error, CSP violation or request to another origin", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    expect(await page.locator("[data-cell=headline]").textContent()).toContain("Three powered-on VMs on esx02, vCenter Server among them");
    expect(await page.locator("[data-control=hosts] select option").count()).toBeGreaterThanOrEqual(60);
    for (const name of ["baselineFigure", "featureFigure", "vmotionFigure", "planFigure", "catch22Figure"]) expect((await summary(page, name)).length, name).toBeGreaterThan(20);
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("picking CPUs in the listbox changes the baseline figure, its summary and the URL; reload restores them", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const figure = page.locator("figure[data-cell=baselineFigure]");
    const before = await summary(page, "baselineFigure");
    const svgBefore = await figure.locator("svg").innerHTML();
    expect(before).toContain('Intel "Merom" Generation (L0)');
    await page.locator("[data-control=hosts] select").selectOption([{ label: label("intel-xeon-x7460") }, { label: label("intel-xeon-x5570") }]);
    await expect.poll(() => hostsInUrl(page)).toBe("intel-xeon-x7460,intel-xeon-x5570");
    await expect.poll(() => summary(page, "baselineFigure")).toContain('Highest common EVC baseline: Intel "Penryn" Generation (L1)');
    expect(await figure.locator("svg").innerHTML()).not.toBe(svgBefore);
    expect(await figure.locator(".figure-summary").getAttribute("aria-live")).toBe("polite");
    await page.reload();
    await waitForLive(page);
    expect(await summary(page, "baselineFigure")).toContain('Intel "Penryn" Generation (L1)');
    const selected = await page.locator("[data-control=hosts] select").evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.textContent));
    expect(selected).toEqual([label("intel-xeon-x7460"), label("intel-xeon-x5570")]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the listbox works from the keyboard: an arrow picks one CPU, Ctrl+arrows and Ctrl+Space add another", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const listbox = page.locator("[data-control=hosts] select");
    await listbox.focus();
    // From the first selected CPU (the X7350), ArrowDown selects only the next one in the list.
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => hostsInUrl(page)).toBe("intel-xeon-e7340");
    await expect.poll(() => summary(page, "baselineFigure")).toContain('Highest common EVC baseline: Intel "Merom" Generation');
    await listbox.focus();
    await page.keyboard.press("Control+ArrowDown");
    await page.keyboard.press("Control+ArrowDown");
    await page.keyboard.press("Control+Space");
    await expect.poll(() => hostsInUrl(page)).toBe("intel-xeon-e7340,intel-xeon-x5460");
    await expect.poll(() => summary(page, "featureFigure")).toContain("esx02 X5460 loses one flag (sse4_1)");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the text filter narrows the list, and a host added by microarchitecture from another vendor gives the mixed-vendor sentence", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    await page.getByLabel("Filter the CPU list").fill("dunnington");
    const visible = () => page.locator("[data-control=hosts] option").evaluateAll((options) => (options as HTMLOptionElement[]).filter((o) => !o.hidden).map((o) => o.textContent!.split(" (")[0]));
    // The two Dunnington parts match; the picked 7350 stays listed so it can be unpicked.
    await expect.poll(visible).toEqual(["Intel Xeon X7350", "Intel Xeon X7460", "Intel Xeon E7450"]);
    expect(await page.locator(".evc-picker-status").textContent()).toContain("2 of 65 CPUs match");
    await page.getByLabel("Pick by microarchitecture").selectOption({ label: "AMD Zen 2 (Rome) (2019, two CPUs)" });
    await page.getByRole("button", { name: "Add a host of this generation" }).click();
    await expect.poll(() => hostsInUrl(page)).toBe("intel-xeon-x7350,intel-xeon-x7460,amd-epyc-7742");
    const message = page.locator("figure[data-cell=baselineFigure] .figure-message");
    await page.locator("figure[data-cell=baselineFigure]").scrollIntoViewIfNeeded();
    await expect.poll(() => message.textContent()).toContain("No EVC baseline: the hosts mix Intel (esx01, esx02) and AMD (esx03) CPUs.");
    expect(await page.locator("figure[data-cell=baselineFigure] svg").count()).toBe(0);
    expect(await page.locator("[data-cell=headline]").textContent()).toContain("the hosts mix Intel");
    await page.getByRole("button", { name: "Back to the source's two hosts" }).click();
    await expect.poll(() => hostsInUrl(page)).toBeNull();
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the planner follows its controls from the keyboard: fewer VMs, another target mode, the URL", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    expect(await summary(page, "planFigure")).toContain("Three powered-on VMs block enabling");
    const slider = page.locator("[data-control=vmsPerHost] input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => page.evaluate(() => location.search)).toBe("?vmsPerHost=2");
    await expect.poll(() => summary(page, "planFigure")).toContain("Two powered-on VMs block enabling");
    const target = page.locator("[data-control=target] select");
    await target.focus();
    await page.keyboard.press("ArrowDown"); // the first explicit mode after "highest": L0 Merom
    await page.keyboard.press("ArrowDown"); // L1 Penryn, which the X7350 host cannot run
    await expect.poll(() => page.evaluate(() => new URLSearchParams(location.search).get("target"))).toBe("intel-penryn");
    await expect.poll(() => page.locator("[data-cell=planList]").textContent()).toContain('Host esx01 cannot run Intel "Penryn" Generation: its CPU lacks sse4_1');
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the catch-22 section's code is fetched when the reader scrolls to it, not with the page", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname.split("/").pop()!);
    });
    await page.goto(url());
    await waitForLive(page);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    expect(scripts.filter((s) => s.startsWith("catch22."))).toEqual([]);
    expect(await summary(page, "catch22Figure")).toContain("Enabling EVC in place is refused");
    expect(scripts.filter((s) => s.startsWith("catch22."))).toHaveLength(1);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the catch-22 stepper works by keyboard: each step redraws the clusters, marks the step and ends with EVC on", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    expect(await summary(page, "catch22Figure")).toContain("Enabling EVC in place is refused: ActiveVMsBlockingEVC");
    const next = page.getByRole("button", { name: "Next step" });
    await next.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => summary(page, "catch22Figure")).toContain('After step 1 of 12: Step 1: created an empty cluster with EVC mode Intel "Merom" Generation');
    // The step list, like the figure, is drawn when it is in view.
    await page.locator("[data-cell=catch22Steps]").scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator(".evc-step[aria-current=step]").textContent()).toContain("Create a new, empty cluster with EVC on");
    await next.focus();
    await page.keyboard.press("Space");
    await expect.poll(() => summary(page, "catch22Figure")).toContain("After step 2 of 12: Step 2: moved esx01 into the EVC cluster.");
    // Back, by keyboard too.
    await page.getByRole("button", { name: "Back", exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => summary(page, "catch22Figure")).toContain("After step 1 of 12");
    for (let i = 1; i < 12; i++) {
      await next.focus();
      await page.keyboard.press("Enter");
    }
    await expect.poll(() => summary(page, "catch22Figure")).toContain('Done: EVC at Intel "Merom" Generation is on for every host, and vCenter runs on esx01 with the mode\'s feature set.');
    expect(await page.locator(".evc-stepper-status").textContent()).toBe("All 12 steps taken.");
    await page.locator("[data-cell=catch22Steps]").scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator(".evc-step.done").count()).toBe(12);
    expect(await axeViolations(page)).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("axe-core finds no accessibility violations on the page as loaded", async () => {
    const page = await env.browser.newPage();
    await page.goto(url());
    await waitForLive(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  test("junk in the URL is ignored with a note, and the page still draws the source's cluster", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url("?hosts=%3Cimg%20src=x%3E&target=nope&vmsPerHost=-5"));
    await waitForLive(page);
    await expect.poll(() => page.locator("[data-url-notes]").textContent()).toContain("Ignored");
    expect(await page.locator("[data-control=vmsPerHost] input[type=range]").inputValue()).toBe("0");
    expect(await summary(page, "baselineFigure")).toContain("Merom");
    expect(await page.locator("img[src=x]").count()).toBe(0);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("is readable with JavaScript disabled: the question, every figure as SVG with its summary, the whole procedure", async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url());
    expect(await page.locator("h1").textContent()).toBe("EVC: CPU baselines and the vCenter catch-22");
    expect(await page.locator("article").textContent()).toContain("failed with a CPU mismatch on SSE4.1");
    expect(await page.locator("figure[data-cell] svg").count()).toBe(5);
    expect(await page.locator("figure[data-cell=featureFigure] .figure-summary").textContent()).toContain("esx02 X7460 loses one flag (sse4_1)");
    expect(await page.locator("[data-control=hosts] .control-static").textContent()).toContain("Intel Xeon X7350");
    await page.locator("[data-cell=catch22Steps]").scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator(".evc-step.done").count()).toBe(12);
    expect(await page.locator(".evc-table .conf-low").count()).toBeGreaterThan(0);
    await context.close();
  });
  test("?hosts= keeps repeats and order: three hosts, two of the same CPU, survive a change of another control", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url("?hosts=intel-xeon-x7460,intel-xeon-x7350,intel-xeon-x7460"));
    await waitForLive(page);
    const columns = () => page.locator("figure[data-cell=baselineFigure] svg .m-column-labels text").allTextContents();
    await page.locator("figure[data-cell=baselineFigure]").scrollIntoViewIfNeeded();
    await expect.poll(columns).toEqual(expect.arrayContaining(["esx01 X7460", "esx02 X7350", "esx03 X7460"]));
    const slider = page.locator("[data-control=vmsPerHost] input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => page.evaluate(() => location.search)).toContain("vmsPerHost=2");
    expect(await hostsInUrl(page)).toBe("intel-xeon-x7460,intel-xeon-x7350,intel-xeon-x7460");
    expect(await columns()).toEqual(expect.arrayContaining(["esx01 X7460", "esx02 X7350", "esx03 X7460"]));
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("pasting real flag lines names each host's mode and the cluster's; junk gets a sentence; nothing goes into the URL", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const box = page.locator("#evc-paste");
    await box.scrollIntoViewIfNeeded();
    const haswell = CPUINFO_LINES.find((f) => f.generation === "Haswell-EP")!.line;
    const westmere = CPUINFO_LINES.find((f) => f.generation === "Westmere-EP")!.line;
    await box.fill(`${haswell}\n${westmere}`);
    const result = page.locator("[data-cell=pasteFindings]");
    await expect.poll(() => result.textContent()).toContain("Together, these two hosts can run EVC up to Intel Westmere (L3).");
    expect(await result.textContent()).toContain("Host 1 (Intel, ");
    expect(await result.textContent()).toContain("highest mode on its own: Intel Haswell (L6)");
    expect(await result.textContent()).toMatch(/Host 2 \(Intel, \d+ compared flags\): highest mode on its own: Intel Westmere \(L3\); its VMs would lose two flags under the cluster's mode: pcid and rdtscp\./);
    await box.fill("hello <b>world</b>");
    await expect.poll(() => result.textContent()).toContain("not recognised as CPU flags and left out: “hello” and “<b>world</b>”.");
    expect(await page.locator("[data-cell=pasteFindings] b").count()).toBe(0);
    expect(await page.evaluate(() => location.search)).toBe("");
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`axe-core at phone width (390 px) in ${colorScheme} mode, with a paste shown`, async () => {
      const context = await env.browser.newContext({ colorScheme, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(url());
      await waitForLive(page);
      await page.locator("#evc-paste").fill(CPUINFO_LINES[0].line);
      await expect.poll(() => page.locator("[data-cell=pasteFindings]").textContent()).toContain("Intel Westmere");
      await page.locator("[data-cell=catch22Steps]").scrollIntoViewIfNeeded();
      await expect.poll(() => page.locator(".evc-step").count()).toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    }, 60_000);
  }

  test("at 390 px the catch-22 diagram's text is at least 11 px and no label runs outside the drawing", async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(url());
    await waitForLive(page);
    const figure = page.locator("figure[data-cell=catch22Figure]");
    await figure.scrollIntoViewIfNeeded();
    // The page ships a drawing made at build time for readers without JS; wait for the live one, drawn for
    // this width, to replace it, and give a slow machine time to redraw it before judging the final state.
    await expect.poll(() => figure.getAttribute("data-state")).toBe("ready");
    await expect.poll(() => figure.locator("svg text").count()).toBeGreaterThan(5);
    const problems = () => figure.evaluate((fig) => {
      const svg = fig.querySelector("svg")!;
      const box = svg.getBoundingClientRect();
      const scale = box.width / svg.viewBox.baseVal.width;
      const out: string[] = [];
      for (const t of svg.querySelectorAll("text")) {
        if (!t.textContent) continue;
        const size = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (size < 11) out.push(`${t.textContent}: ${size.toFixed(1)} px`);
        const r = t.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(`${t.textContent}: outside (${r.left.toFixed(0)}-${r.right.toFixed(0)} of ${box.left.toFixed(0)}-${box.right.toFixed(0)})`);
      }
      if (box.right > document.documentElement.clientWidth + 0.5) out.push(`the drawing is wider than the page (${box.right})`);
      return out;
    });
    await expect.poll(problems, { timeout: 10_000 }).toEqual([]);
    await context.close();
  });
});
