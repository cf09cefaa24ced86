/**
 * Section 4, thin provisioning: a thin array pool under thin VMDKs filling up, with and without the
 * VAAI thin-provisioning primitives. The timeline is src/vaai simulateThin; this file only asks and draws.
 */
import * as vaai from "../../src/vaai/index.ts";
import { cell, figure, text } from "../lib/cells.ts";
import { number } from "../lib/params.ts";
import { formatNumber, lineChart, type LineSeries } from "../lib/chart.ts";
import { hours } from "./format.ts";

const D = vaai.THIN_DEFAULTS;
const GB_PER_TB = 1024;

export const thinParams = {
  poolTB: number({ label: "Physical capacity of the array pool", unit: "TB", min: 1, max: 100, step: 1, value: D.poolGB / GB_PER_TB }),
  usedPct: number({ label: "Pool already used", unit: "%", min: 0, max: 99, step: 1, value: (100 * D.initialUsedGB) / D.poolGB }),
  thinVms: number({ label: "VMs with thin disks on the LUN", unit: "VMs", min: 1, max: 500, step: 1, value: D.vms }),
  overwritePct: number({ label: "VMs that only overwrite their own blocks", unit: "%", min: 0, max: 100, step: 5, value: (100 * D.overwriteOnlyVms) / D.vms }),
  growthGBPerHour: number({ label: "New data per growing VM", unit: "GB/h", min: 0, max: 5, step: 0.1, value: D.growthGBPerHourPerVm, help: "The average; rates spread ±50 % across VMs." }),
  softThresholdPct: number({ label: "Soft threshold (warning)", unit: "% of pool", min: 50, max: 100, step: 1, value: D.softThresholdPct, help: "vCenter warns at 75 % by default; arrays may set their own." }),
  adminResponseH: number({ label: "Time until the administrator adds space after an alert", unit: "h", min: 0, max: 168, step: 1, value: D.adminResponseH as number }),
  addTB: number({ label: "Space added each time", unit: "TB", min: 0, max: 20, step: 0.5, value: D.addGB / GB_PER_TB }),
};

type Thin = { withApi: vaai.ThinResult; without: vaai.ThinResult };

const firstEvent = (r: vaai.ThinResult, kind: vaai.ThinEventKind) => r.events.find((e) => e.kind === kind);

/** A bend smaller than this share of the value is rounding, not a change of rate. */
const STRAIGHT = 1e-9;
/** Points kept at least this often (every 6 h with the default half-hour steps), bend or not. */
const KEEP_EVERY = 12;

/**
 * The points worth drawing: both ends, every point where one of `lines` (sampled at equal time
 * steps) bends, and every KEEP_EVERY-th. Between two bends every line is straight, so the chart
 * looks the same drawn through these as through all of the simulation's steps, and costs a
 * fraction to draw; the regular points keep each line visible to the chart's placement of rule
 * labels, which looks at points, so no label lands on a line.
 */
export function pointsWorthDrawing(lines: ReadonlyArray<readonly number[]>): number[] {
  const n = lines[0]?.length ?? 0;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const bent = (v: readonly number[]) => Math.abs(v[i + 1] - 2 * v[i] + v[i - 1]) > STRAIGHT * Math.max(1, Math.abs(v[i]));
    if (i % KEEP_EVERY === 0 || i === n - 1 || lines.some(bent)) kept.push(i);
  }
  return kept;
}

/** The values of `line` at the kept indices. */
const at = (line: readonly number[], kept: readonly number[]) => kept.map((i) => line[i]);

export const thinCells = [
  cell("thin", ["poolTB", "usedPct", "thinVms", "overwritePct", "growthGBPerHour", "softThresholdPct", "adminResponseH", "addTB"],
    (poolTB: number, usedPct: number, vms: number, overwritePct: number, growth: number, softThresholdPct: number, adminResponseH: number, addTB: number): Thin => {
      const input = {
        poolGB: poolTB * GB_PER_TB, initialUsedGB: (usedPct / 100) * poolTB * GB_PER_TB, vms,
        overwriteOnlyVms: Math.round((overwritePct / 100) * vms), growthGBPerHourPerVm: growth,
        softThresholdPct, adminResponseH, addGB: addTB * GB_PER_TB,
      };
      return { withApi: vaai.simulateThin({ ...input, vaaiTP: true }), without: vaai.simulateThin({ ...input, vaaiTP: false }) };
    }),
  text("thinHeadline", ["thin"], ({ withApi, without }: Thin) => {
    if (without.fullH === null) return `The pool does not fill within the ${formatNumber(D.horizonH)} hours simulated: nobody is stunned and nothing crashes.`;
    const stun = firstEvent(withApi, "stun");
    const errors = firstEvent(without, "write-errors");
    const warn = withApi.warningH === null ? "no warning is raised before" : `the soft-threshold warning comes at ${hours(withApi.warningH)}`;
    const withText = stun
      ? `the pool fills at ${hours(stun.atH)}, ${stun.vms} VMs that need new blocks are stunned (paused) and the others keep running; they resume when space is added`
      : "space is added before the pool fills, so no VM is ever stopped";
    return `Without the thin-provisioning API there is no warning: at ${hours(without.fullH)} the pool is full and ${errors?.vms ?? 0} VMs get write errors and crash. ` +
      `With it, ${warn}; ${withText}.`;
  }),
  figure("poolFigure", ["thin", "softThresholdPct", "document", "width"], ({ withApi, without }: Thin, softThresholdPct: number, doc: Document, width: number) => {
    // In TB, as the controls: GB would need six-digit ticks, too wide for a phone's axis.
    const tb = (gb: number) => gb / GB_PER_TB;
    const usedWith = withApi.series.map((p) => tb(p.usedGB));
    const usedWithout = without.series.map((p) => tb(p.usedGB));
    const capacity = withApi.series.map((p) => tb(p.capacityGB));
    const kept = pointsWorthDrawing([usedWith, usedWithout, capacity]);
    const t = at(withApi.series.map((p) => p.tH), kept);
    const marker = (r: vaai.ThinResult, kind: vaai.ThinEventKind, name: string, colour: number): LineSeries[] => {
      const e = firstEvent(r, kind);
      const top = Math.max(...capacity);
      return e ? [{ name: `${name} (${hours(e.atH)})`, x: [e.atH, e.atH], y: [0, top], colour, dashed: true }] : [];
    };
    const first = withApi.series[0];
    return lineChart(doc, {
      width,
      title: "Thin pool filling up: stunned with the API, crashed without",
      x: { label: "Time (h)" },
      y: { label: "Pool space (TB)" },
      series: [
        { name: "Used, with the API", x: t, y: at(usedWith, kept), colour: 0 },
        { name: "Used, without", x: t, y: at(usedWithout, kept), colour: 2, dashed: true },
        { name: "Capacity, with the API", x: t, y: at(capacity, kept), colour: 3 },
        ...marker(without, "write-errors", "crash without", 2),
        ...marker(withApi, "stun", "stun with", 1),
      ],
      rules: [{ y: (tb(first.capacityGB) * softThresholdPct) / 100, label: `soft threshold ${formatNumber(softThresholdPct)} %` }],
      summary: `Used space starts at ${formatNumber(tb(first.usedGB))} of ${formatNumber(tb(first.capacityGB))} TB. ` +
        (without.fullH === null ? "The pool never fills in the horizon." : `Without the API the pool is full at ${hours(without.fullH)}; ` +
          (withApi.fullH === null ? "with it, space added after the warning keeps it from filling." : `with it, at ${hours(withApi.fullH)}.`)),
      table: {
        caption: "Pool every 12 hours",
        columns: ["Time (h)", "Used with API (TB)", "Capacity with API (TB)", "Used without (TB)", "Capacity without (TB)"],
        rows: withApi.series.filter((p, i) => i % 24 === 0 || i === withApi.series.length - 1)
          .map((p) => { const w = without.series.find((q) => q.tH === p.tH)!; return [p.tH, tb(p.usedGB), tb(p.capacityGB), tb(w.usedGB), tb(w.capacityGB)]; }),
      },
    });
  }),
  figure("vmStateFigure", ["thin", "document", "width"], ({ withApi, without }: Thin, doc: Document, width: number) => {
    const lines = [
      withApi.series.map((p) => p.running), withApi.series.map((p) => p.stunned),
      without.series.map((p) => p.running), without.series.map((p) => p.crashed),
    ];
    const kept = pointsWorthDrawing(lines);
    const t = at(withApi.series.map((p) => p.tH), kept);
    return lineChart(doc, {
      width,
      title: "VMs running, stunned or crashed over time",
      x: { label: "Time (h)" },
      y: { label: "VMs", domain: [0, Math.max(1, withApi.series[0].running) * 1.1] },
      series: [
        { name: "Running, with the API", x: t, y: at(lines[0], kept), colour: 0 },
        { name: "Stunned, with the API", x: t, y: at(lines[1], kept), colour: 1 },
        { name: "Running, without", x: t, y: at(lines[2], kept), colour: 4, dashed: true },
        { name: "Crashed, without", x: t, y: at(lines[3], kept), colour: 2, dashed: true },
      ],
      summary: `With the API at most ${withApi.peakStunned} VMs are stunned at once and none crash; without it ${without.crashed} VMs crash and stay down until restarted and checked.`,
      table: {
        caption: "VM states every 12 hours",
        columns: ["Time (h)", "Running with API", "Stunned with API", "Running without", "Crashed without"],
        rows: withApi.series.filter((p, i) => i % 24 === 0 || i === withApi.series.length - 1)
          .map((p) => { const w = without.series.find((q) => q.tH === p.tH)!; return [p.tH, p.running, p.stunned, w.running, w.crashed]; }),
      },
    });
  }),
];
