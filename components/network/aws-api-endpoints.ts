import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionRule } from "../../vocabulary";
import { validateArgs } from "../validation";

export interface AwsApiEndpointsArgs {
    /** Region of the VPC (endpoint service names are regional). */
    readonly region: string;
    /** VPC whose workloads need the APIs without internet access. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the interface endpoints (one per AZ); the clients run in these subnets. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Route tables that get the DynamoDB gateway endpoint's routes. */
    readonly routeTableIds: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * Private access from an isolated VPC to the two AWS APIs the proxy IP sync calls from inside the VPC:
 * Elastic Load Balancing (interface endpoint with private DNS, so the SDK's default hostname resolves to it)
 * and DynamoDB (gateway endpoint on the given route tables). Creates a security group for the clients: egress
 * HTTPS only to the ELB endpoint's security group and to DynamoDB's prefix list; nothing else leaves.
 */
export class AwsApiEndpoints extends pulumi.ComponentResource {
    /** The security group clients (the sync Lambda) join. */
    public readonly clientSecurityGroup: aws.ec2.SecurityGroup;
    public readonly elasticLoadBalancing: aws.ec2.VpcEndpoint;
    public readonly dynamodb: aws.ec2.VpcEndpoint;

    constructor(name: string, args: AwsApiEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:network:AwsApiEndpoints", name, {}, opts);
        validateArgs("AwsApiEndpoints", name, args, { region: { rule: regionRule } });

        this.clientSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-clients-sg`,
            {
                vpcId: args.vpcId,
                description: `${name}: clients of the AWS API endpoints, HTTPS out to them only`,
            },
            { parent: this },
        );
        const endpointGroup = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            {
                vpcId: args.vpcId,
                description: `${name}: AWS API interface endpoints, HTTPS in from their clients`,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-endpoints-from-clients`,
            {
                securityGroupId: endpointGroup.id,
                referencedSecurityGroupId: this.clientSecurityGroup.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "AWS API endpoints from their clients, HTTPS",
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-clients-to-endpoints`,
            {
                securityGroupId: this.clientSecurityGroup.id,
                referencedSecurityGroupId: endpointGroup.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "Clients to the AWS API interface endpoints, HTTPS",
            },
            { parent: this },
        );

        this.elasticLoadBalancing = new aws.ec2.VpcEndpoint(
            `${name}-elasticloadbalancing`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.elasticloadbalancing`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.subnetIds,
                securityGroupIds: [endpointGroup.id],
            },
            { parent: this },
        );
        this.dynamodb = new aws.ec2.VpcEndpoint(
            `${name}-dynamodb`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.dynamodb`,
                vpcEndpointType: "Gateway",
                routeTableIds: args.routeTableIds,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-clients-to-dynamodb`,
            {
                securityGroupId: this.clientSecurityGroup.id,
                prefixListId: this.dynamodb.prefixListId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "Clients to DynamoDB through the gateway endpoint, HTTPS",
            },
            { parent: this },
        );

        this.registerOutputs({ clientSecurityGroupId: this.clientSecurityGroup.id });
    }
}
