/**
 * Where a recorded stack's placeholders live: the account, region and partition its stack file names. Values only
 * AWS computes (ARNs, endpoint names) are built from these, so that the plan of a stack in 333333333333 in
 * cn-north-1 shows `arn:aws-cn:…:cn-north-1:333333333333:…` and `….amazonaws.com.cn`, never the examples' values.
 */
import { accountIdPattern, dnsSuffixOf, partitionOf, type Partition } from "../../vocabulary/aws-ids";

/** The account, region, partition and DNS suffix of one stack. */
export interface Placement {
    readonly accountId: string;
    readonly region: string;
    readonly partition: Partition;
    /** The partition's DNS suffix, such as `amazonaws.com` or `amazonaws.com.cn`. */
    readonly dnsSuffix: string;
}

/**
 * The account a config without a valid `accountId` gets in placeholders. It never reaches a plan: the program
 * refuses such a config before it creates anything.
 */
export const NO_ACCOUNT_ID = "000000000000";

/** The placement of a stack with config `accountId` in `region`. */
export function placementOf(accountId: unknown, region: string): Placement {
    const partition = partitionOf(region);
    return {
        accountId:
            typeof accountId === "string" && accountIdPattern.test(accountId) ? accountId : NO_ACCOUNT_ID,
        region,
        partition,
        dnsSuffix: dnsSuffixOf(partition),
    };
}

/** A regional ARN placeholder of `service` in `where`: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arnIn(where: Placement, service: string, resource: string): string {
    return `arn:${where.partition}:${service}:${where.region}:${where.accountId}:${resource}`;
}

/** A global ARN placeholder (IAM) of `service` in `where`: `arn:<partition>:<service>::<account>:<resource>`. */
export function globalArnIn(where: Placement, service: string, resource: string): string {
    return `arn:${where.partition}:${service}::${where.accountId}:${resource}`;
}
