export type { DesktopProfile } from "./desktop.ts";
export { DEFAULT_DESKTOP, PUBLISHED_IOPS, PUBLISHED_BOOT_TEST, checkDesktop } from "./desktop.ts";
export type { ArrayConfig, ArrayLoad, DiskType, RaidLevel } from "./array.ts";
export { DISKS, DISK_TYPES, RAID_LEVELS, RAID_WRITE_PENALTY, CACHE_HIT_MS, DEFAULT_ARRAY, arrayLoad, backendPerFrontIo, frontCapacityIops, checkArrayConfig } from "./array.ts";
export type { StormSchedule, StormDatastore, StormInput, DatastoreDay, StormResult } from "./storm.ts";
export { MINUTES_PER_DAY, DESKTOP_QUEUE_DEPTH, DEFAULT_SCHEDULE, bootStorm, phaseFractions, trapezoid } from "./storm.ts";
export type { SiocAtPeakInput, SiocAtPeak, SiocSide } from "./sioc-at-peak.ts";
export { siocAtPeak } from "./sioc-at-peak.ts";
