/**
 * Can a VM boot from a disk on a PVSCSI adapter, and how do you get there: for a guest OS and an
 * ESX release, whether the boot disk may sit on PVSCSI and which of the two documented routes
 * applies: install on LSI Logic, add VMware Tools (which carries the PVSCSI driver), then move
 * the boot disk; or give Windows setup the driver from the PVSCSI floppy image.
 * Sources: Mastering VMware vSphere 4 (Sybex, 2009), ch. 1 "VMware Paravirtualized SCSI" (in 4.0
 * PVSCSI cannot be the boot disk); vSphere 4.0 U1 Basic System Administration, "About
 * Paravirtualized SCSI Adapters" (hardware version 7; guests Windows 2003, 2008 and RHEL 5).
 * Assumptions [A], not in our sources: boot support and the floppy images (pvscsi-Windows2003.flp,
 * pvscsi-Windows2008.flp) arrived with ESX 4.0 Update 1 (VMware KB 1010398 as we recall it, not
 * read); Windows Server 2008 R2 counts as Windows 2008 here.
 */
import { checkOneOf, checkRecord } from "../shared/index.ts";
import { RELEASES, type Release } from "./policy.ts";

export const GUEST_OSES = ["windows-2008", "windows-2003", "rhel-5", "other"] as const;
export type GuestOs = (typeof GUEST_OSES)[number];
export const SITUATIONS = ["new-install", "existing-vm"] as const;
export type Situation = (typeof SITUATIONS)[number];

export type BootRoute = "floppy-driver" | "install-on-lsi-then-switch" | "data-disks-only" | "not-supported";

export interface BootInput {
  guestOs: GuestOs;
  release: Release;
  /** A fresh installation onto a PVSCSI disk, or a VM already installed on LSI Logic. */
  situation: Situation;
}

export interface BootDecision {
  /** The boot disk may be on PVSCSI. */
  canBoot: boolean;
  /** PVSCSI is usable at all for this guest (data disks). */
  pvscsiSupported: boolean;
  route: BootRoute;
  /** Numbered steps of the route (empty when there is none). */
  steps: string[];
  reason: string;
  /** The decision leans on an assumption not confirmed in our sources. */
  assumption: boolean;
}

const GUEST_NAMES: Record<GuestOs, string> = {
  "windows-2008": "Windows Server 2008",
  "windows-2003": "Windows Server 2003",
  "rhel-5": "Red Hat Enterprise Linux 5",
  other: "This guest OS",
};

const SWITCH_STEPS = [
  "Install (or keep) the guest on a disk attached to an LSI Logic adapter.",
  "Install VMware Tools: it carries the PVSCSI driver.",
  "Add a second SCSI controller of type VMware Paravirtual with a small disk, boot once so the guest loads the driver for it.",
  "Shut down, change the boot disk's controller to VMware Paravirtual (or move the boot disk to the new controller), remove the small disk, and power on.",
];

const FLOPPY_STEPS = [
  "Create the VM (virtual hardware 7) with its boot disk on a VMware Paravirtual controller.",
  "Attach the floppy image vmimages/floppies/pvscsi-Windows2008.flp (pvscsi-Windows2003.flp for 2003) to the VM's floppy drive.",
  "In Windows setup, at the disk selection, choose Load driver (F6 for 2003) and pick the VMware PVSCSI driver from the floppy.",
  "Finish setup, then install VMware Tools, which keeps the driver up to date.",
];

export function bootDecision(input: BootInput): BootDecision {
  const r = checkRecord("input", input);
  const guestOs = checkOneOf("guestOs", r.guestOs, GUEST_OSES);
  const release = checkOneOf("release", r.release, RELEASES);
  const situation = checkOneOf("situation", r.situation, SITUATIONS);
  const name = GUEST_NAMES[guestOs];
  if (guestOs === "other") {
    return {
      canBoot: false, pvscsiSupported: false, route: "not-supported", steps: [],
      reason: "In vSphere 4 PVSCSI supports only Windows Server 2003, Windows Server 2008 and Red Hat Enterprise Linux 5 guests (virtual hardware 7); keep this guest on LSI Logic.",
      assumption: false,
    };
  }
  if (release === "4.0") {
    return {
      canBoot: false, pvscsiSupported: true, route: "data-disks-only", steps: [],
      reason: `In ESX 4.0 a PVSCSI disk cannot be the boot disk: boot ${name} from LSI Logic and put its data disks on PVSCSI. Later releases allow it.`,
      assumption: false,
    };
  }
  const windows = guestOs !== "rhel-5";
  if (situation === "new-install" && windows) {
    return {
      canBoot: true, pvscsiSupported: true, route: "floppy-driver", steps: FLOPPY_STEPS,
      reason: `${name} has no PVSCSI driver of its own, so setup cannot see the disk: give it the driver from the PVSCSI floppy image that ships with ESX.`,
      assumption: true,
    };
  }
  return {
    canBoot: true, pvscsiSupported: true, route: "install-on-lsi-then-switch", steps: SWITCH_STEPS,
    reason: windows
      ? `${name} is already installed on LSI Logic: install VMware Tools for the driver, let Windows load it for a second PVSCSI controller, then move the boot disk.`
      : `The PVSCSI floppy images are for Windows; ${name} gets the driver from VMware Tools, so install on LSI Logic first, then switch.`,
    assumption: true,
  };
}
