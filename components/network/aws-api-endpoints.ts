import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { distinctList, oneOf, regionRule, rule } from "../../vocabulary";
import { validateArgs } from "../validation";
import {
    AWS_API_SERVICES,
    checkReuse,
    DEFAULT_AWS_API_SERVICES,
    type AwsApiService,
    type ReusedApiEndpoints,
    type ReusedInterfaceEndpoint,
} from "./api-services";

export {
    AWS_API_SERVICES,
    DEFAULT_AWS_API_SERVICES,
    type AwsApiService,
    type ReusedApiEndpoints,
    type ReusedGatewayEndpoint,
    type ReusedInterfaceEndpoint,
} from "./api-services";

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
    /**
     * Endpoints of `services` the VPC already has (an existing VPC with an interface endpoint with private DNS for a
     * service cannot be given a second one). None is created for these services and the endpoints themselves are
     * never modified: the clients get egress to each one's security group (or, for DynamoDB, its prefix list), and
     * that security group gets an ingress rule from the clients, a rule this component owns and removes on delete.
     * @default none: an endpoint is created for every service of `services`
     */
    readonly reuse?: ReusedApiEndpoints;
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
 * nothing but Secrets Manager. An endpoint the VPC already has (`reuse`) is used in place of a new one.
 */
export class AwsApiEndpoints extends pulumi.ComponentResource {
    /** The security group clients of the ELB and DynamoDB endpoints (the sync Lambda) join. */
    public readonly clientSecurityGroup: aws.ec2.SecurityGroup;
    /** The ELB interface endpoint, when `services` has "elasticloadbalancing" and it is not reused. */
    public readonly elasticLoadBalancing?: aws.ec2.VpcEndpoint;
    /** The DynamoDB gateway endpoint, when `services` has "dynamodb" and it is not reused. */
    public readonly dynamodb?: aws.ec2.VpcEndpoint;
    /** The Secrets Manager interface endpoint, when `services` has "secretsmanager" and it is not reused. */
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
                const asked = args.services ?? DEFAULT_AWS_API_SERVICES;
                // A reused gateway endpoint already has its routes: the route tables are for a new one.
                if (asked.includes("dynamodb") && !args.reuse?.dynamodb && !args.routeTableIds) {
                    problems.push({
                        path: "routeTableIds",
                        message: `${surface.subject("routeTableIds")} is not set, but the DynamoDB gateway endpoint needs the route tables of the subnets. Pass them, or leave "dynamodb" out of services.`,
                    });
                }
                checkReuse(surface, problems, args.reuse ?? {}, asked);
            },
        );
        const services = new Set(args.services ?? DEFAULT_AWS_API_SERVICES);
        const reuse = args.reuse ?? {};

        this.clientSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-clients-sg`,
            {
                vpcId: args.vpcId,
                description: `${name}: clients of the AWS API endpoints, HTTPS out to them only`,
            },
            { parent: this },
        );

        if (services.has("elasticloadbalancing") && reuse.elasticloadbalancing) {
            this.allowHttpsToReused(
                name,
                "elasticloadbalancing",
                reuse.elasticloadbalancing,
                this.clientSecurityGroup,
            );
        } else if (services.has("elasticloadbalancing")) {
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
                endpointGroup.id,
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
            if (!reuse.dynamodb) {
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
            }
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-clients-to-dynamodb`,
                {
                    securityGroupId: this.clientSecurityGroup.id,
                    // A reused gateway endpoint's prefix list is the service's, the same as a new one's would be.
                    prefixListId: reuse.dynamodb ? reuse.dynamodb.prefixListId : this.dynamodb!.prefixListId,
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
            if (reuse.secretsmanager) {
                this.allowHttpsToReused(name, "secretsmanager", reuse.secretsmanager, clients);
            } else {
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
                    endpointGroup.id,
                    clients,
                    {
                        ingress: "Secrets Manager endpoint from its clients, HTTPS",
                        egress: "Clients to the Secrets Manager interface endpoint, HTTPS",
                    },
                );
                this.secretsManager = this.interfaceEndpoint(name, "secretsmanager", args, endpointGroup);
            }
            this.secretsManagerClientSecurityGroup = clients;
        }

        this.registerOutputs({
            clientSecurityGroupId: this.clientSecurityGroup.id,
            secretsManagerClientSecurityGroupId: this.secretsManagerClientSecurityGroup?.id,
            reusedEndpointIds: AWS_API_SERVICES.filter((s) => services.has(s) && reuse[s]).map(
                (s) => reuse[s]!.id,
            ),
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

    /**
     * HTTPS from `clients` to an endpoint the VPC already has: the ingress rule goes on the endpoint's own security
     * group (a rule resource of this component, removed with it; the group and the endpoint are otherwise untouched).
     */
    private allowHttpsToReused(
        name: string,
        service: "secretsmanager" | "elasticloadbalancing",
        reused: ReusedInterfaceEndpoint,
        clients: aws.ec2.SecurityGroup,
    ): void {
        const label = service === "secretsmanager" ? "Secrets Manager" : "Elastic Load Balancing";
        this.allowHttps(
            name,
            `${service}-reused-from-clients`,
            `clients-to-reused-${service}`,
            reused.securityGroupId,
            clients,
            {
                ingress: `${label} endpoint ${reused.id} from the clients of ${name}, HTTPS`,
                egress: `Clients to the ${label} interface endpoint ${reused.id}, HTTPS`,
            },
        );
    }

    /** HTTPS from `clients` to the endpoint group `endpoints`: the ingress on that group and the egress on the clients'. */
    private allowHttps(
        name: string,
        ingressName: string,
        egressName: string,
        endpoints: pulumi.Input<string>,
        clients: aws.ec2.SecurityGroup,
        descriptions: { ingress: string; egress: string },
    ): void {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-${ingressName}`,
            {
                securityGroupId: endpoints,
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
                referencedSecurityGroupId: endpoints,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: descriptions.egress,
            },
            { parent: this },
        );
    }
}
