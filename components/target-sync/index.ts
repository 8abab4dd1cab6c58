/** The proxy IP sync: component, dynamic resource, and the pieces the Lambda and CLI are built from. */
export { TargetSync, type TargetSyncArgs } from "./component";
export { TargetRegistration, type TargetRegistrationArgs } from "./provider";
export { reconcile, type ReconcileInput, type ReconcilePlan } from "./reconcile";
export type { IpSource } from "./sources";
