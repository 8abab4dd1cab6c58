/**
 * The contract's optional `dsql` object (version 2 only): the producer's Aurora DSQL cluster, how consumers reach it
 * and which role each consumer account assumes to connect (docs/dsql.md). Its shape, and its rules against the rest
 * of the contract: the cluster, its connection service and its hostname in the contract's region, the hostname built
 * from the cluster identifier and the service's identifier, each connect role a role of the producer's account, and
 * exactly one entry per consumer account of the contract.
 *
 * The DSQL connect role is its own role, not the consumer entry's `connectRoleArn`: that one exists only in access
 * mode `iam` and may `rds-db:connect` through the proxy; DSQL is IAM-only whatever `applicationAuth` says.
 */
import { parseIamArn, partitionOf } from "./aws-ids";
import {
    dsqlClusterHostname,
    dsqlClusterIdRule,
    dsqlConnectionServiceNameRule,
    dsqlPrivateHostnameRule,
    parseDsqlConnectionServiceName,
} from "./dsql";
import { CONTRACT_FIELDS } from "./contract";
import { accountIdRule, roleArnRule } from "./identifiers";
import { problem, type Problem, type Surface } from "./rules";
import { leaf, list, object, type Infer } from "./shapes";

/** `dsql` of a version-2 contract; other keys are dropped. */
export const contractDsqlShape = object(
    {
        /** The cluster's identifier: the first label of its hostname, and the last part of its ARN. */
        clusterIdentifier: leaf(dsqlClusterIdRule),
        /** The cluster's region: the contract's. */
        region: leaf(CONTRACT_FIELDS.region),
        /** The cluster's PrivateLink connection service, `com.amazonaws.<region>.dsql-<suffix>`. */
        vpcEndpointServiceName: leaf(dsqlConnectionServiceNameRule),
        /** What clients dial with sslmode=verify-full: `<cluster-id>.<service-identifier>.<region>.on.aws`. */
        hostname: leaf(dsqlPrivateHostnameRule),
        /** One entry per consumer account: the role of the producer's account it assumes to connect. */
        consumers: list(
            object({ accountId: leaf(accountIdRule), connectRoleArn: leaf(roleArnRule) }, { strict: false }),
            { min: 1 },
        ),
    },
    { strict: false },
);

export type ContractDsql = Infer<typeof contractDsqlShape>;

/** The contract fields the rules below read. */
interface DsqlContext {
    readonly region: string;
    readonly producerAccountId?: string;
    readonly consumers?: readonly { readonly accountId: string }[];
    readonly dsql?: ContractDsql;
}

/** The problems of `dsql` against the other fields of the contract; none when it has no `dsql`. */
export function dsqlContractProblems(surface: Surface, c: DsqlContext): Problem[] {
    const d = c.dsql;
    if (d === undefined) return [];
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    const add = (path: string, value: unknown, why: string) =>
        problems.push(problem(surface, path, value, why, fix));
    if (d.region !== c.region) {
        add(
            "dsql.region",
            d.region,
            `the contract's 'region' is ${c.region}, and the cluster is the producer's, there`,
        );
    }
    const service = parseDsqlConnectionServiceName(d.vpcEndpointServiceName);
    if (service && service.region !== c.region) {
        add(
            "dsql.vpcEndpointServiceName",
            d.vpcEndpointServiceName,
            `that service is in region ${service.region}, and the cluster in the contract's 'region' ${c.region}`,
        );
    } else if (service) {
        const expected = dsqlClusterHostname(d.clusterIdentifier, service.serviceIdentifier, c.region);
        if (d.hostname !== expected) {
            add(
                "dsql.hostname",
                d.hostname,
                `the cluster ${d.clusterIdentifier} behind ${d.vpcEndpointServiceName} is reached as ${expected}: ` +
                    "DSQL reads the cluster from the first label, and verify-full needs that exact name",
            );
        }
    }
    const partition = partitionOf(c.region);
    const accounts = new Set((c.consumers ?? []).map((entry) => entry.accountId));
    const seen = new Set<string>();
    d.consumers.forEach((entry, i) => {
        const role = parseIamArn(entry.connectRoleArn);
        if (
            role &&
            (role.partition !== partition || role.accountId !== (c.producerAccountId ?? role.accountId))
        ) {
            add(
                `dsql.consumers[${i}].connectRoleArn`,
                entry.connectRoleArn,
                `a DSQL connect role is a role of the producer's account ${c.producerAccountId ?? ""} in ` +
                    `${partition}: DSQL resource policies do not grant other accounts`,
            );
        }
        if (!accounts.has(entry.accountId)) {
            add(
                `dsql.consumers[${i}].accountId`,
                entry.accountId,
                "that account is not one of the contract's consumers",
            );
        } else if (seen.has(entry.accountId)) {
            add(`dsql.consumers[${i}].accountId`, entry.accountId, "that account has an entry already");
        }
        seen.add(entry.accountId);
    });
    for (const account of accounts) {
        if (!seen.has(account)) {
            add(
                "dsql.consumers",
                d.consumers.map((e) => e.accountId),
                `it has no entry for consumer account ${account}`,
            );
        }
    }
    return problems;
}
