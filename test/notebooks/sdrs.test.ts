import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { notebook, params } from "../../notebooks/sdrs/cells.ts";
import { datastoreName } from "../../notebooks/sdrs/farm.ts";
import { nameRanges } from "../../notebooks/sdrs/charts.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { expectFiguresComplete } from "./figures.ts";
import { controlValues } from "./url-arbitrary.ts";

const FIGURES = ["iopsFigure", "latencyFigure", "p90Figure", "siocFigure", "movesFigure", "placementFigure"];

function number(html: string, pattern: RegExp): number {
  const match = html.match(pattern);
  if (!match) throw new Error(`no match for ${pattern} in ${html.slice(0, 400)}`);
  return Number(match[1].replace(/,/g, ""));
}

const { number: anyNumber } = controlValues(params);

describe("Storage DRS notebook, cells run headless", () => {
  test("at defaults: the storm is 17 IOPS per desktop on top of 7.5, every figure drawn with a summary and a table", async () => {
    const cells = await renderStatic(notebook);
    const headline = cells.get("headline")!.html;
    // 1,000 desktops: 7,500 IOPS steady, 17,000 at the peak with every desktop booting (BP1018 mid-range figures).
    expect(number(headline, /rises from ([\d,]+) to/)).toBe(7500);
    expect(number(headline, /to ([\d,]+) IOPS/)).toBe(17000);
    expect(headline).toMatch(/recommends no move for I\/O/);
    expectFiguresComplete(cells, FIGURES);
  });

  test("without the flash cache the storm saturates the disks, yet the day's p90 stays under Storage DRS's threshold", async () => {
    const cells = await renderStatic(notebook, { flashCache: false });
    expect(cells.get("latencyFigure")!.html).toMatch(/cannot keep up for \d+ minutes/);
    const p90 = cells.get("p90Figure")!.html;
    const peak = number(p90, /peaks at ([\d,.]+) ms/);
    const percentile = number(p90, /over the day is ([\d,.]+) ms/);
    expect(peak).toBeGreaterThan(15);
    expect(percentile).toBeLessThan(15);
    expect(p90).toMatch(/sees no I\/O problem/);
  });

  test("a first datastore filled by the servers makes Storage DRS move space, costed with and without VAAI", async () => {
    // ds01: 850 GiB of servers + a 40 GiB image copy on 1,000 GiB = 89 % > 80 %; ds02 nearly empty.
    const cells = await renderStatic(notebook, { capacityGiB: 1000, serverGiB: 850, desktops: 50, datastores: 2, diffDiskGiB: 1 });
    expect(cells.get("movesFigure")!.html).toMatch(/recommends 1 Storage vMotion of 40 GiB in all: ([\d.]+) minutes with VAAI full copy, ([\d.]+) minutes without/);
    const sentence = cells.get("vaaiSentence")!.html;
    expect(sentence).toMatch(/from ds01 to ds02 for space, 89 → 85 %/);
    const withVaai = number(sentence, /\(([\d.]+) s with VAAI/);
    const without = number(sentence, /with VAAI, ([\d.]+) s without/);
    expect(withVaai).toBeLessThan(without);
  });

  test("more desktops than the datastores hold: the page says how many fit nowhere", async () => {
    const cells = await renderStatic(notebook, { desktops: 5000, datastores: 1, capacityGiB: 500, diffDiskGiB: 100 });
    expect(cells.get("unplacedSentence")!.html).toMatch(/^[\d,]+ desktops fit nowhere/);
    for (const name of FIGURES) expect(cells.get(name)!.html, name).not.toMatch(/NaN|undefined|Infinity/);
  });

  test("datastore names in a legend: neighbours as a range, two neighbours and lone ones listed", () => {
    const group = (positions: number[]) => ({ positions, members: positions.map((j) => ({ name: datastoreName(j) })) });
    expect(nameRanges(group([0]))).toBe("ds01");
    expect(nameRanges(group([1, 2, 3, 4, 5, 6]))).toBe("ds02–ds07");
    expect(nameRanges(group([1, 2]))).toBe("ds02, ds03");
    expect(nameRanges(group([1, 3, 4, 5, 8, 9]))).toBe("ds02, ds04–ds06, ds09, ds10");
  });

  /** The morning chart's legend entries, from the static SVG. */
  const legendEntries = (html: string) => [...html.matchAll(/<g class="legend-item"[^>]*>.*?<\/g>/g)].map((m) => m[0].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
  /** "ds02–ds05, ds07" back to its datastore positions (0-based). */
  const positionsOf = (names: string) => names.split(", ").flatMap((part) => {
    const [from, to = from] = part.split("–").map((n) => Number(n.slice(2)) - 1);
    return Array.from({ length: to - from + 1 }, (_, k) => from + k);
  });

  test.prop(
    {
      desktops: anyNumber("desktops"), datastores: anyNumber("datastores"), serverGiB: anyNumber("serverGiB"), capacityGiB: anyNumber("capacityGiB"),
      diffDiskGiB: anyNumber("diffDiskGiB"), spaceThresholdPct: anyNumber("spaceThresholdPct"), ioMetric: fc.boolean(),
    },
    { numRuns: 30 },
  )("each morning chart draws one line per desktop count (at most three), and names every datastore once, with its count", async (values) => {
    const cells = await renderStatic(notebook, values);
    // the placement as the p90 figure's table gives it: one row per datastore, its desktops second
    const rows = [...cells.get("p90Figure")!.html.matchAll(/<tr><td>(ds\d+)<\/td><td class="num">([\d,]+)<\/td>/g)].map((m) => ({ name: m[1], desktops: Number(m[2].replace(/,/g, "")) }));
    expect(rows.length).toBe(values.datastores);
    for (const figure of ["iopsFigure", "latencyFigure"]) {
      const html = cells.get(figure)!.html;
      const entries = legendEntries(html);
      expect(entries.length, figure).toBe(new Set(rows.map((r) => r.desktops)).size);
      expect(entries.length, figure).toBeLessThanOrEqual(3);
      expect((html.match(/<path class="series /g) ?? []).length, figure).toBe(entries.length);
      const named = entries.flatMap((entry) => {
        const [, names, count] = entry.match(/^(.+): ([\d,]+) desktops?(?: each)?$/)!;
        return positionsOf(names).map((j) => ({ name: datastoreName(j), desktops: Number(count.replace(/,/g, "")) }));
      });
      expect(named.sort((a, b) => a.name.localeCompare(b.name)), figure).toEqual(rows);
      // Listed and drawn from the line of the fewest datastores to the most: where lines one
      // desktop apart overlap, the one drawn last (the morning most datastores have) shows.
      const datastoresPerLine = entries.map((entry) => positionsOf(entry.match(/^(.+): /)![1]).length);
      expect(datastoresPerLine, figure).toEqual([...datastoresPerLine].sort((a, b) => a - b));
    }
  }, 120_000);


  test.prop(
    {
      desktops: anyNumber("desktops"), datastores: anyNumber("datastores"), spindles: anyNumber("spindles"),
      diskType: fc.constantFrom("15k", "10k", "sata"), raid: fc.constantFrom("raid5", "raid10"), flashCache: fc.boolean(),
      readHitPct: anyNumber("readHitPct"), writeHitPct: anyNumber("writeHitPct"), bootConcurrencyPct: anyNumber("bootConcurrencyPct"),
      siocThresholdMs: anyNumber("siocThresholdMs"), sdrsLatencyMs: anyNumber("sdrsLatencyMs"), spaceThresholdPct: anyNumber("spaceThresholdPct"),
      ioMetric: fc.boolean(), capacityGiB: anyNumber("capacityGiB"), diffDiskGiB: anyNumber("diffDiskGiB"), serverGiB: anyNumber("serverGiB"),
    },
    { numRuns: 25 },
  )("any combination of the controls gives a figure or a sentence, never NaN", async (values) => {
    const cells = await renderStatic(notebook, values);
    for (const name of FIGURES) {
      const html = cells.get(name)!.html;
      expect(html, `${name} ${JSON.stringify(values)}`).not.toMatch(/NaN|Infinity|undefined/);
    }
    expect(cells.get("headline")!.html).not.toMatch(/NaN|Infinity|undefined/);
  }, 120_000);
});
