/**
 * The schedule grammar, table-driven: what EventBridge accepts is accepted, what it refuses at deploy time is
 * refused here. What this cannot prove: EventBridge's own parser; the grammar is taken from its User Guide.
 */
import * as assert from "node:assert/strict";
import { isScheduleExpression } from "../../components/target-sync/schedule";

describe("EventBridge schedule expressions", () => {
    const accepted = [
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(1 hour)",
        "rate(12 hours)",
        "rate(1 day)",
        "rate(7 days)",
        "cron(0/5 * * * ? *)",
        "cron(0 10 * * ? *)",
        "cron(15 12 * * ? *)",
        "cron(0 18 ? * MON-FRI *)",
        "cron(0 8 1 * ? *)",
        "cron(0/10 * ? * MON-FRI *)",
        "cron(0/5 8-17 ? * MON-FRI *)",
        "cron(0 9 ? * 2#1 *)",
        "cron(0 0 L * ? *)",
        "cron(0 0 LW * ? *)",
        "cron(0 0 15W * ? *)",
        "cron(0 0 ? * 6L *)",
        "cron(0 0 ? * L *)",
        "cron(59 23 31 DEC ? 2199)",
        "cron(0 0 1 jan,jul ? 1970-2030)",
        "cron(1,2,3 * * * ? *)",
    ];
    for (const expression of accepted) {
        it(`accepts ${expression}`, () => assert.equal(isScheduleExpression(expression), true));
    }

    const refused: [string, string][] = [
        ["rate(1 minutes)", "plural unit for 1"],
        ["rate(5 minute)", "singular unit for more than 1"],
        ["rate(0 minutes)", "zero"],
        ["rate(-1 minutes)", "negative"],
        ["rate(1.5 minutes)", "not whole"],
        ["rate(01 minute)", "leading zero"],
        ["rate(1 second)", "unknown unit"],
        ["rate(1 week)", "unknown unit"],
        ["cron(60 * ? * * *)", "minute 60"],
        ["cron(0 24 ? * * *)", "hour 24"],
        ["cron(0 0 32 * ? *)", "day-of-month 32"],
        ["cron(0 0 0 * ? *)", "day-of-month 0"],
        ["cron(0 0 ? 13 * *)", "month 13"],
        ["cron(0 0 ? * 8 *)", "day-of-week 8"],
        ["cron(0 0 ? * * 1969)", "year before 1970"],
        ["cron(0 0 ? * * 2200)", "year after 2199"],
        ["cron(a b ? c d e)", "letters"],
        ["cron(0 0 * * * *)", "no ?"],
        ["cron(0 0 ? * ? *)", "two ?"],
        ["cron(? 0 1 * ? *)", "? in minutes"],
        ["cron(0 0 1 * MON *)", "day-of-month and day-of-week both set"],
        ["cron(5-1 * ? * * *)", "reversed range"],
        ["cron(0/0 * ? * * *)", "zero step"],
        ["cron(0/5/5 * ? * * *)", "two steps"],
        ["cron(1,,2 * ? * * *)", "empty list item"],
        ["cron(0 0 ? * 2#6 *)", "sixth weekday of a month"],
        ["cron(0 0 L ? JAN *)", "? in month, a month name as day-of-week"],
        ["cron(0 0 ? * * *", "unclosed"],
        ["cron(0 0 ? * *)", "five fields"],
        ["cron(0 0 ? * * * *)", "seven fields"],
        ["every minute", "not an expression"],
    ];
    for (const [expression, why] of refused) {
        it(`refuses ${expression} (${why})`, () => assert.equal(isScheduleExpression(expression), false));
    }
});
