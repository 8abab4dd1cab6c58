import type { PolicyResource } from "@pulumi/policy";
import { dependsThrough, hasDependencyInfo, listOf, recordOf } from "./resources";
import { checkEvery } from "./unknowns";

/** Target group type tokens (the `alb` module is an alias of `lb` in the AWS provider). */
export const TARGET_GROUP_TYPES: readonly string[] = [
    "aws:lb/targetGroup:TargetGroup",
    "aws:alb/targetGroup:TargetGroup",
];

/**
 * The load balancer a listener belongs to: the one its loadBalancerArn depends on (engine dependency
 * information), else the one whose `arn` equals that ARN, else the only load balancer of the stack.
 */
export function loadBalancerOf(
    listener: PolicyResource,
    loadBalancers: readonly PolicyResource[],
): PolicyResource | undefined {
    if (hasDependencyInfo(listener, "loadBalancerArn")) {
        return loadBalancers.find((lb) => dependsThrough(listener, "loadBalancerArn", lb));
    }
    const arn: unknown = listener.props.loadBalancerArn;
    const byArn = loadBalancers.find((lb) => typeof arn === "string" && lb.props.arn === arn);
    if (byArn !== undefined) {
        return byArn;
    }
    return loadBalancers.length === 1 ? loadBalancers[0] : undefined;
}

/** The target group ARNs a listener's default actions forward to: `targetGroupArn` and `forward.targetGroups[].arn`. */
function forwardedArns(listener: PolicyResource): string[] {
    const arns: string[] = [];
    checkEvery(listOf(listener.props.defaultActions), (action) => {
        const a = recordOf(action);
        if (a === undefined) {
            return;
        }
        if (typeof a.targetGroupArn === "string") {
            arns.push(a.targetGroupArn);
        }
        const forward = recordOf(a.forward);
        if (forward !== undefined) {
            checkEvery(listOf(forward.targetGroups), (tg) => {
                const arn = recordOf(tg)?.arn;
                if (typeof arn === "string") {
                    arns.push(arn);
                }
            });
        }
    });
    return arns;
}

/**
 * The target groups of the stack that a listener's default actions forward to: through the engine's dependency
 * of `defaultActions` on them, else by equal `arn`. A target group from outside the stack is not found.
 */
export function targetGroupsOf(
    listener: PolicyResource,
    targetGroups: readonly PolicyResource[],
): PolicyResource[] {
    if (hasDependencyInfo(listener, "defaultActions")) {
        const found = targetGroups.filter((tg) => dependsThrough(listener, "defaultActions", tg));
        if (found.length > 0) {
            return found;
        }
    }
    const arns = forwardedArns(listener);
    return targetGroups.filter((tg) => typeof tg.props.arn === "string" && arns.includes(tg.props.arn));
}

/** The first target group a listener forwards to whose port is one of `watched`, if any. */
export function databaseTargetGroupOf(
    listener: PolicyResource,
    targetGroups: readonly PolicyResource[],
    watched: readonly number[],
): PolicyResource | undefined {
    return targetGroupsOf(listener, targetGroups).find(
        (tg) => typeof tg.props.port === "number" && watched.includes(tg.props.port),
    );
}
