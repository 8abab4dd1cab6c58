/**
 * EventBridge schedule expressions. Free of any import, so the stack's config validation can use it without
 * loading the component (and the esbuild bundling behind it).
 */

/** Schedule of the sync Lambda when none is given: new proxy IPs are registered within about a minute. */
export const DEFAULT_SCHEDULE = "rate(1 minute)";

/**
 * True for EventBridge schedule expressions: rate(N unit), or cron() with six fields of which exactly one of
 * day-of-month (3rd) and day-of-week (5th) is "?", as EventBridge requires.
 */
export function isScheduleExpression(expression: string): boolean {
    if (/^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/.test(expression)) return true;
    const cron = /^cron\((\S+( \S+){5})\)$/.exec(expression);
    if (!cron) return false;
    const fields = cron[1].split(" ");
    return (fields[2] === "?") !== (fields[4] === "?");
}
