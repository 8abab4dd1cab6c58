/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * The proxy's subnets as EC2 reports them: their IPv4 CIDRs, the bounds every address a lookup returns must fall
 * in. Looked up where the caller can reach the EC2 API (the dynamic provider at `pulumi up`, the CLI); the
 * Lambda gets the CIDRs in its environment instead, so that the dns-mode function, in a VPC whose only API
 * endpoints are ELB and DynamoDB, needs no EC2 endpoint.
 */
import type { SyncClients } from "./aws";

/** Reads the subnets' CIDRs (one DescribeSubnets call); throws when one is missing or outside `vpcId`. */
export async function describeSubnetCidrs(
    clients: SyncClients,
    subnetIds: readonly string[],
    vpcId: string,
): Promise<string[]> {
    const { DescribeSubnetsCommand } = require("@aws-sdk/client-ec2") as typeof import("@aws-sdk/client-ec2");
    let subnets;
    try {
        subnets =
            (await clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...subnetIds] }))).Subnets ?? [];
    } catch (err) {
        if ((err as { name?: string }).name === "InvalidSubnetID.NotFound") {
            const e = new Error(
                `The proxy's subnets ${subnetIds.join(", ")} could not all be found: ${(err as Error).message}; nothing was changed.`,
            );
            e.name = "SubnetNotFound";
            throw e;
        }
        throw err;
    }
    const byId = new Map(subnets.map((s) => [s.SubnetId, s]));
    const problems: string[] = [];
    const cidrs: string[] = [];
    for (const id of subnetIds) {
        const s = byId.get(id);
        if (!s?.CidrBlock) {
            problems.push(`${id} was not found`);
        } else if (s.VpcId !== vpcId) {
            problems.push(`${id} is in ${String(s.VpcId)}, not in ${vpcId}`);
        } else {
            cidrs.push(s.CidrBlock);
        }
    }
    if (problems.length > 0) {
        const e = new Error(`The proxy's subnets do not fit: ${problems.join("; ")}; nothing was changed.`);
        e.name = "SubnetNotFound";
        throw e;
    }
    return cidrs;
}
