/**
 * AWS's limits that grow with the number of consumers: the sizes of the policy documents the stacks write, and
 * the default quotas that the stacks warn about. Each is written once here, with where AWS says it, and read by
 * the config rules, the stacks' warnings, the policy-size tests and the bench.
 */

/** How AWS counts a policy document against its limit. */
export type PolicyCounting =
    /** IAM: characters, white space not counted. */
    | "characters-without-whitespace"
    /** Characters of the document as sent, white space included. */
    | "characters"
    /** UTF-8 bytes of the document as sent. */
    | "bytes";

/** A size limit of one kind of policy document. */
export interface PolicyLimit {
    /** What is limited, in words. */
    readonly what: string;
    readonly max: number;
    readonly counting: PolicyCounting;
    /** Where AWS says it. */
    readonly source: string;
}

/** The size limits of every kind of policy document the db-account stack writes. */
export const POLICY_LIMITS = {
    // "Role policy size cannot exceed 10,240 characters" for all inline policies of a role together; "IAM doesn't
    // count white space when calculating the size of a policy against these quotas".
    roleInlinePolicies: {
        what: "a role's inline policies together",
        max: 10_240,
        counting: "characters-without-whitespace",
        source: "IAM User Guide, IAM and AWS STS quotas (IAM and STS character limits)",
    },
    // "The size of each managed policy cannot exceed 6,144 characters" (white space not counted).
    managedPolicy: {
        what: "a managed policy",
        max: 6_144,
        counting: "characters-without-whitespace",
        source: "IAM User Guide, IAM and AWS STS quotas (IAM and STS character limits)",
    },
    // "Role trust policy length": 2,048 characters by default, adjustable in Service Quotas.
    roleTrustPolicy: {
        what: "a role's trust policy (IAM's default quota)",
        max: 2_048,
        counting: "characters-without-whitespace",
        source: "IAM User Guide, IAM and AWS STS quotas (IAM object quotas: Role trust policy length)",
    },
    // "Maximum 32 kilobytes (32,768 bytes)".
    kmsKeyPolicy: {
        what: "a KMS key policy",
        max: 32_768,
        counting: "bytes",
        source: "AWS KMS Developer Guide, Creating a key policy (Key policy format); PutKeyPolicy, Policy",
    },
    // PutResourcePolicy's ResourcePolicy: length 1 to 20,480.
    secretPolicy: {
        what: "a Secrets Manager secret's resource policy",
        max: 20_480,
        counting: "characters",
        source: "AWS Secrets Manager API Reference, PutResourcePolicy (ResourcePolicy length constraints)",
    },
} as const satisfies Record<string, PolicyLimit>;

/**
 * The size of a policy document as AWS counts it against `limit`. For IAM's limits the document is measured in
 * its compact JSON form: white space between tokens is not counted, white space inside strings is (IAM says it
 * counts no white space at all, so this errs on the safe side).
 */
export function policySize(document: string, limit: Pick<PolicyLimit, "counting">): number {
    switch (limit.counting) {
        case "characters-without-whitespace":
            return JSON.stringify(JSON.parse(document)).length;
        case "characters":
            return document.length;
        case "bytes":
            return Buffer.byteLength(document, "utf8");
    }
}

/** A default AWS quota that a stack may pass with the consumers its config lists. */
export interface DefaultQuota {
    /** The quota's name in Service Quotas. */
    readonly name: string;
    readonly service: string;
    readonly value: number;
    readonly source: string;
}

/** The default quotas the stacks warn about. */
export const DEFAULT_QUOTAS = {
    // "Roles in an AWS account": 1,000 by default, adjustable.
    rolesPerAccount: {
        name: "Roles per account",
        service: "AWS Identity and Access Management (IAM)",
        value: 1_000,
        source: "IAM User Guide, IAM and AWS STS quotas (IAM object quotas)",
    },
    // "Inbound or outbound rules per security group": 60 by default, adjustable.
    inboundRulesPerSecurityGroup: {
        name: "Inbound or outbound rules per security group",
        service: "Amazon Virtual Private Cloud (Amazon VPC)",
        value: 60,
        source: "Amazon VPC User Guide, Amazon VPC quotas (Security groups)",
    },
} as const satisfies Record<string, DefaultQuota>;

/**
 * The warning of a plan whose stack creates `count` of what `quota` counts. When the quota is shared with what
 * the account already has (roles), the warning comes at 90 % of the default; when the stack's own resource is all
 * that counts (a security group it creates), once the count passes the default.
 */
export function quotaWarning(
    quota: DefaultQuota,
    count: number,
    what: string,
    { shared }: { readonly shared: boolean },
): string | undefined {
    if (shared ? count < quota.value * 0.9 : count <= quota.value) return undefined;
    return (
        `This stack creates ${count} ${what}, and AWS's default quota "${quota.name}" (${quota.service}) is ` +
        `${quota.value}${shared ? ", counting those the account already has" : ""}: pulumi up fails where the ` +
        `quota applied is passed. Check it in the Service Quotas console (${quota.service}, "${quota.name}") and ` +
        `request an increase before pulumi up if it is too low.`
    );
}
