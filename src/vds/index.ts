/** The vSphere Distributed Switch model: state, failure events, outcomes, recovery and net-dvs. */
export * from "./state.ts";
export * from "./outcomes.ts";
export * from "./events.ts";
export * from "./recovery.ts";
export * from "./netdvs.ts";
export * from "./traffic.ts";
export * from "./scenarios.ts";
export * from "./sources.ts";
