/**
 * The rules of the sync's two choices that every surface checks (the stack's config, the component's arguments,
 * the dynamic provider's inputs, the Lambda's environment and the CLI), each defined once. Plain rules only: the
 * serialized provider and the Lambda bundle carry this module.
 */
import { oneOf, rule, satisfying } from "../../vocabulary/rules";
import { DEFAULT_SCHEDULE, isScheduleExpression } from "./schedule";

/** Where the proxy's IPs come from: its network interfaces, or DNS resolution of its endpoints. */
export const SOURCES = ["eni", "dns"] as const;

/** `source` / `targetSync.source` / `--source`. */
export const sourceRule = rule(oneOf(SOURCES), 'one of "eni", "dns"', '"dns"');

/** `schedule` / `targetSync.schedule`: what EventBridge accepts (./schedule.ts). */
export const scheduleRule = rule(
    satisfying<string>((v) => typeof v === "string" && isScheduleExpression(v)),
    'an EventBridge schedule expression: "rate(N minutes)", or "cron(...)" with six fields and "?" in exactly one of day-of-month and day-of-week',
    `"${DEFAULT_SCHEDULE}"`,
);
