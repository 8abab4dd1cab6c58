/**
 * An Aurora DSQL cluster published to consumer accounts (docs/dsql.md): the cluster with deletion protection on,
 * encrypted with its own customer-managed KMS key, a resource policy refusing connections that do not come from a VPC,
 * one DSQL connect role per consumer (trusted by that consumer's principals exactly, allowed `dsql:DbConnect` on this
 * cluster only) and, when principals are named for it, one admin role (`dsql:DbConnectAdmin` on this cluster only).
 *
 * DSQL publishes its own PrivateLink service per cluster (the cluster's `vpcEndpointServiceName`): there is no proxy,
 * load balancer or endpoint service to create here. Its resource policies "can grant access to principals within the
 * same AWS account as the cluster. Cross-account access is not currently supported" (pinned provider,
 * `aws.dsql.ClusterPolicy`), so consumers in other accounts assume a role of this account.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    connectRoleTrustPolicy,
    distinctList,
    dsqlAdminPrincipalRule,
    principalRule,
    rule,
    satisfying,
} from "../../vocabulary";
import { validateArgs } from "../validation";
import { dsqlAdminPolicy, dsqlClusterPolicy, dsqlConnectPolicy } from "./policies";

/**
 * A consumer's DSQL connect role's resource name, `<component>-<consumer>`, which Pulumi auto-names the IAM role after
 * (plus 8 characters): config checks that it fits IAM's 64 (stacks/config/db-account-dsql.ts).
 */
export function dsqlConnectRoleResourceName(component: string, consumer: string): string {
    return `${component}-${consumer}`;
}

export interface DsqlClusterArgs {
    /** Each consumer: its name (for the role's resource name) and the principals that may assume its role. */
    readonly consumers: readonly { readonly name: string; readonly principals: readonly string[] }[];
    /** Who may assume the admin role; no admin role when empty. */
    readonly adminPrincipals: readonly string[];
}

/** Each consumer: a name for its role's resource name and at least one principal, an IAM root, role or user ARN. */
const CONSUMERS_RULE = rule(
    satisfying(
        (v) =>
            Array.isArray(v) &&
            v.every(
                (c: { name?: unknown; principals?: unknown }) =>
                    typeof c?.name === "string" &&
                    /^[a-z][a-z0-9-]{0,31}$/.test(c.name) &&
                    Array.isArray(c.principals) &&
                    c.principals.length > 0 &&
                    c.principals.every((p) => principalRule.schema.safeParse(p).success),
            ),
    ),
    "a list of { name: a lower-case name of at most 32 characters, principals: a non-empty list of IAM root, role or user ARNs }",
    '[{ "name": "orders", "principals": ["arn:aws:iam::222222222222:role/app"] }]',
);

export class DsqlCluster extends pulumi.ComponentResource {
    public readonly key: aws.kms.Key;
    public readonly cluster: aws.dsql.Cluster;
    public readonly identifier: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    /** The per-cluster PrivateLink connection service, `com.amazonaws.<region>.dsql-<suffix>`. */
    public readonly serviceName: pulumi.Output<string>;
    /** Each consumer's DSQL connect role, in the order of `consumers`. */
    public readonly connectRoles: aws.iam.Role[];
    public readonly adminRole?: aws.iam.Role;

    constructor(name: string, args: DsqlClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:dsql:DsqlCluster", name, {}, opts);
        validateArgs("DsqlCluster", name, args, {
            consumers: { rule: CONSUMERS_RULE },
            adminPrincipals: {
                rule: rule(
                    distinctList(dsqlAdminPrincipalRule.schema, 0),
                    "a list of distinct IAM role or user ARNs (no account root)",
                    '["arn:aws:iam::111111111111:role/dsql-operator"]',
                ),
            },
        });
        // The key policy is KMS's default (the account's IAM policies decide who uses the key), as for the Aurora
        // cluster's key: whether DSQL needs a statement of its own is not confirmed here ("Data encryption for Amazon
        // Aurora DSQL", https://docs.aws.amazon.com/aurora-dsql/latest/userguide/data-encryption.html). If it does,
        // creating the cluster fails, and nothing is left unencrypted or encrypted with another key.
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts the ${name} Aurora DSQL cluster`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
            },
            { parent: this },
        );
        this.cluster = new aws.dsql.Cluster(
            name,
            { deletionProtectionEnabled: true, kmsEncryptionKey: this.key.arn },
            { parent: this },
        );
        this.identifier = this.cluster.identifier;
        this.arn = this.cluster.arn;
        this.serviceName = this.cluster.vpcEndpointServiceName;
        new aws.dsql.ClusterPolicy(
            `${name}-policy`,
            { identifier: this.cluster.identifier, policy: this.cluster.arn.apply(dsqlClusterPolicy) },
            { parent: this },
        );
        this.connectRoles = args.consumers.map((c) => {
            const role = new aws.iam.Role(
                dsqlConnectRoleResourceName(name, c.name),
                {
                    description: `Lets consumer ${c.name}'s principals connect to the ${name} Aurora DSQL cluster`,
                    assumeRolePolicy: connectRoleTrustPolicy(c.principals),
                },
                { parent: this },
            );
            new aws.iam.RolePolicy(
                `${dsqlConnectRoleResourceName(name, c.name)}-policy`,
                { role: role.id, policy: this.cluster.arn.apply(dsqlConnectPolicy) },
                { parent: this },
            );
            return role;
        });
        if (args.adminPrincipals.length > 0) {
            this.adminRole = new aws.iam.Role(
                `${name}-admin`,
                {
                    description: `Lets the named principals connect to the ${name} Aurora DSQL cluster as admin`,
                    assumeRolePolicy: connectRoleTrustPolicy(args.adminPrincipals),
                },
                { parent: this },
            );
            new aws.iam.RolePolicy(
                `${name}-admin-policy`,
                { role: this.adminRole.id, policy: this.cluster.arn.apply(dsqlAdminPolicy) },
                { parent: this },
            );
        }
        this.registerOutputs({ identifier: this.identifier, arn: this.arn, serviceName: this.serviceName });
    }
}
