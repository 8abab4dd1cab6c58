/**
 * Network planning of the consumer: the shared `planNetwork`, with a new VPC placed in the AZs the endpoint
 * service is offered in whenever the region allows; and the checks of an existing VPC's client security groups
 * and DNS settings. Reports problems; creates nothing.
 */
import * as aws from "@pulumi/aws";
import { NetworkConfig } from "../config/common";
import { problem, render } from "../config/kit";
import { Problems } from "../config/read";
import { NetworkPlan, planNetwork } from "../network";

/** Plans the consumer network; a new VPC prefers the AZ IDs in `offeredAzIds`. */
export function planConsumerNetwork(
    stack: string,
    network: NetworkConfig,
    offeredAzIds: readonly string[],
    provider: aws.Provider,
    problems: Problems,
): Promise<NetworkPlan | undefined> {
    // One overlapping AZ is allowed (with a warning later), so no two-AZ minimum here.
    return planNetwork(stack, network, provider, problems, {
        onePerAz: "an interface endpoint",
        preferAzIds: offeredAzIds,
    });
}

/** Checks that each client security group exists and is in the endpoint's VPC, where the private DNS zones are. */
export async function checkClientSecurityGroups(
    stack: string,
    ids: readonly string[],
    vpcId: string,
    provider: aws.Provider,
    problems: Problems,
): Promise<void> {
    // Look the groups up together, but report in config order so that messages are stable.
    const found = await Promise.all(
        ids.map(async (id) => {
            try {
                return { id, group: await aws.ec2.getSecurityGroup({ id }, { provider }) };
            } catch (err) {
                return { id, reason: (err as Error).message };
            }
        }),
    );
    for (const { id, group, reason } of found) {
        if (!group) {
            problems.add(
                problem(
                    stack,
                    ["clientSecurityGroupIds"],
                    `Config 'rds-cross-account:clientSecurityGroupIds' names ${render(id)}, which could not be found ` +
                        `in the account${reason ? ` (${reason})` : ""}. List security groups of ${vpcId} in {file}.`,
                ),
            );
        } else if (group.vpcId !== vpcId) {
            problems.add(
                problem(
                    stack,
                    ["clientSecurityGroupIds"],
                    `Config 'rds-cross-account:clientSecurityGroupIds' names ${render(id)}, which is in ${group.vpcId}, ` +
                        `but the endpoint and the private DNS zones are in ${vpcId} (network.vpcId), so members of ` +
                        `that group could not resolve or reach the proxy. List security groups of ${vpcId} in {file}.`,
                ),
            );
        }
    }
}

/**
 * Private hosted zones answer only in VPCs with both DNS attributes on; without them the proxy hostname keeps
 * resolving to the database account's addresses, and clients fail in ways that do not point here.
 */
export async function checkVpcDns(
    stack: string,
    vpcId: string,
    provider: aws.Provider,
    problems: Problems,
): Promise<void> {
    let vpc: aws.ec2.GetVpcResult;
    try {
        vpc = await aws.ec2.getVpc({ id: vpcId }, { provider });
    } catch (err) {
        const reason = (err as Error).message;
        problems.add(
            problem(
                stack,
                ["network", "vpcId"],
                `Config 'rds-cross-account:network.vpcId' is ${render(vpcId)}, which could not be found in the ` +
                    `account${reason ? ` (${reason})` : ""}. Set 'network.vpcId' in {file} to the applications' VPC.`,
            ),
        );
        return;
    }
    const off = [
        ...(vpc.enableDnsSupport ? [] : ["enableDnsSupport"]),
        ...(vpc.enableDnsHostnames ? [] : ["enableDnsHostnames"]),
    ];
    if (off.length === 0) return;
    // The API changes one attribute per call.
    const commands = off
        .map((a) => (a === "enableDnsSupport" ? "--enable-dns-support" : "--enable-dns-hostnames"))
        .map((flag) => `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} ${flag} '{"Value":true}'`);
    problems.add(
        problem(
            stack,
            ["network", "vpcId"],
            `Config 'rds-cross-account:network.vpcId' is ${render(vpcId)}, which has ${off.join(" and ")} off, but ` +
                `the private hosted zones that make the proxy hostname resolve to the endpoint need both on. Turn ` +
                `${off.length === 1 ? "it" : "them"} on (${commands.join("; ")}), or set privateDns to false in ` +
                `{file} and answer the hostname from your own DNS.`,
        ),
    );
}
