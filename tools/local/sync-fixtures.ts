/**
 * Builds the AWS side of a sync in moto: a VPC, a subnet, an RDS Proxy and its endpoints, network interfaces shaped
 * like RDS Proxy's, and an NLB-style target group of type ip (with a load balancer in front when asked). Used by the integration tests and the benchmark.
 */
import {
    CreateNetworkInterfaceCommand,
    CreateSecurityGroupCommand,
    CreateSubnetCommand,
    CreateVpcCommand,
    DeleteNetworkInterfaceCommand,
    EC2Client,
} from "@aws-sdk/client-ec2";
import {
    CreateListenerCommand,
    CreateLoadBalancerCommand,
    CreateTargetGroupCommand,
    DeleteTargetGroupCommand,
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateDBProxyCommand, CreateDBProxyEndpointCommand, RDSClient } from "@aws-sdk/client-rds";
import { REQUESTER_MANAGED_TAG } from "./moto";

export const REGION = "eu-west-1";

let counter = 0;
/** A name unique within this process, so tests never share resources. */
export function uniqueName(prefix: string): string {
    counter += 1;
    return `${prefix}-${process.pid % 10000}-${counter}`;
}

/**
 * A VPC (10.N.0.0/16) with the proxy's subnet (10.N.0.0/20) and security group, and another subnet of the same
 * VPC (10.N.128.0/20) that is not the proxy's.
 */
export interface Network {
    readonly vpcId: string;
    /** The proxy's subnet. */
    readonly subnetId: string;
    readonly subnetCidr: string;
    /** The proxy's security group. */
    readonly securityGroupId: string;
    /** A subnet of the VPC that is not the proxy's. */
    readonly otherSubnetId: string;
    /** Second octet of the network: IPs are `10.<octet>.x.y`. */
    readonly octet: number;
}

let octet = 0;
export async function createNetwork(ec2: EC2Client): Promise<Network> {
    octet = (octet % 250) + 1;
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${octet}.0.0/16` }));
    const vpcId = vpc.Vpc?.VpcId as string;
    const subnetCidr = `10.${octet}.0.0/20`;
    const subnet = await ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: subnetCidr, AvailabilityZone: `${REGION}a` }),
    );
    const other = await ec2.send(
        new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: `10.${octet}.128.0/20`,
            AvailabilityZone: `${REGION}b`,
        }),
    );
    const sg = await ec2.send(
        new CreateSecurityGroupCommand({
            GroupName: uniqueName("proxy"),
            Description: "proxy",
            VpcId: vpcId,
        }),
    );
    return {
        vpcId,
        subnetId: subnet.Subnet?.SubnetId as string,
        subnetCidr,
        securityGroupId: sg.GroupId as string,
        otherSubnetId: other.Subnet?.SubnetId as string,
        octet,
    };
}

/** What the sync is told about the proxy's placement in `net` (the stack passes the same). */
export function placement(net: Network): {
    vpcId: string;
    proxySubnetIds: string[];
    proxySecurityGroupIds: string[];
    subnetCidrs: string[];
} {
    return {
        vpcId: net.vpcId,
        proxySubnetIds: [net.subnetId],
        proxySecurityGroupIds: [net.securityGroupId],
        subnetCidrs: [net.subnetCidr],
    };
}

/** An address of the VPC outside the proxy's subnet (in the other subnet). */
export function otherSubnetIp(net: Network, n = 0): string {
    return `10.${net.octet}.128.${10 + n}`;
}

/** The n-th test IP of a network (n from 0), spread over the /16. */
export function ipOf(net: Network, n: number): string {
    return `10.${net.octet}.${1 + Math.floor(n / 200)}.${10 + (n % 200)}`;
}

/**
 * Creates an interface the way RDS Proxy does: described as its own, in the proxy's subnet with the proxy's
 * security group, and requester-managed (created by the service; the tests' moto reports it so for interfaces
 * tagged REQUESTER_MANAGED_TAG). The description is written out here, not taken from the code under test, so
 * that the tests hold the code to the description seen on real proxies' interfaces (for example
 * `description = "Network interface for DBProxy proxy-1734138353499-…-db-1"` in a public Terraform export of a
 * real account). What no test here can prove is that AWS keeps using it. Returns the interface's id.
 */
export async function addProxyEni(
    ec2: EC2Client,
    net: Network,
    proxyName: string,
    ip: string,
): Promise<string> {
    return addEni(ec2, net, `Network interface for DBProxy ${proxyName}`, ip);
}

/** How an interface differs from a real proxy interface (by default it is placed like one). */
export interface EniShape {
    /** @default the proxy's subnet */
    readonly subnetId?: string;
    /** @default the proxy's security group */
    readonly groups?: string[];
    /** @default true */
    readonly requesterManaged?: boolean;
}

/** Creates an interface with any description (placed like the proxy's unless `shape` says otherwise). */
export async function addEni(
    ec2: EC2Client,
    net: Network,
    description: string,
    ip: string,
    shape: EniShape = {},
): Promise<string> {
    const out = await ec2.send(
        new CreateNetworkInterfaceCommand({
            SubnetId: shape.subnetId ?? net.subnetId,
            Description: description,
            PrivateIpAddress: ip,
            Groups: shape.groups ?? [net.securityGroupId],
            TagSpecifications:
                shape.requesterManaged === false
                    ? undefined
                    : [
                          {
                              ResourceType: "network-interface",
                              Tags: [{ Key: REQUESTER_MANAGED_TAG, Value: "true" }],
                          },
                      ],
        }),
    );
    return out.NetworkInterface?.NetworkInterfaceId as string;
}

export async function deleteEni(ec2: EC2Client, id: string): Promise<void> {
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
}

/** Creates a target group (TCP and type ip unless told) in the VPC; returns its ARN. */
export async function createTargetGroup(
    elbv2: ElasticLoadBalancingV2Client,
    vpcId: string,
    port = 5432,
    targetType: "ip" | "instance" = "ip",
    protocol: "TCP" | "TLS" | "UDP" | "TCP_UDP" | "HTTP" = "TCP",
): Promise<string> {
    const out = await elbv2.send(
        new CreateTargetGroupCommand({
            Name: uniqueName("tg").slice(0, 32),
            Protocol: protocol,
            Port: port,
            VpcId: vpcId,
            TargetType: targetType,
        }),
    );
    return out.TargetGroups?.[0]?.TargetGroupArn as string;
}

/**
 * Creates a load balancer in the network's subnets with a listener forwarding to `targetGroupArn` (an internal
 * network load balancer with a TCP listener unless told; an application one listens on HTTP); returns its ARN.
 */
export async function attachLoadBalancer(
    elbv2: ElasticLoadBalancingV2Client,
    net: Network,
    targetGroupArn: string,
    shape: { type?: "network" | "application"; scheme?: "internal" | "internet-facing" } = {},
): Promise<string> {
    const type = shape.type ?? "network";
    const lb = await elbv2.send(
        new CreateLoadBalancerCommand({
            Name: uniqueName("lb").slice(0, 32),
            Type: type,
            Scheme: shape.scheme ?? "internal",
            Subnets: [net.subnetId, net.otherSubnetId],
        }),
    );
    const arn = lb.LoadBalancers?.[0]?.LoadBalancerArn as string;
    await elbv2.send(
        new CreateListenerCommand({
            LoadBalancerArn: arn,
            Protocol: type === "network" ? "TCP" : "HTTP",
            Port: type === "network" ? 5432 : 80,
            DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
        }),
    );
    return arn;
}

export async function deleteTargetGroup(elbv2: ElasticLoadBalancingV2Client, arn: string): Promise<void> {
    await elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
}

/** Registers targets out of band (as an operator or another tool would). */
export async function registerOutOfBand(
    elbv2: ElasticLoadBalancingV2Client,
    arn: string,
    ips: string[],
    port = 5432,
): Promise<void> {
    await elbv2.send(
        new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: ips.map((Id) => ({ Id, Port: port })) }),
    );
}

/** The IPs registered in the target group, sorted. */
export async function registeredIps(elbv2: ElasticLoadBalancingV2Client, arn: string): Promise<string[]> {
    const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    return (out.TargetHealthDescriptions ?? [])
        .map((d) => d.Target?.Id as string)
        .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** The targets registered in the target group as `ip:port`, sorted. */
export async function registeredTargets(elbv2: ElasticLoadBalancingV2Client, arn: string): Promise<string[]> {
    const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    return (out.TargetHealthDescriptions ?? [])
        .map((d) => `${d.Target?.Id as string}:${String(d.Target?.Port)}`)
        .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** Creates the miss-state table with the same key schema the component creates. */
export async function createStateTable(dynamodb: DynamoDBClient): Promise<string> {
    const name = uniqueName("target-sync-state");
    await dynamodb.send(
        new CreateTableCommand({
            TableName: name,
            AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
            KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
            BillingMode: "PAY_PER_REQUEST",
        }),
    );
    return name;
}

/**
 * Creates an RDS Proxy named `name` in the network's proxy subnet with its security group (what DescribeDBProxies
 * then reports); returns its default endpoint's hostname. Proxy names are unique per region: pass a `uniqueName`.
 */
export async function createDbProxy(rds: RDSClient, net: Network, name: string): Promise<string> {
    const out = await rds.send(
        new CreateDBProxyCommand({
            DBProxyName: name,
            EngineFamily: "POSTGRESQL",
            Auth: [
                {
                    AuthScheme: "SECRETS",
                    SecretArn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:db`,
                },
            ],
            RoleArn: "arn:aws:iam::123456789012:role/proxy",
            VpcSubnetIds: [net.subnetId],
            VpcSecurityGroupIds: [net.securityGroupId],
        }),
    );
    return out.DBProxy?.Endpoint as string;
}

/** Creates a read-only endpoint of proxy `proxyName` in `subnetIds`; returns its hostname. */
export async function createDbProxyEndpoint(
    rds: RDSClient,
    proxyName: string,
    subnetIds: string[],
    securityGroupIds: string[],
): Promise<string> {
    const out = await rds.send(
        new CreateDBProxyEndpointCommand({
            DBProxyName: proxyName,
            DBProxyEndpointName: `${proxyName}-ro`,
            VpcSubnetIds: subnetIds,
            VpcSecurityGroupIds: securityGroupIds,
            TargetRole: "READ_ONLY",
        }),
    );
    return out.DBProxyEndpoint?.Endpoint as string;
}

/** Plain SDK clients for setting fixtures up (endpoint and credentials from the moto environment). */
export function fixtureClients(): {
    ec2: EC2Client;
    elbv2: ElasticLoadBalancingV2Client;
    dynamodb: DynamoDBClient;
    rds: RDSClient;
} {
    return {
        ec2: new EC2Client({ region: REGION }),
        elbv2: new ElasticLoadBalancingV2Client({ region: REGION }),
        dynamodb: new DynamoDBClient({ region: REGION }),
        rds: new RDSClient({ region: REGION }),
    };
}
