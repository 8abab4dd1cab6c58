/**
 * Every tunable number of the project with its range and default, stated once. The config schemas are built
 * from these, the components validate their arguments against them and apply the defaults, and the README's
 * config reference quotes them (a test compares the two).
 */
import { rule, wholeNumber, type Rule } from "./rules";

/** A whole-number setting. */
export interface Setting {
    readonly min: number;
    readonly max: number;
    /** The value used when none is given. */
    readonly default: number;
    /** Unit in messages ("a whole number of seconds from 1 to 3600"). */
    readonly unit?: "seconds" | "days";
}

export const SETTINGS = {
    /** AZs of a new VPC (awsx): RDS Proxy needs two; six is the most AZs a region has. */
    azCount: { min: 2, max: 6, default: 3 },
    /** Aurora reader instances; an Aurora cluster has at most 15 replicas. */
    readers: { min: 0, max: 15, default: 1 },
    /** Automated backup retention, as RDS allows it. */
    backupRetentionDays: { min: 1, max: 35, default: 7, unit: "days" },
    /** RDS Proxy `idleClientTimeout`: AWS allows 1 second to 8 hours. */
    idleClientTimeoutSeconds: { min: 1, max: 28800, default: 1800, unit: "seconds" },
    /** RDS Proxy `maxConnectionsPercent`. */
    maxConnectionsPercent: { min: 1, max: 100, default: 90 },
    /** RDS Proxy `connectionBorrowTimeout`: AWS allows up to 3600 seconds. */
    connectionBorrowTimeoutSeconds: { min: 1, max: 3600, default: 120, unit: "seconds" },
    /** Consecutive missed lookups before the sync deregisters a still-healthy target. */
    missesBeforeDeregister: { min: 1, max: 100, default: 3 },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** The rule of a setting: a whole number in its range, its default as the example. */
export function settingRule(name: SettingName): Rule<number> {
    const s: Setting = SETTINGS[name];
    return rule(
        wholeNumber(s.min, s.max),
        `a whole number${s.unit ? ` of ${s.unit}` : ""} from ${s.min} to ${s.max}`,
        String(s.default),
    );
}

/** A TCP port. */
export const portRule: Rule<number> = rule(wholeNumber(1, 65535), "a TCP port from 1 to 65535", "5432");

/** The default database created in the cluster. */
export const DEFAULT_DATABASE_NAME = "app";

/** The default provisioned instance class of writer and readers. */
export const DEFAULT_INSTANCE_CLASS = "db.r6g.large";
