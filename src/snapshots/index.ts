/** VM snapshot chains at the VMDK level: parsers, chain analysis, commit space, lifecycle simulation. */
export * from "./findings.ts";
export { baseName, MAX_LINE_CHARS, type FileText } from "./text.ts";
export * from "./descriptor.ts";
export * from "./vmx.ts";
export * from "./vmsd.ts";
export * from "./listing.ts";
export * from "./folder.ts";
export * from "./chain.ts";
export * from "./commit-space.ts";
export * from "./serialize.ts";
export * from "./lifecycle.ts";
export * from "./analyze.ts";
