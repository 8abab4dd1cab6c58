/**
 * The window over which "the sync has not succeeded" is judged, derived from the sync's schedule. Free of any
 * import, so that tests and the docs test can read it without loading Pulumi.
 *
 * The alarm's period must be at least the schedule's interval, or every gap between two runs would be a period
 * without a success. CloudWatch's own limits on the window: "Period multiplied by EvaluationPeriods can't be more
 * than 604,800 seconds. For alarms with a period of less than one hour (3,600 seconds), the total evaluation period
 * can't be longer than one day (86,400 seconds)" (CloudWatch API Reference, PutMetricAlarm, Period).
 */

/** Seconds per unit of an EventBridge rate expression (EventBridge User Guide, "Rate expressions"). */
const UNIT_SECONDS: Readonly<Record<string, number>> = { minute: 60, hour: 3600, day: 86400 };

/** CloudWatch's longest evaluation range: seven days (PutMetricAlarm, Period). */
export const MAX_WINDOW_SECONDS = 604800;
/** CloudWatch's longest evaluation range for a period under one hour: one day (PutMetricAlarm, Period). */
export const MAX_SHORT_WINDOW_SECONDS = 86400;

/**
 * At least this many scheduled runs must all fail (or not happen) before the alarm fires: one late or lost run is
 * not an outage, three in a row are.
 */
export const MIN_MISSED_RUNS = 3;
/**
 * And at least this long: at the default one-minute schedule, five minutes, the time the sync's own Errors alarm
 * sums over, so the two alarms speak of the same stretch of time.
 */
export const MIN_WINDOW_SECONDS = 300;

/** The period and number of periods of the "sync has not succeeded" alarm. */
export interface SyncWindow {
    /** Seconds per period: the schedule's interval (a cron schedule: one day). */
    readonly period: number;
    /** Periods without a success before the alarm fires (all of them: N of N). */
    readonly evaluationPeriods: number;
}

/**
 * The window for a schedule expression. `rate(N unit)`: one period per run, at least `MIN_MISSED_RUNS` runs and
 * `MIN_WINDOW_SECONDS`, within CloudWatch's limits. `cron(...)`: its interval is not one number (a cron may run
 * every minute on weekdays and never at weekends), so the window is one day: the alarm fires when a whole day
 * passes without a success, and a cron that runs less often than daily holds it in ALARM (loud, never silent).
 */
export function syncWindow(schedule: string): SyncWindow {
    const rate = /^rate\(([1-9]\d*) (minute|hour|day)s?\)$/.exec(schedule);
    if (!rate) return { period: 86400, evaluationPeriods: 1 };
    const interval = Math.min(Number(rate[1]) * UNIT_SECONDS[rate[2]], MAX_WINDOW_SECONDS);
    const limit = interval < 3600 ? MAX_SHORT_WINDOW_SECONDS : MAX_WINDOW_SECONDS;
    const wanted = Math.max(MIN_MISSED_RUNS, Math.ceil(MIN_WINDOW_SECONDS / interval));
    return {
        period: interval,
        evaluationPeriods: Math.max(1, Math.min(wanted, Math.floor(limit / interval))),
    };
}
