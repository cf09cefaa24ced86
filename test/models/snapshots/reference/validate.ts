/**
 * Argument checks shared by the snapshot model's exported functions (wrong argument types throw
 * ModelInputError; wrong file content never does - it becomes findings).
 * Source: the project's shared validation helpers (src/shared/validate.ts).
 * Simplification: text is limited to 64 MiB per file so that one call stays bounded.
 */
import { checkRecord, checkString } from "../../../../src/shared/index.ts";
import type { FileText } from "./text.ts";

export const MAX_TEXT_CHARS = 64 * 1024 * 1024;

export function checkFileText(field: string, value: unknown): FileText {
  const rec = checkRecord(field, value);
  const name = checkString(`${field}.name`, rec.name, { maxLength: 4096 });
  const text = checkString(`${field}.text`, rec.text, { maxLength: MAX_TEXT_CHARS });
  return { name, text };
}
