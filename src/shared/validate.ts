/**
 * Input validation shared by every model (one place, as Observable Plot normalises its options):
 * each helper returns the checked value or throws ModelInputError naming field, value and range.
 */
import { ModelInputError } from "./errors.ts";

export interface NumberRange {
  min?: number;
  max?: number;
  /** When true the value must be a whole number. */
  integer?: boolean;
  /** When true `min` itself is not allowed (an open interval at the bottom). */
  exclusiveMin?: boolean;
}

function rangeText({ min, max, integer, exclusiveMin }: NumberRange): string {
  const kind = integer ? "an integer" : "a finite number";
  const lo = min === undefined ? "" : `${exclusiveMin ? ">" : ">="} ${min}`;
  const hi = max === undefined ? "" : `<= ${max}`;
  const bounds = [lo, hi].filter(Boolean).join(" and ");
  return bounds ? `${kind} ${bounds}` : kind;
}

/** A finite number inside the range; rejects NaN, Infinity and non-numbers. */
export function checkNumber(field: string, value: unknown, range: NumberRange = {}): number {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.exclusiveMin ? value > range.min : value >= range.min)) &&
    (range.max === undefined || value <= range.max);
  if (!ok) throw new ModelInputError(field, value, rangeText(range));
  return value as number;
}

export function checkInteger(field: string, value: unknown, range: Omit<NumberRange, "integer"> = {}): number {
  return checkNumber(field, value, { ...range, integer: true });
}

export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ModelInputError(field, value, "true or false");
  return value;
}

export function checkString(field: string, value: unknown, { maxLength = 100_000 } = {}): string {
  if (typeof value !== "string" || value.length > maxLength) {
    throw new ModelInputError(field, value, `a string of at most ${maxLength} characters`);
  }
  return value;
}

/** One of a fixed set of literal values. */
export function checkOneOf<T extends string | number>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ModelInputError(field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  return value as T;
}

function checkLength(field: string, value: unknown, minLength: number, maxLength: number): unknown[] {
  if (!Array.isArray(value) || value.length < minLength || value.length > maxLength) {
    throw new ModelInputError(field, value, `an array of ${minLength} to ${maxLength} items`);
  }
  return value;
}

/** An array whose length is inside the range; each element checked by `each` with an indexed field name. */
export function checkArray<T>(
  field: string,
  value: unknown,
  each: (item: unknown, itemField: string) => T,
  { minLength = 0, maxLength = 100_000 } = {},
): T[] {
  return checkLength(field, value, minLength, maxLength).map((item, i) => each(item, `${field}[${i}]`));
}

/**
 * An array whose length is inside the range and whose every item `accepts` takes, refusing the
 * first other item under its indexed field name as `allowed`. For items that are only checked,
 * not converted: it makes no new array and spells out no field name per item, which counts for a
 * farm's thousands of VMs checked on every slider move.
 */
export function checkEvery<T>(
  field: string,
  value: unknown,
  accepts: (item: unknown) => item is T,
  allowed: string,
  { minLength = 0, maxLength = 100_000 } = {},
): T[] {
  const items = checkLength(field, value, minLength, maxLength);
  const refused = items.findIndex((item) => !accepts(item));
  if (refused >= 0) throw new ModelInputError(`${field}[${refused}]`, items[refused], allowed);
  return items as T[];
}

/** A plain object (not null, not an array): field access on it is safe. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` when isRecord takes it, else a ModelInputError for `field`. */
export function checkRecord(field: string, value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new ModelInputError(field, value, "an object");
  return value;
}
