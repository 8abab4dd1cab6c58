/**
 * How the database account's policies name a consumer's principals (the connect role's trust policy, the secret's
 * resource policy and its key's policy), one rule for all of them:
 *
 * - **The account root among them** (the default): the principals are the policy's `Principal`, as listed. The root
 *   admits every principal of that account that its own IAM policies allow, the canary's role among them.
 * - **Narrowed** (roles and users only): the `Principal` is the root of their account, and the condition
 *   `ArnEquals` `aws:PrincipalArn` lists them, and the consumer's canary role (`admittedPrincipals`). The effective set
 *   is the same as listing them: a cross-account request needs the resource's policy and the caller's own IAM
 *   policy, and the condition admits only the listed ARNs. What changes is that nothing is checked to exist when the
 *   policy is saved: IAM refuses a trust policy whose `Principal` names a role that does not exist ("Invalid principal
 *   in policy", AWS re:Post Knowledge Center, "iam-trust-policy-error"; KMS and Secrets Manager refuse such policies
 *   too), and the db-account stack is deployed before the consumer's app-account stack creates its canary role, or
 *   before its application roles exist. The other difference: a role in `Principal` is saved as its unique ID, so a
 *   role deleted and recreated under the same name is no longer trusted ("if you delete and recreate a user or role
 *   referenced in a trust policy's Principal element, you must edit the role to replace the ARN", IAM User Guide,
 *   "AWS JSON policy elements: Principal"); under the condition the recreated role is trusted again. Only the
 *   consumer account's administrators can recreate it, and they can change what its applications' roles trust anyway.
 *
 * `aws:PrincipalArn`: "Compare the Amazon Resource Name (ARN) of the principal that made the request with the ARN
 * that you specify in the policy. For IAM roles, the request context returns the ARN of the role, not the ARN of the
 * user that assumed the role" (IAM User Guide, "AWS global condition context keys"); a global key, so trust,
 * Secrets Manager and KMS policies all evaluate it.
 */
import { parseIamArn } from "../aws-ids";

/** The `Principal` of a statement naming a consumer's principals, and the condition that narrows it, if any. */
export interface PrincipalClause {
    readonly Principal: { readonly AWS: string | readonly string[] };
    readonly Condition?: { readonly ArnEquals: { readonly "aws:PrincipalArn": readonly string[] } };
}

/** True when `principals` hold an account root, which admits the whole account. */
export function admitsWholeAccount(principals: readonly string[]): boolean {
    return principals.some((p) => parseIamArn(p)?.kind === "root");
}

/**
 * Who the policies admit: `principals` as listed when they hold the account root; else `principals` and the
 * canary's role, when there is one (`consumers[].canary` not false).
 */
export function admittedPrincipals(principals: readonly string[], canaryRoleArn?: string): string[] {
    return admitsWholeAccount(principals) || canaryRoleArn === undefined || principals.includes(canaryRoleArn)
        ? [...principals]
        : [...principals, canaryRoleArn];
}

/** The statement's `Principal` (and `Condition`) for `principals`, by the rule above. */
export function principalClause(principals: readonly string[]): PrincipalClause {
    if (admitsWholeAccount(principals)) return { Principal: { AWS: [...principals] } };
    const roots = [
        ...new Set(
            principals.map((p) => {
                const arn = parseIamArn(p);
                if (!arn) throw new Error(`${JSON.stringify(p)} is not an IAM ARN of a role or user.`);
                return `arn:${arn.partition}:iam::${arn.accountId}:root`;
            }),
        ),
    ];
    return {
        Principal: { AWS: roots.length === 1 ? roots[0] : roots },
        Condition: { ArnEquals: { "aws:PrincipalArn": [...principals] } },
    };
}

/** IAM role names: "Maximum 64 characters" (IAM User Guide, "IAM and AWS STS quotas", IAM name requirements). */
const ROLE_NAME_MAX = 64;

/**
 * The longest ARN a canary role of the principals' account can have, for measuring the policies against AWS's size
 * limits before its name is known (config checks run before the stack derives it); undefined when the principals
 * hold the account root, which admits the canary without naming it.
 */
export function longestCanaryRoleArn(principals: readonly string[]): string | undefined {
    const arn =
        principals.length > 0 && !admitsWholeAccount(principals) ? parseIamArn(principals[0]) : undefined;
    return arn && `arn:${arn.partition}:iam::${arn.accountId}:role/${"x".repeat(ROLE_NAME_MAX)}`;
}
