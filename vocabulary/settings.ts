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
    /** Why the range is what it is, when that is not AWS's own limit; said in messages. */
    readonly why?: string;
}

/**
 * Idle TCP flows through an interface VPC endpoint are dropped after 350 seconds, a limit that cannot be
 * changed (AWS networking blog, "Implementing long-running TCP connections within VPC networking"); a dropped
 * flow is not closed, so the next packet on it hangs until TCP gives up.
 */
export const PRIVATELINK_IDLE_TIMEOUT_SECONDS = 350;

/** The NLB listeners' TCP idle timeout, set explicitly to the path's limit (ELBv2 default 350, range 60-6000). */
export const NLB_TCP_IDLE_TIMEOUT_SECONDS = PRIVATELINK_IDLE_TIMEOUT_SECONDS;

/** How much earlier than the path the proxy closes an idle client connection, so that it closes it cleanly. */
export const IDLE_MARGIN_SECONDS = 20;

export const SETTINGS = {
    /** AZs of a new VPC (awsx): RDS Proxy needs two; six is the most AZs a region has. */
    azCount: { min: 2, max: 6, default: 3 },
    /** Aurora reader instances; an Aurora cluster has at most 15 replicas. */
    readers: { min: 0, max: 15, default: 1 },
    /** Automated backup retention, as RDS allows it. */
    backupRetentionDays: { min: 1, max: 35, default: 7, unit: "days" },
    /**
     * RDS Proxy `idleClientTimeout` (AWS allows 1 second to 8 hours, default 1800): here below the PrivateLink
     * path's idle limit, so that the proxy closes an idle client connection (cleanly, with its TCP peer told)
     * before the path silently drops it.
     */
    idleClientTimeoutSeconds: {
        min: 1,
        max: PRIVATELINK_IDLE_TIMEOUT_SECONDS - IDLE_MARGIN_SECONDS,
        default: 300,
        unit: "seconds",
        why:
            `the PrivateLink path drops idle connections after ${PRIVATELINK_IDLE_TIMEOUT_SECONDS} seconds without ` +
            `closing them, so the proxy must close them first`,
    },
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
        `a whole number${s.unit ? ` of ${s.unit}` : ""} from ${s.min} to ${s.max}${s.why ? ` (${s.why})` : ""}`,
        String(s.default),
    );
}

/** A TCP port. */
export const portRule: Rule<number> = rule(wholeNumber(1, 65535), "a TCP port from 1 to 65535", "5432");

/** The default database created in the cluster. */
export const DEFAULT_DATABASE_NAME = "app";

/** The default provisioned instance class of writer and readers. */
export const DEFAULT_INSTANCE_CLASS = "db.r6g.large";
