/**
 * The consumer's end of the PrivateLink path: an interface VPC endpoint to the database account's endpoint
 * service, a security group that admits only the applications' security groups on the proxy ports, and, when
 * the caller names no application security group, one client security group for applications to join.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkValue, requireSome, portRule, problem, type Problem, type Surface } from "../../vocabulary";
import { validateArgs } from "../validation";
import { regionalDnsEntry } from "./dns-entry";

export interface InterfaceEndpointArgs {
    /** VPC the endpoint is placed in. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the endpoint's network interfaces: one per AZ the endpoint service is offered in. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Name of the endpoint service, `com.amazonaws.vpce.<region>.vpce-svc-…`. */
    readonly serviceName: pulumi.Input<string>;
    /** TCP ports applications reach through the endpoint: the writer port and, when offered, the read-only port. */
    readonly ports: readonly number[];
    /**
     * Security groups (in the endpoint's VPC) whose members may connect; plain IDs, as they name the rules.
     * @default empty: a client security group is created, exported, and is the only group admitted
     */
    readonly clientSecurityGroupIds?: readonly string[];
}

/** An interface endpoint to a database endpoint service, reachable only from the client security groups. */
export class InterfaceEndpoint extends pulumi.ComponentResource {
    /** ID of the VPC endpoint (`vpce-…`). */
    public readonly endpointId: pulumi.Output<string>;
    /** The endpoint's regional DNS name; its certificate does not match it, so clients use the proxy hostname. */
    public readonly dnsName: pulumi.Output<string>;
    /** Route 53 hosted zone ID of the regional DNS name, for alias records. */
    public readonly hostedZoneId: pulumi.Output<string>;
    /** ID of the endpoint's own security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** ID of the client security group, when this component created one. */
    public readonly clientSecurityGroupId?: pulumi.Output<string>;

    constructor(name: string, args: InterfaceEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:consumer:InterfaceEndpoint", name, {}, opts);
        validateArgs("InterfaceEndpoint", name, args, {}, (surface, problems) =>
            checkPorts(surface, problems, args),
        );

        const endpointSg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                // Security group descriptions allow no apostrophes or quotes.
                description:
                    "Interface endpoint to the database account RDS Proxy; admits client groups on the proxy ports",
                // No egress rules: the endpoint only answers connections, and security groups are stateful.
                tags: { Name: `${name}-sg` },
            },
            { parent: this },
        );

        const clientIds = args.clientSecurityGroupIds ?? [];
        let clientSg: aws.ec2.SecurityGroup | undefined;
        const sources: { key: string; id: pulumi.Input<string> }[] = clientIds.map((id) => ({ key: id, id }));
        if (clientIds.length === 0) {
            clientSg = new aws.ec2.SecurityGroup(
                `${name}-client-sg`,
                {
                    vpcId: args.vpcId,
                    description:
                        "Applications that may connect to the database through the interface endpoint",
                    tags: { Name: `${name}-client-sg` },
                },
                { parent: this },
            );
            sources.push({ key: "client", id: clientSg.id });
            for (const port of args.ports) {
                // The client group carries its own way out, so joining it is enough even for applications whose
                // other groups allow no egress.
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-client-to-endpoint-${port}`,
                    {
                        securityGroupId: clientSg.id,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        referencedSecurityGroupId: endpointSg.id,
                        description: `To the database interface endpoint on TCP ${port}`,
                    },
                    { parent: this },
                );
            }
        }
        for (const source of sources) {
            for (const port of args.ports) {
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-from-${source.key}-${port}`,
                    {
                        securityGroupId: endpointSg.id,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        referencedSecurityGroupId: source.id,
                        description:
                            source.key === "client"
                                ? `Database clients in the client security group on TCP ${port}`
                                : `Database clients in ${source.key} on TCP ${port}`,
                    },
                    { parent: this },
                );
            }
        }

        const endpoint = new aws.ec2.VpcEndpoint(
            `${name}-vpce`,
            {
                vpcId: args.vpcId,
                serviceName: args.serviceName,
                vpcEndpointType: "Interface",
                subnetIds: args.subnetIds,
                securityGroupIds: [endpointSg.id],
                // The endpoint service has no private DNS name; the proxy hostname is answered by our own zone.
                privateDnsEnabled: false,
                tags: { Name: name },
            },
            { parent: this },
        );

        const regional = pulumi.all([endpoint.id, endpoint.dnsEntries]).apply(([id, entries]) => {
            const entry = regionalDnsEntry(entries);
            if (!entry) {
                throw new Error(
                    `VPC endpoint ${id} reports no DNS entries, so no alias record can point at it.`,
                );
            }
            return entry;
        });
        this.endpointId = endpoint.id;
        this.dnsName = regional.apply((e) => e.dnsName);
        this.hostedZoneId = regional.apply((e) => e.hostedZoneId);
        this.securityGroupId = endpointSg.id;
        this.clientSecurityGroupId = clientSg?.id;
        this.registerOutputs({
            endpointId: this.endpointId,
            dnsName: this.dnsName,
            hostedZoneId: this.hostedZoneId,
            securityGroupId: this.securityGroupId,
            clientSecurityGroupId: this.clientSecurityGroupId,
        });
    }
}

/** The ports must be valid and distinct; so must the client security groups. */
function checkPorts(surface: Surface, problems: Problem[], args: InterfaceEndpointArgs): void {
    requireSome(surface, problems, "ports", args.ports, "TCP port", "Pass one port or more.");
    args.ports.forEach((port, i) => checkValue(surface, problems, `ports[${i}]`, port, portRule));
    if (new Set(args.ports).size !== args.ports.length) {
        problems.push(
            problem(surface, "ports", args.ports, "each port may appear once", "Remove the duplicates."),
        );
    }
    const ids = args.clientSecurityGroupIds ?? [];
    if (new Set(ids).size !== ids.length) {
        problems.push(
            problem(
                surface,
                "clientSecurityGroupIds",
                ids,
                "each group may appear once",
                "Remove the duplicates.",
            ),
        );
    }
}
