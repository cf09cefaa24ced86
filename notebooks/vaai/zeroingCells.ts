/**
 * Section 3, block zeroing (WRITE SAME): controls and cells. Create and first-write times come from
 * src/vaai blockZeroing; this file only asks and draws.
 */
import * as vaai from "../../src/vaai/index.ts";
import { cell, figure, text } from "../lib/cells.ts";
import { number, toggle } from "../lib/params.ts";
import { barChart, formatNumber } from "../lib/chart.ts";
import { seconds, sizeMB } from "./format.ts";

const D = vaai.ZEROING_DEFAULTS;

export const zeroingParams = {
  zeroSizeGB: number({ label: "Size of the new eager-zeroed thick disk", unit: "GB", min: 1, max: 2000, step: 1, value: D.sizeGB }),
  zeroWriteMBps: number({ label: "Array write rate (and host path)", unit: "MB/s", min: 50, max: 4000, step: 50, value: D.arrayWriteMBps, help: "An assumption: the slower of link and array for ordinary writes." }),
  arrayZeroMBps: number({ label: "Array zeroing rate with WRITE SAME", unit: "MB/s", min: 100, max: 20000, step: 100, value: D.arrayZeroMBps, help: "An assumption: a thin-pool array may only mark blocks as zero." }),
  writeSame: toggle({ label: "Array supports WRITE SAME (HardwareAcceleratedInit = 1)", value: true }),
  firstWriteGB: number({ label: "New data written to a lazy-zeroed disk", unit: "GB", min: 0, max: 500, step: 1, value: D.firstWriteGB, help: "Each first write to a 1 MB VMFS block zeroes the block first." }),
};

export const zeroingCells = [
  cell("zeroing", ["zeroSizeGB", "zeroWriteMBps", "arrayZeroMBps", "writeSame", "firstWriteGB"],
    (sizeGB: number, writeMBps: number, arrayZeroMBps: number, writeSameSupported: boolean, firstWriteGB: number) =>
      vaai.blockZeroing({ sizeGB, linkMBps: writeMBps, arrayWriteMBps: writeMBps, arrayZeroMBps, writeSameSupported, firstWriteGB })),
  text("zeroingHeadline", ["zeroing", "zeroSizeGB"], (r: vaai.ZeroingResult, sizeGB: number) =>
    r.offloaded
      ? `Creating the ${formatNumber(sizeGB)} GB eager-zeroed disk takes ${seconds(r.withoutVaai.eagerCreateS)} and sends ${sizeMB(r.withoutVaai.eagerHostMB)} of zeros without VAAI; ` +
        `with WRITE SAME ${seconds(r.withVaai.eagerCreateS)} and ${sizeMB(r.withVaai.eagerHostMB)} of commands. A first write to a lazy-zeroed block waits ` +
        `${formatNumber(r.withoutVaai.firstWritePenaltyMs)} ms for its zeroing without VAAI and ${formatNumber(r.withVaai.firstWritePenaltyMs)} ms with it.`
      : `Without WRITE SAME support the host writes every zero itself: ${seconds(r.withoutVaai.eagerCreateS)} and ${sizeMB(r.withoutVaai.eagerHostMB)} for the ${formatNumber(sizeGB)} GB disk, with VAAI on or off.`),
  figure("zeroingFigure", ["zeroing", "document", "width"], (r: vaai.ZeroingResult, doc: Document, width: number) =>
    barChart(doc, {
      width,
      title: "Zeroing time without and with WRITE SAME",
      categories: ["Create eager-zeroed disk", "Lazy-zeroed first writes"],
      groups: [{ name: "Without VAAI", colour: 2 }, { name: "With VAAI", colour: 0 }],
      values: [[r.withoutVaai.eagerCreateS, r.withoutVaai.lazyExtraS], [r.withVaai.eagerCreateS, r.withVaai.lazyExtraS]],
      x: { label: "Operation" },
      y: { label: "Time spent zeroing (s)" },
      summary: `Creating the disk: ${seconds(r.withoutVaai.eagerCreateS)} without VAAI, ${seconds(r.withVaai.eagerCreateS)} with it. ` +
        `Zeroing added to the first writes of a lazy-zeroed disk: ${seconds(r.withoutVaai.lazyExtraS)} without, ${seconds(r.withVaai.lazyExtraS)} with.`,
      table: {
        caption: "Zeroing cost, both ways",
        columns: ["", "Create (s)", "Create: host traffic (MB)", "Commands", "First-write penalty per block (ms)", "Lazy first writes: extra (s)", "Lazy first writes: host traffic (MB)"],
        rows: [
          ["Without VAAI", r.withoutVaai.eagerCreateS, r.withoutVaai.eagerHostMB, r.withoutVaai.commands, r.withoutVaai.firstWritePenaltyMs, r.withoutVaai.lazyExtraS, r.withoutVaai.lazyExtraHostMB],
          ["With VAAI", r.withVaai.eagerCreateS, r.withVaai.eagerHostMB, r.withVaai.commands, r.withVaai.firstWritePenaltyMs, r.withVaai.lazyExtraS, r.withVaai.lazyExtraHostMB],
        ],
      },
    })),
];
