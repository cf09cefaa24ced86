/**
 * EVC (Enhanced vMotion Compatibility): baselines, real CPUs, cluster baselines, masking, vMotion checks,
 * the enable plan and the vCenter-in-a-VM catch-22. Re-exports only; each file cites its source.
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
