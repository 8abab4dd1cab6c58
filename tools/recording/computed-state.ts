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

/** A UUID-shaped placeholder derived from a name, stable across runs (KMS key IDs are UUIDs). */
function fakeUuid(name: string): string {
    let h = 0;
    for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    const hex = h.toString(16).padStart(8, "0");
    return `${hex}-0000-4000-8000-${hex.padStart(12, "0")}`;
}

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
                    clusterResourceId: "cluster-ABCDEFGHIJKL01234",
                    endpoint: `${name}-4f2a.cluster-c1a2b3.${region}.rds.amazonaws.com`,
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
                    arn: `arn:aws:rds:${region}:111111111111:db-proxy:prx-0123456789abcdef0`,
                };
            case "aws:iam/role:Role":
                return { arn: `arn:aws:iam::111111111111:role/${name}` };
            case "aws:kms/key:Key":
                return { arn: `arn:aws:kms:${region}:111111111111:key/${fakeUuid(name)}` };
            case "aws:secretsmanager/secret:Secret":
                return { arn: `arn:aws:secretsmanager:${region}:111111111111:secret:${name}-AbCdEf` };
            case "aws:secretsmanager/secretVersion:SecretVersion":
                // Secrets Manager gives every version a UUID.
                return { versionId: fakeUuid(name) };
            case "random:index/randomPassword:RandomPassword":
                return { result: "placeholder-password-not-real" };
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
