export { ModelInputError, describeValue } from "./errors.ts";
export * from "./validate.ts";
export * from "./math.ts";
