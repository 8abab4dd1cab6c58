import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    checkValue,
    NLB_TCP_IDLE_TIMEOUT_SECONDS,
    requireSome,
    portRule,
    problem,
    type Problem,
    type Surface,
} from "../../vocabulary";
import { validateArgs } from "../validation";

/** One port published through the endpoint service. */
/**
 * The load balancer's name after the component's: the longest of its names that ELBv2 limits to 32 characters (the
 * target groups are `<name>-rw`/`-ro`); the stack checks its own name against it.
 */
export const LOAD_BALANCER_SUFFIX = "-nlb";

export interface PublishedPort {
    /** Short, stable name used in child resource names, such as "rw" or "ro". */
    readonly key: string;
    /** NLB listener port that consumers connect to. */
    readonly listenerPort: number;
    /** Port the targets (the proxy's IPs) listen on. */
    readonly targetPort: number;
}

export interface EndpointServiceArgs {
    /** VPC of the load balancer and its targets. */
    readonly vpcId: pulumi.Input<string>;
    /** One subnet per AZ for the load balancer; consumers can use only these AZs. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Ports to publish; each gets a listener and an IP target group. At least one. */
    readonly ports: PublishedPort[];
    /** Security group of the targets; it gets one ingress rule per target port from the load balancer. */
    readonly targetSecurityGroupId: pulumi.Input<string>;
    /** IAM principals (ARNs) allowed to create endpoints to the service; never "*". At least one. */
    readonly allowedPrincipals: pulumi.Input<string>[];
    /** Require the service owner to accept each endpoint connection. @default false */
    readonly acceptanceRequired?: boolean;
    /** Regions from which consumers may connect (cross-region PrivateLink). @default the service's region only */
    readonly supportedRegions?: string[];
}

/**
 * Publishes TCP ports of targets in a VPC over AWS PrivateLink: an internal Network Load Balancer (own security
 * group, cross-zone load balancing on), one IP target group and listener per port, and a VPC endpoint service
 * that exactly the given principals may connect to.
 *
 * Filtering of PrivateLink traffic: the load balancer's security group has no inbound rules and does not
 * evaluate them for PrivateLink traffic, so the listeners are reachable only through the endpoint service
 * (whose principal allow-list decides who may connect) and each consumer filters its own clients with the
 * security group of its interface endpoint. Consumer CIDRs may overlap, so source-IP rules here would be
 * both weaker and wrong.
 *
 * The target groups start empty: the proxy IP sync registers the targets.
 */
export class EndpointService extends pulumi.ComponentResource {
    public readonly securityGroup: aws.ec2.SecurityGroup;
    public readonly loadBalancer: aws.lb.LoadBalancer;
    /** Target groups by port key. */
    public readonly targetGroups: Record<string, aws.lb.TargetGroup>;
    public readonly service: aws.ec2.VpcEndpointService;
    /** The service name consumers create interface endpoints to. */
    public readonly serviceName: pulumi.Output<string>;

    constructor(name: string, args: EndpointServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:publication:EndpointService", name, {}, opts);
        validateArgs("EndpointService", name, args, {}, (surface, problems) =>
            checkPorts(surface, problems, args),
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-nlb-sg`,
            {
                vpcId: args.vpcId,
                description: `Load balancer ${name}: no inbound rules; reachable only through PrivateLink`,
            },
            { parent: this },
        );

        this.loadBalancer = new aws.lb.LoadBalancer(
            `${name}${LOAD_BALANCER_SUFFIX}`,
            {
                loadBalancerType: "network",
                internal: true,
                subnets: args.subnetIds,
                securityGroups: [this.securityGroup.id],
                enableCrossZoneLoadBalancing: true,
                enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off",
                ipAddressType: "ipv4",
            },
            { parent: this },
        );

        this.targetGroups = {};
        const targetPorts = new Set<number>();
        for (const port of args.ports) {
            const targetGroup = new aws.lb.TargetGroup(
                `${name}-${port.key}`,
                {
                    vpcId: args.vpcId,
                    targetType: "ip",
                    protocol: "TCP",
                    port: port.targetPort,
                    preserveClientIp: "false",
                    // 30 s instead of the default 300 s: the sync deregisters an IP only after it has been
                    // missing from several lookups (the proxy no longer serves on it) or is unhealthy, so
                    // there is nothing worth draining for five minutes; `connectionTermination` then closes
                    // what is left, and clients reconnect through the proxy's live IPs at once instead of
                    // hanging on a dead flow.
                    deregistrationDelay: 30,
                    connectionTermination: true,
                    healthCheck: {
                        protocol: "TCP",
                        port: "traffic-port",
                        interval: 10,
                        healthyThreshold: 3,
                        unhealthyThreshold: 3,
                    },
                },
                { parent: this },
            );
            this.targetGroups[port.key] = targetGroup;
            new aws.lb.Listener(
                `${name}-${port.key}`,
                {
                    loadBalancerArn: this.loadBalancer.arn,
                    port: port.listenerPort,
                    protocol: "TCP",
                    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                    // The path's idle limit, explicitly: the proxy closes idle clients before it
                    // (`SETTINGS.idleClientTimeoutSeconds`), so no flow is dropped here first.
                    tcpIdleTimeoutSeconds: NLB_TCP_IDLE_TIMEOUT_SECONDS,
                },
                { parent: this },
            );
            targetPorts.add(port.targetPort);
        }

        for (const port of targetPorts) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-nlb-to-targets-${port}`,
                {
                    securityGroupId: this.securityGroup.id,
                    referencedSecurityGroupId: args.targetSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `Load balancer to its targets (traffic and health checks), port ${port}`,
                },
                { parent: this },
            );
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-targets-from-nlb-${port}`,
                {
                    securityGroupId: args.targetSecurityGroupId,
                    referencedSecurityGroupId: this.securityGroup.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `Targets from the load balancer (traffic and health checks), port ${port}`,
                },
                { parent: this },
            );
        }

        this.service = new aws.ec2.VpcEndpointService(
            `${name}-service`,
            {
                networkLoadBalancerArns: [this.loadBalancer.arn],
                acceptanceRequired: args.acceptanceRequired ?? false,
                allowedPrincipals: args.allowedPrincipals,
                supportedRegions: args.supportedRegions,
                supportedIpAddressTypes: ["ipv4"],
            },
            { parent: this },
        );
        this.serviceName = this.service.serviceName;

        this.registerOutputs({
            serviceName: this.serviceName,
            loadBalancerArn: this.loadBalancer.arn,
        });
    }
}

/** The checks that relate the published ports and the principals to each other. */
function checkPorts(surface: Surface, problems: Problem[], args: EndpointServiceArgs): void {
    requireSome(surface, problems, "ports", args.ports, "port");
    const listenerPorts = args.ports.map((p) => p.listenerPort);
    const duplicate = listenerPorts.find((p, i) => listenerPorts.indexOf(p) !== i);
    if (duplicate !== undefined) {
        problems.push(
            problem(
                surface,
                "ports",
                listenerPorts,
                `listener port ${duplicate} is there twice, and each published port needs its own listener port`,
                "Give each port its own listenerPort.",
            ),
        );
    }
    args.ports.forEach((p, i) => {
        for (const field of ["listenerPort", "targetPort"] as const) {
            checkValue(surface, problems, `ports[${i}].${field}`, p[field], portRule);
        }
    });
    requireSome(
        surface,
        problems,
        "allowedPrincipals",
        args.allowedPrincipals,
        "principal",
        "List the IAM principals (ARNs) allowed to connect.",
    );
    args.allowedPrincipals.forEach((p, i) => {
        if (typeof p === "string" && p.includes("*")) {
            problems.push(
                problem(
                    surface,
                    `allowedPrincipals[${i}]`,
                    p,
                    "wildcards would open the service to every AWS account",
                    "List exact ARNs.",
                ),
            );
        }
    });
}
