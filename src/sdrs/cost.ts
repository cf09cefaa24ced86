/**
 * What a Storage vMotion recommended by Storage DRS costs: the time and the traffic through the
 * host, with and without VAAI full copy. Reuses the VAAI full-copy model (src/vaai) unchanged.
 * Source: VMware's vSphere 4.1 storage announcements (Storage DRS previewed as "made cheap by
 * VAAI-offloaded Storage vMotion"); the copy figures are the VAAI model's.
 * Simplification: moves of one run are costed one at a time, with the full-copy model's default
 * fabric and array (8 Gb FC, one array) unless the caller gives its own.
 */
import * as vaai from "../vaai/index.ts";

export interface MoveCost {
  sizeGiB: number;
  withVaaiS: number;
  withoutVaaiS: number;
  hostTrafficWithVaaiMB: number;
  hostTrafficWithoutVaaiMB: number;
}

export function moveCost(sizeGiB: number, copy: Partial<vaai.FullCopyInput> = {}): MoveCost {
  if (sizeGiB <= 0) return { sizeGiB, withVaaiS: 0, withoutVaaiS: 0, hostTrafficWithVaaiMB: 0, hostTrafficWithoutVaaiMB: 0 };
  // The VAAI model counts 1024 MB per GB, so its "GB" is our GiB.
  const result = vaai.fullCopy({ ...copy, sizeGB: sizeGiB });
  return {
    sizeGiB,
    withVaaiS: result.withVaai.timeS,
    withoutVaaiS: result.withoutVaai.timeS,
    hostTrafficWithVaaiMB: result.withVaai.hostTrafficMB,
    hostTrafficWithoutVaaiMB: result.withoutVaai.hostTrafficMB,
  };
}
