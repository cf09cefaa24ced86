// The descriptor embedded in a single-file sparse disk (issue 15): located from the 512-byte header only.
import { describe, expect, test } from "vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { analyze, embeddedDescriptorRegion, embeddedDescriptorBytes, isSparseHeader, MAX_DESCRIPTOR_BYTES } from "../../../src/snapshots/index.ts";

/** A sparse extent header as libvmdk documents it: "KDMV", version, flags, capacity, grain, descriptor offset and size (sectors). */
function header(descriptorOffsetSectors: number, descriptorSizeSectors: number): Uint8Array {
  const bytes = new Uint8Array(512);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4b, 0x44, 0x4d, 0x56], 0);
  view.setUint32(4, 1, true);
  view.setUint32(8, 3, true);
  view.setUint32(12, 8192, true);
  view.setUint32(20, 128, true);
  view.setUint32(28, descriptorOffsetSectors, true);
  view.setUint32(36, descriptorSizeSectors, true);
  return bytes;
}

const EXT2 = '# Disk DescriptorFile\nversion=1\nCID=dc80b6c7\nparentCID=ffffffff\ncreateType="monolithicSparse"\n\n# Extent description\nRW 8192 SPARSE "ext2.vmdk"\n';

describe("embeddedDescriptorRegion", () => {
  test("the dfvfs ext2.vmdk header: descriptor at sector 1, 20 sectors long", () => {
    expect(embeddedDescriptorRegion(header(1, 20))).toEqual({ status: "ok", offsetBytes: 512, lengthBytes: 10240 });
  });

  test("not a sparse header, no descriptor, and a region over the 64 KiB limit", () => {
    expect(isSparseHeader(new TextEncoder().encode("# Disk DescriptorFile"))).toBe(false);
    expect(embeddedDescriptorRegion(new Uint8Array(512))).toEqual({ status: "not-sparse" });
    expect(embeddedDescriptorRegion(header(1, 20).subarray(0, 30))).toEqual({ status: "not-sparse" });
    expect(embeddedDescriptorRegion(header(0, 20))).toEqual({ status: "no-descriptor" });
    expect(embeddedDescriptorRegion(header(1, 0))).toEqual({ status: "no-descriptor" });
    expect(embeddedDescriptorRegion(header(1, MAX_DESCRIPTOR_BYTES / 512 + 1))).toEqual({ status: "too-large", lengthBytes: MAX_DESCRIPTOR_BYTES + 512 });
  });

  test("wrong argument types throw ModelInputError", () => {
    expect(() => embeddedDescriptorRegion("KDMV" as unknown as Uint8Array)).toThrow(ModelInputError);
    expect(() => embeddedDescriptorBytes([1, 2] as unknown as Uint8Array)).toThrow(ModelInputError);
  });

  test("the text stops at the first NUL of the region", () => {
    const region = new Uint8Array(10240);
    region.set(new TextEncoder().encode(EXT2), 0);
    expect(new TextDecoder().decode(embeddedDescriptorBytes(region))).toBe(EXT2);
  });
});

describe("analyze() with an embedded descriptor", () => {
  test("a 256 KiB monolithicSparse file is analysed as a base whose data size is the file's", () => {
    const a = analyze([{ name: "ext2.vmdk", text: EXT2, size: 262144, embedded: true }]);
    expect(a.findings.filter((f) => f.severity !== "info")).toEqual([]);
    expect(a.files.read).toEqual(["ext2.vmdk"]);
    expect(a.disks.map((d) => `${d.key} ${d.end} ${d.chain.map((l) => l.createType).join(">")}`)).toEqual(["ext2.vmdk base monolithicSparse"]);
  });

  test("a hosted sparse delta embedded in its own file gets the file's size as its delta size", () => {
    const child = '# Disk DescriptorFile\nversion=1\nCID=11111111\nparentCID=dc80b6c7\ncreateType="monolithicSparse"\nparentFileNameHint="ext2.vmdk"\n\n# Extent description\nRW 8192 SPARSE "ext2-000001.vmdk"\n';
    const a = analyze([
      { name: "ext2.vmdk", text: EXT2, size: 262144, embedded: true },
      { name: "ext2-000001.vmdk", text: child, size: 131072, embedded: true },
    ]);
    const disk = a.disks[0];
    expect(disk.chain.map((l) => l.name)).toEqual(["ext2.vmdk", "ext2-000001.vmdk"]);
    expect(disk.chain[1].sizeBytes).toBe(131072);
    expect(disk.chain[1].sizeSource).toBe("listing");
  });

  test("without the embedded flag the same size is refused as too large (what a plain read decides)", () => {
    const a = analyze([{ name: "ext2.vmdk", text: EXT2, size: 262144 }]);
    expect(a.findings.map((f) => f.code)).toContain("FILE_TOO_LARGE");
  });
});
