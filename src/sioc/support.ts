/**
 * Which datastores SIOC can manage, by vSphere version and storage type: 4.1 brought it to block
 * storage (FC, iSCSI) only, 5.0 added NFS, and no version supports RDM disks or multi-extent
 * datastores. Every datastore also needs Enterprise Plus and a single managing vCenter Server.
 * Sources: vCAT 3.1 "Storage I/O Control"; vSphere 6.0 Resource Management "Storage I/O Control
 * Requirements"; VMware, "Performance Implications of Storage I/O Control–Enabled NFS Datastores in
 * VMware vSphere 5.0" (2011). Simplification: array certification for auto-tiering is not checked.
 */
import { checkOneOf, checkRecord } from "../shared/index.ts";

export const SUPPORT_VERSIONS = ["4.1", "5.0", "5.1+"] as const;
export const SUPPORT_STORAGE = ["fc", "iscsi", "nfs", "rdm", "multi-extent"] as const;

export type SupportVersion = (typeof SUPPORT_VERSIONS)[number];
export type SupportStorage = (typeof SUPPORT_STORAGE)[number];

export interface SupportInput {
  version: SupportVersion;
  storage: SupportStorage;
}

export interface SupportResult {
  supported: boolean;
  reason: string;
  source: string;
}

const VCAT =
  "vCAT 3.1, \"Storage I/O Control\"; vSphere 6.0 Resource Management, \"Storage I/O Control Requirements\"";
const NFS_PAPER =
  "VMware, \"Performance Implications of Storage I/O Control–Enabled NFS Datastores in VMware vSphere 5.0\" (2011)";
const REQUIREMENTS = "It also needs an Enterprise Plus licence and a datastore managed by a single vCenter Server.";

/** Whether SIOC can be enabled on a datastore of this kind in this vSphere version, and why. */
export function supportCheck(input: SupportInput): SupportResult {
  const r = checkRecord("input", input);
  const version = checkOneOf("version", r.version, SUPPORT_VERSIONS);
  const storage = checkOneOf("storage", r.storage, SUPPORT_STORAGE);
  switch (storage) {
    case "rdm":
      return {
        supported: false,
        reason: "SIOC does not support Raw Device Mapping (RDM) disks in any vSphere version.",
        source: VCAT,
      };
    case "multi-extent":
      return {
        supported: false,
        reason: "SIOC does not support datastores with multiple extents in any vSphere version.",
        source: VCAT,
      };
    case "nfs":
      return version === "4.1"
        ? {
            supported: false,
            reason: "In vSphere 4.1 SIOC manages only block (FC and iSCSI) VMFS datastores; NFS support arrived in vSphere 5.0.",
            source: NFS_PAPER,
          }
        : {
            supported: true,
            reason: `SIOC manages NFS datastores from vSphere 5.0. ${REQUIREMENTS}`,
            source: NFS_PAPER,
          };
    case "fc":
    case "iscsi":
      return {
        supported: true,
        reason: `SIOC manages ${storage === "fc" ? "Fibre Channel" : "iSCSI"} VMFS datastores from vSphere 4.1. ${REQUIREMENTS}`,
        source: `VMware, "Storage I/O Control Technical Overview and Considerations for Deployment" (2010); ${VCAT}`,
      };
  }
}
