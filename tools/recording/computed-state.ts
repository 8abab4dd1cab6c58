/**
 * What AWS would compute for each stack's resources (names, endpoints, IDs, the RDS-managed secret), as the state
 * the mocked resources return. Values are recognisable placeholders in the stack's region, not real formats to
 * rely on; they exist so that the outputs and the contract the program builds from them are complete.
 */

type StateFn = (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown>;

/** Subnet IDs the mocked awsx VPC of the db-account stack reports, one per AZ it was given. */
export const newVpcSubnetIds = [
    "subnet-0c000000000000001",
    "subnet-0c000000000000002",
    "subnet-0c000000000000003",
];

/** Route tables the mocked awsx VPC of the db-account stack reports, one per isolated subnet. */
export const newVpcRouteTableIds = [
    "rtb-0c000000000000001",
    "rtb-0c000000000000002",
    "rtb-0c000000000000003",
];

/** Subnet IDs the mocked awsx VPC of the app-account stack reports, one per AZ it was given. */
export const appVpcSubnetIds = [
    "subnet-0f000000000000001",
    "subnet-0f000000000000002",
    "subnet-0f000000000000003",
];

/** The db-account stack's computed values in `region`. */
export function dbAccountStateIn(region: string): StateFn {
    return (type, name, inputs) => {
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
                            secretArn: `arn:aws:secretsmanager:${region}:111111111111:secret:rds!cluster-${name}`,
                            kmsKeyId: "key",
                            secretStatus: "active",
                        },
                    ],
                };
            case "aws:rds/proxy:Proxy":
                return {
                    name: `${name}-7c1d`,
                    endpoint: `${name}-7c1d.proxy-c1a2b3.${region}.rds.amazonaws.com`,
                };
            case "aws:rds/proxyEndpoint:ProxyEndpoint":
                return {
                    endpoint: `${String(inputs.dbProxyEndpointName)}.endpoint.proxy-c1a2b3.${region}.rds.amazonaws.com`,
                };
            case "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup":
                return { name: "default" };
            case "aws:ec2/vpcEndpointService:VpcEndpointService":
                return { serviceName: `com.amazonaws.vpce.${region}.vpce-svc-0123456789abcdef0` };
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                return inputs.vpcEndpointType === "Gateway" ? { prefixListId: "pl-0dynamodb" } : {};
            case "random:index/randomId:RandomId":
                return { hex: "a1b2c3d4" };
            default:
                return {};
        }
    };
}

/** The app-account stack's computed values in `region`. */
export function appAccountStateIn(region: string): StateFn {
    return (type, name, inputs) => {
        switch (type) {
            case "awsx:ec2:Vpc": {
                const count = (inputs.availabilityZoneNames as string[] | undefined)?.length ?? 3;
                return { vpcId: "vpc-0f000000000000001", isolatedSubnetIds: appVpcSubnetIds.slice(0, count) };
            }
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                return {
                    dnsEntries: [
                        {
                            dnsName: `vpce-0a1b2c3d-abcdefgh.vpce-svc-0123456789abcdef0.${region}.vpce.amazonaws.com`,
                            hostedZoneId: "Z38GZ743OKFT7T",
                        },
                    ],
                };
            case "aws:route53/zone:Zone":
                return { zoneId: `Z-${name}` };
            default:
                return {};
        }
    };
}
