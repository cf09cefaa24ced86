/**
 * What one VDI desktop asks of storage in each phase of its day: boot, login, steady state.
 * Source: Dell TR BP1018, "Sizing and Best Practices for Citrix XenDesktop with Dell EqualLogic
 * Storage", table 7 and §5.6–5.7 (Windows 7 task workers, Login VSI light): steady 7–8 IOPS,
 * login 11–13, boot 16–18 per desktop; boot I/O 13 % read, steady state 99.8 % write.
 * Simplifications: every desktop is the same; the login read share is not published and is taken
 * equal to the boot one [A]; the defaults are the middle of each published range.
 */
import { checkNumber, checkRecord } from "../shared/index.ts";

export interface DesktopProfile {
  bootIops: number;
  loginIops: number;
  steadyIops: number;
  /** Share of reads in each phase, 0..100 %. */
  bootReadPct: number;
  loginReadPct: number;
  steadyReadPct: number;
}

/** The published ranges, so a page can show where a default comes from. */
export const PUBLISHED_IOPS = {
  boot: { min: 16, max: 18 },
  login: { min: 11, max: 13 },
  steady: { min: 7, max: 8 },
} as const;

/** BP1018's test: 1,270 desktops booted in 10–12 minutes, peak ≈ 15,000 IOPS over two arrays. */
export const PUBLISHED_BOOT_TEST = { desktops: 1270, bootMinutes: { min: 10, max: 12 }, peakIops: 15_000, arrays: 2 } as const;

export const DEFAULT_DESKTOP: DesktopProfile = {
  bootIops: 17,
  loginIops: 12,
  steadyIops: 7.5,
  bootReadPct: 13,
  loginReadPct: 13,
  steadyReadPct: 0.2,
};

export function checkDesktop(value: unknown, field = "desktop"): DesktopProfile {
  const d = checkRecord(field, value);
  const pct = { min: 0, max: 100 };
  const steadyIops = checkNumber(`${field}.steadyIops`, d.steadyIops, { min: 0, max: 1000 });
  return {
    steadyIops,
    // A storm is a burst above the steady load, never below it.
    loginIops: checkNumber(`${field}.loginIops`, d.loginIops, { min: steadyIops, max: 1000 }),
    bootIops: checkNumber(`${field}.bootIops`, d.bootIops, { min: steadyIops, max: 1000 }),
    bootReadPct: checkNumber(`${field}.bootReadPct`, d.bootReadPct, pct),
    loginReadPct: checkNumber(`${field}.loginReadPct`, d.loginReadPct, pct),
    steadyReadPct: checkNumber(`${field}.steadyReadPct`, d.steadyReadPct, pct),
  };
}
