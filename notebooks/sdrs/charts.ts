/**
 * The Storage DRS notebook's figures, each from model results only: the morning's IOPS and
 * latency per datastore, what Storage DRS sees of it, SIOC at the peak, the recommended moves and
 * the placement of the desktops. Built on the shared chart helpers (notebooks/lib/chart.ts).
 */
import type * as sdrs from "../../src/sdrs/index.ts";
import type * as vdi from "../../src/vdi/index.ts";
import { barChart, formatNumber, lineChart, plural, type ChartView } from "../lib/chart.ts";

/** The window the morning charts show: 07:30 to 10:30. */
export const MORNING = { fromMin: 450, toMin: 630 } as const;

const clock = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(Math.round(minute % 60)).padStart(2, "0")}`;

/** The morning's minutes as hours of the day: every morning line's x values. */
const MORNING_HOURS: readonly number[] = Array.from({ length: MORNING.toMin - MORNING.fromMin }, (_, k) => (MORNING.fromMin + k) / 60);

/** Datastores that carry as many desktops, in datastore order, with their positions in the storm. */
interface DesktopCountGroup {
  desktops: number;
  members: vdi.DatastoreDay[];
  positions: number[];
}

/**
 * The storm's datastores grouped by desktop count. Every datastore of the farm has the same array
 * (farmStorm), so datastores with as many desktops have the very same day: drawn one line each,
 * they would lie on top of each other and only the last one drawn would show, under a legend
 * naming them all. Placement leaves at most three counts (the first datastore holds the servers,
 * the others, alike, differ by one desktop at most), so one line per count shows every datastore.
 */
export function desktopCountGroups(storm: vdi.StormResult): DesktopCountGroup[] {
  const groups = new Map<number, DesktopCountGroup>();
  storm.datastores.forEach((d, position) => {
    const group = groups.get(d.desktops);
    if (group) {
      group.members.push(d);
      group.positions.push(position);
    } else {
      groups.set(d.desktops, { desktops: d.desktops, members: [d], positions: [position] });
    }
  });
  return [...groups.values()];
}

/** Names as a reader lists them: neighbours in datastore order as a range, "ds02–ds07, ds09". */
export function nameRanges(group: { members: ReadonlyArray<{ name: string }>; positions: readonly number[] }): string {
  const parts: string[] = [];
  let from = 0;
  for (let k = 1; k <= group.positions.length; k++) {
    if (k < group.positions.length && group.positions[k] === group.positions[k - 1] + 1) continue;
    const first = group.members[from].name;
    const last = group.members[k - 1].name;
    parts.push(k - 1 === from ? first : k - 1 === from + 1 ? `${first}, ${last}` : `${first}–${last}`);
    from = k;
  }
  return parts.join(", ");
}

const groupName = (g: DesktopCountGroup) => `${nameRanges(g)}: ${plural(g.desktops, "desktop", "desktops")}${g.members.length > 1 ? " each" : ""}`;

/**
 * One line per group, its colour by datastore order. Lines one desktop apart lie on top of each
 * other and the last drawn shows: the groups with more datastores are drawn last, so the morning
 * most datastores have is the one seen.
 */
function morningSeries(groups: readonly DesktopCountGroup[], pick: (d: vdi.DatastoreDay) => number[]) {
  return groups
    .map((group, colour) => ({ group, colour }))
    .sort((a, b) => a.group.members.length - b.group.members.length)
    .map(({ group, colour }) => ({ name: groupName(group), x: MORNING_HOURS, y: pick(group.members[0]).slice(MORNING.fromMin, MORNING.toMin), colour }));
}

function morningTable(storm: vdi.StormResult, caption: string, unit: string, pick: (d: vdi.DatastoreDay) => number[]) {
  const rows: Array<Array<string | number>> = [];
  for (let m = MORNING.fromMin; m < MORNING.toMin; m += 5) rows.push([clock(m), ...storm.datastores.map((d) => Math.round(pick(d)[m] * 10) / 10)]);
  return { caption, columns: ["Time", ...storm.datastores.map((d) => `${d.name} (${unit})`)], rows };
}

/** Said in a morning chart's summary: how its lines stand for the datastores. */
function linesNote(groups: readonly DesktopCountGroup[]): string {
  const shared = groups.some((g) => g.members.length > 1) ? " Datastores with as many desktops have the same morning and share a line." : "";
  const close = groups.some((a) => groups.some((b) => b.desktops === a.desktops + 1)) ? " Lines one desktop apart lie on top of each other." : "";
  return shared + close;
}

export function iopsFigure(doc: Document, width: number, storm: vdi.StormResult): ChartView {
  const busiest = storm.datastores.reduce((a, b) => (b.peakFrontIops > a.peakFrontIops ? b : a));
  const steady = storm.totalFrontIops[MORNING.fromMin];
  const groups = desktopCountGroups(storm);
  return lineChart(doc, {
    width,
    title: "Front-end IOPS per datastore, 07:30–10:30",
    x: { label: "Time of day (h)", domain: [MORNING.fromMin / 60, MORNING.toMin / 60] },
    y: { label: "Front-end IOPS" },
    series: morningSeries(groups, (d) => d.frontIops),
    summary: `The farm runs at ${formatNumber(steady)} IOPS before 8:00 and peaks at ${formatNumber(storm.totalFrontIopsPeak)} IOPS during the boot storm; ` +
      `the busiest datastore, ${busiest.name} with ${plural(busiest.desktops, "desktop", "desktops")}, peaks at ${formatNumber(busiest.peakFrontIops)} IOPS.${linesNote(groups)}`,
    table: morningTable(storm, "Front-end IOPS every 5 minutes", "IOPS", (d) => d.frontIops),
  });
}

export function latencyFigure(doc: Document, width: number, storm: vdi.StormResult, siocThresholdMs: number, sdrsThresholdMs: number): ChartView {
  const worst = storm.datastores.reduce((a, b) => (b.peakLatencyMs > a.peakLatencyMs ? b : a));
  const saturated = worst.saturatedMinutes > 0
    ? ` Its disks cannot keep up for ${plural(worst.saturatedMinutes, "minute", "minutes")}: I/Os queue until the storm has passed.`
    : " The disks keep up throughout.";
  const groups = desktopCountGroups(storm);
  return lineChart(doc, {
    width,
    title: "Latency per datastore, 07:30–10:30",
    x: { label: "Time of day (h)", domain: [MORNING.fromMin / 60, MORNING.toMin / 60] },
    y: { label: "Mean latency (ms)" },
    series: morningSeries(groups, (d) => d.latencyMs),
    rules: [
      { y: siocThresholdMs, label: `SIOC threshold ${formatNumber(siocThresholdMs)} ms` },
      { y: sdrsThresholdMs, label: `Storage DRS threshold ${formatNumber(sdrsThresholdMs)} ms` },
    ],
    summary: `Worst datastore ${worst.name}: ${formatNumber(worst.latencyMs[MORNING.fromMin])} ms before the storm, ${formatNumber(worst.peakLatencyMs)} ms at its peak.${saturated}${linesNote(groups)}`,
    table: morningTable(storm, "Latency every 5 minutes", "ms", (d) => d.latencyMs),
  });
}

export function p90Figure(doc: Document, width: number, storm: vdi.StormResult, sdrsThresholdMs: number): ChartView {
  const names = storm.datastores.map((d) => d.name);
  const over = storm.datastores.filter((d) => d.p90LatencyMs > sdrsThresholdMs);
  const worst = storm.datastores.reduce((a, b) => (b.peakLatencyMs > a.peakLatencyMs ? b : a));
  return barChart(doc, {
    width,
    title: "What Storage DRS sees: the day's 90th percentile against the storm's peak",
    categories: names,
    groups: [{ name: "Peak latency", colour: 2 }, { name: "90th percentile over 24 h", colour: 0 }],
    values: [storm.datastores.map((d) => d.peakLatencyMs), storm.datastores.map((d) => d.p90LatencyMs)],
    markers: { name: `threshold ${formatNumber(sdrsThresholdMs)} ms`, values: names.map(() => sdrsThresholdMs) },
    x: { label: "Datastore" },
    y: { label: "Latency (ms)" },
    summary: `${worst.name} peaks at ${formatNumber(worst.peakLatencyMs)} ms, but its 90th percentile over the day is ${formatNumber(worst.p90LatencyMs)} ms. ` +
      (over.length === 0
        ? `No datastore's 90th percentile exceeds the ${formatNumber(sdrsThresholdMs)} ms threshold, so Storage DRS sees no I/O problem.`
        : `${plural(over.length, "datastore exceeds", "datastores exceed")} the ${formatNumber(sdrsThresholdMs)} ms threshold: the steady load, not the storm, is the problem.`),
    table: {
      caption: "Latency per datastore",
      columns: ["Datastore", "Desktops", "Peak (ms)", "90th percentile, 24 h (ms)", "Minutes saturated"],
      rows: storm.datastores.map((d) => [d.name, d.desktops, d.peakLatencyMs, d.p90LatencyMs, d.saturatedMinutes]),
    },
  });
}

export function siocFigure(doc: Document, width: number, peak: vdi.SiocAtPeak, datastore: string, thresholdMs: number): ChartView {
  const { on, off } = peak;
  const verdict = on.throttled
    ? `SIOC throttles the desktop hosts and holds the device latency at ${formatNumber(on.deviceLatencyMs)} ms instead of ${formatNumber(off.deviceLatencyMs)} ms; the server VM gets ${formatNumber(on.serverIops)} IOPS instead of ${formatNumber(off.serverIops)}.`
    : `The device latency (${formatNumber(off.deviceLatencyMs)} ms) stays under SIOC's ${formatNumber(thresholdMs)} ms threshold, so SIOC does nothing: the figures with it on and off are the same.`;
  return barChart(doc, {
    width,
    title: `SIOC at the storm's peak on ${datastore}: the infrastructure server's share`,
    categories: ["Array (device)", "Server VM"],
    groups: [{ name: "SIOC off", colour: 2 }, { name: "SIOC on", colour: 0 }],
    values: [[off.deviceLatencyMs, off.serverLatencyMs], [on.deviceLatencyMs, on.serverLatencyMs]],
    x: { label: "Where the latency is measured" },
    y: { label: "Latency (ms)" },
    summary: verdict,
    table: {
      caption: `SIOC off and on at the peak minute on ${datastore}`,
      columns: ["", "SIOC off", "SIOC on"],
      rows: [
        ["Device latency (ms)", off.deviceLatencyMs, on.deviceLatencyMs],
        ["Server VM latency (ms)", off.serverLatencyMs, on.serverLatencyMs],
        ["Server VM throughput (IOPS)", off.serverIops, on.serverIops],
        ["Desktops' throughput (IOPS)", off.desktopIops, on.desktopIops],
      ],
    },
  });
}

export function movesFigure(doc: Document, width: number, run: sdrs.BalanceResult, before: sdrs.DatastoreLoad[], after: sdrs.DatastoreLoad[], spaceThresholdPct: number): ChartView {
  const moves = run.recommendations;
  const total = (pick: (c: sdrs.MoveCost) => number) => moves.reduce((sum, r) => sum + pick(r.cost), 0);
  const summary = moves.length === 0
    ? `Storage DRS recommends no move (${run.stoppedBy === "balanced" ? "nothing is over a threshold" : "nothing over a threshold can legally move"}).`
    : `Storage DRS recommends ${plural(moves.length, "Storage vMotion", "Storage vMotions")} of ${formatNumber(moves.reduce((t, r) => t + r.sizeGiB, 0))} GiB in all: ` +
      `${formatNumber(total((c) => c.withVaaiS) / 60)} minutes with VAAI full copy, ${formatNumber(total((c) => c.withoutVaaiS) / 60)} minutes without.`;
  return barChart(doc, {
    width,
    title: "Space used per datastore before and after Storage DRS's recommendations",
    categories: before.map((l) => l.name),
    groups: [{ name: "Before", colour: 2 }, { name: "After", colour: 0 }],
    values: [before.map((l) => l.utilPct), after.map((l) => l.utilPct)],
    markers: { name: `space threshold ${formatNumber(spaceThresholdPct)} %`, values: before.map(() => spaceThresholdPct) },
    x: { label: "Datastore" },
    y: { label: "Space used (%)", domain: [0, 100] },
    summary,
    table: {
      caption: "Space used per datastore, before and after the recommended moves",
      columns: ["Datastore", "Before (%)", "After (%)", "Moves out", "Moves in"],
      rows: before.map((l, j) => [l.name, l.utilPct, after[j].utilPct, moves.filter((r) => r.from === l.name).length, moves.filter((r) => r.to === l.name).length]),
    },
  });
}

/** The recommendations in words, the first few, each with its reason and cost. */
export function movesSentence(run: sdrs.BalanceResult, shown = 4): string {
  const moves = run.recommendations;
  if (moves.length === 0) return "";
  const one = (r: sdrs.Recommendation) =>
    `${r.vm} (${formatNumber(r.sizeGiB)} GiB) from ${r.from} to ${r.to} for ${r.reason === "io" ? `latency, ${formatNumber(r.before.fromLatencyMs)} → ${formatNumber(r.after.fromLatencyMs)} ms` : `space, ${formatNumber(r.before.fromUtilPct)} → ${formatNumber(r.after.fromUtilPct)} %`}` +
    ` (${formatNumber(r.cost.withVaaiS)} s with VAAI, ${formatNumber(r.cost.withoutVaaiS)} s without)`;
  const more = moves.length > shown ? `; and ${plural(moves.length - shown, "more", "more")}` : "";
  return `Recommended: ${moves.slice(0, shown).map(one).join("; ")}${more}.`;
}

export function placementFigure(doc: Document, width: number, loads: sdrs.DatastoreLoad[], desktopsPer: number[], next: sdrs.Placement, spaceThresholdPct: number): ChartView {
  const chosen = next.options.find((o) => o.datastore === next.datastore);
  const nextSentence = next.datastore === null
    ? "One more desktop would fit nowhere: every datastore is full."
    : `One more desktop would go to ${next.datastore}` + (next.thresholdExceeded
      ? `, the emptiest, although it crosses the ${formatNumber(spaceThresholdPct)} % space threshold (${formatNumber(chosen!.utilAfterPct)} % after).`
      : `: the lowest score (${formatNumber(chosen!.score)}) of space used after (${formatNumber(chosen!.utilAfterPct)} %) and predicted latency after (${formatNumber(chosen!.latencyAfterMs)} ms).`);
  return barChart(doc, {
    width,
    title: "Where Storage DRS placed the desktops",
    categories: loads.map((l) => l.name),
    groups: [{ name: "Space used", colour: 0 }],
    values: [loads.map((l) => l.utilPct)],
    markers: { name: `space threshold ${formatNumber(spaceThresholdPct)} %`, values: loads.map(() => spaceThresholdPct) },
    x: { label: "Datastore" },
    y: { label: "Space used (%)", domain: [0, 100] },
    summary: `${loads.map((l, j) => `${l.name} ${plural(desktopsPer[j], "desktop", "desktops")} (${formatNumber(l.utilPct)} % used)`).join(", ")}. ${nextSentence}`,
    table: {
      caption: "Datastores, and the score of each for one more desktop (lower wins)",
      columns: ["Datastore", "Desktops", "Used (GiB)", "Used (%)", "Predicted latency (ms)", "Score for the next desktop", "Not eligible because"],
      rows: loads.map((l, j) => [l.name, desktopsPer[j], l.usedGiB, l.utilPct, l.predictedLatencyMs, next.options[j].score, next.options[j].excludedBy ?? "eligible"]),
    },
  });
}
