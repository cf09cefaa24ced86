/**
 * VAAI notebook: the four array offloads of vSphere 4.1 and 5.0, one section each (full copy,
 * hardware-assisted locking, block zeroing, thin provisioning), and a closing section on what they
 * enable. Each section's controls and cells live in their own file; this file puts them together.
 * Every number shown comes from src/vaai.
 */
import * as vaai from "../../src/vaai/index.ts";
import { defineNotebook, text } from "../lib/cells.ts";
import { observableDefine } from "../lib/define.ts";
import { plural } from "../lib/chart.ts";
import { copyCells, copyParams } from "./copy.ts";
import { lockingCells, lockingParams } from "./lockingCells.ts";
import { zeroingCells, zeroingParams } from "./zeroingCells.ts";
import { thinCells, thinParams } from "./thinCells.ts";
import { seconds, sizeMB } from "./format.ts";

export const params = { ...copyParams, ...lockingParams, ...zeroingParams, ...thinParams };

/** Desktops cloned from one template in the closing example. */
const DESKTOPS = 100;

const closingCells = [
  text("closingCopy", ["copy"], (r: vaai.FullCopyResult) =>
    `A Storage DRS move of this VM inside the array costs the host ${sizeMB(r.withVaai.hostTrafficMB)} of traffic instead of ${sizeMB(r.withoutVaai.hostTrafficMB)}, ` +
    `and cloning ${DESKTOPS} desktops like it one after another takes ${seconds(DESKTOPS * r.withVaai.timeS)} instead of ${seconds(DESKTOPS * r.withoutVaai.timeS)}.`),
  text("closingDensity", ["storm", "lockVms", "steadyLoad"], ({ scsi2, ats }: { scsi2: vaai.LockingResult; ats: vaai.LockingResult }, vms: number, load: vaai.LockingLoadResult) =>
    `Booting ${plural(vms, "desktop")} on one datastore takes ${seconds(ats.finishS ?? ats.simulatedS)} with ATS against ${seconds(scsi2.finishS ?? scsi2.simulatedS)} with reservations, ` +
    `no running VM's I/O waits behind another host's lock, and the datastore's limit from locking goes from ` +
    `${load.scsi2.maxVms === null ? "none" : `${load.scsi2.maxVms.toLocaleString("en-US")} VMs`} to ${load.ats.maxVms === null ? "none at all" : `${load.ats.maxVms.toLocaleString("en-US")} VMs`}.`),
];

export const notebook = defineNotebook({
  id: "vaai",
  params,
  cells: [...copyCells, ...lockingCells, ...zeroingCells, ...thinCells, ...closingCells],
});

/** The Observable embedding form: new Runtime({ document }).module(define, observer). */
export const define = observableDefine(notebook);
