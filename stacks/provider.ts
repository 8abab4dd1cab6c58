import * as aws from "@pulumi/aws";

/** What pins a stack to one AWS account. */
export interface AccountTarget {
    /** The only account this stack may deploy into. */
    readonly accountId: string;
    /** Region of every resource of the stack. */
    readonly region: string;
    /** Role to assume for the deployment; the caller's credentials are used as-is when absent. */
    readonly assumeRoleArn?: string;
}

/**
 * The stack's one explicit AWS provider. `allowedAccountIds` makes the provider refuse credentials of any
 * other account before it creates anything, so a deploy with the wrong profile stops at the first call.
 */
export function accountProvider(stack: string, target: AccountTarget): aws.Provider {
    return new aws.Provider(`${stack}-aws`, {
        region: target.region as aws.Region,
        allowedAccountIds: [target.accountId],
        assumeRoles: target.assumeRoleArn
            ? [{ roleArn: target.assumeRoleArn, sessionName: `rds-cross-account-${stack}` }]
            : undefined,
        defaultTags: { tags: { "rds-cross-account:stack": stack } },
    });
}
