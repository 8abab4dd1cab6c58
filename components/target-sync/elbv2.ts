/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * ELBv2 adapter: reads the target group's targets with their health and applies a plan in batches.
 */
import type { SyncClients } from "./aws";
import { chunk, compareIps, type CurrentTarget } from "./reconcile";

/**
 * Targets per RegisterTargets / DeregisterTargets call. The API model declares no maximum for the `Targets`
 * list (botocore elbv2 2015-12-01 service-2.json, shape `TargetDescriptions`), but ELBv2 intermittently
 * rejects large batches; Kubernetes' AWS cloud provider splits target operations into chunks of 100 for that
 * reason (kubernetes/kubernetes#101592, kubernetes/cloud-provider-aws#256). We use the same bound, so 250
 * changes are 3 calls, and any realistic proxy (up to 215 IPs per VPC) needs at most 3.
 */
export const TARGETS_PER_CALL = 100;

/** Raised when the target group does not exist (deleted out of band, or a wrong ARN). */
export function isTargetGroupNotFound(err: unknown): boolean {
    const e = err as { name?: string } | undefined;
    return e?.name === "TargetGroupNotFoundException" || e?.name === "TargetGroupNotFound";
}

/** A registered target with the port it is registered on. */
export interface RegisteredTarget extends CurrentTarget {
    readonly port: number;
}

/** An address and the port it is (to be) registered on: what RegisterTargets and DeregisterTargets take. */
export interface TargetAddress {
    readonly ip: string;
    readonly port: number;
}

/**
 * Describes every target of the target group, whatever its port (a target registered without one is on
 * `defaultPort`, the target group's port), sorted by address, then port.
 */
export async function describeTargets(
    clients: SyncClients,
    targetGroupArn: string,
    defaultPort: number,
): Promise<RegisteredTarget[]> {
    const { DescribeTargetHealthCommand } =
        require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    let out;
    try {
        out = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    } catch (err) {
        if (isTargetGroupNotFound(err)) {
            const e = new Error(
                `Target group ${targetGroupArn} does not exist (deleted out of band, or a wrong targetGroupArn); nothing was changed.`,
            );
            e.name = "TargetGroupNotFound";
            throw e;
        }
        throw err;
    }
    const targets: RegisteredTarget[] = [];
    for (const d of out.TargetHealthDescriptions ?? []) {
        const ip = d.Target?.Id;
        if (ip) {
            targets.push({
                ip,
                port: d.Target?.Port ?? defaultPort,
                state: d.TargetHealth?.State ?? "unknown",
            });
        }
    }
    return targets.sort((a, b) => compareIps(a.ip, b.ip) || a.port - b.port);
}

/** Registers IPs on `port`, one call per TARGETS_PER_CALL. Returns the number of calls made. */
export async function registerTargets(
    clients: SyncClients,
    targetGroupArn: string,
    port: number,
    ips: readonly string[],
): Promise<number> {
    const { RegisterTargetsCommand } =
        require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    const batches = chunk(ips, TARGETS_PER_CALL);
    for (const batch of batches) {
        await clients.elbv2.send(
            new RegisterTargetsCommand({
                TargetGroupArn: targetGroupArn,
                Targets: batch.map((ip) => ({ Id: ip, Port: port })),
            }),
        );
    }
    return batches.length;
}

/**
 * Deregisters targets, each on its own port, one call per TARGETS_PER_CALL. Returns the number of calls made.
 */
export async function deregisterTargets(
    clients: SyncClients,
    targetGroupArn: string,
    targets: readonly TargetAddress[],
): Promise<number> {
    const { DeregisterTargetsCommand } =
        require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    const batches = chunk(targets, TARGETS_PER_CALL);
    for (const batch of batches) {
        await clients.elbv2.send(
            new DeregisterTargetsCommand({
                TargetGroupArn: targetGroupArn,
                Targets: batch.map((t) => ({ Id: t.ip, Port: t.port })),
            }),
        );
    }
    return batches.length;
}
