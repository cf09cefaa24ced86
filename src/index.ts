export * as sioc from "./sioc/index.ts";
export * as evc from "./evc/index.ts";
export { ModelInputError } from "./shared/index.ts";
export * as snapshots from "./snapshots/index.ts";
export * as pvscsi from "./pvscsi/index.ts";
export * as vaai from "./vaai/index.ts";
export * as vmsafe from "./vmsafe/index.ts";
