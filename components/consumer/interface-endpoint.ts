/**
 * The consumer's end of the PrivateLink path: an interface VPC endpoint to the database account's endpoint
 * service, a security group that admits only the applications' security groups on the proxy ports, and, when
 * the caller names no application security group, one client security group for applications to join.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    checkValue,
    regionRule,
    requireSome,
    portRule,
    problem,
    type Problem,
    type Surface,
} from "../../vocabulary";
import { validateArgs } from "../validation";
import { regionalDnsEntry } from "./dns-entry";
import { endpointGroups } from "./endpoint-groups";

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
    /**
     * The service's region, when it is not the endpoint's (cross-region PrivateLink; the service must list the
     * endpoint's region in its supported regions).
     * @default the endpoint's own region
     */
    readonly serviceRegion?: string;
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
        validateArgs(
            "InterfaceEndpoint",
            name,
            args,
            { serviceRegion: { rule: regionRule, optional: true } },
            (surface, problems) => checkPorts(surface, problems, args),
        );

        const { endpointGroup, clientGroup } = endpointGroups(
            name,
            {
                vpcId: args.vpcId,
                ports: args.ports,
                clientSecurityGroupIds: args.clientSecurityGroupIds ?? [],
                words: {
                    endpointGroup:
                        "Interface endpoint to the database account RDS Proxy; admits client groups on the proxy ports",
                    clientGroup:
                        "Applications that may connect to the database through the interface endpoint",
                    endpoint: "the database interface endpoint",
                },
            },
            this,
        );

        const endpoint = new aws.ec2.VpcEndpoint(
            `${name}-vpce`,
            {
                vpcId: args.vpcId,
                serviceName: args.serviceName,
                vpcEndpointType: "Interface",
                subnetIds: args.subnetIds,
                securityGroupIds: [endpointGroup.id],
                // The endpoint service has no private DNS name; the proxy hostname is answered by our own zone.
                privateDnsEnabled: false,
                // Cross-region PrivateLink: the endpoint reaches the service in its own region ("The AWS region of
                // the VPC Endpoint Service. If specified, the VPC endpoint will connect to the service in the
                // provided region", @pulumi/aws ec2.VpcEndpoint `serviceRegion`).
                ...(args.serviceRegion !== undefined ? { serviceRegion: args.serviceRegion } : {}),
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
        this.securityGroupId = endpointGroup.id;
        this.clientSecurityGroupId = clientGroup?.id;
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
