/**
 * The security groups of a consumer's endpoint to the database, whichever path it is on (an interface endpoint to
 * the endpoint service, or resource endpoints to Lattice resource configurations): a group of the endpoint's own that
 * admits only the client security groups on the proxy ports, and, when the caller names no client group, one client
 * group for applications to join, which carries its own way out to the endpoint.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What the groups are for, in the words AWS shows (descriptions allow no apostrophes or quotes). */
export interface EndpointGroupWords {
    /** The endpoint's group's description. */
    readonly endpointGroup: string;
    /** The created client group's description. */
    readonly clientGroup: string;
    /** What the endpoint is, in rule descriptions ("the database interface endpoint"). */
    readonly endpoint: string;
}

export interface EndpointGroupsArgs {
    readonly vpcId: pulumi.Input<string>;
    /** TCP ports applications reach through the endpoint. */
    readonly ports: readonly number[];
    /** Security groups whose members may connect; empty: a client group is created and is the only one admitted. */
    readonly clientSecurityGroupIds: readonly string[];
    readonly words: EndpointGroupWords;
}

export interface EndpointGroups {
    readonly endpointGroup: aws.ec2.SecurityGroup;
    readonly clientGroup?: aws.ec2.SecurityGroup;
}

/** Creates the groups and their rules under `parent`; each rule has a description and a group, never a CIDR. */
export function endpointGroups(
    name: string,
    args: EndpointGroupsArgs,
    parent: pulumi.Resource,
): EndpointGroups {
    const endpointGroup = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: args.vpcId,
            description: args.words.endpointGroup,
            // No egress rules: the endpoint only answers connections, and security groups are stateful.
            tags: { Name: `${name}-sg` },
        },
        { parent },
    );
    let clientGroup: aws.ec2.SecurityGroup | undefined;
    const sources: { key: string; id: pulumi.Input<string> }[] = args.clientSecurityGroupIds.map((id) => ({
        key: id,
        id,
    }));
    if (args.clientSecurityGroupIds.length === 0) {
        clientGroup = new aws.ec2.SecurityGroup(
            `${name}-client-sg`,
            { vpcId: args.vpcId, description: args.words.clientGroup, tags: { Name: `${name}-client-sg` } },
            { parent },
        );
        sources.push({ key: "client", id: clientGroup.id });
        for (const port of args.ports) {
            // The client group carries its own way out, so joining it is enough even for applications whose
            // other groups allow no egress.
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-client-to-endpoint-${port}`,
                {
                    securityGroupId: clientGroup.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    referencedSecurityGroupId: endpointGroup.id,
                    description: `To ${args.words.endpoint} on TCP ${port}`,
                },
                { parent },
            );
        }
    }
    for (const source of sources) {
        for (const port of args.ports) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-from-${source.key}-${port}`,
                {
                    securityGroupId: endpointGroup.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    referencedSecurityGroupId: source.id,
                    description:
                        source.key === "client"
                            ? `Database clients in the client security group on TCP ${port}`
                            : `Database clients in ${source.key} on TCP ${port}`,
                },
                { parent },
            );
        }
    }
    return { endpointGroup, ...(clientGroup ? { clientGroup } : {}) };
}
