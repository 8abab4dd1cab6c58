/** What a consumer path (./paths.ts) is given and gives back, and the helpers the paths share. */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { matchZones, type ZoneMatch } from "../../components/consumer";
import type { Contract, ContractConnectivity } from "../../vocabulary";
import type { AppAccountConfig } from "../config/app-account";
import type { Problems } from "../config/read";
import type { NetworkPlan, ResolvedNetwork } from "../network";

/** Where the stack runs and what it read: what every step of a path is given. */
export interface PathContext {
    /** Prefix of every resource name. */
    readonly name: string;
    /** The stack's name, for the fixes messages suggest. */
    readonly stack: string;
    /** The stack's region (`aws:region`). */
    readonly region: string;
    readonly config: AppAccountConfig;
    readonly contract: Contract;
}

/** What a path built: what the rest of the stack attaches to, and the outputs it adds. */
export interface Subscription {
    /** The resources the path consists of (the canary is scheduled once they exist). */
    readonly resources: pulumi.Resource[];
    /** The client security group the path created, when config lists none. */
    readonly clientSecurityGroupId?: pulumi.Output<string>;
    /** The stack outputs the path adds. */
    readonly outputs: Record<string, unknown>;
    /** What the consumer path's alarm watches, when the path's endpoint publishes it (stacks/alarms.ts). */
    readonly monitored?: {
        readonly endpointId: pulumi.Output<string>;
        readonly serviceName: string;
        readonly vpcId: pulumi.Output<string>;
    };
}

/** A path on the consumer's side, bound to the contract's `connectivity` of its kind. */
export interface Subscriber<P extends ContractConnectivity = ContractConnectivity> {
    /** Reports a stack region the path cannot be reached from. */
    checkRegion(context: PathContext, path: P, problems: Problems): void;
    /** AZ IDs a new VPC should be placed in first. */
    preferAzIds(context: PathContext, path: P): readonly string[];
    /** What takes one subnet per AZ, in messages ("an interface endpoint"). */
    readonly endpointNoun: string;
    /** What an existing VPC's DNS attributes are needed for, in the words of `checkVpcDns`. */
    readonly dnsNeeds: string;
    /** The subnets the endpoints take (one per AZ), or undefined after reporting why there are none. */
    place(context: PathContext, path: P, plan: NetworkPlan, problems: Problems): ZoneMatch | undefined;
    /** Builds the path's endpoints and names once every check passed. */
    subscribe(context: PathContext, path: P, build: BuildContext): Subscription;
}

/** What `subscribe` is given besides the context. */
export interface BuildContext {
    readonly plan: NetworkPlan;
    readonly network: ResolvedNetwork;
    readonly match: ZoneMatch;
    /** The subnets of `match`, one per AZ. */
    readonly subnetIds: pulumi.Output<string[]>;
    readonly provider: aws.Provider;
}

/**
 * One subnet per AZ the applications' subnets are in (the first of each AZ, in subnet order): the placement of an
 * endpoint that no AZ ID of the producer constrains.
 */
export function everyZone(subnetAzIds: readonly string[]): ZoneMatch {
    return matchZones(subnetAzIds, subnetAzIds);
}

/** The fix for a stack in the wrong region: the command that sets the producer's. */
export function regionFix(context: PathContext): string {
    return `pulumi config set aws:region ${context.contract.region} --stack ${context.stack}`;
}

/** The warning of endpoints in a single AZ, naming it and what adds another. */
export function singleZoneWarning(what: string, azId: string, plan: NetworkPlan, more: string): string {
    return (
        `${what} in one AZ only (${azId}): the path to the database has no AZ redundancy. ` +
        (plan.kind === "existing"
            ? `Add subnets in more AZs to 'network.subnetIds'${more}.`
            : `Raise 'network.azCount'${more}.`)
    );
}
