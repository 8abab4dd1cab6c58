/**
 * One sync: look the proxy's IPs up, read the target group, plan with the pure core, apply the plan.
 * Shared by the dynamic provider, the Lambda handler and the CLI; the miss state is passed in and out so
 * each can keep it where it fits (resource state, DynamoDB, memory).
 */
import type { SyncClients } from "./aws";
import { deregisterTargets, describeTargets, registerTargets } from "./elbv2";
import { compareIps, LEAVING_STATES, reconcile, type DeregisterReason, type MissState } from "./reconcile";
import { lookupIps, type LookupConfig } from "./sources";
import { assertTargetGroupFits, describeTargetGroup } from "./target-group";

/** Everything one sync needs besides clients and miss state. */
export interface SyncOptions extends LookupConfig {
    /** ARN of the NLB target group (type ip) the proxy's IPs go into. */
    readonly targetGroupArn: string;
    /** Port the targets are registered on. */
    readonly port: number;
    /** Consecutive misses before a missing, healthy target is deregistered. */
    readonly missesBeforeDeregister: number;
    /** Plan only: make no mutating call. */
    readonly dryRun?: boolean;
}

/** What a sync found and did; logged as one JSON line by the Lambda and printed by the CLI. */
export interface SyncReport {
    readonly targetGroupArn: string;
    readonly source: string;
    readonly dryRun: boolean;
    /** IPs the lookup found. */
    readonly found: string[];
    /** IPs registered (or, in a dry run, that would be). */
    readonly registered: string[];
    /**
     * IPs deregistered (or that would be), with the reason; a target on another port than the sync's
     * (`other-port`) also names its port.
     */
    readonly deregistered: { ip: string; reason: DeregisterReason | "other-port"; port?: number }[];
    /** Missing IPs kept registered for now, with their consecutive-miss count. */
    readonly kept: { ip: string; misses: number }[];
    /** The targets on the port after the sync (or after the plan, in a dry run). */
    readonly targets: string[];
    /** Miss state for the next sync. */
    readonly misses: Record<string, number>;
    /** RegisterTargets + DeregisterTargets calls made. */
    readonly mutatingCalls: number;
    /** True when the plan had no changes. */
    readonly noop: boolean;
}

/**
 * Runs one sync. Rejects, having changed nothing, on a failed or empty lookup, on a lookup that returns anything
 * but the proxy's own addresses, on a missing target group, and on one that is not of type ip and protocol TCP, in
 * the proxy's VPC, forwarding to `port`, with only internal network load balancers forwarding to it.
 *
 * Every registered target is judged, whatever its port. One on another port than `port` is never the sync's (it
 * registers only on `port`, which is the target group's own) and never serves the proxy (which listens on the
 * engine port only), yet the load balancer forwards consumers' connections to it: it is deregistered at once,
 * without waiting for the miss threshold, and reported with reason `other-port`.
 */
export async function syncOnce(
    clients: SyncClients,
    options: SyncOptions,
    misses: MissState,
): Promise<SyncReport> {
    const found = await lookupIps(clients, options);
    assertTargetGroupFits(await describeTargetGroup(clients, options.targetGroupArn), options);
    const all = await describeTargets(clients, options.targetGroupArn, options.port);
    const current = all.filter((t) => t.port === options.port);
    const strays = all.filter((t) => t.port !== options.port && !LEAVING_STATES.includes(t.state));
    const plan = reconcile({
        found,
        current,
        misses,
        missesBeforeDeregister: options.missesBeforeDeregister,
    });
    let mutatingCalls = 0;
    if (!options.dryRun) {
        // Register first: a replaced IP's successor should be serving before anything leaves.
        if (plan.register.length > 0) {
            mutatingCalls += await registerTargets(
                clients,
                options.targetGroupArn,
                options.port,
                plan.register,
            );
        }
        const leavingTargets = [
            ...plan.deregister.map((d) => ({ ip: d.ip, port: options.port })),
            ...strays.map((t) => ({ ip: t.ip, port: t.port })),
        ];
        if (leavingTargets.length > 0) {
            mutatingCalls += await deregisterTargets(clients, options.targetGroupArn, leavingTargets);
        }
    }
    const leaving = new Set(plan.deregister.map((d) => d.ip));
    const after = new Set<string>(plan.register);
    for (const t of current) {
        if (!LEAVING_STATES.includes(t.state) && !leaving.has(t.ip)) {
            after.add(t.ip);
        }
    }
    return {
        targetGroupArn: options.targetGroupArn,
        source: options.source,
        dryRun: options.dryRun === true,
        found: plan.found,
        registered: plan.register,
        deregistered: [
            ...plan.deregister.map((d) => ({ ip: d.ip, reason: d.reason })),
            ...strays.map((t) => ({ ip: t.ip, reason: "other-port" as const, port: t.port })),
        ],
        kept: plan.kept.map((k) => ({ ip: k.ip, misses: k.misses })),
        targets: Array.from(after).sort(compareIps),
        misses: plan.misses,
        mutatingCalls,
        noop: plan.noop && strays.length === 0,
    };
}
