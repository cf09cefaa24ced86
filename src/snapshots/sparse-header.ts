/**
 * The text descriptor embedded in a hosted single-file disk (Workstation / Fusion monolithicSparse,
 * streamOptimized, and the sparse parts of twoGbMaxExtentSparse): where it lies, read from the
 * 512-byte sparse extent header, so that only the header and that region are ever read.
 * Source: libyal/libvmdk, "VMware Virtual Disk (VMDK) format specification", section "VMDK sparse
 * extent header" (magic "KDMV", little-endian; descriptorOffset and descriptorSize in 512-byte
 * sectors at bytes 28 and 36) [1]; the descriptor text ends at the first NUL of its region.
 * Simplifications: the older COWD (ESX 2 / GSX) header is not read; a descriptor region larger than
 * MAX_DESCRIPTOR_BYTES (64 KiB, the same limit as a separate descriptor file) is refused, whatever
 * the size of the disk file itself.
 */
import { ModelInputError } from "../shared/index.ts";
import { MAX_DESCRIPTOR_BYTES } from "./folder.ts";
import { SECTOR_BYTES } from "./descriptor.ts";

/** Bytes to read first: the sparse extent header is one sector. */
export const SPARSE_HEADER_BYTES = 512;

/** "KDMV" read as a little-endian 32-bit number. */
const SPARSE_MAGIC = 0x564d444b;

/** Where the embedded descriptor lies, or why there is none to read. */
export type EmbeddedDescriptorRegion =
  | { status: "not-sparse" }
  | { status: "no-descriptor" }
  | { status: "too-large"; lengthBytes: number }
  | { status: "ok"; offsetBytes: number; lengthBytes: number };

function checkBytes(field: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new ModelInputError(field, value, "a Uint8Array of the file's bytes");
  return value;
}

/** A little-endian unsigned 64-bit field as a number, or null when it does not fit a safe integer. */
function uint64At(view: DataView, at: number): number | null {
  const low = view.getUint32(at, true);
  const high = view.getUint32(at + 4, true);
  const value = high * 2 ** 32 + low;
  return Number.isSafeInteger(value) ? value : null;
}

/** True when `head` (the file's first bytes) starts with the sparse extent header's magic "KDMV". */
export function isSparseHeader(head: Uint8Array): boolean {
  const bytes = checkBytes("head", head);
  if (bytes.length < 4) return false;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === SPARSE_MAGIC;
}

/** The embedded descriptor's byte range from the first SPARSE_HEADER_BYTES of a file. */
export function embeddedDescriptorRegion(header: Uint8Array): EmbeddedDescriptorRegion {
  const bytes = checkBytes("header", header);
  if (bytes.length < 44 || !isSparseHeader(bytes)) return { status: "not-sparse" };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsetSectors = uint64At(view, 28);
  const sizeSectors = uint64At(view, 36);
  if (offsetSectors === null || sizeSectors === null || offsetSectors === 0 || sizeSectors === 0) return { status: "no-descriptor" };
  const lengthBytes = sizeSectors * SECTOR_BYTES;
  if (lengthBytes > MAX_DESCRIPTOR_BYTES) return { status: "too-large", lengthBytes };
  const offsetBytes = offsetSectors * SECTOR_BYTES;
  if (!Number.isSafeInteger(offsetBytes + lengthBytes)) return { status: "no-descriptor" };
  return { status: "ok", offsetBytes, lengthBytes };
}

/** The descriptor's bytes in an embedded region: up to the first NUL (the caller decodes them as UTF-8, as any dropped text). */
export function embeddedDescriptorBytes(region: Uint8Array): Uint8Array {
  const bytes = checkBytes("region", region);
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}
