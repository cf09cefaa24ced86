/**
 * The model library as a package, without the site: one model of each topic, run with the types
 * the package ships. In an empty folder:
 *
 *   npm install /path/to/vsphere-explorables-0.1.0.tgz   # made by `npm pack` in the repository
 *   node models.ts                                       # Node >= 22.18 runs TypeScript as is
 *
 * test/models/package.test.ts does exactly that in CI. A new topic is one line in `examples`; the
 * script fails while a topic the package exports has no line.
 */
import * as models from "vsphere-explorables";
import { sioc, evc, snapshots, pvscsi, vaai, vmsafe, sdrs, vdi, vds, ModelInputError } from "vsphere-explorables";

const GiB = 2 ** 30;

/** One call per topic, returning a sentence. */
const examples: Record<string, () => string> = {
  sioc: () => `SIOC on, host window slots: ${sioc.compare(sioc.scenario("seed-24-to-12").config).on.steady.hosts.map((h) => h.windowSlots.toFixed(1)).join(" / ")}`,
  evc: () => evc.highestCommonBaseline([evc.hostFromCpu("Intel Xeon X7350"), evc.hostFromCpu("Intel Xeon X7460")]).explanation,
  snapshots: () => `Committing 8 + 2 GiB of deltas into a thin 40-of-100 GiB base needs ${(snapshots.commitSpace({ capacityBytes: 100 * GiB, baseType: "thin", baseAllocatedBytes: 40 * GiB, deltaBytes: [8 * GiB, 2 * GiB] }).oldestFirst.extraBytes / GiB).toFixed(1)} GiB free`,
  pvscsi: () => `1,000 IOPS at 8 outstanding I/Os on ESX 4.0: the published rule says ${pvscsi.recommend({ iops: 1000, oio: 8, release: "4.0" }).published}`,
  vaai: () => { const copy = vaai.fullCopy(); return `A 40 GB Storage vMotion: ${copy.withoutVaai.timeS.toFixed(0)} s without VAAI, ${copy.withVaai.timeS.toFixed(0)} s with full copy`; },
  vmsafe: () => `One offline-scanning appliance needs ${vmsafe.offlineScan(vmsafe.scenario("seed-1000-xp").offline).hours.toFixed(1)} h for 1,000 desktops`,
  sdrs: () => `Storage DRS moves ${sdrs.balance({ datastores: [{ name: "a", capacityGiB: 100, device: sdrs.DEVICES.fc15k }, { name: "b", capacityGiB: 100, device: sdrs.DEVICES.fc15k }], vms: [{ name: "x", datastore: "a", sizeGiB: 85, workload: { oio: 1, ioSizeKiB: 8, readPct: 50, randomPct: 50 } }, { name: "y", datastore: "a", sizeGiB: 5, workload: { oio: 1, ioSizeKiB: 8, readPct: 50, randomPct: 50 } }] }).recommendations.map((r) => `${r.vm} from ${r.from} to ${r.to}`).join(", ")}`,
  vdi: () => { const day = vdi.bootStorm({ datastores: [{ name: "ds01", desktops: 250, array: { ...vdi.DEFAULT_ARRAY, flashCache: false } }] }).datastores[0]; return `250 desktops without flash cache: ${day.peakLatencyMs.toFixed(0)} ms at 8:00, a day's p90 of ${day.p90LatencyMs.toFixed(1)} ms`; },
  vds: () => `After the host running vCenter reboots, connecting a new VM to a static portgroup there: ${vds.outcome(vds.apply(vds.exampleState(), { type: "hostReboot", host: "esx01" }), { kind: "connect-new-vm", binding: "static", host: "esx01" }).outcome}`,
};

const topics = Object.keys(models).filter((name) => name !== "ModelInputError");
const missing = topics.filter((topic) => !(topic in examples));
if (missing.length > 0) {
  console.error(`examples/models.ts: add a line to \`examples\` for ${missing.join(", ")}`);
  process.exit(1);
}
for (const topic of topics) console.log(`${topic}: ${examples[topic]()}`);

// Every model validates its input: a bad value is an error naming the field, never NaN.
try {
  snapshots.commitSpace({ capacityBytes: -1, baseType: "thick", deltaBytes: [] });
} catch (error) {
  if (!(error instanceof ModelInputError)) throw error;
  console.log(`ModelInputError: ${error.field} must be ${error.allowed}`);
}
