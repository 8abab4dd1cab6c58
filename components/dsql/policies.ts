/**
 * The policy documents of the DSQL component (./cluster.ts), as pure functions so that tests compare them exactly.
 *
 * - `dsqlClusterPolicy`: the cluster's resource policy. "Aurora DSQL clusters are accessible from the public internet
 *   by default, with IAM authentication as the primary security control" ("Resource-based policies for Aurora DSQL",
 *   https://docs.aws.amazon.com/aurora-dsql/latest/userguide/resource-based-policies.html); the pinned provider's
 *   `aws.dsql.ClusterPolicy` example "Block Public Internet Access" denies both connect actions when
 *   `aws:SourceVpc` is null. Consumers arrive through their own VPC's interface endpoint, so they have a source VPC.
 * - `dsqlConnectPolicy`: a consumer's DSQL connect role may `dsql:DbConnect` on this one cluster and nothing else.
 * - `dsqlAdminPolicy`: the admin role may `dsql:DbConnectAdmin` on this one cluster and nothing else.
 *
 * Both actions are scoped to the cluster ARN (Service Authorization Reference for Amazon Aurora DSQL; docs/dsql.md).
 * Each document has one statement and one ARN whatever the number of consumers, so its size is constant: the largest
 * (an ARN with the longest partition and region) is measured in tests/unit/dsql-cluster.test.ts against IAM's inline
 * role policy limit (vocabulary/access/limits.ts).
 */
import { DSQL_CONNECT_ACTION, DSQL_CONNECT_ADMIN_ACTION } from "../../vocabulary";

export function dsqlClusterPolicy(clusterArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyConnectFromOutsideAVpc",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: [DSQL_CONNECT_ACTION, DSQL_CONNECT_ADMIN_ACTION],
                Resource: clusterArn,
                Condition: { Null: { "aws:SourceVpc": "true" } },
            },
        ],
    });
}

export function dsqlConnectPolicy(clusterArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ConnectToTheCluster",
                Effect: "Allow",
                Action: DSQL_CONNECT_ACTION,
                Resource: clusterArn,
            },
        ],
    });
}

export function dsqlAdminPolicy(clusterArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ConnectAsAdmin",
                Effect: "Allow",
                Action: DSQL_CONNECT_ADMIN_ACTION,
                Resource: clusterArn,
            },
        ],
    });
}
