export * as sioc from "./sioc/index.ts";
export * as evc from "./evc/index.ts";
export { ModelInputError } from "./shared/index.ts";
export * as snapshots from "./snapshots/index.ts";
export * as vds from "./vds/index.ts";
