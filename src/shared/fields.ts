/**
 * Checks several numeric fields of one input record at once: each named field against its range,
 * in the order the ranges are listed, so the first bad field is the one reported (as with a run of
 * checkNumber calls written out by hand).
 */
import { checkNumber, type NumberRange } from "./validate.ts";

/** `record[key]` checked against `ranges[key]` for every key, field named by the key; returns the numbers. */
export function checkNumbers<K extends string>(
  record: Record<string, unknown>,
  ranges: { readonly [P in K]: NumberRange },
): { [P in K]: number } {
  const out = {} as { [P in K]: number };
  for (const key of Object.keys(ranges) as K[]) out[key] = checkNumber(key, record[key], ranges[key]);
  return out;
}
