/**
 * Feature-set algebra for EVC: subset, difference and intersection of CPU flag sets.
 * Source: models/evc.md §1 (feature sets compare guest-visible flags only), baselines.json `flagNaming`.
 * Simplifications: a feature is just a flag name; the flags in IGNORED_FLAGS (virtualization and
 * platform flags) are skipped on the left-hand side, so a host reporting `vmx` never fails a check.
 */
import { IGNORED_FLAGS, type FeatureSet } from "./data.ts";

/** True when every compared flag of `a` is in `b`. */
export function isSubset(a: Iterable<string>, b: FeatureSet): boolean {
  for (const flag of a) if (!b.has(flag) && !IGNORED_FLAGS.has(flag)) return false;
  return true;
}

/** The compared flags of `a` that are not in `b`, sorted. */
export function difference(a: Iterable<string>, b: FeatureSet): string[] {
  const out: string[] = [];
  for (const flag of a) if (!b.has(flag) && !IGNORED_FLAGS.has(flag)) out.push(flag);
  return out.sort();
}

/** The compared flags in both `a` and `b`, sorted. */
export function intersection(a: Iterable<string>, b: FeatureSet): string[] {
  const out: string[] = [];
  for (const flag of a) if (b.has(flag) && !IGNORED_FLAGS.has(flag)) out.push(flag);
  return out.sort();
}

/** Set equality over compared flags. */
export function sameFeatures(a: FeatureSet, b: FeatureSet): boolean {
  return isSubset(a, b) && isSubset(b, a);
}
