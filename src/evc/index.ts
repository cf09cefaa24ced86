/**
 * EVC (Enhanced vMotion Compatibility): baselines and real CPUs, the cluster's usable and highest baselines,
 * masking, vMotion checks, the enable plan and the vCenter-in-a-VM catch-22 (KB 1003212, 1005764, 1013111).
 * Re-exports only; each file cites its own source and states its simplifications.
 */
export * from "./data.ts";
export * from "./features.ts";
export * from "./host.ts";
export * from "./baselines.ts";
export * from "./masking.ts";
export * from "./vmotion.ts";
export * from "./enable-plan.ts";
export * from "./vcenter-catch22.ts";
export * from "./scenarios.ts";
export * from "./parse-flags.ts";
