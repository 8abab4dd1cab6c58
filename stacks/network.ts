/**
 * Resolves the `network` config into a VPC and one subnet per AZ, with each subnet's AZ *ID* (AZ names differ
 * between accounts; PrivateLink matches zones by ID). A new VPC is built with awsx; an existing one is looked
 * up and checked before any resource is created.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { chooseZones } from "../components/consumer";
import { ExistingNetwork, NetworkConfig, NewNetwork } from "./config/common";
import { Problems } from "./config/read";

export interface ResolvedNetwork {
    /** The VPC's ID. */
    readonly vpcId: pulumi.Output<string>;
    /** One subnet per AZ, in the order of `azIds`. */
    readonly subnetIds: pulumi.Output<string[]>;
    /** AZ IDs of `subnetIds`, such as "euw1-az1"; known while planning. */
    readonly azIds: string[];
    /** The awsx VPC when the stack created one. */
    readonly vpc?: awsx.ec2.Vpc;
    /**
     * The subnets of `subnetIds` outside `azIds` (for RDS Proxy: outside the zones it does not run in), in the
     * same order. A new VPC avoids those zones from the start (`NetworkNeeds.avoidAzIds`), so only an existing
     * VPC's list can shrink here.
     */
    subnetIdsOutside(azIds: readonly string[]): pulumi.Output<string[]>;
    /**
     * Route tables of `subnetIds`: for a new VPC those awsx created, for an existing one those planned.
     * Read on demand, so that stacks that do not need them do not depend on them.
     */
    routeTableIds(): pulumi.Output<string[]>;
}

/** What a stack's subnets must allow; the wording goes into problem messages. */
export interface NetworkNeeds {
    /** What takes one subnet per AZ, such as "a load balancer" or "an interface endpoint". */
    readonly onePerAz: string;
    /** Why at least two AZs are needed, when they are (such as "RDS Proxy needs subnets in at least two AZs"). */
    readonly twoAzsBecause?: string;
    /** AZ IDs a new VPC should use first (the AZs a service is offered in). */
    readonly preferAzIds?: readonly string[];
    /**
     * AZ IDs a part of the stack cannot use, and why (such as "RDS Proxy does not run there"): a new VPC avoids
     * them; an existing VPC's subnets in them are kept for the rest of the stack, left out of what
     * `subnetIdsOutside` gives that part, and do not count towards `twoAzsBecause`.
     */
    readonly avoidAzIds?: { readonly ids: readonly string[]; readonly because: string };
    /**
     * Set when the stack puts AWS API endpoints in the VPC (interface endpoints with private DNS, a gateway
     * endpoint): an existing VPC's DNS attributes are then checked and its subnets' route tables looked up.
     */
    readonly apiEndpoints?: VpcDnsNeeds;
    /** Set when the stack routes from the subnets' route tables (a gateway endpoint): they are looked up. */
    readonly routeTables?: boolean;
}

/** Looks up AZs and subnets and reports problems into `problems`; creates nothing. */
export async function planNetwork(
    network: NetworkConfig,
    provider: aws.Provider,
    problems: Problems,
    needs: NetworkNeeds,
): Promise<NetworkPlan | undefined> {
    return network.kind === "new"
        ? planNewNetwork(network, provider, problems, needs)
        : planExistingNetwork(network, provider, problems, needs);
}

export type NetworkPlan =
    | {
          readonly kind: "new";
          readonly config: NewNetwork;
          readonly azNames: string[];
          readonly azIds: string[];
      }
    | {
          readonly kind: "existing";
          readonly config: ExistingNetwork;
          readonly azIds: string[];
          /** Route tables of the subnets (explicit associations, else the main table), when asked for. */
          readonly routeTableIds?: string[];
      };

async function planNewNetwork(
    config: NewNetwork,
    provider: aws.Provider,
    problems: Problems,
    needs: NetworkNeeds,
): Promise<NetworkPlan | undefined> {
    const zones = await aws.getAvailabilityZones(
        { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
        { provider },
    );
    const all = zones.names.map((name, i) => ({ name, id: zones.zoneIds[i] }));
    const avoid = needs.avoidAzIds;
    const pairs = all.filter((p) => !avoid?.ids.includes(p.id));
    const chosen = chooseZones(pairs, needs.preferAzIds ?? [], config.azCount);
    if (!chosen) {
        const left = all.filter((p) => !pairs.includes(p));
        const leftOut =
            left.length > 0 && avoid
                ? `; ${left.map((p) => `${p.name} (${p.id})`).join(", ")} ${left.length === 1 ? "is" : "are"} left out: ${avoid.because}`
                : "";
        problems.reject(
            "network.azCount",
            config.azCount,
            `the region has only ${pairs.length} available AZs${leftOut === "" ? "" : " the stack can use"} (${pairs.map((p) => p.name).join(", ")})${leftOut}`,
            `Set 'network.azCount' in {file} to at most ${pairs.length}.`,
        );
        return undefined;
    }
    return { kind: "new", config, azNames: chosen.map((p) => p.name), azIds: chosen.map((p) => p.id) };
}

async function planExistingNetwork(
    config: ExistingNetwork,
    provider: aws.Provider,
    problems: Problems,
    needs: NetworkNeeds,
): Promise<NetworkPlan | undefined> {
    const subnets = await Promise.all(
        config.subnetIds.map(async (id) => {
            try {
                return await aws.ec2.getSubnet({ id }, { provider });
            } catch (err) {
                problems.reject(
                    "network.subnetIds",
                    config.subnetIds,
                    `"${id}" could not be found in the account${detail(err)}`,
                    "List subnets that exist in the VPC, in {file}.",
                );
                return undefined;
            }
        }),
    );
    const found = subnets.filter((s): s is aws.ec2.GetSubnetResult => s !== undefined);
    if (found.length !== subnets.length) return undefined;
    let ok = true;
    const elsewhere = found.filter((s) => s.vpcId !== config.vpcId);
    if (elsewhere.length > 0) {
        ok = false;
        problems.reject(
            "network.subnetIds",
            config.subnetIds,
            `some are outside ${config.vpcId}: ${elsewhere.map((s) => `${s.id} (in ${s.vpcId})`).join(", ")}`,
            `List only subnets of ${config.vpcId} in {file}.`,
        );
    }
    const byAz = new Map<string, string[]>();
    for (const s of found.filter((x) => x.vpcId === config.vpcId))
        byAz.set(s.availabilityZoneId, [...(byAz.get(s.availabilityZoneId) ?? []), s.id]);
    for (const [az, ids] of byAz) {
        if (ids.length > 1) {
            ok = false;
            problems.reject(
                "network.subnetIds",
                config.subnetIds,
                `${ids.length} of them are in AZ ${az} (${ids.join(", ")}), and ${needs.onePerAz} takes one subnet per AZ`,
                "Keep one subnet per AZ in {file}.",
            );
        }
    }
    const avoid = needs.avoidAzIds;
    const avoided = [...byAz.keys()].filter((az) => avoid?.ids.includes(az));
    const served = [...byAz.keys()].filter((az) => !avoided.includes(az));
    if (needs.twoAzsBecause && served.length < 2) {
        ok = false;
        const leftOut =
            avoided.length > 0 && avoid
                ? ` that the stack can use (${served.join(", ")}; ${avoided.join(", ")} ${avoided.length === 1 ? "is" : "are"} left out: ${avoid.because})`
                : ` (${served.join(", ")})`;
        problems.reject(
            "network.subnetIds",
            config.subnetIds,
            `they cover ${served.length} AZ${leftOut}, and ${needs.twoAzsBecause}`,
            `Add a subnet from another AZ of ${config.vpcId} in {file}.`,
        );
    }
    if (!ok) return undefined;
    const azIds = found.map((s) => s.availabilityZoneId);
    if (!needs.apiEndpoints) return { kind: "existing", config, azIds };
    if (!(await checkVpcDns(config.vpcId, provider, problems, needs.apiEndpoints))) return undefined;
    if (!needs.routeTables) return { kind: "existing", config, azIds };
    // The gateway endpoint must route from exactly the subnets' tables: never all tables of someone's VPC.
    const explicit = await Promise.all(
        config.subnetIds.map(
            async (id) =>
                (
                    await aws.ec2.getRouteTables(
                        { vpcId: config.vpcId, filters: [{ name: "association.subnet-id", values: [id] }] },
                        { provider },
                    )
                ).ids,
        ),
    );
    const routeTableIds = new Set(explicit.flat());
    if (explicit.some((ids) => ids.length === 0)) {
        // A subnet without an explicit association uses the VPC's main route table.
        const main = await aws.ec2.getRouteTables(
            { vpcId: config.vpcId, filters: [{ name: "association.main", values: ["true"] }] },
            { provider },
        );
        for (const id of main.ids) routeTableIds.add(id);
    }
    return { kind: "existing", config, azIds, routeTableIds: [...routeTableIds].sort() };
}

/** Why a stack needs the VPC's DNS attributes, in the words its messages use. */
export interface VpcDnsNeeds {
    /** What needs both attributes on (plural subject), such as "the private hosted zones that …". */
    readonly needs: string;
    /** The other way out, such as "set privateDns to false in {file} and …". */
    readonly otherwise: string;
    /** Which VPC 'network.vpcId' should name, such as "the applications' VPC". */
    readonly theVpc: string;
}

/**
 * Checks that the VPC has `enableDnsSupport` and `enableDnsHostnames` on, which private hosted zones and
 * interface endpoints with private DNS need; without them names keep resolving elsewhere, and clients fail in
 * ways that do not point here. Reports into `problems`; returns whether the VPC passed.
 */
export async function checkVpcDns(
    vpcId: string,
    provider: aws.Provider,
    problems: Problems,
    why: VpcDnsNeeds,
): Promise<boolean> {
    let vpc: aws.ec2.GetVpcResult;
    try {
        vpc = await aws.ec2.getVpc({ id: vpcId }, { provider });
    } catch (err) {
        const reason = (err as Error).message;
        problems.reject(
            "network.vpcId",
            vpcId,
            `it could not be found in the account${reason ? ` (${reason})` : ""}`,
            `Set 'network.vpcId' in {file} to ${why.theVpc}.`,
        );
        return false;
    }
    const off = [
        ...(vpc.enableDnsSupport ? [] : ["enableDnsSupport"]),
        ...(vpc.enableDnsHostnames ? [] : ["enableDnsHostnames"]),
    ];
    if (off.length === 0) return true;
    // The API changes one attribute per call.
    const commands = off
        .map((a) => (a === "enableDnsSupport" ? "--enable-dns-support" : "--enable-dns-hostnames"))
        .map((flag) => `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} ${flag} '{"Value":true}'`);
    problems.reject(
        "network.vpcId",
        vpcId,
        `that VPC has ${off.join(" and ")} off, and ${why.needs} need both on`,
        `Turn ${off.length === 1 ? "it" : "them"} on (${commands.join("; ")}), or ${why.otherwise}.`,
    );
    return false;
}

/** The lookup's own error text, in parentheses, when it has one. */
function detail(err: unknown): string {
    const message = err instanceof Error ? err.message.trim() : "";
    return message ? ` (${message})` : "";
}

/** Creates the VPC (new network) or wraps the existing IDs. Call only after every check passed. */
export function realizeNetwork(name: string, plan: NetworkPlan, provider: aws.Provider): ResolvedNetwork {
    if (plan.kind === "existing") {
        const { subnetIds } = plan.config;
        return {
            vpcId: pulumi.output(plan.config.vpcId),
            subnetIds: pulumi.output(subnetIds),
            azIds: plan.azIds,
            routeTableIds: () => pulumi.output(plan.routeTableIds ?? []),
            subnetIdsOutside: (azIds) =>
                pulumi.output(subnetIds.filter((_, i) => !azIds.includes(plan.azIds[i]))),
        };
    }
    const vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
            cidrBlock: plan.config.cidrBlock,
            availabilityZoneNames: plan.azNames,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            subnetStrategy: "Auto",
            // Isolated subnets only: nothing in this VPC needs the internet, and nothing from it is reachable.
            subnetSpecs: [{ type: awsx.ec2.SubnetType.Isolated, name: "isolated" }],
            natGateways: { strategy: awsx.ec2.NatGatewayStrategy.None },
        },
        // awsx.ec2.Vpc is a multi-language component: its aws children take the provider from `providers`.
        { providers: [provider] },
    );
    // Read from the route table resources themselves, so that anything using the IDs waits for the tables.
    const routeTableIds = () => vpc.routeTables.apply((tables) => pulumi.all(tables.map((t) => t.id)));
    return {
        vpcId: vpc.vpcId,
        subnetIds: vpc.isolatedSubnetIds,
        azIds: plan.azIds,
        vpc,
        routeTableIds,
        // The new VPC was planned without the avoided zones (`planNewNetwork`): nothing to leave out.
        subnetIdsOutside: () => vpc.isolatedSubnetIds,
    };
}
