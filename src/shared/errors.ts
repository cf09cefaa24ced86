/**
 * The one error every model throws for bad input. It names the field, the value it got and the
 * range it allows, so a notebook can turn it into a sentence next to the control that caused it.
 */
export class ModelInputError extends Error {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;

  constructor(field: string, value: unknown, allowed: string) {
    super(`${field} = ${describeValue(value)} is not allowed: expected ${allowed}`);
    this.name = "ModelInputError";
    this.field = field;
    this.value = value;
    this.allowed = allowed;
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}
