/**
 * Unused JavaScript at page load, measured the way Lighthouse's "Reduce unused JavaScript" audit
 * measures it (core/audits/byte-efficiency/unused-javascript.js): per script, the bytes no code
 * path ran during load, scaled to the script's transfer (gzip) size; the audit lists a script only
 * when more than 20 KiB of its transfer is unused. Chromium's precise coverage gives the ranges:
 * each function's first range is the whole function and later ranges are blocks nested in it, so
 * the innermost range decides whether a byte ran.
 */
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import type { BenchRow } from "./types.ts";
import { waitForLive, type Site } from "../browser/harness.ts";

/** Lighthouse's UNUSED_BYTES_IGNORE_THRESHOLD: a script with less unused transfer is not listed. */
export const UNUSED_JS_BUDGET_KB = 20;

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}

/**
 * Bytes of `length` that no executed range covers. Ranges nest, so applying them outermost first (by
 * start, then the longer first) lets each inner range overwrite the verdict of the ones around it.
 */
export function unusedBytes(length: number, functions: ReadonlyArray<{ ranges: readonly CoverageRange[] }>): number {
  const ranges = functions.flatMap((fn) => fn.ranges).sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  const ran = new Uint8Array(length);
  for (const range of ranges) ran.fill(range.count > 0 ? 1 : 0, range.startOffset, Math.min(length, range.endOffset));
  let unused = 0;
  for (const byte of ran) if (byte === 0) unused++;
  return unused;
}

export async function benchUnusedJs(browser: Browser, site: Site, notebook: string): Promise<BenchRow[]> {
  const page = await browser.newPage();
  try {
    await page.coverage.startJSCoverage({ resetOnNavigation: false });
    await page.goto(`${site.origin}${site.base}${notebook}/`);
    await waitForLive(page);
    const scripts = (await page.coverage.stopJSCoverage()).filter((s) => s.url.startsWith(site.origin) && s.source);
    let worst = { name: "", unusedKB: 0 };
    let totalKB = 0;
    for (const script of scripts) {
      const source = script.source!;
      const share = unusedBytes(source.length, script.functions) / source.length;
      const unusedKB = (share * gzipSync(source, { level: 9 }).length) / 1024;
      totalKB += unusedKB;
      if (unusedKB > worst.unusedKB) worst = { name: script.url.split("/").pop()!.replace(/\.[\w-]+\.js$/, ".js"), unusedKB };
    }
    return [
      {
        name: `${notebook}: unused JS at load, the largest in one script (${worst.name || "none"}), gzip bytes as Lighthouse counts them`,
        value: Number(worst.unusedKB.toFixed(1)),
        unit: "KiB",
        budget: `<= ${UNUSED_JS_BUDGET_KB} KiB (Lighthouse lists a script above this)`,
        pass: worst.unusedKB <= UNUSED_JS_BUDGET_KB,
      },
      { name: `${notebook}: unused JS at load, all scripts together (gzip)`, value: Number(totalKB.toFixed(1)), unit: "KiB", budget: "(reported)", pass: true },
    ];
  } finally {
    await page.close();
  }
}
