export * as evc from "./evc/index.ts";
