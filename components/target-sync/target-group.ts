/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * The target group itself: what it is (type, VPC, port), read once per sync, so that the proxy's addresses go
 * only into a target group of type ip in the proxy's VPC, on the port the target group forwards to.
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
}

/** The error of a target group that does not exist; the message is the one every sync path reports. */
export function targetGroupNotFound(targetGroupArn: string): Error {
    const e = new Error(
        `Target group ${targetGroupArn} does not exist (deleted out of band, or a wrong targetGroupArn); nothing was changed.`,
    );
    e.name = "TargetGroupNotFound";
    return e;
}

/** Reads the target group's type, VPC and port (one DescribeTargetGroups call). */
export async function describeTargetGroup(
    clients: SyncClients,
    targetGroupArn: string,
): Promise<TargetGroupFacts> {
    const { DescribeTargetGroupsCommand } =
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
    return { targetGroupArn, targetType: tg.TargetType ?? "instance", vpcId: tg.VpcId, port: tg.Port };
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
                `Nothing was changed. Point the sync at the proxy's target group (type ip, in the proxy's VPC, on the engine port).`,
        );
        e.name = "TargetGroupMismatch";
        throw e;
    }
}
