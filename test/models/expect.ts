/**
 * Assertions shared by the model tests: what every model promises about bad input, checked in one
 * place so each test file lists only its cases.
 */
import { expect } from "vitest";
import { ModelInputError } from "../../src/shared/index.ts";

/** `run` throws a ModelInputError, and the error names `field`. */
export function expectModelInputError(run: () => unknown, field: string): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ModelInputError);
  expect((error as ModelInputError).field).toBe(field);
}
