/**
 * The canary's schedule and what its alarm derives from it. Only `rate(...)` expressions from one minute to one
 * hour: the alarm's period is the schedule's interval (a shorter period would see the gaps between runs as missing
 * data, which the alarm treats as breaching), and a cron schedule has no single interval to derive it from.
 *
 * EventBridge rate expressions: a positive whole number and `minute` / `minutes` / `hour` / `hours` / `day` /
 * `days`, singular exactly for 1 (EventBridge User Guide, "Rate expressions",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html). CloudWatch alarm periods are
 * 10, 20, 30 or any multiple of 60 seconds (PutMetricAlarm `Period`, as the @pulumi/aws MetricAlarm docs repeat it).
 *
 * Free of Pulumi, so that the config reader uses it without loading the component.
 */
import { rule, satisfying } from "../../../vocabulary/rules";

/** Schedule when `canary.schedule` is not given. */
export const DEFAULT_CANARY_SCHEDULE = "rate(5 minutes)";

/** The interval of a rate expression from one minute to one hour, in seconds; undefined for anything else. */
export function canaryPeriodSeconds(expression: string): number | undefined {
    const m = /^rate\(([1-9]\d*) (minute|hour)(s?)\)$/.exec(expression);
    if (!m || (m[1] === "1") !== (m[3] === "")) return undefined;
    const seconds = Number(m[1]) * (m[2] === "hour" ? 3600 : 60);
    return seconds <= 3600 ? seconds : undefined;
}

/** `canary.schedule`. */
export const canaryScheduleRule = rule(
    satisfying<string>((v) => typeof v === "string" && canaryPeriodSeconds(v) !== undefined),
    'a rate expression from "rate(1 minute)" to "rate(60 minutes)" or "rate(1 hour)" (the alarm period follows it; cron is not accepted)',
    `"${DEFAULT_CANARY_SCHEDULE}"`,
);
