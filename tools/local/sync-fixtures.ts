/**
 * Builds the AWS side of a sync in moto: a VPC, a subnet, network interfaces shaped like RDS Proxy's, and an
 * NLB-style target group of type ip. Used by the integration tests and the benchmark.
 */
import {
    CreateNetworkInterfaceCommand,
    CreateSubnetCommand,
    CreateVpcCommand,
    DeleteNetworkInterfaceCommand,
    EC2Client,
} from "@aws-sdk/client-ec2";
import {
    CreateTargetGroupCommand,
    DeleteTargetGroupCommand,
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

export const REGION = "eu-west-1";

let counter = 0;
/** A name unique within this process, so tests never share resources. */
export function uniqueName(prefix: string): string {
    counter += 1;
    return `${prefix}-${process.pid % 10000}-${counter}`;
}

/** A VPC and a subnet (10.N.0.0/16) for proxy interfaces. */
export interface Network {
    readonly vpcId: string;
    readonly subnetId: string;
    /** Second octet of the network: IPs are `10.<octet>.x.y`. */
    readonly octet: number;
}

let octet = 0;
export async function createNetwork(ec2: EC2Client): Promise<Network> {
    octet = (octet % 250) + 1;
    const cidr = `10.${octet}.0.0/16`;
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
    const vpcId = vpc.Vpc?.VpcId as string;
    const subnet = await ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: `${REGION}a` }),
    );
    return { vpcId, subnetId: subnet.Subnet?.SubnetId as string, octet };
}

/** The n-th test IP of a network (n from 0), spread over the /16. */
export function ipOf(net: Network, n: number): string {
    return `10.${net.octet}.${1 + Math.floor(n / 200)}.${10 + (n % 200)}`;
}

/**
 * Creates an interface described the way RDS Proxy describes its own; returns its id. The text is written out
 * here, not taken from the code under test, so that the tests hold the code to the description seen on real
 * proxies' interfaces (for example `description = "Network interface for DBProxy proxy-1734138353499-…-db-1"` in
 * a public Terraform export of a real account). What no test here can prove is that AWS keeps using it.
 */
export async function addProxyEni(
    ec2: EC2Client,
    net: Network,
    proxyName: string,
    ip: string,
): Promise<string> {
    return addEni(ec2, net, `Network interface for DBProxy ${proxyName}`, ip);
}

/** Creates an interface with any description; returns its id. */
export async function addEni(ec2: EC2Client, net: Network, description: string, ip: string): Promise<string> {
    const out = await ec2.send(
        new CreateNetworkInterfaceCommand({
            SubnetId: net.subnetId,
            Description: description,
            PrivateIpAddress: ip,
        }),
    );
    return out.NetworkInterface?.NetworkInterfaceId as string;
}

export async function deleteEni(ec2: EC2Client, id: string): Promise<void> {
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
}

/** Creates a TCP target group of type ip in the VPC; returns its ARN. */
export async function createTargetGroup(
    elbv2: ElasticLoadBalancingV2Client,
    vpcId: string,
    port = 5432,
): Promise<string> {
    const out = await elbv2.send(
        new CreateTargetGroupCommand({
            Name: uniqueName("tg").slice(0, 32),
            Protocol: "TCP",
            Port: port,
            VpcId: vpcId,
            TargetType: "ip",
        }),
    );
    return out.TargetGroups?.[0]?.TargetGroupArn as string;
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

/** Plain SDK clients for setting fixtures up (endpoint and credentials from the moto environment). */
export function fixtureClients(): {
    ec2: EC2Client;
    elbv2: ElasticLoadBalancingV2Client;
    dynamodb: DynamoDBClient;
} {
    return {
        ec2: new EC2Client({ region: REGION }),
        elbv2: new ElasticLoadBalancingV2Client({ region: REGION }),
        dynamodb: new DynamoDBClient({ region: REGION }),
    };
}
