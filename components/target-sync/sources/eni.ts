/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * `eni` source: the private IPs of the network interfaces RDS Proxy creates in its VPC.
 */
import type { SyncClients } from "../aws";

/**
 * The description RDS gives the interfaces of a proxy's default endpoint. It is not in the RDS API
 * reference; it is what EC2 reports for them in real accounts, and public tooling that classifies ENIs relies
 * on the same text (for example cloud inventory tools that match `Network interface for DBProxy (?P<name>.*)`
 * and Terraform exports of real accounts showing `description = "Network interface for DBProxy <name>"`).
 * We filter on the exact full string, so proxy `app` never matches the interfaces of proxy `app-2`.
 */
export function proxyEniDescription(proxyName: string): string {
    return `Network interface for DBProxy ${proxyName}`;
}

/**
 * Returns the IPv4 addresses of the proxy's interfaces in `vpcId` (all pages). An empty result is returned
 * as such; the caller decides that it is an error.
 */
export async function lookupEniIps(
    clients: SyncClients,
    vpcId: string,
    proxyName: string,
): Promise<string[]> {
    const { DescribeNetworkInterfacesCommand } =
        require("@aws-sdk/client-ec2") as typeof import("@aws-sdk/client-ec2");
    const description = proxyEniDescription(proxyName);
    const ips = new Set<string>();
    let nextToken: string | undefined;
    do {
        const out = await clients.ec2.send(
            new DescribeNetworkInterfacesCommand({
                Filters: [
                    { Name: "vpc-id", Values: [vpcId] },
                    { Name: "description", Values: [description] },
                ],
                MaxResults: 1000,
                NextToken: nextToken,
            }),
        );
        for (const eni of out.NetworkInterfaces ?? []) {
            // EC2 filter values accept `*` and `?` wildcards; proxy names cannot contain them, and the exact
            // comparison below keeps a wildcard-like name from ever matching another proxy.
            if (eni.Description !== description || eni.VpcId !== vpcId) {
                continue;
            }
            const addresses = eni.PrivateIpAddresses?.length
                ? eni.PrivateIpAddresses.map((a) => a.PrivateIpAddress)
                : [eni.PrivateIpAddress];
            for (const ip of addresses) {
                if (ip) {
                    ips.add(ip);
                }
            }
        }
        nextToken = out.NextToken || undefined;
    } while (nextToken);
    return Array.from(ips);
}
