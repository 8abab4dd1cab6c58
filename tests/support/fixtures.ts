/**
 * Invoke answers and computed state shared by the stack tests, layered on the tools' offline answers, with the
 * fixed IDs and the error cases the tests assert. `exampleConfig` reads Pulumi.db-account.yaml and
 * Pulumi.app-account.yaml so the examples themselves are tested.
 */
import { offlineAwsAnswers, type Zones } from "../../tools/recording/aws-answers";
import { dbAccountStateIn } from "../../tools/recording/computed-state";
import { defaultRegion, type CallHandler } from "../../tools/recording/harness";

export { newVpcRouteTableIds, newVpcSubnetIds } from "../../tools/recording/computed-state";
export { exampleConfig, parseStackConfig } from "../../tools/recording/stack-files";

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

/**
 * Answers the invokes the stacks make: the tools' synthesized answers (VPC attributes, anything else), with the
 * cases the tests need on top: AZs as `zones`, only `knownSubnets` exist (any other ID fails as AWS fails),
 * subnet 1 has its own route table, and one VPC has DNS hostnames off.
 */
export const awsCalls = (zones: Zones = dbAccountZones): CallHandler => {
    const offline = offlineAwsAnswers({ region: defaultRegion });
    return (token, inputs) => {
        switch (token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { ...zones, id: defaultRegion, groupNames: [] };
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
                const vpc = offline(token, inputs) as Record<string, unknown>;
                return vpc.id === "vpc-0a0000000000000d0" ? { ...vpc, enableDnsHostnames: false } : vpc;
            }
            default:
                return offline(token, inputs);
        }
    };
};

/** What AWS would compute for the db-account stack's resources in the tests' region, as mocked state. */
export const dbAccountState = dbAccountStateIn(defaultRegion);
