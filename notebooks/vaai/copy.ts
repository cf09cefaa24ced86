/**
 * Section 1, full copy (XCOPY): its controls and cells. The time, host traffic and host CPU of
 * one clone or Storage vMotion come from src/vaai fullCopy; this file only asks and draws.
 */
import * as vaai from "../../src/vaai/index.ts";
import { cell, figure, text } from "../lib/cells.ts";
import { number, select } from "../lib/params.ts";
import { barChart, formatNumber } from "../lib/chart.ts";
import { percent, seconds, sizeMB } from "./format.ts";

const D = vaai.FULL_COPY_DEFAULTS;

/** Host↔array paths: payload MB/s per direction, and whether the directions are independent [A]. */
export const LINKS: Record<string, { label: string; linkMBps: number; fullDuplex: boolean }> = {
  fc4: { label: "4 Gb Fibre Channel (≈ 400 MB/s each way)", linkMBps: 400, fullDuplex: true },
  fc8: { label: "8 Gb Fibre Channel (≈ 800 MB/s each way)", linkMBps: 800, fullDuplex: true },
  iscsi1: { label: "1 GbE iSCSI, one shared NIC (≈ 110 MB/s)", linkMBps: 110, fullDuplex: false },
  iscsi10: { label: "10 GbE iSCSI, one shared NIC (≈ 1100 MB/s)", linkMBps: 1100, fullDuplex: false },
};

const CASES = {
  offload: { label: "Accepts it: same array, same VMFS block size", offloadSupported: true, eligible: true, sameBlockSize: true },
  refused: { label: "Refuses it: the array has no VAAI support", offloadSupported: false, eligible: true, sameBlockSize: true },
  ineligible: { label: "Not eligible: e.g. RDM to file, another array", offloadSupported: true, eligible: false, sameBlockSize: true },
  blocksize: { label: "VMFS block sizes differ (only FSDM can copy)", offloadSupported: true, eligible: true, sameBlockSize: false },
} as const;

export const copyParams = {
  copySizeGB: number({ label: "Data to copy", unit: "GB", min: 1, max: 2000, step: 1, value: D.sizeGB, help: "The VM's allocated blocks: a thin disk copies only what it uses." }),
  link: select({ label: "Host to array path", value: "fc8", options: Object.entries(LINKS).map(([value, l]) => ({ value, label: l.label })) }),
  datamoverMBps: number({ label: "Software datamover ceiling (FS3DM)", unit: "MB/s", min: 50, max: 1000, step: 10, value: D.hostDatamoverMBps, help: "An assumption: VMware publishes no figure." }),
  arrayCopyMBps: number({ label: "Array internal copy rate", unit: "MB/s", min: 100, max: 5000, step: 100, value: D.arrayCopyMBps, help: "An assumption, calibrated so the default reproduces the EMC example." }),
  segmentMB: number({ label: "Transfer size per XCOPY (MaxHWTransferSize)", unit: "MB", min: 1, max: 16, step: 1, value: D.segmentMB, help: "Default 4 MB (4096 KB); settable up to 16 MB." }),
  copyCase: select({ label: "What the array does with the offload", value: "offload", options: Object.entries(CASES).map(([value, c]) => ({ value, label: c.label })) }),
  refusedPct: number({ label: "Share of the copy the array refuses mid-way", unit: "%", min: 0, max: 100, step: 5, value: 0, help: "That part falls back to the software datamover." }),
};

export const copyCells = [
  cell("copy", ["copySizeGB", "link", "datamoverMBps", "arrayCopyMBps", "segmentMB", "copyCase", "refusedPct"],
    (sizeGB: number, link: string, hostDatamoverMBps: number, arrayCopyMBps: number, segmentMB: number, copyCase: string, refusedPct: number) => {
      const path = LINKS[link] ?? LINKS.fc8;
      const { label: _label, ...flags } = CASES[copyCase as keyof typeof CASES] ?? CASES.offload;
      return vaai.fullCopy({ sizeGB, linkMBps: path.linkMBps, fullDuplex: path.fullDuplex, hostDatamoverMBps, arrayCopyMBps, segmentMB, offloadFailFraction: refusedPct / 100, ...flags });
    }),
  text("copyHeadline", ["copy"], (r: vaai.FullCopyResult) =>
    r.mode === "offload"
      ? `Without VAAI the copy takes ${seconds(r.withoutVaai.timeS)}; with VAAI ${seconds(r.withVaai.timeS)}, ${formatNumber(r.speedup, 2)} times faster, ` +
        `with ${percent(r.hostTrafficReduction)} less traffic through the host and ${percent(r.hostCpuReduction)} less host CPU.`
      : `The offload does not happen: VAAI falls back to the ${r.datamover} software datamover, so the copy takes ${seconds(r.withVaai.timeS)} either way ` +
        `and moves ${sizeMB(r.withVaai.hostPayloadMB)} through the host.`),
  text("copyCommands", ["copy", "segmentMB"], (r: vaai.FullCopyResult, segmentMB: number) =>
    r.withVaai.xcopyCommands > 0
      ? `With ${segmentMB} MB per command the host sends ${r.withVaai.xcopyCommands.toLocaleString("en-US")} XCOPY commands, ${sizeMB(r.withVaai.commandBytes / 2 ** 20)} in all.`
      : "No XCOPY command is sent: every block goes through the host."),
  figure("copyTimeFigure", ["copy", "copySizeGB", "link", "document", "width"], (r: vaai.FullCopyResult, sizeGB: number, link: string, doc: Document, width: number) => {
    const path = LINKS[link] ?? LINKS.fc8;
    const onceS = (sizeGB * 1024) / path.linkMBps;
    return barChart(doc, {
      width,
      title: "Time for one clone or Storage vMotion, without and with VAAI",
      categories: ["Without VAAI", "With VAAI"],
      groups: [{ name: "Copy time", colour: 0 }],
      values: [[r.withoutVaai.timeS, r.withVaai.timeS]],
      markers: { name: `data crossing the link once (${seconds(onceS)})`, values: [onceS, onceS] },
      x: { label: "How the copy is done" },
      y: { label: "Time for one copy (s)" },
      summary: `Copying ${formatNumber(sizeGB)} GB takes ${seconds(r.withoutVaai.timeS)} through the host and ${seconds(r.withVaai.timeS)} with VAAI (${r.mode}).`,
      table: {
        caption: "One copy, both ways",
        columns: ["", "Time (s)", "Rate (MB/s)", "Host traffic (MB)", "XCOPY commands", "Host CPU (s)"],
        rows: [
          ["Without VAAI", r.withoutVaai.timeS, r.withoutVaai.rateMBps, r.withoutVaai.hostTrafficMB, r.withoutVaai.xcopyCommands, r.withoutVaai.hostCpuS],
          ["With VAAI", r.withVaai.timeS, r.withVaai.rateMBps, r.withVaai.hostTrafficMB, r.withVaai.xcopyCommands, r.withVaai.hostCpuS],
        ],
      },
    });
  }),
  figure("copyCostFigure", ["copy", "document", "width"], (r: vaai.FullCopyResult, doc: Document, width: number) => {
    const share = (withVaai: number, without: number) => (without > 0 ? (100 * withVaai) / without : 100);
    const after = [share(r.withVaai.timeS, r.withoutVaai.timeS), share(r.withVaai.hostTrafficMB, r.withoutVaai.hostTrafficMB), share(r.withVaai.hostCpuS, r.withoutVaai.hostCpuS)];
    return barChart(doc, {
      width,
      title: "What the copy costs the host with VAAI, as a share of the copy without it",
      categories: ["Copy time", "Host traffic", "Host CPU"],
      groups: [{ name: "Without VAAI", colour: 2 }, { name: "With VAAI", colour: 0 }],
      values: [[100, 100, 100], after],
      x: { label: "What is measured" },
      y: { label: "% of the copy without VAAI", domain: [0, Math.max(110, ...after)] },
      summary: `With VAAI the copy takes ${percent(after[0] / 100)} of the time, moves ${percent(after[1] / 100)} of the host traffic and uses ${percent(after[2] / 100)} of the host CPU it needs without.`,
      table: {
        caption: "Cost with VAAI as a share of the cost without",
        columns: ["Measure", "Without VAAI", "With VAAI", "With VAAI (% of without)"],
        rows: [
          ["Copy time (s)", r.withoutVaai.timeS, r.withVaai.timeS, after[0]],
          ["Host traffic (MB)", r.withoutVaai.hostTrafficMB, r.withVaai.hostTrafficMB, after[1]],
          ["Host CPU (s)", r.withoutVaai.hostCpuS, r.withVaai.hostCpuS, after[2]],
        ],
      },
    });
  }),
];
