/**
 * `dsql` in the db-account config: an Aurora DSQL cluster published next to the Aurora path (docs/dsql.md), and who
 * may connect to it as its `admin` role. The Aurora path is unchanged by it: `database` stays required (a DSQL-only
 * producer is not supported, docs/dsql.md says why).
 */
import {
    dsqlAdminPrincipalRule,
    booleanLike,
    connectRoleTrustPolicy,
    policySize,
    POLICY_LIMITS,
    distinctList,
    leaf,
    object,
    optional,
    rule,
    defaulted,
} from "../../vocabulary";
import type { Problems } from "./read";

const dsqlObject = object({
    enabled: leaf(rule(booleanLike, "true or false", "true"), { default: false }),
    adminPrincipals: optional(
        leaf(
            rule(
                distinctList(dsqlAdminPrincipalRule.schema, 1),
                "a non-empty list of distinct IAM role or user ARNs (no account root)",
                '["arn:aws:iam::111111111111:role/dsql-operator"]',
            ),
        ),
    ),
});

/** `dsql`: absent means no DSQL cluster. */
export const dsqlShape = defaulted(dsqlObject);

/** The stack's DsqlCluster component: `<stack>-dsql`. */
export function dsqlComponentName(stack: string): string {
    return `${stack}-dsql`;
}

/** The `dsql` key, as the stack uses it. */
export interface DsqlConfig {
    /** Whether the stack creates an Aurora DSQL cluster and a DSQL connect role per consumer. */
    readonly enabled: boolean;
    /** Who may assume the stack's DSQL admin role (`dsql:DbConnectAdmin`); no admin role without them. */
    readonly adminPrincipals: readonly string[];
}

/**
 * The rules between `dsql` and the other keys: admin principals only with a cluster, and every DSQL role's trust
 * policy within IAM's default "Role trust policy length" (`POLICY_LIMITS.roleTrustPolicy`, measured as
 * `consumerLimitProblems` measures the connect role's): a consumer's DSQL connect role trusts its `principals` (in
 * access mode `password` they are otherwise measured against the secret's policy only), the admin role the admin
 * principals.
 */
export function checkDsql(
    dsql: { enabled: boolean; adminPrincipals?: string[] } | undefined,
    consumers: readonly { readonly principals?: readonly string[] }[] | undefined,
    problems: Problems,
): void {
    // Each consumer's DSQL connect role is auto-named after it, `<stack>-dsql-<consumer>` (components/dsql): with
    // the longest stack name (15) and consumer name (32) and Pulumi's 8 characters that is 61, within IAM's 64
    // (tests/unit/dsql-cluster.test.ts), so no consumer name needs a rule of its own here.
    if (dsql?.enabled === true) {
        const limit = POLICY_LIMITS.roleTrustPolicy;
        const tooLong = (principals: readonly string[], path: string | (string | number)[], what: string) => {
            const size = policySize(connectRoleTrustPolicy(principals), limit);
            if (size <= limit.max) return;
            problems.reject(
                path,
                principals,
                `${what}'s trust policy would be ${size} characters, and AWS allows ${limit.max} (${limit.what})`,
                "List fewer principals in {file}.",
            );
        };
        (consumers ?? []).forEach((c, i) => {
            if (c.principals)
                tooLong(
                    c.principals,
                    ["consumers", i, "principals"],
                    "with 'dsql.enabled' its DSQL connect role",
                );
        });
        if (dsql.adminPrincipals)
            tooLong(dsql.adminPrincipals, "dsql.adminPrincipals", "the DSQL admin role");
        return;
    }
    if (dsql?.adminPrincipals === undefined) return;
    problems.reject(
        "dsql.adminPrincipals",
        dsql.adminPrincipals,
        "without 'dsql.enabled' true there is no DSQL cluster to administer, so it would have no effect",
        "Set 'dsql.enabled' to true in {file}, or remove 'dsql.adminPrincipals'.",
    );
}

/** The `dsql` key with its defaults applied. */
export function dsqlConfigOf(dsql: { enabled: boolean; adminPrincipals?: string[] }): DsqlConfig {
    return { enabled: dsql.enabled, adminPrincipals: dsql.enabled ? (dsql.adminPrincipals ?? []) : [] };
}
