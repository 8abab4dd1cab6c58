import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { distinctList, oneOf, regionRule, rule } from "../../vocabulary";
import { validateArgs } from "../validation";

/** The AWS APIs an isolated VPC can be given private access to. */
export const AWS_API_SERVICES = ["elasticloadbalancing", "dynamodb", "secretsmanager"] as const;

export type AwsApiService = (typeof AWS_API_SERVICES)[number];

/** The APIs the proxy IP sync calls from inside the VPC: the endpoints created when `services` is not given. */
export const DEFAULT_AWS_API_SERVICES: readonly AwsApiService[] = ["elasticloadbalancing", "dynamodb"];

export interface AwsApiEndpointsArgs {
    /** Region of the VPC (endpoint service names are regional). */
    readonly region: string;
    /** VPC whose workloads need the APIs without internet access. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the interface endpoints (one per AZ); the clients run in these subnets. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Route tables that get the DynamoDB gateway endpoint's routes; required when `services` has "dynamodb". */
    readonly routeTableIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The APIs to reach. "secretsmanager" adds an interface endpoint with private DNS behind a security group of
     * its own, reachable on 443 only from `secretsManagerClientSecurityGroup` (the database-user bootstrap reads
     * the master secret through it). @default ["elasticloadbalancing", "dynamodb"]: the proxy IP sync's APIs
     */
    readonly services?: readonly AwsApiService[];
}

const servicesRule = rule(
    distinctList(oneOf(AWS_API_SERVICES), 1),
    `a non-empty list of distinct services out of ${AWS_API_SERVICES.map((s) => `"${s}"`).join(", ")}`,
    '["elasticloadbalancing", "dynamodb", "secretsmanager"]',
);

/**
 * Private access from an isolated VPC to the AWS APIs its in-VPC functions call. By default the two the proxy IP
 * sync needs: Elastic Load Balancing (interface endpoint with private DNS, so the SDK's default hostname resolves
 * to it) and DynamoDB (gateway endpoint on the given route tables), with a security group for their clients:
 * egress HTTPS only to the ELB endpoint's security group and to DynamoDB's prefix list; nothing else leaves.
 * Optionally Secrets Manager, with its own endpoint and client security groups, so that joining it grants
 * nothing but Secrets Manager.
 */
export class AwsApiEndpoints extends pulumi.ComponentResource {
    /** The security group clients of the ELB and DynamoDB endpoints (the sync Lambda) join. */
    public readonly clientSecurityGroup: aws.ec2.SecurityGroup;
    public readonly elasticLoadBalancing?: aws.ec2.VpcEndpoint;
    public readonly dynamodb?: aws.ec2.VpcEndpoint;
    /** The Secrets Manager interface endpoint, when `services` has "secretsmanager". */
    public readonly secretsManager?: aws.ec2.VpcEndpoint;
    /** The security group whose members (the bootstrap Lambda) may reach the Secrets Manager endpoint on 443. */
    public readonly secretsManagerClientSecurityGroup?: aws.ec2.SecurityGroup;

    constructor(name: string, args: AwsApiEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:network:AwsApiEndpoints", name, {}, opts);
        validateArgs(
            "AwsApiEndpoints",
            name,
            args,
            { region: { rule: regionRule }, services: { rule: servicesRule, optional: true } },
            (surface, problems) => {
                if ((args.services ?? DEFAULT_AWS_API_SERVICES).includes("dynamodb") && !args.routeTableIds) {
                    problems.push({
                        path: "routeTableIds",
                        message: `${surface.subject("routeTableIds")} is not set, but the DynamoDB gateway endpoint needs the route tables of the subnets. Pass them, or leave "dynamodb" out of services.`,
                    });
                }
            },
        );
        const services = new Set(args.services ?? DEFAULT_AWS_API_SERVICES);

        this.clientSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-clients-sg`,
            {
                vpcId: args.vpcId,
                description: `${name}: clients of the AWS API endpoints, HTTPS out to them only`,
            },
            { parent: this },
        );

        if (services.has("elasticloadbalancing")) {
            const endpointGroup = new aws.ec2.SecurityGroup(
                `${name}-endpoints-sg`,
                {
                    vpcId: args.vpcId,
                    description: `${name}: AWS API interface endpoints, HTTPS in from their clients`,
                },
                { parent: this },
            );
            this.allowHttps(
                name,
                "endpoints-from-clients",
                "clients-to-endpoints",
                endpointGroup,
                this.clientSecurityGroup,
                {
                    ingress: "AWS API endpoints from their clients, HTTPS",
                    egress: "Clients to the AWS API interface endpoints, HTTPS",
                },
            );
            this.elasticLoadBalancing = this.interfaceEndpoint(
                name,
                "elasticloadbalancing",
                args,
                endpointGroup,
            );
        }

        if (services.has("dynamodb")) {
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
        }

        if (services.has("secretsmanager")) {
            const clients = new aws.ec2.SecurityGroup(
                `${name}-secretsmanager-clients-sg`,
                {
                    vpcId: args.vpcId,
                    description: `${name}: clients of the Secrets Manager endpoint, HTTPS out to it only`,
                },
                { parent: this },
            );
            const endpointGroup = new aws.ec2.SecurityGroup(
                `${name}-secretsmanager-sg`,
                {
                    vpcId: args.vpcId,
                    description: `${name}: Secrets Manager interface endpoint, HTTPS in from its clients only`,
                },
                { parent: this },
            );
            this.allowHttps(
                name,
                "secretsmanager-from-clients",
                "secretsmanager-clients-to-endpoint",
                endpointGroup,
                clients,
                {
                    ingress: "Secrets Manager endpoint from its clients, HTTPS",
                    egress: "Clients to the Secrets Manager interface endpoint, HTTPS",
                },
            );
            this.secretsManager = this.interfaceEndpoint(name, "secretsmanager", args, endpointGroup);
            this.secretsManagerClientSecurityGroup = clients;
        }

        this.registerOutputs({
            clientSecurityGroupId: this.clientSecurityGroup.id,
            secretsManagerClientSecurityGroupId: this.secretsManagerClientSecurityGroup?.id,
        });
    }

    /** An interface endpoint with private DNS, so the SDK's default hostname for the service resolves to it. */
    private interfaceEndpoint(
        name: string,
        service: AwsApiService,
        args: AwsApiEndpointsArgs,
        endpointGroup: aws.ec2.SecurityGroup,
    ): aws.ec2.VpcEndpoint {
        return new aws.ec2.VpcEndpoint(
            `${name}-${service}`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.${service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.subnetIds,
                securityGroupIds: [endpointGroup.id],
            },
            { parent: this },
        );
    }

    /** HTTPS from `clients` to `endpoints`: the ingress on the endpoint's group and the egress on the clients'. */
    private allowHttps(
        name: string,
        ingressName: string,
        egressName: string,
        endpoints: aws.ec2.SecurityGroup,
        clients: aws.ec2.SecurityGroup,
        descriptions: { ingress: string; egress: string },
    ): void {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-${ingressName}`,
            {
                securityGroupId: endpoints.id,
                referencedSecurityGroupId: clients.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: descriptions.ingress,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-${egressName}`,
            {
                securityGroupId: clients.id,
                referencedSecurityGroupId: endpoints.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: descriptions.egress,
            },
            { parent: this },
        );
    }
}
