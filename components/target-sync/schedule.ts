/**
 * EventBridge schedule expressions, checked against EventBridge's grammar so that a schedule it would refuse
 * at deploy time is refused with the config instead. Free of any import, so the stack's config validation can
 * use it without loading the component (and the esbuild bundling behind it).
 *
 * The grammar, from the EventBridge User Guide ("Schedule expressions for rules", cron and rate expressions):
 * - `rate(value unit)`: a positive whole number; `minute`, `hour`, `day` when the value is 1, else `minutes`,
 *   `hours`, `days`.
 * - `cron(Minutes Hours Day-of-month Month Day-of-week Year)`: six fields. Minutes 0-59, Hours 0-23,
 *   Day-of-month 1-31, Month 1-12 or JAN-DEC, Day-of-week 1-7 or SUN-SAT, Year 1970-2199. Each field takes
 *   `,` lists, `-` ranges, `*` and `/` increments; Day-of-month and Day-of-week also `?` (and exactly one of the
 *   two must be `?`), Day-of-month `L` and `W` (`L`, `LW`, `15W`), Day-of-week `L` and `#` (`5L`, `3#2`).
 */

/** Schedule of the sync Lambda when none is given: new proxy IPs are registered within about a minute. */
export const DEFAULT_SCHEDULE = "rate(1 minute)";

interface CronField {
    readonly min: number;
    readonly max: number;
    /** Names accepted in place of numbers (JAN = 1, SUN = 1). */
    readonly names?: readonly string[];
    /** The field may be `?`. */
    readonly question?: boolean;
    /** Items of the field's own special forms (L, W, #), beyond numbers, ranges and increments. */
    readonly special?: (item: string, value: (text: string) => number | undefined) => boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const CRON_FIELDS: readonly CronField[] = [
    { min: 0, max: 59 },
    { min: 0, max: 23 },
    {
        min: 1,
        max: 31,
        question: true,
        special: (item, value) => {
            if (item === "L" || item === "LW") return true;
            const weekday = /^(\d{1,2})W$/.exec(item);
            return weekday !== null && value(weekday[1]) !== undefined;
        },
    },
    { min: 1, max: 12, names: MONTHS },
    {
        min: 1,
        max: 7,
        names: DAYS,
        question: true,
        special: (item, value) => {
            if (item === "L") return true;
            const last = /^(\w+)L$/.exec(item);
            if (last) return value(last[1]) !== undefined;
            const nth = /^(\w+)#([1-5])$/.exec(item);
            return nth !== null && value(nth[1]) !== undefined;
        },
    },
    { min: 1970, max: 2199 },
];

/** True when `text` is a valid value of `field`: a number in its range, or one of its names. */
function fieldValue(field: CronField, text: string): number | undefined {
    const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
    if (named >= 0) return named + 1;
    if (!/^\d{1,4}$/.test(text)) return undefined;
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
}

/** True when one comma-separated item is valid for `field`. */
function validItem(field: CronField, item: string): boolean {
    const value = (text: string) => fieldValue(field, text);
    if (field.special?.(item, value)) return true;
    const [base, step, ...rest] = item.split("/");
    if (rest.length > 0) return false;
    if (step !== undefined && !(/^\d{1,4}$/.test(step) && Number(step) >= 1 && Number(step) <= field.max)) {
        return false;
    }
    if (base === "*") return true;
    const range = base.split("-");
    if (range.length === 1) return value(range[0]) !== undefined;
    if (range.length !== 2) return false;
    const [from, to] = range.map(value);
    return from !== undefined && to !== undefined && from <= to;
}

/** True when one cron field is valid. */
function validField(field: CronField, text: string): boolean {
    if (text === "?") return field.question === true;
    return text.split(",").every((item) => item !== "" && validItem(field, item));
}

/** True for a schedule expression EventBridge accepts (see the grammar above). */
export function isScheduleExpression(expression: string): boolean {
    const rate = /^rate\(([1-9]\d*) (minute|hour|day)(s?)\)$/.exec(expression);
    if (rate) return (rate[1] === "1") === (rate[3] === "");
    const cron = /^cron\((\S+(?: \S+){5})\)$/.exec(expression);
    if (!cron) return false;
    const fields = cron[1].split(" ");
    if ((fields[2] === "?") === (fields[4] === "?")) return false;
    return fields.every((text, i) => validField(CRON_FIELDS[i], text));
}
