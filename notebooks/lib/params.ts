/**
 * The controls of a notebook, declared once as data. The same declaration builds the
 * @observablehq/inputs element, validates and clamps values read from the URL, writes the URL
 * back, and gives build-time rendering its default values. Reading the URL never throws: junk is
 * ignored (the default stays) and out-of-range numbers are clamped, with a note saying so.
 */

interface ParamBase<T> {
  label: string;
  /** Unit shown after the label, e.g. "ms" or "IOPS". */
  unit?: string;
  value: T;
  /** One sentence under the control, for readers and screen readers. */
  help?: string;
}

export interface NumberParam extends ParamBase<number> {
  kind: "number";
  min: number;
  max: number;
  step: number;
}

export interface SelectParam extends ParamBase<string> {
  kind: "select";
  options: ReadonlyArray<{ value: string; label: string }>;
}

export interface ToggleParam extends ParamBase<boolean> {
  kind: "toggle";
}

/** Several of a fixed list of options (repeats allowed, order kept), e.g. the hosts of a cluster. */
export interface MultiParam extends ParamBase<readonly string[]> {
  kind: "multi";
  options: ReadonlyArray<{ value: string; label: string }>;
  minItems: number;
  maxItems: number;
}

export type Param = NumberParam | SelectParam | ToggleParam | MultiParam;
export type ParamSchema = Record<string, Param>;
export type ParamValues<S extends ParamSchema> = { [K in keyof S]: S[K]["value"] };

export function number(spec: Omit<NumberParam, "kind">): NumberParam {
  return { kind: "number", ...spec };
}
export function select(spec: Omit<SelectParam, "kind">): SelectParam {
  return { kind: "select", ...spec };
}
export function toggle(spec: Omit<ToggleParam, "kind">): ToggleParam {
  return { kind: "toggle", ...spec };
}
export function multi(spec: Omit<MultiParam, "kind">): MultiParam {
  return { kind: "multi", ...spec };
}

/** A control's label with its unit in brackets, unless the label already names it ("Desktops", not "Desktops (desktops)"). */
export function labelWithUnit(param: Param): string {
  return param.unit && !namesWord(param.label, param.unit) ? `${param.label} (${param.unit})` : param.label;
}

/** Whether `word` is one of the words of `text`, in any case (a unit such as "I/Os" or "%" counts as a word). */
function namesWord(text: string, word: string): boolean {
  return text.toLowerCase().split(/[^\p{L}\p{N}/%]+/u).includes(word.toLowerCase());
}

export function defaults<S extends ParamSchema>(schema: S): ParamValues<S> {
  const values: Record<string, unknown> = {};
  for (const [key, param] of Object.entries(schema)) values[key] = param.value;
  return values as ParamValues<S>;
}

/** Snap to the step grid (counted from min) and clamp to [min, max]. */
export function clampToParam(param: NumberParam, value: number): number {
  const snapped = param.min + Math.round((value - param.min) / param.step) * param.step;
  const clamped = Math.min(param.max, Math.max(param.min, snapped));
  // Remove binary noise such as 0.30000000000000004 from the step arithmetic.
  return Number(clamped.toPrecision(12));
}

export interface ParsedParams<S extends ParamSchema> {
  values: ParamValues<S>;
  /** Plain sentences about values that were ignored or clamped. */
  notes: string[];
}

const MAX_URL_VALUE_LENGTH = 64;
const MAX_URL_LIST_LENGTH = 4096;

export function parseParams<S extends ParamSchema>(schema: S, query: URLSearchParams | string): ParsedParams<S> {
  const search = typeof query === "string" ? new URLSearchParams(query) : query;
  const values = defaults(schema) as Record<string, unknown>;
  const notes: string[] = [];
  for (const [key, param] of Object.entries(schema)) {
    const raw = search.get(key);
    if (raw === null) continue;
    if (raw.length > (param.kind === "multi" ? MAX_URL_LIST_LENGTH : MAX_URL_VALUE_LENGTH)) {
      notes.push(`Ignored an over-long value for “${param.label}”.`);
      continue;
    }
    const parsed = parseOne(param, raw);
    if (parsed === undefined) {
      notes.push(`Ignored “${raw}” for “${param.label}”; kept ${formatParamValue(param, param.value)}.`);
      continue;
    }
    if (param.kind === "number" && parsed !== Number(raw)) {
      notes.push(`“${param.label}” ${raw} is outside ${param.min}–${param.max} or off its step; used ${parsed}.`);
    }
    if (param.kind === "multi" && Array.isArray(parsed) && parsed.length !== raw.split(",").length) {
      notes.push(`Some of “${param.label}” were not recognised or too many; kept ${parsed.length}.`);
    }
    values[key] = parsed;
  }
  return { values: values as ParamValues<S>, notes };
}

function parseOne(param: Param, raw: string): number | string | boolean | string[] | undefined {
  switch (param.kind) {
    case "number": {
      if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(raw.trim())) return undefined;
      const n = Number(raw);
      return Number.isFinite(n) ? clampToParam(param, n) : undefined;
    }
    case "select":
      return param.options.some((o) => o.value === raw) ? raw : undefined;
    case "toggle":
      return raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : undefined;
    case "multi": {
      const known = new Set(param.options.map((o) => o.value));
      const items = raw.split(",").filter((v) => known.has(v)).slice(0, param.maxItems);
      return items.length >= param.minItems ? items : undefined;
    }
  }
}

/** Only values that differ from the default go into the URL, so shared links stay short. */
export function serializeParams<S extends ParamSchema>(schema: S, values: Partial<ParamValues<S>>): string {
  const search = new URLSearchParams();
  for (const [key, param] of Object.entries(schema)) {
    const value = (values as Record<string, unknown>)[key];
    if (value === undefined || sameValue(value, param.value)) continue;
    search.set(key, typeof value === "boolean" ? (value ? "1" : "0") : Array.isArray(value) ? value.join(",") : String(value));
  }
  return search.toString();
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

export function formatParamValue(param: Param, value: unknown): string {
  if (param.kind === "toggle") return value ? "on" : "off";
  if (param.kind === "multi") {
    return (value as string[]).map((v) => param.options.find((o) => o.value === v)?.label ?? v).join(", ");
  }
  if (param.kind === "select") return param.options.find((o) => o.value === value)?.label ?? String(value);
  return param.unit ? `${value} ${unitFor(value as number, param.unit)}` : String(value);
}

/** A value as its control shows it, without the unit (which is already in the control's label). */
export function formatBareValue(param: Param, value: unknown): string {
  return param.kind === "number" ? String(value) : formatParamValue(param, value);
}

/**
 * "1 VM", "1 host", "1 I/O", not "1 VMs": a count unit loses its plural "s" for exactly one.
 * Units that are abbreviations ending in "s" (ms, IOPS, MBps) are left alone.
 */
export function unitFor(value: number, unit: string): string {
  if (Math.abs(value) !== 1 || !/[a-zA-Z]{2,}s$|\/Os$/.test(unit) || NOT_PLURALS.has(unit) || unit === unit.toUpperCase()) return unit;
  return unit.slice(0, -1);
}
const NOT_PLURALS = new Set(["ms", "µs", "us", "ns", "s", "MBps", "KBps", "GBps", "Gbps", "Mbps", "bps", "IOPS", "% of peak"]);
