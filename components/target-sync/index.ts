/** The proxy IP sync: component, dynamic resource, and the pieces the stacks, the Lambda and the CLI use. */
export { RETENTION_DAYS, validateTargetSyncArgs, type TargetSyncArgs } from "./args";
export { bundleHandler } from "./bundle";
export { TargetSync } from "./component";
export { syncPolicy } from "./policy";
export { TargetRegistration, type TargetRegistrationArgs } from "./provider";
export { reconcile, type ReconcileInput, type ReconcilePlan } from "./reconcile";
export { DEFAULT_SCHEDULE, isScheduleExpression } from "./schedule";
export { scheduleRule, SOURCES, sourceRule } from "./rules";
export type { IpSource } from "./sources";
