/**
 * Offline answers to the invokes the stacks make (AZs, subnets, VPC attributes, route tables, security groups),
 * synthesized from the stack's own config so that any config records: nothing here asks AWS anything. Answers are
 * plausible and deterministic, never real: an existing VPC has DNS support and hostnames on, each subnet the config
 * lists exists in the config's VPC, in the region's AZs by its position in the list, with a CIDR inside the VPC's,
 * and uses the VPC's main route table; every security group exists in the config's VPC; each API endpoint the config
 * names (`network.apiEndpoints`) is an available endpoint of that service in the config's VPC, as the stack would
 * reuse it (an interface endpoint with private DNS and a security group, or a gateway on the main route table); an
 * Amazon Linux image parameter holds an AMI ID.
 */
import { createHash } from "node:crypto";
import type { CallHandler } from "./harness";

/** A region's AZs as one account sees them: names and the IDs they map to, in the same order. */
export interface Zones {
    readonly names: string[];
    readonly zoneIds: string[];
}

/** What the synthesized answers are built from: the stack's region and, for an existing VPC, its network config. */
export interface OfflineAwsOptions {
    /** The stack's `aws:region`. */
    readonly region: string;
    /**
     * How this account maps AZ names to AZ IDs: the n-th name gets ID `az((n + zoneShift) % count + 1)`. AZ names
     * map to different IDs in each account; giving the two stacks different shifts keeps them apart, as in AWS.
     * @default 0
     */
    readonly zoneShift?: number;
    /** The VPC an existing-VPC config names; subnets and security groups are answered as being in it. */
    readonly vpcId?: string;
    /** The subnets an existing-VPC config lists; each one's AZ follows its position here. */
    readonly subnetIds?: readonly string[];
    /** The endpoints an existing-VPC config names, by service (`network.apiEndpoints`); any other ID is not found. */
    readonly apiEndpoints?: Readonly<Record<string, unknown>>;
}

/** Number of AZs every synthesized region has. */
export const ZONE_COUNT = 3;

/** The CIDR every synthesized existing VPC has; subnets are /20s inside it. */
export const OFFLINE_VPC_CIDR = "10.0.0.0/16";

const DIRECTIONS: Record<string, string> = {
    north: "n",
    south: "s",
    east: "e",
    west: "w",
    central: "c",
    northeast: "ne",
    northwest: "nw",
    southeast: "se",
    southwest: "sw",
};

/** The AZ ID prefix AWS uses for a region: eu-west-1 → euw1, ap-southeast-2 → apse2, us-gov-west-1 → usgw1. */
export function zoneIdPrefix(region: string): string {
    const parts = region.split("-");
    const number = parts.pop() ?? "";
    const [area, ...rest] = parts;
    return `${area}${rest.map((p) => DIRECTIONS[p] ?? p[0]).join("")}${number}`;
}

/** The region's AZs as an account with `shift` sees them (see `OfflineAwsOptions.zoneShift`). */
export function zonesOf(region: string, shift = 0): Zones {
    const letters = "abcdefghijklmnopqrstuvwxyz".slice(0, ZONE_COUNT).split("");
    const prefix = zoneIdPrefix(region);
    return {
        names: letters.map((l) => `${region}${l}`),
        zoneIds: letters.map((_, i) => `${prefix}-az${((i + shift) % ZONE_COUNT) + 1}`),
    };
}

/** A deterministic AWS-looking ID: `prefix-` and 17 hex digits derived from `seed`. */
export function syntheticId(prefix: string, seed: string): string {
    return `${prefix}-${createHash("sha256").update(seed).digest("hex").slice(0, 17)}`;
}

/** Where a subnet is: its position in the config's list, or (for a subnet the config does not list) its hash. */
function positionOf(id: string, listed: readonly string[]): number {
    const index = listed.indexOf(id);
    return index >= 0 ? index : parseInt(syntheticId("x", id).slice(2, 8), 16);
}

/** Answers the stacks' invokes from `options` alone; undefined for tokens it does not know. */
export function offlineAwsAnswers(options: OfflineAwsOptions): CallHandler {
    const zones = zonesOf(options.region, options.zoneShift ?? 0);
    const listed = options.subnetIds ?? [];
    const vpcOf = (id: string) => options.vpcId ?? syntheticId("vpc", `vpc of ${id}`);
    return (token, inputs) => {
        switch (token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { ...zones, id: options.region, groupNames: [] };
            case "aws:ec2/getSubnet:getSubnet": {
                const id = String(inputs.id);
                const position = positionOf(id, listed);
                const zone = position % ZONE_COUNT;
                return {
                    id,
                    vpcId: vpcOf(id),
                    availabilityZone: zones.names[zone],
                    availabilityZoneId: zones.zoneIds[zone],
                    cidrBlock: `10.0.${(position % 16) * 16}.0/20`,
                };
            }
            case "aws:ec2/getVpc:getVpc": {
                const id = String(inputs.id);
                return { id, cidrBlock: OFFLINE_VPC_CIDR, enableDnsSupport: true, enableDnsHostnames: true };
            }
            case "aws:ec2/getRouteTables:getRouteTables": {
                // No subnet has its own table: each uses the VPC's main route table.
                const vpcId = String(inputs.vpcId);
                const filter = (inputs.filters as { name: string; values: string[] }[] | undefined)?.[0];
                const ids =
                    filter?.name === "association.main" ? [syntheticId("rtb", `main of ${vpcId}`)] : [];
                return { id: vpcId, ids, vpcId };
            }
            case "aws:ec2/getVpcEndpoint:getVpcEndpoint": {
                const id = String(inputs.id);
                const service = Object.keys(options.apiEndpoints ?? {}).find(
                    (s) => options.apiEndpoints?.[s] === id,
                );
                if (service === undefined)
                    throw new Error(
                        `InvalidVpcEndpointId.NotFound: The Vpc Endpoint Id '${id}' does not exist`,
                    );
                const vpcId = vpcOf(id);
                const gateway = service === "dynamodb";
                return {
                    id,
                    vpcId,
                    serviceName: `com.amazonaws.${options.region}.${service}`,
                    vpcEndpointType: gateway ? "Gateway" : "Interface",
                    privateDnsEnabled: !gateway,
                    securityGroupIds: gateway ? [] : [syntheticId("sg", `endpoint ${id}`)],
                    routeTableIds: gateway ? [syntheticId("rtb", `main of ${vpcId}`)] : [],
                    subnetIds: gateway ? [] : [...listed],
                    prefixListId: gateway ? syntheticId("pl", `${service} in ${options.region}`) : "",
                    state: "available",
                };
            }
            case "aws:ec2/getSecurityGroup:getSecurityGroup": {
                const id = String(inputs.id);
                return { id, vpcId: vpcOf(id), name: id };
            }
            case "aws:ssm/getParameter:getParameter": {
                // AWS's public image parameters (developer access reads the current Amazon Linux image).
                const name = String(inputs.name);
                if (!name.startsWith("/aws/service/ami-amazon-linux-latest/"))
                    throw new Error(`ParameterNotFound: ${name}`);
                return { id: name, name, type: "String", value: syntheticId("ami", name), version: 1 };
            }
            default:
                return undefined;
        }
    };
}
