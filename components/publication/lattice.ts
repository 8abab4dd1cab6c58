import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    accountIdPattern,
    checkValue,
    portRule,
    problem,
    requireSome,
    type Problem,
    type Surface,
} from "../../vocabulary";
import { validateArgs } from "../validation";

/** One name published as a VPC Lattice resource configuration. */
export interface LatticeEndpoint {
    /** Short, stable name used in child resource names, such as "rw" or "ro". */
    readonly key: string;
    /** The name the resource gateway resolves per connection: the proxy endpoint's own hostname. */
    readonly domainName: pulumi.Input<string>;
    /** The name consumers dial, which the proxy's certificate covers; their resource endpoint answers it. */
    readonly customDomainName: pulumi.Input<string>;
}

export interface LatticePublicationArgs {
    /** VPC of the resource gateway and of the proxy. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets of the resource gateway, in at least two AZs (consumers' endpoints must share an AZ with it). */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security group of the proxy: it admits the gateway's group on `port`, the only place the gateway reaches. */
    readonly targetSecurityGroupId: pulumi.Input<string>;
    /** The proxy's port, which every endpoint is published on. */
    readonly port: number;
    /** The endpoints to publish, one resource configuration each. At least one. */
    readonly endpoints: readonly LatticeEndpoint[];
    /** The consumer accounts the share reaches, exactly these. At least one. */
    readonly consumerAccountIds: readonly string[];
    /**
     * Whether a consumer account is outside the producer's AWS Organization (RAM's `allowExternalPrincipals`).
     * @default false: the share reaches accounts of the organization only
     */
    readonly allowExternalPrincipals?: boolean;
}

/**
 * Publishes the proxy's endpoints over VPC Lattice: a resource gateway in the proxy's VPC with its own security
 * group, one resource configuration (type SINGLE, a DNS resource, TCP on the proxy's port) per endpoint, and one AWS
 * RAM share of the configurations with exactly the consumer accounts.
 *
 * Facts this relies on (Amazon VPC Lattice User Guide, "Resource gateways in VPC Lattice"): a resource gateway spans
 * the AZs of its subnets, and a consumer's resource endpoint needs an AZ in common with it; it cannot be created in a
 * shared subnet; the resource sees traffic from the gateway's own addresses, so the proxy's security group admits
 * the gateway's group. Lattice resolves the DNS resource per connection, so the proxy's changing IPs need no sync.
 * ("Access a resource through a resource VPC endpoint", AWS PrivateLink Guide): no resource endpoint is created when
 * the gateway resolves DNS `IN_VPC` and the custom domain name is the target's own name or above it, as the
 * writer's is here; the gateway resolves `PUBLIC`ly, where RDS Proxy names resolve to their private addresses.
 */
export class LatticePublication extends pulumi.ComponentResource {
    public readonly securityGroup: aws.ec2.SecurityGroup;
    public readonly gateway: aws.vpclattice.ResourceGateway;
    /** Resource configurations by endpoint key. */
    public readonly configurations: Record<string, aws.vpclattice.ResourceConfiguration>;
    public readonly share: aws.ram.ResourceShare;

    constructor(name: string, args: LatticePublicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:publication:LatticePublication", name, {}, opts);
        validateArgs("LatticePublication", name, args, {}, (surface, problems) =>
            checkArgs(surface, problems, args),
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-gateway-sg`,
            {
                vpcId: args.vpcId,
                description: `Resource gateway ${name}: reaches only the proxy, on its port`,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-gateway-to-proxy`,
            {
                securityGroupId: this.securityGroup.id,
                referencedSecurityGroupId: args.targetSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: args.port,
                toPort: args.port,
                description: `Resource gateway to the proxy, port ${args.port}`,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-proxy-from-gateway`,
            {
                securityGroupId: args.targetSecurityGroupId,
                referencedSecurityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: args.port,
                toPort: args.port,
                description: `Proxy from the VPC Lattice resource gateway, port ${args.port}`,
            },
            { parent: this },
        );

        this.gateway = new aws.vpclattice.ResourceGateway(
            `${name}-gateway`,
            {
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                securityGroupIds: [this.securityGroup.id],
                ipAddressType: "IPV4",
                resourceConfigDnsResolution: "PUBLIC",
            },
            { parent: this },
        );

        this.configurations = {};
        for (const endpoint of args.endpoints) {
            this.configurations[endpoint.key] = new aws.vpclattice.ResourceConfiguration(
                `${name}-${endpoint.key}`,
                {
                    type: "SINGLE",
                    resourceGatewayIdentifier: this.gateway.id,
                    resourceConfigurationDefinition: {
                        dnsResource: { domainName: endpoint.domainName, ipAddressType: "IPV4" },
                    },
                    portRanges: [String(args.port)],
                    protocol: "TCP",
                    // No domain verification: rds.amazonaws.com is AWS's domain, which no customer can verify; each
                    // consumer's endpoint admits exactly this name instead (docs/db-account.md).
                    customDomainName: endpoint.customDomainName,
                    // Reached through the consumers' own resource endpoints only, never a shareable service network.
                    allowAssociationToShareableServiceNetwork: false,
                },
                { parent: this },
            );
        }

        this.share = new aws.ram.ResourceShare(
            `${name}-share`,
            { allowExternalPrincipals: args.allowExternalPrincipals ?? false },
            { parent: this },
        );
        for (const endpoint of args.endpoints) {
            new aws.ram.ResourceAssociation(
                `${name}-share-${endpoint.key}`,
                {
                    resourceShareArn: this.share.arn,
                    resourceArn: this.configurations[endpoint.key].arn,
                },
                { parent: this },
            );
        }
        for (const account of args.consumerAccountIds) {
            new aws.ram.PrincipalAssociation(
                `${name}-share-${account}`,
                { resourceShareArn: this.share.arn, principal: account },
                { parent: this },
            );
        }

        this.registerOutputs({
            resourceGatewayId: this.gateway.id,
            resourceShareArn: this.share.arn,
        });
    }
}

function checkArgs(surface: Surface, problems: Problem[], args: LatticePublicationArgs): void {
    checkValue(surface, problems, "port", args.port, portRule);
    requireSome(surface, problems, "endpoints", args.endpoints, "endpoint");
    const keys = args.endpoints.map((e) => e.key);
    keys.forEach((key, i) => {
        if (keys.indexOf(key) !== i) {
            problems.push(
                problem(
                    surface,
                    `endpoints[${i}].key`,
                    key,
                    "another endpoint has that key",
                    "Give each its own key.",
                ),
            );
        }
    });
    requireSome(
        surface,
        problems,
        "consumerAccountIds",
        args.consumerAccountIds,
        "account",
        "List the consumer accounts the share reaches.",
    );
    args.consumerAccountIds.forEach((account, i) => {
        // Exactly an account: never an organization or OU ARN, which would reach every account in it.
        const first = args.consumerAccountIds.indexOf(account);
        const wrong = !accountIdPattern.test(account)
            ? "it must be a 12-digit AWS account ID (never an organization, an OU or a wildcard)"
            : first !== i
              ? `that is consumerAccountIds[${first}] as well`
              : undefined;
        if (wrong !== undefined) {
            problems.push(
                problem(
                    surface,
                    `consumerAccountIds[${i}]`,
                    account,
                    wrong,
                    "List each consumer account's ID once.",
                ),
            );
        }
    });
}
