/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * The target group itself: what it is (type, protocol, VPC, port, the load balancers that forward to it), read once
 * per sync, so that the proxy's addresses go only into a target group of type ip and protocol TCP in the proxy's
 * VPC, on the port the target group forwards to, behind internal network load balancers only (or none yet).
 */
import type { SyncClients } from "./aws";
import { isTargetGroupNotFound } from "./elbv2";

/** What the sync needs to know about the target group. */
export interface TargetGroupFacts {
    readonly targetGroupArn: string;
    /** `ip`, `instance`, `lambda` or `alb`. */
    readonly targetType: string;
    readonly vpcId?: string;
    /** The port the target group forwards to (its targets' default port). */
    readonly port?: number;
    /** `TCP`, `TLS`, `UDP`, `TCP_UDP` (network), `HTTP`, `HTTPS` (application), `GENEVE` (gateway). */
    readonly protocol?: string;
    /** The load balancers that forward to it, as DescribeLoadBalancers reports them (none when unattached). */
    readonly loadBalancers: readonly LoadBalancerFacts[];
}

/** What the sync needs to know about a load balancer that forwards to the target group. */
export interface LoadBalancerFacts {
    readonly arn: string;
    /** `network`, `application` or `gateway`. */
    readonly type?: string;
    /** `internal` or `internet-facing`. */
    readonly scheme?: string;
}

/**
 * The only protocol allowed. With TCP the NLB passes the client's TLS session through to the proxy untouched, so
 * `sslmode=verify-full` checks the proxy's own certificate ("With a TCP listener, the load balancer passes
 * encrypted traffic through to the targets without decrypting it": Elastic Load Balancing, "Listeners for your
 * Network Load Balancers"). TLS would have the load balancer terminate the client's session with its own
 * certificate and open another to the targets ("If a target group is configured with the TLS protocol, the load
 * balancer establishes TLS connections with the targets": "Target groups for your Network Load Balancers"), so the
 * database credentials would be decrypted at the NLB. UDP and TCP_UDP carry UDP, which the proxy does not serve
 * (a TCP_UDP target group also needs a TCP_UDP listener, opening UDP on the port). HTTP, HTTPS and GENEVE are
 * application and gateway load balancers' protocols (ELBv2 API Reference, CreateTargetGroup, `Protocol`).
 */
export const ALLOWED_PROTOCOL = "TCP";

/** The only load balancer scheme allowed: an internet-facing one would put the database on the internet. */
export const ALLOWED_SCHEME = "internal";

/** The error of a target group that does not exist; the message is the one every sync path reports. */
export function targetGroupNotFound(targetGroupArn: string): Error {
    const e = new Error(
        `Target group ${targetGroupArn} does not exist (deleted out of band, or a wrong targetGroupArn); nothing was changed.`,
    );
    e.name = "TargetGroupNotFound";
    return e;
}

/**
 * Reads the target group (one DescribeTargetGroups call) and the load balancers that forward to it (one
 * DescribeLoadBalancers call, only when there are any). A load balancer that cannot be read fails the sync.
 */
export async function describeTargetGroup(
    clients: SyncClients,
    targetGroupArn: string,
): Promise<TargetGroupFacts> {
    const { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } =
        require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    let out;
    try {
        out = await clients.elbv2.send(
            new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }),
        );
    } catch (err) {
        if (isTargetGroupNotFound(err)) throw targetGroupNotFound(targetGroupArn);
        throw err;
    }
    const tg = out.TargetGroups?.[0];
    if (!tg) throw targetGroupNotFound(targetGroupArn);
    // ELBv2 API Reference, TargetGroup: `LoadBalancerArns`, "the load balancers that route traffic to this target
    // group"; judged all, however many AWS allows.
    const arns = tg.LoadBalancerArns ?? [];
    let loadBalancers: LoadBalancerFacts[] = [];
    if (arns.length > 0) {
        const lbs = await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: arns }));
        loadBalancers = arns.map((arn) => {
            const lb = lbs.LoadBalancers?.find((l) => l.LoadBalancerArn === arn);
            return { arn, type: lb?.Type, scheme: lb?.Scheme };
        });
    }
    return {
        targetGroupArn,
        targetType: tg.TargetType ?? "instance",
        vpcId: tg.VpcId,
        port: tg.Port,
        protocol: tg.Protocol,
        loadBalancers,
    };
}

/** Why the target group may not receive the proxy's addresses; empty when it may. */
export function targetGroupMismatches(
    tg: TargetGroupFacts,
    expected: { readonly vpcId: string; readonly port: number },
): string[] {
    const reasons: string[] = [];
    if (tg.targetType !== "ip") {
        reasons.push(
            `it is of type ${tg.targetType}, and only a target group of type ip can hold the proxy's addresses`,
        );
    }
    if (tg.protocol !== ALLOWED_PROTOCOL) {
        reasons.push(
            `it has protocol ${tg.protocol ?? "none"}, and only ${ALLOWED_PROTOCOL} passes the client's TLS through to the ` +
                `proxy untouched (TLS ends it at the load balancer; UDP and TCP_UDP carry UDP; HTTP, HTTPS and GENEVE ` +
                `are not a network load balancer's)`,
        );
    }
    for (const lb of tg.loadBalancers) {
        if (lb.type !== "network" || lb.scheme !== ALLOWED_SCHEME) {
            reasons.push(
                `load balancer ${lb.arn} forwards to it and is ${lb.scheme ?? "of unknown scheme"} ` +
                    `(type ${lb.type ?? "unknown"}), and only internal network load balancers may forward to the proxy`,
            );
        }
    }
    if (tg.vpcId !== expected.vpcId) {
        reasons.push(`it is in ${tg.vpcId ?? "no VPC"}, not in the proxy's VPC ${expected.vpcId}`);
    }
    if (tg.port !== expected.port) {
        reasons.push(
            `it forwards to port ${String(tg.port)}, and the targets would be registered on port ${expected.port}`,
        );
    }
    return reasons;
}

/** Throws (changing nothing) when the target group is not one the proxy's addresses may go into. */
export function assertTargetGroupFits(
    tg: TargetGroupFacts,
    expected: { readonly vpcId: string; readonly port: number },
): void {
    const reasons = targetGroupMismatches(tg, expected);
    if (reasons.length > 0) {
        const e = new Error(
            `Target group ${tg.targetGroupArn} cannot receive the proxy's addresses: ${reasons.join("; ")}. ` +
                `Nothing was changed. Point the sync at the proxy's target group (type ip, protocol TCP, in the proxy's VPC, ` +
                `on the engine port, forwarded to by internal network load balancers only).`,
        );
        e.name = "TargetGroupMismatch";
        throw e;
    }
}
