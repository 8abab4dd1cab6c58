/**
 * The AWS API an application calls for its database credential (STS to assume the connect role, or Secrets
 * Manager to read the password), reachable from an isolated VPC: an interface endpoint with private DNS, so that
 * the SDK's default regional hostname (`sts.<region>.amazonaws.com`, `secretsmanager.<region>.amazonaws.com`)
 * resolves to it, behind a security group that admits HTTPS from the client security group only; the client group
 * gets the matching egress rule, so joining it is all an application needs.
 *
 * Private DNS for an AWS service's interface endpoint needs the VPC's `enableDnsSupport` and `enableDnsHostnames`
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#private-dns); the
 * stack creates this endpoint only in a VPC it built with both on.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    APPLICATION_API_SERVICES,
    oneOf,
    regionRule,
    rule,
    type ApplicationApiService,
} from "../../vocabulary";
import { validateArgs } from "../validation";

export interface ApiEndpointArgs {
    /** Region of the VPC: the service name is `com.amazonaws.<region>.<service>`. */
    readonly region: string;
    /** The API. */
    readonly service: ApplicationApiService;
    /** The applications' VPC. */
    readonly vpcId: pulumi.Input<string>;
    /** One subnet per AZ the applications run in. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The client security group the applications join (the stack's own: it gets the egress rule). */
    readonly clientSecurityGroupId: pulumi.Input<string>;
}

const serviceRule = rule(
    oneOf(APPLICATION_API_SERVICES),
    APPLICATION_API_SERVICES.map((s) => `"${s}"`).join(" or "),
    '"sts"',
);

/** An interface endpoint with private DNS to one AWS API, for the members of one client security group. */
export class ApiEndpoint extends pulumi.ComponentResource {
    /** ID of the VPC endpoint (`vpce-…`). */
    public readonly endpointId: pulumi.Output<string>;
    /** ID of the endpoint's own security group. */
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: ApiEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:consumer:ApiEndpoint", name, {}, opts);
        validateArgs("ApiEndpoint", name, args, {
            region: { rule: regionRule },
            service: { rule: serviceRule },
        });
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `${args.service} interface endpoint, HTTPS in from the database client group only`,
                // No egress rules: the endpoint only answers connections, and security groups are stateful.
                tags: { Name: `${name}-sg` },
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-client`,
            {
                securityGroupId: group.id,
                referencedSecurityGroupId: args.clientSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: `${args.service} endpoint from the database client group, HTTPS`,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-client-to-endpoint`,
            {
                securityGroupId: args.clientSecurityGroupId,
                referencedSecurityGroupId: group.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: `Database clients to the ${args.service} interface endpoint, HTTPS`,
            },
            { parent: this },
        );
        const endpoint = new aws.ec2.VpcEndpoint(
            `${name}-vpce`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.${args.service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.subnetIds,
                securityGroupIds: [group.id],
                tags: { Name: name },
            },
            { parent: this },
        );
        this.endpointId = endpoint.id;
        this.securityGroupId = group.id;
        this.registerOutputs({ endpointId: this.endpointId, securityGroupId: this.securityGroupId });
    }
}
