/**
 * Developer access through Session Manager: a private EC2 instance that developers reach with
 * `aws ssm start-session --document-name AWS-StartPortForwardingSessionToRemoteHost`, which forwards a local port to
 * the proxy's name on the database port. It has no public IP, no inbound rule, no SSH key, requires IMDSv2 and
 * encrypts its root volume; its role has AmazonSSMManagedInstanceCore only. It joins the client security group, so it
 * reaches the database exactly as applications do, and a group of its own, which is the only source the Session
 * Manager endpoints admit (in a VPC the stack did not build, that group allows HTTPS out instead, to whatever serves
 * Systems Manager there).
 *
 * AWS facts this relies on:
 * - In a VPC without a route out, the agent needs interface endpoints to `ssm` and `ssmmessages`: ssmmessages carries
 *   "Operations from SSM Agent to Session Manager ... required to create and delete session channels" and, since SSM
 *   Agent 3.3.40.0, the agent's messages that used ec2messages ("Reference: ec2messages, ssmmessages, and other API
 *   operations", https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-setting-up-messageAPIs.html).
 *   The instance starts from the current Amazon Linux 2023 image, whose agent is newer than that, so no ec2messages
 *   endpoint is created. If an agent ever needed it, the instance would not register and no session could start:
 *   nothing opens wider (docs/app-account.md says how to add the endpoint).
 * - The endpoints' security group "must allow incoming connections on port 443" from the instance ("Create VPC
 *   endpoints", https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html).
 * - The image: the public SSM parameter `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-<arch>`
 *   (AL2023 User Guide, "Launching AL2023 using the SSM parameter", https://docs.aws.amazon.com/linux/al2023/ug/ec2.html).
 *   It is read at deployment, not passed to EC2 as `resolve:ssm:`, which makes the provider replace the instance on
 *   every update (hashicorp/terraform-provider-aws#43364); later images are ignored so that the instance (and the
 *   developer policy naming it) stays, until an operator replaces it on purpose.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { matching, partitionOf, regionRule, rule } from "../../vocabulary";
import { validateArgs } from "../validation";

/** Sizes accepted for the instance: it only relays one TCP stream per session, so nothing larger is needed. */
export const DEVELOPER_INSTANCE_SIZES = ["nano", "micro", "small", "medium", "large"] as const;

/** The default instance type: x86_64, offered in every commercial region, burstable. */
export const DEFAULT_DEVELOPER_INSTANCE_TYPE = "t3.micro";

/** An EC2 instance type of a small size, such as `t3.micro` or `t4g.nano`. */
export const developerInstanceTypeRule = rule(
    matching(new RegExp(`^[a-z]+[0-9]+[a-z0-9-]*\\.(${DEVELOPER_INSTANCE_SIZES.join("|")})$`)),
    `an EC2 instance type of size ${DEVELOPER_INSTANCE_SIZES.join(", ")} (family.size, lower case)`,
    `"${DEFAULT_DEVELOPER_INSTANCE_TYPE}"`,
);

/**
 * The CPU architecture of an instance type: Graviton families carry a `g` among the letters after their
 * generation (t4g, m7g, c6gn, r8gd, g5g), and `a1` is the first Graviton family; every other family is x86_64.
 */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
    const family = instanceType.split(".")[0];
    if (family === "a1") return "arm64";
    const suffix = /^[a-z]+[0-9]+([a-z]*)/.exec(family)?.[1] ?? "";
    return suffix.includes("g") ? "arm64" : "x86_64";
}

/** The public SSM parameter holding the current Amazon Linux 2023 image for an architecture. */
export function amazonLinuxParameter(architecture: "arm64" | "x86_64"): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

/** The Session Manager document that forwards a local port to a host the instance reaches. */
export const PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSessionToRemoteHost";

/** Interface endpoints Session Manager needs in a VPC without a route out (see the header). */
export const SESSION_MANAGER_SERVICES = ["ssm", "ssmmessages"] as const;

export interface DeveloperAccessArgs {
    /** Region of the VPC: endpoint service names and ARNs are built from it. */
    readonly region: string;
    /** The applications' VPC. */
    readonly vpcId: pulumi.Input<string>;
    /** The subnet the instance is placed in (private: the instance never gets a public IP). */
    readonly subnetId: pulumi.Input<string>;
    /** The client security group applications use; the instance joins it to reach the database endpoint. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** EC2 instance type. @default t3.micro */
    readonly instanceType?: string;
    /**
     * Subnets for the Session Manager interface endpoints, one per AZ.
     * @default no endpoints: the VPC already reaches ssm and ssmmessages (its own endpoints or a route out), and
     * the instance's group allows HTTPS out to any address
     */
    readonly endpointSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** A private instance for Session Manager port forwarding to the database, and the endpoints it needs. */
export class DeveloperAccess extends pulumi.ComponentResource {
    /** ID of the instance (`i-…`): the `--target` of `aws ssm start-session`. */
    public readonly instanceId: pulumi.Output<string>;
    /** ARN of the instance, for the developer policy. */
    public readonly instanceArn: pulumi.Output<string>;
    /** The instance's own security group (no inbound rule). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** IDs of the Session Manager interface endpoints, by service, when this component created them. */
    public readonly endpointIds?: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: DeveloperAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:consumer:DeveloperAccess", name, {}, opts);
        validateArgs("DeveloperAccess", name, args, {
            region: { rule: regionRule },
            instanceType: { rule: developerInstanceTypeRule, optional: true },
        });
        const instanceType = args.instanceType ?? DEFAULT_DEVELOPER_INSTANCE_TYPE;
        const partition = partitionOf(args.region);

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "Session Manager instance for port forwarding to the database; SSM core only",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "ec2.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-ssm-core`,
            {
                role: role.name,
                policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
            },
            { parent: this },
        );
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, { parent: this });

        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description:
                    "Session Manager instance; no inbound rules, HTTPS out to the SSM endpoints only",
                tags: { Name: `${name}-sg` },
            },
            { parent: this },
        );

        const endpoints: aws.ec2.VpcEndpoint[] = [];
        let endpointIds: Record<string, pulumi.Output<string>> | undefined;
        if (args.endpointSubnetIds !== undefined) {
            const endpointGroup = new aws.ec2.SecurityGroup(
                `${name}-endpoints-sg`,
                {
                    vpcId: args.vpcId,
                    description: "Session Manager interface endpoints, HTTPS in from the instance group only",
                    // No egress rules: the endpoints only answer connections, and security groups are stateful.
                    tags: { Name: `${name}-endpoints-sg` },
                },
                { parent: this },
            );
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-endpoints-from-instance`,
                {
                    securityGroupId: endpointGroup.id,
                    referencedSecurityGroupId: group.id,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    description: "Session Manager endpoints from the instance group, HTTPS",
                },
                { parent: this },
            );
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-instance-to-endpoints`,
                {
                    securityGroupId: group.id,
                    referencedSecurityGroupId: endpointGroup.id,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    description: "Session Manager instance to the SSM endpoints, HTTPS",
                },
                { parent: this },
            );
            endpointIds = {};
            for (const service of SESSION_MANAGER_SERVICES) {
                const endpoint = new aws.ec2.VpcEndpoint(
                    `${name}-${service}`,
                    {
                        vpcId: args.vpcId,
                        serviceName: `com.amazonaws.${args.region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: args.endpointSubnetIds,
                        securityGroupIds: [endpointGroup.id],
                        tags: { Name: `${name}-${service}` },
                    },
                    { parent: this },
                );
                endpoints.push(endpoint);
                endpointIds[service] = endpoint.id;
            }
        } else {
            // The VPC's own endpoints or its route out serve Systems Manager; their addresses are not known here.
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-instance-to-ssm`,
                {
                    securityGroupId: group.id,
                    cidrIpv4: "0.0.0.0/0",
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    description: "Session Manager instance to Systems Manager, HTTPS",
                },
                { parent: this },
            );
        }

        const image = aws.ssm.getParameterOutput(
            { name: amazonLinuxParameter(architectureOf(instanceType)) },
            { parent: this },
        );
        const instance = new aws.ec2.Instance(
            `${name}-instance`,
            {
                ami: image.value,
                instanceType,
                subnetId: args.subnetId,
                vpcSecurityGroupIds: [args.clientSecurityGroupId, group.id],
                iamInstanceProfile: profile.name,
                associatePublicIpAddress: false,
                // IMDSv2 only, and one hop, so that nothing forwarded through the instance reaches the role's
                // credentials: "The larger the number, the further instance metadata requests can travel" (EC2 API,
                // InstanceMetadataOptionsRequest); an AMI with imdsSupport v2.0 would otherwise set the limit to 2.
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                },
                rootBlockDevice: { encrypted: true, volumeType: "gp3" },
                tags: { Name: name },
            },
            // The agent registers through the endpoints; a later image does not replace the instance (see header).
            { parent: this, dependsOn: endpoints, ignoreChanges: ["ami"] },
        );

        this.instanceId = instance.id;
        this.instanceArn = instance.arn;
        this.securityGroupId = group.id;
        this.endpointIds = endpointIds;
        this.registerOutputs({
            instanceId: this.instanceId,
            instanceArn: this.instanceArn,
            securityGroupId: this.securityGroupId,
        });
    }
}
