/**
 * The input of buildChains, checked: it may be called with hand-made input, not only the output of
 * this library's parsers, so every field it reads is validated (spec: every exported function
 * throws ModelInputError for input of the wrong shape).
 */
import { checkArray, checkBoolean, checkNumber, checkOneOf, checkRecord, checkString, ModelInputError } from "../shared/index.ts";
import type { Descriptor } from "./descriptor.ts";
import { DISK_MODES, type Vmx } from "./vmx.ts";
import type { Vmsd } from "./vmsd.ts";

export interface ChainInput {
  descriptors: readonly Descriptor[];
  vmx: Vmx | null;
  vmsd: Vmsd | null;
  /** Sizes by descriptor name (delta data size, or a thin base's allocation) for messages and trees. */
  sizes?: ReadonlyMap<string, number>;
  /** The pasted listing, to say whether a missing parent still exists on the datastore. */
  listing?: { file: string; names: ReadonlySet<string> } | null;
}

const optString = (field: string, v: unknown) => (v === null ? null : checkString(field, v, { maxLength: 100_000 }));
const optNumber = (field: string, v: unknown) => (v === null || v === undefined ? null : checkNumber(field, v));

/** The parsed shapes buildChains reads (it may be called with hand-made input, not only parser output). */
export function checkChainInput(value: unknown): ChainInput {
  const rec = checkRecord("input", value);
  checkArray(
    "input.descriptors",
    rec.descriptors,
    (v, f) => {
      const d = checkRecord(f, v);
      checkString(`${f}.file`, d.file, { maxLength: 4096 });
      for (const k of ["cid", "parentCid", "createType", "parentFileNameHint"] as const) optString(`${f}.${k}`, d[k]);
      checkOneOf(`${f}.kind`, d.kind, ["base", "delta"] as const);
      if (d.deltaFormat !== null) checkOneOf(`${f}.deltaFormat`, d.deltaFormat, ["vmfsSparse", "seSparse", "hostedSparse"] as const);
      checkOneOf(`${f}.baseType`, d.baseType, ["thick", "thin", "rdm-virtual", "rdm-physical"] as const);
      checkNumber(`${f}.capacityBytes`, d.capacityBytes, { min: 0 });
      checkArray(`${f}.extents`, d.extents, (e, ef) => optNumber(`${ef}.line`, checkRecord(ef, e).line), { maxLength: 1_000_000 });
      const lines = checkRecord(`${f}.lines`, d.lines);
      for (const k of ["cid", "parentCid", "parentFileNameHint", "createType"] as const) optNumber(`${f}.lines.${k}`, lines[k]);
      return d;
    },
    { maxLength: 10_000_000 },
  );
  if (rec.vmx !== null) {
    const vmx = checkRecord("input.vmx", rec.vmx);
    checkString("input.vmx.file", vmx.file, { maxLength: 4096 });
    checkArray("input.vmx.disks", vmx.disks, (v, f) => {
      const d = checkRecord(f, v);
      checkString(`${f}.key`, d.key, { maxLength: 4096 });
      checkString(`${f}.fileName`, d.fileName, { maxLength: 100_000 });
      checkOneOf(`${f}.mode`, d.mode, DISK_MODES);
      checkBoolean(`${f}.independent`, d.independent);
      optNumber(`${f}.line`, d.line);
      optNumber(`${f}.modeLine`, d.modeLine);
      return d;
    }, { maxLength: 100_000 });
  }
  if (rec.vmsd !== null) {
    const vmsd = checkRecord("input.vmsd", rec.vmsd);
    checkString("input.vmsd.file", vmsd.file, { maxLength: 4096 });
    checkBoolean("input.vmsd.needConsolidate", vmsd.needConsolidate);
    checkArray("input.vmsd.snapshots", vmsd.snapshots, (v, f) => {
      const snap = checkRecord(f, v);
      checkNumber(`${f}.uid`, snap.uid);
      optNumber(`${f}.parentUid`, snap.parentUid);
      optNumber(`${f}.numDisks`, snap.numDisks);
      checkString(`${f}.displayName`, snap.displayName, { maxLength: 100_000 });
      optNumber(`${f}.line`, snap.line);
      checkArray(`${f}.disks`, snap.disks, (x, xf) => {
        const e = checkRecord(xf, x);
        checkNumber(`${xf}.index`, e.index);
        checkString(`${xf}.fileName`, e.fileName, { maxLength: 100_000 });
        optString(`${xf}.node`, e.node);
        optNumber(`${xf}.line`, e.line);
        return e;
      }, { maxLength: 100_000 });
      return snap;
    }, { maxLength: 10_000_000 });
  }
  if (rec.sizes !== undefined && !(rec.sizes instanceof Map)) throw new ModelInputError("input.sizes", rec.sizes, "a Map from descriptor name to bytes");
  if (rec.listing !== undefined && rec.listing !== null) {
    const l = checkRecord("input.listing", rec.listing);
    checkString("input.listing.file", l.file, { maxLength: 4096 });
    if (!(l.names instanceof Set)) throw new ModelInputError("input.listing.names", l.names, "a Set of file names");
  }
  return value as ChainInput;
}
