// The readable parsers and chain analysis against the implementation before the rewrite (issue 15),
// taken from git history at REFERENCE_COMMIT (see differential.ts): on the shipped samples and on
// random text built from the tokens that matter to each parser, both give the same values and the
// same findings in the same order. scripts/fuzz-snapshots.ts runs the same check on 100,000 cases of
// mutated folders (`npm run fuzz`; CI runs a smaller count). Without git history these tests are
// skipped, with the reason printed.
import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { samples } from "../../../notebooks/snapshots/samples/index.ts";
import { serializeFolder } from "../../../src/snapshots/index.ts";
import { loadReference, type Differential, type ParserName } from "./differential.ts";
import { folderArb } from "./arbitraries.ts";

// 1000-run properties that analyse every folder twice: allow for a loaded machine
vi.setConfig({ testTimeout: 120_000 });

const TOKENS: Record<ParserName, string[]> = {
  descriptor: [
    "# Disk DescriptorFile",
    "#disk   descriptorfile",
    "CID=",
    "cid = ",
    "parentCID=ffffffff",
    "PARENTCID=",
    "fffffffe",
    "0a1B2c3D",
    'parentFileNameHint="',
    'createType="vmfsSparse"',
    'createtype="SESPARSE"',
    'createType="monolithicSparse"',
    "version=1",
    "version = 9",
    "RW ",
    "rdonly ",
    "NOACCESS ",
    "NOACCE\u00df ",
    "NOACCES\u017f ",
    "83886080 ",
    "8e7 ",
    "VMFS ",
    "VMFSSPARSE ",
    "SESPARSE ",
    "ZERO",
    "vmfsrdm ",
    "VMFSRAW ",
    '"vm-flat.vmdk"',
    '"vm-flat.vmdk',
    "vm-flat.vmdk",
    " 0",
    " 1",
    " x",
    "ddb.",
    "DDB.thinProvisioned = \"1\"",
    'ddb.longContentID = "0123456789abcdef01234567',
    "ddb.uuid",
    "isNativeSnapshot=\"no\"",
    "changeTrackPath=\"vm-ctk.vmdk\"",
    "other = 1",
  ],
  vmx: ['scsi0:0.fileName = "', 'scsi0:0.present = "TRUE"', "scsi0:0.mode = independent-persistent", 'displayName = "', ".encoding", "DisplayName", "ide0:0.deviceType = \"cdrom-image\""],
  vmsd: ["snapshot.lastUID = ", "snapshot.current = \"", "snapshot0.uid = \"", "Snapshot0.Parent", "snapshot01.disk0.fileName = \"", "snapshot1.DISK1.node = \"scsi0:1\"", "snapshot1234567890.uid", "snapshot.", "snapshot2.", "createTimeLow = \"-5\"", "numDisks"],
  listing: ["total 8", "-rw------- 1 root root ", "drwxr-xr-x 2 root root 4096 Mar 1 10:00 .", "12G ", "41,943,040 ", "1.5 GiB", "Mar 14 09:30 ", "vm-flat.vmdk", " -> target", "# allocated vm-flat.vmdk (thin): 5G", "# free: 100 GiB", "# datastore free: x"],
};

/** Characters where a rewrite is most likely to part from the old scanning: blanks, quotes, '=', line ends, and Unicode that changes length or case. */
const SHARED = [" ", "\t", "\v", "\f", "\r", "\n", "\r\n", '"', "=", "#", "\u00a0", "\ufeff", "\u212a", "\u0130", "\u00df", "\ufffd", "x".repeat(4100)];

const textFor = (parser: ParserName) =>
  fc.array(fc.oneof(fc.constantFrom(...TOKENS[parser], ...SHARED), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(""));

const loaded = await loadReference();
if ("unavailable" in loaded) console.warn(`differential tests skipped: ${loaded.unavailable}`);
// only read inside the tests, which are skipped when the reference is unavailable
const { difference, analyzeDifference } = loaded as Differential;

describe.skipIf("unavailable" in loaded)("readable parsers = reference parsers", () => {
  test("on every file of the shipped samples", () => {
    for (const s of samples) {
      for (const f of s.files) {
        const parser: ParserName = f.name.endsWith(".vmx") ? "vmx" : f.name.endsWith(".vmsd") ? "vmsd" : f.name.endsWith(".vmdk") ? "descriptor" : "listing";
        expect(difference(parser, f)).toBeNull();
      }
      if (s.listing) expect(difference("listing", { name: "listing.txt", text: s.listing })).toBeNull();
    }
  });

  for (const parser of ["descriptor", "vmx", "vmsd", "listing"] as const) {
    test.prop([textFor(parser)], { numRuns: 1000 })(`${parser}: random text from its own tokens`, (text) => {
      expect(difference(parser, { name: `f.${parser}`, text })).toBeNull();
    });
  }
});

describe.skipIf("unavailable" in loaded)("readable chain analysis = reference chain analysis (analyze)", () => {
  test("on every shipped sample, with its listing, with little free space, and in both orders", () => {
    for (const s of samples) {
      for (const order of ["oldest-first", "newest-first"] as const) {
        expect(analyzeDifference(s.files, { listing: s.listing, datastoreFreeBytes: 2 ** 30, order })).toBeNull();
      }
      expect(analyzeDifference(s.files.slice(1), {})).toBeNull();
    }
  });

  test.prop([folderArb(), fc.nat(), fc.nat(), fc.boolean()], { numRuns: 1000 })("on random folders with a file dropped, a hint bent or a CID changed", (g, pick, target, withListing) => {
    const { files, listing } = serializeFolder(g.spec);
    const edited = files.map((f) => ({ ...f }));
    const k = pick % edited.length;
    const mutation = pick % 3;
    if (mutation === 0) edited.splice(k, 1);
    else if (mutation === 1) edited[k].text = edited[k].text.replace(/parentFileNameHint="[^"]*"/, `parentFileNameHint="${files[target % files.length].name}"`);
    else edited[k].text = edited[k].text.replace(/CID=[0-9a-fA-F]{8}/, "CID=0badc0de");
    expect(analyzeDifference(edited, { listing: withListing ? listing : null, datastoreFreeBytes: target % 2 === 0 ? 2 ** 30 : null })).toBeNull();
  });
});
