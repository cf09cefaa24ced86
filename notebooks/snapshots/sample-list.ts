/**
 * The shipped sample folders' ids and titles, for the sample selector. The folders' texts are
 * loaded only when a figure needs them (samples/bundle.ts, imported by analysis.ts); a headless
 * test checks that this list matches the bundle.
 */
export const SAMPLE_LIST: ReadonlyArray<{ id: string; title: string }> = [
  { id: "01-healthy-3snap-2disks", title: "Healthy: 3 snapshots, 2 disks" },
  { id: "02-branched-tree", title: "Branched snapshot tree (snapshot of a reverted state)" },
  { id: "03-broken-cid", title: "Broken CID chain" },
  { id: "04-missing-parent", title: "Missing parent" },
  { id: "05-independent-persistent", title: "Independent-persistent disk" },
  { id: "06-thin-base", title: "Thin base disk" },
  { id: "07-rdm-base", title: "RDM base (virtual compatibility mode)" },
  { id: "08-sesparse-chain", title: "seSparse chain (vSphere 5.5, VMFS5, disk > 2 TB)" },
  { id: "09-vmsd-orphan-backup-snapshot", title: "Snapshot in .vmsd that the disks don't have (orphaned backup-appliance delta)" },
  { id: "10-needs-consolidation", title: "Deltas running with an empty Snapshot Manager" },
];

/** The selector's option for the reader's own files. */
export const OWN = "own";
/** The source's situation: a backup appliance left a snapshot the Snapshot Manager cannot see. */
export const DEFAULT_SAMPLE = "09-vmsd-orphan-backup-snapshot";
