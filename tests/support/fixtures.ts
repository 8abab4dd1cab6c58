/**
 * Example configs and invoke answers shared by the stack tests. The configs mirror Pulumi.db-account.yaml
 * and Pulumi.app-account.yaml; `exampleConfig` reads those files so the examples themselves are tested.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { CallHandler } from "./harness";

/** AZs of eu-west-1 as the database account sees them (names map to IDs per account). */
export const dbAccountZones = {
    names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    zoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"],
};

/** Subnets the existing-VPC variants look up: id → { vpcId, az name, az id }. */
export const knownSubnets: Record<
    string,
    { vpcId: string; availabilityZone: string; availabilityZoneId: string }
> = {
    "subnet-0a000000000000001": {
        vpcId: "vpc-0a000000000000001",
        availabilityZone: "eu-west-1a",
        availabilityZoneId: "euw1-az3",
    },
    "subnet-0a000000000000002": {
        vpcId: "vpc-0a000000000000001",
        availabilityZone: "eu-west-1b",
        availabilityZoneId: "euw1-az1",
    },
    "subnet-0a000000000000003": {
        vpcId: "vpc-0a000000000000001",
        availabilityZone: "eu-west-1c",
        availabilityZoneId: "euw1-az2",
    },
    "subnet-0a000000000000004": {
        vpcId: "vpc-0a000000000000001",
        availabilityZone: "eu-west-1a",
        availabilityZoneId: "euw1-az3",
    },
    "subnet-0d000000000000001": {
        vpcId: "vpc-0a0000000000000d0",
        availabilityZone: "eu-west-1a",
        availabilityZoneId: "euw1-az3",
    },
    "subnet-0d000000000000002": {
        vpcId: "vpc-0a0000000000000d0",
        availabilityZone: "eu-west-1b",
        availabilityZoneId: "euw1-az1",
    },
    "subnet-0b000000000000001": {
        vpcId: "vpc-0b000000000000001",
        availabilityZone: "eu-west-1a",
        availabilityZoneId: "euw1-az3",
    },
};

/** Answers the invokes the stacks make: AZs, subnets, route tables and VPC attributes. */
export const awsCalls =
    (zones = dbAccountZones): CallHandler =>
    (token, inputs) => {
        switch (token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { ...zones, id: "eu-west-1", groupNames: [] };
            case "aws:ec2/getSubnet:getSubnet": {
                const id = String(inputs.id);
                const subnet = knownSubnets[id];
                if (!subnet)
                    throw new Error(`InvalidSubnetID.NotFound: The subnet ID '${id}' does not exist`);
                return { id, ...subnet };
            }
            case "aws:ec2/getRouteTables:getRouteTables": {
                // Subnet 1 has its own table; the others use the main table.
                const filter = (inputs.filters as { name: string; values: string[] }[])[0];
                const ids =
                    filter.name === "association.main"
                        ? ["rtb-0a00000000000main"]
                        : filter.values[0] === "subnet-0a000000000000001"
                          ? ["rtb-0a000000000000001"]
                          : [];
                return { id: String(inputs.vpcId), ids, vpcId: inputs.vpcId };
            }
            case "aws:ec2/getVpc:getVpc": {
                // One VPC of the fixtures has DNS hostnames off.
                const id = String(inputs.id);
                const dnsOff = id === "vpc-0a0000000000000d0";
                return { id, enableDnsSupport: true, enableDnsHostnames: !dnsOff, cidrBlock: "10.1.0.0/16" };
            }
            default:
                return undefined;
        }
    };

/** The `rds-cross-account:*` keys of an example stack file, as the CLI would hand them to the program. */
export function exampleConfig(stack: "db-account" | "app-account"): {
    config: Record<string, unknown>;
    extra: Record<string, string>;
} {
    const text = fs.readFileSync(path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`), "utf8");
    return parseStackConfig(text);
}

/** Splits a stack file's `config:` block into our namespace's keys and the others (such as `aws:region`). */
export function parseStackConfig(text: string): {
    config: Record<string, unknown>;
    extra: Record<string, string>;
} {
    const doc = yaml.load(text) as { config: Record<string, unknown> };
    const config: Record<string, unknown> = {};
    const extra: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config)) {
        const [ns, name] = key.split(":");
        if (ns === "rds-cross-account") config[name] = value;
        else extra[key] = String(value);
    }
    return { config, extra };
}

/** Subnet IDs the mocked awsx VPC reports, one per AZ in the order of `dbAccountZones`. */
export const newVpcSubnetIds = [
    "subnet-0c000000000000001",
    "subnet-0c000000000000002",
    "subnet-0c000000000000003",
];

/** Route tables the mocked awsx VPC reports, one per isolated subnet. */
export const newVpcRouteTableIds = [
    "rtb-0c000000000000001",
    "rtb-0c000000000000002",
    "rtb-0c000000000000003",
];

/**
 * What AWS would compute for the db-account stack's resources, as mocked state: names, endpoints, the
 * RDS-managed secret. Values are recognisable fakes, not real formats to rely on.
 */
export function dbAccountState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
): Record<string, unknown> {
    switch (type) {
        case "awsx:ec2:Vpc": {
            const count = (inputs.availabilityZoneNames as string[] | undefined)?.length ?? 3;
            return {
                vpcId: "vpc-0c000000000000001",
                isolatedSubnetIds: newVpcSubnetIds.slice(0, count),
                routeTables: newVpcRouteTableIds.slice(0, count).map((id) => ({ id })),
            };
        }
        case "aws:rds/cluster:Cluster":
            return {
                clusterIdentifier: `${name}-4f2a`,
                masterUserSecrets: [
                    {
                        secretArn: `arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!cluster-${name}`,
                        kmsKeyId: "key",
                        secretStatus: "active",
                    },
                ],
            };
        case "aws:rds/proxy:Proxy":
            return {
                name: `${name}-7c1d`,
                endpoint: `${name}-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com`,
            };
        case "aws:rds/proxyEndpoint:ProxyEndpoint":
            return {
                endpoint: `${String(inputs.dbProxyEndpointName)}.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com`,
            };
        case "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup":
            return { name: "default" };
        case "aws:ec2/vpcEndpointService:VpcEndpointService":
            return { serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0" };
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return inputs.vpcEndpointType === "Gateway" ? { prefixListId: "pl-0dynamodb" } : {};
        case "random:index/randomId:RandomId":
            return { hex: "a1b2c3d4" };
        default:
            return {};
    }
}
