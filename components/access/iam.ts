/**
 * The resources of access mode `iam` (vocabulary/access/iam.ts): a connect role in the database account, trusted by
 * exactly the consumer's principals, allowed `rds-db:connect` as the consumer's user on the proxy and nothing else.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_MODES, connectRoleTrustPolicy } from "../../vocabulary";
import type { AccessBuilder } from "./builder";

/** The IAM resource an RDS Proxy user is, for `rds-db:connect`: `…:dbuser:prx-<id>/<user>`. */
export function proxyDbUserArn(proxyArn: string, user: string): string {
    // arn:<partition>:rds:<region>:<account>:db-proxy:prx-<id>: the resource id is the last segment.
    const parts = proxyArn.split(":");
    const [partition, region, account] = [parts[1], parts[3], parts[4]];
    return `arn:${partition}:rds-db:${region}:${account}:dbuser:${parts[parts.length - 1]}/${user}`;
}

/** The child that carries the consumer's name into an IAM role name: `<component>-connect`. */
export const IAM_ROLE_SUFFIXES = ["-connect"] as const;

export const buildIamAccess: AccessBuilder = (parent, name, args) => {
    const connectRole = new aws.iam.Role(
        `${name}-connect`,
        {
            description: `Lets the consumer's principals connect as database user ${args.databaseUser} through RDS Proxy`,
            assumeRolePolicy: connectRoleTrustPolicy(args.principals),
        },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${name}-connect-policy`,
        {
            role: connectRole.id,
            policy: pulumi.output(args.proxy.arn).apply((proxyArn) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ConnectAsConsumerUser",
                            Effect: "Allow",
                            Action: "rds-db:connect",
                            Resource: proxyDbUserArn(proxyArn, args.databaseUser),
                        },
                    ],
                }),
            ),
        },
        { parent },
    );
    return {
        reference: connectRole.arn.apply((connectRoleArn) => ({
            auth: ACCESS_MODES.iam.auth,
            connectRoleArn,
        })),
        connectRole,
    };
};
