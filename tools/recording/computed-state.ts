/**
 * What AWS would compute for each stack's resources (names, endpoints, IDs, the RDS-managed secret), as the state
 * the mocked resources return. Values are recognisable placeholders in the stack's account, region and partition
 * (./placeholders), not real formats to rely on; they exist so that the outputs and the contract the program builds
 * from them are complete.
 */
import { arnIn, globalArnIn, placementOf } from "./placeholders";

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

/** The account of the example db-account stack (Pulumi.db-account.yaml), which the stack tests' configs use too. */
export const EXAMPLE_DB_ACCOUNT_ID = "111111111111";

/** The db-account stack's computed values in `region`, for the stack in `accountId`. */
export function dbAccountStateIn(region: string, accountId: string = EXAMPLE_DB_ACCOUNT_ID): StateFn {
    const where = placementOf(accountId, region);
    const rds = `${region}.rds.${where.dnsSuffix}`;
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
                    endpoint: `${name}-4f2a.cluster-c1a2b3.${rds}`,
                    masterUserSecrets: [
                        {
                            secretArn: arnIn(where, "secretsmanager", `secret:rds!cluster-${name}`),
                            kmsKeyId: "key",
                            secretStatus: "active",
                        },
                    ],
                };
            case "aws:rds/proxy:Proxy": {
                // A name given is the proxy's; else an auto-name, as pulumi-aws makes one.
                const proxyName = typeof inputs.name === "string" ? inputs.name : `${name}-7c1d`;
                return {
                    name: proxyName,
                    endpoint: `${proxyName}.proxy-c1a2b3.${rds}`,
                    arn: arnIn(where, "rds", "db-proxy:prx-0123456789abcdef0"),
                };
            }
            case "aws:iam/role:Role":
                return { arn: globalArnIn(where, "iam", `role/${name}`) };
            case "aws:kms/key:Key":
                return { arn: arnIn(where, "kms", `key/${fakeUuid(name)}`) };
            case "aws:secretsmanager/secret:Secret":
                return { arn: arnIn(where, "secretsmanager", `secret:${name}-AbCdEf`) };
            case "aws:secretsmanager/secretVersion:SecretVersion":
                // Secrets Manager gives every version a UUID.
                return { versionId: fakeUuid(name) };
            case "random:index/randomPassword:RandomPassword":
                return { result: "placeholder-password-not-real" };
            case "aws:rds/proxyEndpoint:ProxyEndpoint":
                return {
                    endpoint: `${String(inputs.dbProxyEndpointName)}.endpoint.proxy-c1a2b3.${rds}`,
                };
            case "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup":
                return { name: "default" };
            case "aws:ec2/vpcEndpointService:VpcEndpointService":
                // The same form in every partition: the contract's endpointServiceNamePattern accepts no other.
                return { serviceName: `com.amazonaws.vpce.${region}.vpce-svc-0123456789abcdef0` };
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                return inputs.vpcEndpointType === "Gateway" ? { prefixListId: "pl-0dynamodb" } : {};
            case "random:index/randomId:RandomId":
                return { hex: "a1b2c3d4" };
            case "aws:vpclattice/resourceConfiguration:ResourceConfiguration":
                // One per proxy endpoint: the read-only one's differs from the writer's.
                return {
                    arn: arnIn(
                        where,
                        "vpc-lattice",
                        `resourceconfiguration/rcfg-0123456789abcdef${name.endsWith("-ro") ? 1 : 0}`,
                    ),
                };
            case "aws:ram/resourceShare:ResourceShare":
                // RAM gives every share a UUID.
                return { arn: arnIn(where, "ram", `resource-share/${fakeUuid(name)}`) };
            case "aws:dsql/cluster:Cluster": {
                // DSQL names a cluster with 26 lowercase letters and digits; its connection service is per cluster.
                const identifier = "abcdefghijklmnopqrstuvwxyz";
                return {
                    identifier,
                    arn: arnIn(where, "dsql", `cluster/${identifier}`),
                    vpcEndpointServiceName: `com.amazonaws.${region}.dsql-fnh4`,
                };
            }
            default:
                return {};
        }
    };
}

/** The account of the example app-account stack (Pulumi.app-account.yaml). */
export const EXAMPLE_APP_ACCOUNT_ID = "222222222222";

/** The app-account stack's computed values in `region`, for the stack in `accountId`. */
export function appAccountStateIn(region: string, accountId: string = EXAMPLE_APP_ACCOUNT_ID): StateFn {
    const where = placementOf(accountId, region);
    return (type, name, inputs) => {
        switch (type) {
            case "aws:iam/policy:Policy":
                // IAM is global: no region in its ARNs.
                return { arn: globalArnIn(where, "iam", `policy/${name}`) };
            case "awsx:ec2:Vpc": {
                const count = (inputs.availabilityZoneNames as string[] | undefined)?.length ?? 3;
                return { vpcId: "vpc-0f000000000000001", isolatedSubnetIds: appVpcSubnetIds.slice(0, count) };
            }
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                return {
                    dnsEntries: [
                        {
                            dnsName: `vpce-0a1b2c3d-abcdefgh.vpce-svc-0123456789abcdef0.${region}.vpce.${where.dnsSuffix}`,
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
