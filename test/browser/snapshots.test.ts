import { describe, expect, test } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { useSiteAndBrowser, axeViolations, waitForLive, watchPage, figureSummary } from "./harness.ts";

const env = useSiteAndBrowser();
const url = (path = "") => `${env.site.origin}${env.site.base}snapshots/${path}`;
const samplesDir = join(import.meta.dirname, "../../notebooks/snapshots/samples");

/** A sample folder's files as on disk (README excluded), as the reader would drop them. */
function sampleFiles(id: string): Array<{ name: string; text: string }> {
  return readdirSync(join(samplesDir, id))
    .filter((n) => n !== "README.md")
    .map((name) => ({ name, text: readFileSync(join(samplesDir, id, name), "utf8") }));
}

const summary = figureSummary;

/** The findings' codes, in page order (the list, like the figures, updates once it is in view). */
async function codes(page: Page): Promise<Array<string | undefined>> {
  await page.locator("[data-cell=findingsList]").scrollIntoViewIfNeeded();
  return page.locator("[data-cell=findingsList] li.finding").evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.code));
}

/** An inline sentence's text, once it is in view. */
async function sentence(page: Page, name: string): Promise<string> {
  const slot = page.locator(`[data-cell=${name}]`);
  await slot.scrollIntoViewIfNeeded();
  return (await slot.textContent()) ?? "";
}
const query = (page: Page) => page.evaluate(() => location.search);
const selectedSample = (page: Page) => page.locator("[data-control=sample] select").evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? "");

/** Records which files the page reads (Blob/File methods that touch content), by file name. */
async function spyOnReads(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const reads: string[] = [];
    (window as unknown as { __reads: string[] }).__reads = reads;
    for (const method of ["text", "arrayBuffer", "slice", "stream", "bytes"] as const) {
      const original = (Blob.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
      if (typeof original !== "function") continue;
      (Blob.prototype as unknown as Record<string, unknown>)[method] = function (this: Blob, ...args: unknown[]) {
        reads.push(`${method} ${(this as File).name ?? "(blob)"}`);
        return original.apply(this, args);
      };
    }
  });
}

/** Drops files on the drop zone as a browser would: dragenter, dragover, drop with a DataTransfer. */
async function dropFiles(page: Page, files: Array<{ name: string; text?: string; size?: number }>): Promise<void> {
  await page.locator(".snap-drop").evaluate((zone, list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text ?? new Uint8Array(f.size ?? 0)], f.name));
    for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

/** Requests made from `before` on (the favicon is inline, so even Chromium's refetch of it on a URL change is none). */
const requestsSince = (watch: { requests: string[] }, before: number) => watch.requests.slice(before).filter((u) => !u.startsWith("data:"));

/** Opens the page and scrolls through the figures, so that every part of the page has loaded. */
async function openAndLoad(page: Page, path = ""): Promise<void> {
  await page.goto(url(path));
  await waitForLive(page);
  for (const name of ["treeFigure", "spaceFigure", "lifecycleFigure"]) await summary(page, name);
  await page.locator(".snap-drop").scrollIntoViewIfNeeded();
  await page.waitForLoadState("networkidle");
}

describe("Snapshot notebook in Chromium", () => {
  test("loads with no console error, CSP violation or request to another origin; opens on sample 09", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    expect(await summary(page, "treeFigure")).toContain("mail01-000002.vmdk (orphan, 3 GiB)");
    expect(await summary(page, "lifecycleFigure")).toContain("At step 10 the datastore is full");
    expect((await codes(page)).sort()).toEqual(["NEEDS_CONSOLIDATION", "ORPHAN_DELTA", "VMSD_DISK_NOT_IN_CHAIN"]);
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await page.close();
  });

  test("picking a sample with the keyboard changes the tree, the findings and the URL; reload restores it", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    const tree = page.locator("figure[data-cell=treeFigure]");
    const svgBefore = await tree.locator("svg").innerHTML();
    const select = page.locator("[data-control=sample] select");
    await select.focus();
    // From sample 09 up to 08, then 07 (each key press picks the option above).
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await expect.poll(() => query(page)).toBe("?sample=07-rdm-base");
    await expect.poll(() => summary(page, "treeFigure")).toContain("sql02_1");
    expect(await tree.locator("svg").innerHTML()).not.toBe(svgBefore);
    await expect.poll(() => codes(page)).toEqual(["RDM_BASE"]);
    await expect.poll(() => sentence(page, "folderNote")).toContain("RDM");
    await page.reload();
    await waitForLive(page);
    expect(await selectedSample(page)).toContain("07 · RDM base");
    expect(await summary(page, "treeFigure")).toContain("sql02_1");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("dropping a VM folder's files analyses them with no request at all; data files are named, not read", async () => {
    const page = await env.browser.newPage();
    await spyOnReads(page);
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    const before = watch.requests.length;
    const withBody: string[] = [];
    page.on("request", (r) => {
      if (r.method() !== "GET" || r.postData() !== null) withBody.push(`${r.method()} ${r.url()}`);
    });
    await dropFiles(page, [...sampleFiles("03-broken-cid"), { name: "db01-flat.vmdk", size: 5 * 2 ** 20 }]);
    await expect.poll(() => query(page)).toBe("?sample=own");
    expect(await selectedSample(page)).toBe("My own files (dropped or pasted below)");
    await expect.poll(() => summary(page, "treeFigure")).toContain("The link db01-000001.vmdk → db01.vmdk is broken");
    await expect.poll(() => codes(page)).toEqual(["CID_MISMATCH", "DATA_FILE_NOT_READ"]);
    await expect.poll(() => page.locator(".snap-drop-status").textContent()).toContain("db01-flat.vmdk is a data file (5 MiB); only its name and size are used.");
    expect(await page.locator(".snap-drop-files").textContent()).toContain("db01-flat.vmdk");
    const reads = await page.evaluate(() => (window as unknown as { __reads: string[] }).__reads);
    expect(reads.some((r) => r.endsWith("db01.vmx"))).toBe(true);
    expect(reads.filter((r) => r.includes("db01-flat.vmdk"))).toEqual([]);
    await page.waitForTimeout(300);
    expect(requestsSince(watch, before)).toEqual([]);
    expect(withBody).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("dropping before the analysis code has loaded: the only requests are GETs of the page's own scripts", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    const sent: string[] = [];
    await page.goto(url());
    await waitForLive(page);
    await page.waitForLoadState("networkidle");
    page.on("request", (r) => sent.push(`${r.method()} ${r.url().replace(env.site.origin, "")}${r.postData() === null ? "" : " with a body"}`));
    await page.locator(".snap-drop").scrollIntoViewIfNeeded();
    await dropFiles(page, sampleFiles("09-vmsd-orphan-backup-snapshot"));
    await expect.poll(() => page.locator(".snap-drop-status").textContent()).toContain("Added 6 files.");
    await expect.poll(() => summary(page, "treeFigure")).toContain("mail01-000002.vmdk (orphan, 3 GiB)");
    expect(sent.filter((r) => !/^GET \/_astro\/[\w.-]+\.js$/.test(r) && !r.startsWith("GET data:"))).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("on arrival neither the model's parsers, the samples nor the lifecycle code is loaded; each comes when a figure it feeds is seen", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    const loaded = () => watch.requests.map((u) => /\/_astro\/(analysis|samples|lifecycle)\.[\w-]+\.js$/.exec(u)?.[1]).filter((n) => n !== undefined).sort();
    await page.goto(url());
    await waitForLive(page);
    await page.waitForLoadState("networkidle");
    expect(await page.locator("figure[data-cell=treeFigure]").evaluate((f) => f.getBoundingClientRect().top > innerHeight)).toBe(true);
    expect(loaded()).toEqual([]);
    await page.locator("figure[data-cell=treeFigure]").scrollIntoViewIfNeeded();
    await expect.poll(loaded).toEqual(["analysis", "samples"]);
    await page.locator("figure[data-cell=lifecycleFigure]").scrollIntoViewIfNeeded();
    await expect.poll(loaded).toEqual(["analysis", "lifecycle", "samples"]);
    expect(await summary(page, "lifecycleFigure")).toContain("At step 10 the datastore is full");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the tree figure's embed page draws the default sample", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(`${env.site.origin}${env.site.base}embed/snapshots/treeFigure/?sample=03-broken-cid`);
    await waitForLive(page);
    await expect.poll(() => page.locator("figure[data-cell=treeFigure] .figure-summary").textContent()).toContain("db01-000001.vmdk → db01.vmdk is broken");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the file picker takes the files of a sample folder from disk (setInputFiles), with no request", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    const before = watch.requests.length;
    const dir = join(samplesDir, "02-branched-tree");
    await page.locator("#snap-files").setInputFiles(readdirSync(dir).filter((n) => n !== "README.md").map((n) => join(dir, n)));
    await expect.poll(() => query(page)).toBe("?sample=own");
    await expect.poll(() => summary(page, "treeFigure")).toContain("web01-000001.vmdk (other branch, 2.11 GiB)");
    await expect.poll(() => codes(page)).toEqual(["BRANCHES"]);
    expect(await page.locator(".snap-drop-status").textContent()).toContain("7 files: 7 read, 0 named only");
    expect(requestsSince(watch, before)).toEqual([]);
    // Removing a file is a keyboard-operable button; removing the .vmx changes the analysis.
    await page.locator(".snap-drop-files button[aria-label='Remove web01.vmx']").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".snap-drop-status").textContent()).toContain("Removed web01.vmx.");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the folder picker takes a whole VM folder (webkitdirectory)", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    const before = watch.requests.length;
    await page.locator("#snap-folder").setInputFiles(join(samplesDir, "05-independent-persistent"));
    await expect.poll(() => query(page)).toBe("?sample=own");
    // README.md comes along with the folder: it is named, not used.
    await expect.poll(() => page.locator(".snap-drop-status").textContent()).toContain("README.md is not a file the snapshot model uses.");
    await expect.poll(async () => (await codes(page)).sort()).toEqual(["INDEPENDENT_DISK", "NOT_USED"]);
    expect(requestsSince(watch, before)).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("choosing a second VM's files replaces the first; 'Add to these files' keeps both", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    const files = (id: string) => readdirSync(join(samplesDir, id)).filter((n) => n !== "README.md").map((n) => join(samplesDir, id, n));
    const names = () => page.locator(".snap-drop-files .snap-file-name").allTextContents();
    await page.locator("#snap-files").setInputFiles(files("02-branched-tree"));
    await expect.poll(names).toContain("web01.vmx");
    await page.locator("#snap-files").setInputFiles(files("05-independent-persistent"));
    await expect.poll(() => page.locator(".snap-drop-status").textContent()).toContain("They replace the 7 files chosen before.");
    expect((await names()).some((n) => n.startsWith("web01"))).toBe(false);
    await expect.poll(async () => (await codes(page)).sort()).toEqual(["INDEPENDENT_DISK"]);
    // with the box ticked (by keyboard), the next files are added to these
    await page.locator("#snap-add-more").focus();
    await page.keyboard.press("Space");
    await page.locator("#snap-files").setInputFiles(files("02-branched-tree"));
    await expect.poll(names).toContain("web01.vmx");
    expect((await names()).length).toBeGreaterThan(7);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("a single-file sparse disk's embedded descriptor is read from its header region only", async () => {
    const page = await env.browser.newPage();
    await spyOnReads(page);
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    const bytes = Buffer.alloc(256 * 1024);
    bytes.write("KDMV", 0, "latin1");
    bytes.writeUInt32LE(1, 28);
    bytes.writeUInt32LE(20, 36);
    bytes.write('# Disk DescriptorFile\nversion=1\nCID=dc80b6c7\nparentCID=ffffffff\ncreateType="monolithicSparse"\n\n# Extent description\nRW 8192 SPARSE "ext2.vmdk"\n', 512, "utf8");
    await page.locator("#snap-files").setInputFiles([{ name: "ext2.vmdk", mimeType: "application/octet-stream", buffer: bytes }]);
    await expect.poll(() => page.locator(".snap-drop-files").textContent()).toContain("its embedded descriptor read");
    await expect.poll(() => summary(page, "treeFigure")).toContain("ext2.vmdk");
    const reads = await page.evaluate(() => (window as unknown as { __reads: string[] }).__reads);
    expect(reads.filter((r) => r.includes("ext2.vmdk") && r.startsWith("text"))).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("a big fake data file and a binary descriptor are named and refused, not read", async () => {
    const page = await env.browser.newPage();
    await spyOnReads(page);
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    await page.locator("#snap-files").setInputFiles([
      { name: "app01-flat.vmdk", mimeType: "application/octet-stream", buffer: Buffer.alloc(5 * 2 ** 20, 1) },
      { name: "app01.vmdk", mimeType: "application/octet-stream", buffer: Buffer.from([75, 68, 77, 86, 1, 0, 0, 0, 3, 0]) },
    ]);
    const status = page.locator(".snap-drop-status");
    await expect.poll(() => status.textContent()).toContain("app01-flat.vmdk is a data file (5 MiB); only its name and size are used.");
    expect(await status.textContent()).toContain("app01.vmdk is a binary file");
    const reads = await page.evaluate(() => (window as unknown as { __reads: string[] }).__reads);
    expect(reads.filter((r) => r.includes("app01-flat.vmdk"))).toEqual([]);
    // The binary descriptor: only its first KiB is looked at (for NUL bytes), never read as text.
    expect(reads.filter((r) => r.includes("app01.vmdk") && r.startsWith("text"))).toEqual([]);
    await expect.poll(() => codes(page)).toContain("BINARY_FILE");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the paste box, by keyboard: a pasted descriptor is named from its text and analysed", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await openAndLoad(page);
    const before = watch.requests.length;
    const descriptor = sampleFiles("10-needs-consolidation").find((f) => f.name === "dc01-000001.vmdk")!.text;
    await page.locator("#snap-paste").fill(descriptor);
    await page.locator("button", { hasText: "Add the pasted text" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".snap-drop-status").textContent()).toContain("Added the pasted text as dc01-000001.vmdk.");
    await expect.poll(() => query(page)).toBe("?sample=own");
    // Only the delta was pasted: its parent is missing.
    await expect.poll(() => codes(page)).toContain("MISSING_PARENT");
    await expect.poll(() => summary(page, "treeFigure")).toContain("dc01-000001.vmdk");
    expect(requestsSince(watch, before)).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the lifecycle slider, by keyboard, updates the chart, its sentence and the URL", async () => {
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.site.origin);
    await page.goto(url());
    await waitForLive(page);
    const before = await summary(page, "lifecycleFigure");
    expect(before).toContain("cannot run in place");
    const slider = page.locator("[data-control=lcOtherGB] input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => query(page)).toBe("?lcOtherGB=230");
    await expect.poll(() => summary(page, "lifecycleFigure")).not.toContain("cannot run in place");
    await expect.poll(() => sentence(page, "lifecycleVerdict")).toMatch(/^Delete All ran/);
    expect(await page.locator("figure[data-cell=lifecycleFigure] .figure-summary").getAttribute("aria-live")).toBe("polite");
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  test("the free-space slider moves the space figure and raises NOT_ENOUGH_SPACE when the commit no longer fits", async () => {
    const page = await env.browser.newPage();
    await page.goto(url("?sample=06-thin-base&freeGB=36"));
    await waitForLive(page);
    expect(await summary(page, "spaceFigure")).toContain("36 GiB free: enough");
    const slider = page.locator("[data-control=freeGB] input[type=range]");
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => query(page)).toContain("freeGB=35");
    await expect.poll(() => summary(page, "spaceFigure")).toContain("35 GiB free: not enough");
    await expect.poll(() => codes(page)).toEqual(["NOT_ENOUGH_SPACE"]);
    await page.close();
  });

  test("axe-core finds no accessibility violations, before and after files are dropped", async () => {
    const page = await env.browser.newPage();
    await openAndLoad(page);
    expect(await axeViolations(page)).toEqual([]);
    await dropFiles(page, sampleFiles("04-missing-parent"));
    await expect.poll(() => codes(page)).toContain("MISSING_PARENT");
    await summary(page, "treeFigure");
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  test("is readable with JavaScript disabled: prose, the three figures, findings and the drop zone's note", async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url());
    expect(await page.locator("h1").textContent()).toBe("Snapshot chains");
    expect(await page.locator("figure[data-cell] svg").count()).toBe(3);
    expect(await page.locator("figure[data-cell=treeFigure] .figure-summary").textContent()).toContain("mail01-000002.vmdk (orphan, 3 GiB)");
    expect(await page.locator("[data-cell=findingsList] li.finding").count()).toBe(3);
    expect(await page.locator("[data-view=dropped]").textContent()).toContain("needs JavaScript");
    expect(await page.locator(".katex").count()).toBeGreaterThan(0);
    await context.close();
  });
});
