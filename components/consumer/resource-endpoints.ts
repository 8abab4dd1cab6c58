/**
 * The consumer's end of the VPC Lattice path: one VPC endpoint of type `Resource` per resource configuration the
 * database account shares (the writer's, and the read-only endpoint's), in the applications' subnets, behind a
 * security group of their own that admits only the client security groups on the proxy's port; and, when the share
 * reached this account as an invitation, its acceptance.
 *
 * Names. Each resource configuration carries a custom domain name, the proxy's own name that its certificate covers.
 * With private DNS on, VPC Lattice answers that name inside the VPC from a private hosted zone it manages, so no zone of
 * ours is needed. Which custom domain names get such a zone is the endpoint's `privateDnsPreference`: `ALL_DOMAINS`,
 * `VERIFIED_DOMAINS_ONLY` ("only if custom domain name has been verified by the provider"),
 * `VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS`, or `SPECIFIED_DOMAINS_ONLY` ("for domain names specified by the resource
 * consumer ... in the PrivateDnsSpecifiedDomains parameter"; EC2 API Reference, DnsOptionsSpecification,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DnsOptionsSpecification.html). The producer cannot
 * verify a name under `rds.amazonaws.com` (verification proves ownership of the domain with a TXT record in its public
 * zone, which AWS owns: VPC Lattice User Guide, "Create and verify a domain",
 * https://docs.aws.amazon.com/vpc-lattice/latest/ug/create-and-verify.html), so a preference that needs verification
 * would give the applications no name at all. `SPECIFIED_DOMAINS_ONLY` with exactly the endpoint's own name is the one
 * setting that answers that name and nothing else, whatever domain the configuration names. Trusting an unverified
 * name is safe here: the name only decides where the client connects, and `sslmode=verify-full` still authenticates
 * the server, since only the proxy holds a certificate for it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    checkValue,
    CONTRACT_FIELDS,
    portRule,
    problem,
    requireSome,
    type Problem,
    type Surface,
} from "../../vocabulary";
import { validateArgs } from "../validation";
import { endpointGroups } from "./endpoint-groups";
import { keyRule, zoneNameRule } from "./proxy-dns";

/** One resource configuration to reach, and the name its clients dial. */
export interface LatticeResource {
    /** Short, stable key that names the endpoint (`writer`, `reader`); renaming it replaces the endpoint. */
    readonly key: string;
    /** ARN of the resource configuration shared with this account. */
    readonly resourceConfigurationArn: string;
    /** The configuration's custom domain name, the only name the endpoint's private DNS answers. */
    readonly domainName: string;
}

export interface ResourceEndpointsArgs {
    /** VPC the endpoints are placed in. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets for the endpoints' network interfaces: one per AZ the applications run in. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The resource configurations; plain, as they name the endpoints. */
    readonly resources: readonly LatticeResource[];
    /** The TCP port of every resource (the proxy's). */
    readonly port: number;
    /** Whether VPC Lattice answers each configuration's domain name inside the VPC. */
    readonly privateDns: boolean;
    /**
     * The RAM share to accept, when it reached this account as an invitation (an account outside the producer's
     * organization). @default none: the share needs no acceptance
     */
    readonly acceptShareArn?: string;
    /**
     * Security groups (in the endpoints' VPC) whose members may connect; plain IDs, as they name the rules.
     * @default empty: a client security group is created, exported, and is the only group admitted
     */
    readonly clientSecurityGroupIds?: readonly string[];
}

// The contract's own rules for what it carries.
const arnRule = CONTRACT_FIELDS.resourceConfigurationArn;
const shareRule = CONTRACT_FIELDS.resourceShareArn;

/** Resource endpoints to shared resource configurations, reachable only from the client security groups. */
export class ResourceEndpoints extends pulumi.ComponentResource {
    /** IDs of the VPC endpoints (`vpce-…`), by resource key. */
    public readonly endpointIds: Record<string, pulumi.Output<string>>;
    /** ID of the endpoints' own security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** ID of the client security group, when this component created one. */
    public readonly clientSecurityGroupId?: pulumi.Output<string>;

    constructor(name: string, args: ResourceEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:consumer:ResourceEndpoints", name, {}, opts);
        validateArgs(
            "ResourceEndpoints",
            name,
            args,
            { port: { rule: portRule }, acceptShareArn: { rule: shareRule, optional: true } },
            (surface, problems) => checkResources(surface, problems, args),
        );

        const { endpointGroup, clientGroup } = endpointGroups(
            name,
            {
                vpcId: args.vpcId,
                ports: [args.port],
                clientSecurityGroupIds: args.clientSecurityGroupIds ?? [],
                words: {
                    endpointGroup:
                        "Resource endpoints to the database account RDS Proxy; admits client groups on the proxy port",
                    clientGroup:
                        "Applications that may connect to the database through the resource endpoints",
                    endpoint: "the database resource endpoints",
                },
            },
            this,
        );
        // A configuration shared by invitation can be used once the invitation is accepted (AWS PrivateLink Guide,
        // "Access a resource through a resource VPC endpoint", prerequisites:
        // https://docs.aws.amazon.com/vpc/latest/privatelink/use-resource-endpoint.html).
        const accepter =
            args.acceptShareArn === undefined
                ? undefined
                : new aws.ram.ResourceShareAccepter(
                      `${name}-share`,
                      { shareArn: args.acceptShareArn },
                      { parent: this },
                  );
        this.endpointIds = {};
        for (const resource of args.resources) {
            const endpoint = new aws.ec2.VpcEndpoint(
                `${name}-${resource.key}`,
                {
                    vpcId: args.vpcId,
                    vpcEndpointType: "Resource",
                    resourceConfigurationArn: resource.resourceConfigurationArn,
                    subnetIds: args.subnetIds,
                    securityGroupIds: [endpointGroup.id],
                    privateDnsEnabled: args.privateDns,
                    // Only with private DNS on ("Only supported when private DNS is enabled"); see the module's note.
                    ...(args.privateDns
                        ? {
                              dnsOptions: {
                                  privateDnsPreference: "SPECIFIED_DOMAINS_ONLY",
                                  privateDnsSpecifiedDomains: [resource.domainName],
                              },
                          }
                        : {}),
                    tags: { Name: `${name}-${resource.key}` },
                },
                { parent: this, ...(accepter ? { dependsOn: [accepter] } : {}) },
            );
            this.endpointIds[resource.key] = endpoint.id;
        }
        this.securityGroupId = endpointGroup.id;
        this.clientSecurityGroupId = clientGroup?.id;
        this.registerOutputs({
            endpointIds: this.endpointIds,
            securityGroupId: this.securityGroupId,
            clientSecurityGroupId: this.clientSecurityGroupId,
        });
    }
}

/** At least one resource; keys, ARNs and names valid and distinct; client groups distinct. */
function checkResources(surface: Surface, problems: Problem[], args: ResourceEndpointsArgs): void {
    requireSome(surface, problems, "resources", args.resources, "resource", "Pass one resource or more.");
    args.resources.forEach((r, i) => {
        checkValue(surface, problems, `resources[${i}].key`, r.key, keyRule);
        checkValue(
            surface,
            problems,
            `resources[${i}].resourceConfigurationArn`,
            r.resourceConfigurationArn,
            arnRule,
        );
        checkValue(surface, problems, `resources[${i}].domainName`, r.domainName, zoneNameRule);
    });
    for (const field of ["key", "resourceConfigurationArn", "domainName"] as const) {
        const values = args.resources.map((r) => r[field]);
        if (new Set(values).size !== values.length) {
            problems.push(
                problem(
                    surface,
                    "resources",
                    values,
                    `each ${field} may appear once`,
                    "Remove the duplicates.",
                ),
            );
        }
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
