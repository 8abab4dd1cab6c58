/**
 * The db-account stack's Aurora DSQL cluster (`dsql.enabled`; docs/dsql.md): the DsqlCluster component, what the
 * contract says of it (`dsql`, version 2 only: vocabulary/contract-dsql.ts) and the stack's DSQL outputs. Nothing
 * when DSQL is off.
 */
import * as pulumi from "@pulumi/pulumi";
import { DsqlCluster } from "../../components/dsql";
import type { DbAccountConfig } from "../config/db-account";
import { dsqlComponentName } from "../config/db-account-dsql";
import { dsqlClusterHostname, dsqlServiceIdentifier, type ContractDsql } from "../../vocabulary";

export interface DsqlPublished {
    /** The contract's `dsql`. */
    readonly contract: pulumi.Output<ContractDsql>;
    /** The stack's DSQL outputs. */
    readonly outputs: Record<string, pulumi.Output<string>>;
}

/**
 * The DSQL cluster and each consumer's DSQL connect role, trusted by the consumer's `principals` as its access is.
 * Its own role, in both access modes: DSQL is IAM-only, so a consumer with `applicationAuth: password` connects to
 * DSQL through this role too, and the IAM mode's connect role keeps only `rds-db:connect` (its measured policy).
 */
export function publishDsql(
    stack: string,
    config: Pick<DbAccountConfig, "dsql" | "consumers" | "region">,
    provider: pulumi.ProviderResource,
): DsqlPublished | undefined {
    if (!config.dsql.enabled) return undefined;
    const dsql = new DsqlCluster(
        dsqlComponentName(stack),
        {
            consumers: config.consumers.map((c) => ({ name: c.name, principals: c.principals })),
            adminPrincipals: config.dsql.adminPrincipals,
        },
        { provider },
    );
    const contract = pulumi
        .all([dsql.identifier, dsql.serviceName, pulumi.all(dsql.connectRoles.map((r) => r.arn))])
        .apply(([clusterIdentifier, serviceName, roleArns]): ContractDsql => ({
            clusterIdentifier,
            region: config.region,
            vpcEndpointServiceName: serviceName,
            // A service name that is not one leaves the hostname empty: the exported contract's check names both.
            hostname: hostnameOf(clusterIdentifier, serviceName, config.region),
            consumers: config.consumers.map((c, i) => ({
                accountId: c.accountId,
                connectRoleArn: roleArns[i],
            })),
        }));
    return {
        contract,
        outputs: {
            dsqlClusterIdentifier: dsql.identifier,
            dsqlClusterArn: dsql.arn,
            dsqlServiceName: dsql.serviceName,
            ...(dsql.adminRole ? { dsqlAdminRoleArn: dsql.adminRole.arn } : {}),
        },
    };
}

function hostnameOf(clusterId: string, serviceName: string, region: string): string {
    const service = dsqlServiceIdentifier(serviceName);
    try {
        return service === undefined ? "" : dsqlClusterHostname(clusterId, service, region);
    } catch {
        return "";
    }
}
