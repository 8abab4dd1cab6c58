/**
 * Network planning of the consumer: the shared `planNetwork`, with a new VPC placed in the AZs the endpoint
 * service is offered in whenever the region allows; and the check of an existing VPC's client security groups.
 * Reports problems; creates nothing.
 */
import * as aws from "@pulumi/aws";
import type { ApplicationApiService, Contract } from "../../vocabulary";
import { NetworkConfig } from "../config/common";
import { Problems } from "../config/read";
import { NetworkPlan, planNetwork } from "../network";

/** Plans the consumer network for endpoints (`onePerAz`); a new VPC prefers the AZ IDs in `offeredAzIds`. */
export function planConsumerNetwork(
    network: NetworkConfig,
    offeredAzIds: readonly string[],
    provider: aws.Provider,
    problems: Problems,
    onePerAz: string,
): Promise<NetworkPlan | undefined> {
    // One overlapping AZ is allowed (with a warning later), so no two-AZ minimum here.
    return planNetwork(network, provider, problems, {
        onePerAz,
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

/** Where applications call the API of their credential, and why a VPC this stack builds cannot reach it. */
export interface ApplicationApiPlace {
    readonly service: ApplicationApiService;
    readonly purpose: string;
    /** The region of the API the applications call. */
    readonly region: string;
    /** Set when an isolated VPC in the stack's region cannot reach that API. */
    readonly refusal?: { readonly reason: string; readonly fix: string };
}

/**
 * The region applications call their credential's API in. STS assumes a role of any region from the applications'
 * own (roles are global, and an SDK calls its regional STS endpoint), so STS is called where the stack is. A secret is
 * read only in its own region, the producer's ("you would need to connect to the endpoint in the region where the
 * secret is located", AWS re:Post, https://repost.aws/questions/QUqPzJz0xJRUWikjso4zk6sQ), and Secrets Manager is not
 * among the AWS services an interface endpoint reaches in another region (AWS PrivateLink Guide, "Cross-region enabled
 * AWS services", https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-cross-region-privatelink-support.html):
 * an isolated VPC in another region could never read it, so that case is refused.
 */
export function applicationApiPlace(
    api: { readonly service: ApplicationApiService; readonly purpose: string },
    contract: Contract,
    region: string,
): ApplicationApiPlace {
    const apiRegion = api.service === "sts" ? region : contract.region;
    if (apiRegion === region) return { ...api, region: apiRegion };
    return {
        ...api,
        region: apiRegion,
        refusal: {
            reason:
                `a VPC this stack builds has no route out, and its applications read their password from ` +
                `${api.service}.${apiRegion}.amazonaws.com, in the producer's region, which no interface endpoint in ` +
                `${region} reaches`,
            fix:
                `Set 'network' in {file} to an existing VPC ({"vpcId": …, "subnetIds": […]}) whose applications reach ` +
                `${api.service}.${apiRegion}.amazonaws.com, or deploy this stack in ${apiRegion} ` +
                `(pulumi config set aws:region ${apiRegion}).`,
        },
    };
}
