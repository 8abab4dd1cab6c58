/**
 * The contract's rules between the fields of its path (`connectivity`) and the rest: each path's names in the
 * contract's region and the producer's account, the listener ports apart, the regions of one partition, the Lattice
 * share's invitations for consumer accounts only. Part of ./contract-rules.ts's cross-field rules.
 */
import { partitionOf } from "./aws-ids";
import { dsqlContractProblems } from "./contract-dsql";
import type { Contract, LatticePath, PrivateLinkPath } from "./contract-versions";
import { problem, render, type Problem, type Surface } from "./rules";

/** Where a field of the path is in the contract's version: at the top in version 1, under `connectivity` after. */
export function pathFieldAt(c: Contract, field: string): string {
    return c.version === 1 ? field : `connectivity.${field}`;
}

/**
 * The read-only endpoint and what its path needs for it come together: its own listener port on the PrivateLink
 * path (the read-only endpoint has its own IPs, so its own target group and listener), its own resource
 * configuration on the Lattice path.
 */
export function pairProblems(surface: Surface, c: Contract): Problem[] {
    const path = c.connectivity;
    const [partner, why] =
        path.kind === "privatelink-nlb"
            ? ([path.readOnlyPort, "the read-only endpoint needs its own listener port"] as const)
            : ([
                  path.readOnlyResourceConfigurationArn,
                  "the read-only endpoint has its own resource configuration",
              ] as const);
    const partnerField =
        path.kind === "privatelink-nlb" ? "readOnlyPort" : "readOnlyResourceConfigurationArn";
    if ((c.readOnlyEndpoint === undefined) === (partner === undefined)) return [];
    const [has, lacks] =
        c.readOnlyEndpoint === undefined
            ? [pathFieldAt(c, partnerField), "readOnlyEndpoint"]
            : ["readOnlyEndpoint", pathFieldAt(c, partnerField)];
    return [
        problem(
            surface,
            lacks,
            undefined,
            `'${has}' is set, and a contract has both or neither (${why})`,
            surface.fix(lacks, ""),
        ),
    ];
}

/** The problems of the contract's path against its other fields. */
export function pathProblems(surface: Surface, c: Contract): Problem[] {
    const path =
        c.connectivity.kind === "privatelink-nlb"
            ? privateLinkProblems(surface, c, c.connectivity)
            : latticeProblems(surface, c, c.connectivity);
    // The DSQL cluster is published beside the proxy, on either path.
    return [...path, ...dsqlContractProblems(surface, c)];
}

function privateLinkProblems(surface: Surface, c: Contract, path: PrivateLinkPath): Problem[] {
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    if (!path.endpointServiceName.startsWith(`com.amazonaws.vpce.${c.region}.`)) {
        problems.push(
            problem(
                surface,
                pathFieldAt(c, "endpointServiceName"),
                path.endpointServiceName,
                `that service is not in the contract's 'region' ${c.region}`,
                fix,
            ),
        );
    }
    if (path.readOnlyPort !== undefined && path.readOnlyPort === c.port) {
        problems.push(
            problem(
                surface,
                pathFieldAt(c, "readOnlyPort"),
                path.readOnlyPort,
                `that is also 'port' (${render(c.port)}), and each endpoint needs its own listener on the shared ` +
                    `endpoint service`,
                fix,
            ),
        );
    }
    // A region of another partition shares no account, IAM or network with the contract's region, so no consumer
    // there could reach the service.
    const partition = partitionOf(c.region);
    (path.supportedRegions ?? []).forEach((region, i) => {
        if (partitionOf(region) !== partition) {
            problems.push(
                problem(
                    surface,
                    `${pathFieldAt(c, "supportedRegions")}[${i}]`,
                    region,
                    `that region is in partition ${partitionOf(region)}, and the contract's region ${c.region} is ` +
                        `in ${partition}`,
                    fix,
                ),
            );
        }
    });
    return problems;
}

function latticeProblems(surface: Surface, c: Contract, path: LatticePath): Problem[] {
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    const arns = [
        ["resourceConfigurationArn", path.resourceConfigurationArn],
        ["readOnlyResourceConfigurationArn", path.readOnlyResourceConfigurationArn],
        ["resourceShareArn", path.resourceShareArn],
    ] as const;
    for (const [field, arn] of arns) {
        if (arn === undefined) continue;
        const [, arnPartition, , arnRegion, arnAccount] = arn.split(":");
        const wrong =
            arnPartition !== partitionOf(c.region) || arnRegion !== c.region
                ? `that ARN is in ${arnPartition} region ${arnRegion}, and the contract's region is ${c.region}: a ` +
                  `resource configuration and its share are regional, and the proxy is in ${c.region}`
                : c.producerAccountId !== undefined && arnAccount !== c.producerAccountId
                  ? `that ARN is in account ${arnAccount}, and the contract's producer is account ` +
                    `${c.producerAccountId}`
                  : undefined;
        if (wrong !== undefined) problems.push(problem(surface, pathFieldAt(c, field), arn, wrong, fix));
    }
    if (path.readOnlyResourceConfigurationArn === path.resourceConfigurationArn) {
        problems.push(
            problem(
                surface,
                pathFieldAt(c, "readOnlyResourceConfigurationArn"),
                path.readOnlyResourceConfigurationArn,
                "that is also 'resourceConfigurationArn'; each endpoint has its own resource configuration",
                fix,
            ),
        );
    }
    // An invitation is the share reaching an account: only consumer accounts may be sent one.
    const consumers = new Set((c.consumers ?? []).map((entry) => entry.accountId));
    path.invitedAccountIds.forEach((account, i) => {
        if (!consumers.has(account)) {
            problems.push(
                problem(
                    surface,
                    `${pathFieldAt(c, "invitedAccountIds")}[${i}]`,
                    account,
                    "that account is not one of the contract's consumers, and the share reaches consumer accounts only",
                    fix,
                ),
            );
        }
    });
    return problems;
}
