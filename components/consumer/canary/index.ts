/** The consumer's canary: the connection check, its Lambda, and the role name both stacks derive. */
export {
    Canary,
    canaryPolicy,
    canarySettingsJson,
    CANARY_ALARM_PERIODS,
    LAMBDA_ENVIRONMENT_MAX_BYTES,
} from "./component";
export type { CanaryArgs } from "./component";
export { canaryProducerOf, canaryRoleArn, canaryRoleName } from "./role-name";
export { canaryPeriodSeconds, canaryScheduleRule, DEFAULT_CANARY_SCHEDULE } from "./schedule";
export { canaryTargets, CANARY_ENV, CANARY_METRICS, DEFAULT_PROBE_TIMEOUT_MS } from "./targets";
export type { CanarySettings, CanaryTarget, ConnectionView } from "./targets";
export type { Outcome, ProbeResult } from "./connect";
