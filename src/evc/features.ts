/**
 * Feature-set algebra for EVC: subset, difference and intersection of CPU flag sets.
 * Source: models/evc.md §1 (feature sets compare guest-visible flags only), baselines.json `flagNaming`.
 * Simplifications: a feature is just a flag name; the flags in IGNORED_FLAGS (virtualization and
 * platform flags) never count, so a host reporting `vmx` never fails a check. Feature sets are treated as
 * immutable once passed in (they are typed ReadonlySet); see maskOf for the one cache that relies on it.
 */
import { ModelInputError } from "../shared/index.ts";
import { IGNORED_FLAGS, type FeatureSet } from "./data.ts";

/** Inputs: `a` any iterable of flag names (array or Set), `b` a Set. Cheap enough for the hot paths. */
function checkOperands(a: unknown, b: unknown): void {
  if (!(b instanceof Set)) throw new ModelInputError("b", b, "a Set of CPU flag names");
  if (typeof a !== "object" || a === null || typeof (a as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new ModelInputError("a", a, "an array or Set of CPU flag names");
  }
}

/** Every compared flag seen so far gets a bit; the registry only grows, so a bit never changes meaning. */
const flagBit = new Map<string, number>();
const flagNames: string[] = [];
const masks = new WeakMap<object, { size: number; mask: Uint32Array }>();

/**
 * A set's flags as a bit mask, computed once per Set object. The notebook's matrices compare the same few
 * dozen hosts thousands of times, and a mask comparison is a handful of word operations. A set whose size
 * changed since is re-read; a same-size edit of a ReadonlySet is outside the contract.
 */
function maskOf(set: FeatureSet): Uint32Array {
  const cached = masks.get(set);
  if (cached !== undefined && cached.size === set.size) return cached.mask;
  for (const flag of set) {
    if (!flagBit.has(flag) && !IGNORED_FLAGS.has(flag)) {
      flagBit.set(flag, flagNames.length);
      flagNames.push(flag);
    }
  }
  const mask = new Uint32Array((flagNames.length + 31) >>> 5);
  for (const flag of set) {
    const bit = flagBit.get(flag);
    if (bit !== undefined) mask[bit >>> 5] |= 1 << (bit & 31);
  }
  masks.set(set, { size: set.size, mask });
  return mask;
}

/** Flag names of the bits in a & ~b (b shorter means zeros), sorted. */
function namesOfAndNot(a: Uint32Array, b: Uint32Array): string[] {
  const out: string[] = [];
  for (let w = 0; w < a.length; w++) {
    let bits = a[w] & ~(w < b.length ? b[w] : 0);
    while (bits !== 0) {
      const low = bits & -bits;
      out.push(flagNames[(w << 5) + 31 - Math.clz32(low)]);
      bits ^= low;
    }
  }
  return out.length > 1 ? out.sort() : out;
}

/** True when every compared flag of `a` is in `b`. */
export function isSubset(a: Iterable<string>, b: FeatureSet): boolean {
  checkOperands(a, b);
  if (a instanceof Set) {
    const ma = maskOf(a);
    const mb = maskOf(b);
    for (let w = 0; w < ma.length; w++) if ((ma[w] & ~(w < mb.length ? mb[w] : 0)) !== 0) return false;
    return true;
  }
  if (Array.isArray(a)) {
    for (let i = 0; i < a.length; i++) if (!b.has(a[i]) && !IGNORED_FLAGS.has(a[i])) return false;
    return true;
  }
  for (const flag of a) if (!b.has(flag) && !IGNORED_FLAGS.has(flag)) return false;
  return true;
}

/** The compared flags of `a` that are not in `b`, sorted. */
export function difference(a: Iterable<string>, b: FeatureSet): string[] {
  checkOperands(a, b);
  if (a instanceof Set) return namesOfAndNot(maskOf(a), maskOf(b));
  const out: string[] = [];
  // Arrays (the baselines' sorted flag lists and their deltas) take an index loop.
  if (Array.isArray(a)) {
    for (let i = 0; i < a.length; i++) if (!b.has(a[i]) && !IGNORED_FLAGS.has(a[i])) out.push(a[i]);
  } else {
    for (const flag of a) if (!b.has(flag) && !IGNORED_FLAGS.has(flag)) out.push(flag);
  }
  return out.length > 1 ? out.sort() : out;
}

/** The compared flags in both `a` and `b`, sorted. */
export function intersection(a: Iterable<string>, b: FeatureSet): string[] {
  checkOperands(a, b);
  const out: string[] = [];
  for (const flag of a) if (b.has(flag) && !IGNORED_FLAGS.has(flag)) out.push(flag);
  return out.sort();
}

/** Set equality over compared flags. */
export function sameFeatures(a: FeatureSet, b: FeatureSet): boolean {
  checkOperands(b, a);
  return isSubset(a, b) && isSubset(b, a);
}
