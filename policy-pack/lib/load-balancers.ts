import type { PolicyResource } from "@pulumi/policy";
import { watchedPortOf } from "./ports";
import { dependsThrough, hasDependencyInfo, knownProp, listOf, recordOf } from "./resources";
import { checkEvery } from "./unknowns";

/** Target group type tokens (the `alb` module is an alias of `lb` in the AWS provider). */
export const TARGET_GROUP_TYPES: readonly string[] = [
    "aws:lb/targetGroup:TargetGroup",
    "aws:alb/targetGroup:TargetGroup",
];

/** Target group attachment type tokens: one target registered in a target group, optionally on its own `port`. */
export const TARGET_GROUP_ATTACHMENT_TYPES: readonly string[] = [
    "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    "aws:alb/targetGroupAttachment:TargetGroupAttachment",
];

/** Classic load balancer type token: its listeners are inline (`listeners[]`: `lbPort`, `instancePort`). */
export const CLASSIC_LOAD_BALANCER_TYPE = "aws:elb/loadBalancer:LoadBalancer";

/**
 * The resource of `candidates` that `resource`'s `property` names: the one the property depends on when the engine
 * sent dependency information for it, else the one whose `arn` equals the property's value. Nothing else: a
 * resource that is not in the stack, that the property names through another resource, or whose ARN is unknown
 * without dependency information, is not found (callers fail closed).
 */
function linkedBy(
    resource: PolicyResource,
    property: string,
    candidates: readonly PolicyResource[],
): PolicyResource | undefined {
    if (hasDependencyInfo(resource, property)) {
        return candidates.find((c) => dependsThrough(resource, property, c));
    }
    const arn = knownProp(resource, property);
    return !arn.unknown && typeof arn.value === "string"
        ? candidates.find((c) => c.props.arn === arn.value)
        : undefined;
}

/**
 * The load balancer of the stack a listener belongs to: the one its loadBalancerArn depends on (engine dependency
 * information), else the one whose `arn` equals that ARN. Undefined for a load balancer that is not in the stack.
 */
export function loadBalancerOf(
    listener: PolicyResource,
    loadBalancers: readonly PolicyResource[],
): PolicyResource | undefined {
    return linkedBy(listener, "loadBalancerArn", loadBalancers);
}

/** The target group of the stack an attachment registers into (by its targetGroupArn), if any. */
export function targetGroupOfAttachment(
    attachment: PolicyResource,
    targetGroups: readonly PolicyResource[],
): PolicyResource | undefined {
    return linkedBy(attachment, "targetGroupArn", targetGroups);
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

/** Where a listener's traffic reaches a database port: the target group, the port, and the attachment that set it. */
export interface DatabaseTarget {
    readonly targetGroup: PolicyResource;
    /** The port value as written (a string port is shown as the string). */
    readonly port: unknown;
    /** The attachment whose `port` overrides the target group's, when that is how the port is reached. */
    readonly attachment?: PolicyResource;
}

/**
 * The first place a listener forwards to a port of `watched`: a target group whose `port` is one, else an
 * attachment (of `attachments`) to one of its target groups whose own `port` is one. The load balancer sends to an
 * attachment's port instead of the target group's (RegisterTargets: "you can override the port for a target when
 * you register it", https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html).
 * Ports given as strings count as the provider reads them (see `portReadings`).
 */
export function databaseTargetOf(
    listener: PolicyResource,
    targetGroups: readonly PolicyResource[],
    attachments: readonly PolicyResource[],
    watched: readonly number[],
): DatabaseTarget | undefined {
    const forwarded = targetGroupsOf(listener, targetGroups);
    const direct = forwarded.find((tg) => watchedPortOf(tg.props.port, watched) !== undefined);
    if (direct !== undefined) {
        return { targetGroup: direct, port: direct.props.port };
    }
    for (const attachment of attachments) {
        if (watchedPortOf(attachment.props.port, watched) === undefined) {
            continue;
        }
        const tg = targetGroupOfAttachment(attachment, forwarded);
        if (tg !== undefined) {
            return { targetGroup: tg, port: attachment.props.port, attachment };
        }
    }
    return undefined;
}

/** The first target group a listener forwards to whose port is one of `watched`, if any. */
export function databaseTargetGroupOf(
    listener: PolicyResource,
    targetGroups: readonly PolicyResource[],
    watched: readonly number[],
): PolicyResource | undefined {
    return databaseTargetOf(listener, targetGroups, [], watched)?.targetGroup;
}
