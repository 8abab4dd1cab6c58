/**
 * Network planning of the consumer: the shared `planNetwork`, with a new VPC placed in the AZs the endpoint
 * service is offered in whenever the region allows; and the check of an existing VPC's client security groups.
 * Reports problems; creates nothing.
 */
import * as aws from "@pulumi/aws";
import { NetworkConfig } from "../config/common";
import { Problems } from "../config/read";
import { NetworkPlan, planNetwork } from "../network";

/** Plans the consumer network; a new VPC prefers the AZ IDs in `offeredAzIds`. */
export function planConsumerNetwork(
    network: NetworkConfig,
    offeredAzIds: readonly string[],
    provider: aws.Provider,
    problems: Problems,
): Promise<NetworkPlan | undefined> {
    // One overlapping AZ is allowed (with a warning later), so no two-AZ minimum here.
    return planNetwork(network, provider, problems, {
        onePerAz: "an interface endpoint",
        preferAzIds: offeredAzIds,
    });
}

/** Checks that each client security group exists and is in the endpoint's VPC, where the private DNS zones are. */
export async function checkClientSecurityGroups(
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
            problems.reject(
                "clientSecurityGroupIds",
                ids,
                `"${id}" could not be found in the account${reason ? ` (${reason})` : ""}`,
                `List security groups of ${vpcId} in {file}.`,
            );
        } else if (group.vpcId !== vpcId) {
            problems.reject(
                "clientSecurityGroupIds",
                ids,
                `"${id}" is in ${group.vpcId}, and the endpoint and the private DNS zones are in ${vpcId} ` +
                    `(network.vpcId), so members of that group could not resolve or reach the proxy`,
                `List security groups of ${vpcId} in {file}.`,
            );
        }
    }
}
