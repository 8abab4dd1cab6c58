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

/** What the eni source trusts an interface by, besides its description. */
export interface ProxyPlacement {
    /** The proxy's VPC. */
    readonly vpcId: string;
    /** The proxy's subnets: its interfaces are in these. */
    readonly subnetIds: readonly string[];
    /** The proxy's security groups: its interfaces carry every one of these. */
    readonly securityGroupIds: readonly string[];
}

/**
 * Why an interface with the proxy's description is not the proxy's: anyone with ec2:CreateNetworkInterface can
 * give an interface any description, but not make it requester-managed (created by an AWS service on the
 * account's behalf; EC2 User Guide, "Requester-managed network interfaces"), and RDS places the proxy's
 * interfaces in its subnets with its security groups. Returns the reasons, empty when the interface fits.
 */
export function impostorReasons(
    eni: import("@aws-sdk/client-ec2").NetworkInterface,
    placement: ProxyPlacement,
): string[] {
    const reasons: string[] = [];
    if (eni.RequesterManaged !== true) {
        reasons.push("EC2 reports it as not requester-managed (not created by RDS)");
    }
    if (!eni.SubnetId || !placement.subnetIds.includes(eni.SubnetId)) {
        reasons.push(`its subnet ${eni.SubnetId ?? "(none)"} is not one of the proxy's`);
    }
    const groups = new Set((eni.Groups ?? []).map((g) => g.GroupId));
    const missing = placement.securityGroupIds.filter((id) => !groups.has(id));
    if (missing.length > 0) {
        reasons.push(`it lacks the proxy's security group(s) ${missing.join(", ")}`);
    }
    return reasons;
}

/**
 * Returns the IPv4 addresses of the proxy's interfaces in its VPC (all pages). An interface that has the
 * proxy's description but not its placement (see `impostorReasons`) fails the whole lookup, naming it: it was
 * created by someone else, and registering it would hand consumers' connections to whoever did. An empty
 * result is returned as such; the caller decides that it is an error.
 */
export async function lookupEniIps(
    clients: SyncClients,
    placement: ProxyPlacement,
    proxyName: string,
): Promise<string[]> {
    const { DescribeNetworkInterfacesCommand } =
        require("@aws-sdk/client-ec2") as typeof import("@aws-sdk/client-ec2");
    const vpcId = placement.vpcId;
    const description = proxyEniDescription(proxyName);
    const ips = new Set<string>();
    const impostors: string[] = [];
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
            const reasons = impostorReasons(eni, placement);
            if (reasons.length > 0) {
                impostors.push(
                    `${eni.NetworkInterfaceId ?? "(no id)"} (${addresses.filter(Boolean).join(", ")}): ${reasons.join("; ")}`,
                );
                continue;
            }
            for (const ip of addresses) {
                if (ip) {
                    ips.add(ip);
                }
            }
        }
        nextToken = out.NextToken || undefined;
    } while (nextToken);
    if (impostors.length > 0) {
        const e = new Error(
            `Network interfaces described as proxy ${proxyName}'s are not the proxy's: ${impostors.join(" | ")}. ` +
                `Nothing was changed. Find out who created them (CloudTrail CreateNetworkInterface) and delete them.`,
        );
        e.name = "ForeignInterfaceError";
        throw e;
    }
    return Array.from(ips);
}
