import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    CLASSIC_LOAD_BALANCER_TYPE,
    databaseTargetOf,
    loadBalancerOf,
    TARGET_GROUP_ATTACHMENT_TYPES,
    TARGET_GROUP_TYPES,
    targetGroupOfAttachment,
} from "../lib/load-balancers";
import { watchedPortOf } from "../lib/ports";
import {
    databasePorts,
    LISTENER_TYPES,
    listOf,
    LOAD_BALANCER_TYPES,
    PORT_LIST_SCHEMA,
    knownProp,
    providerBoolean,
    readPortList,
    readStringList,
    recordOf,
    subject,
} from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

const POLICY_NAME = "no-internet-facing-database-listener";
const FIX =
    "Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.";

const ARN_LIST_SCHEMA = (description: string) =>
    ({ type: "array", items: { type: "string", minLength: 1 }, default: [], description }) as const;

/** True when the provider reads `internal` as true; anything else (omitted: the default) is internet-facing. */
function isInternal(lb: PolicyResource): boolean {
    return providerBoolean(lb.props.internal) === true;
}

/**
 * The ARN a resource names through `property`, for a message and the trust list: the string, or undefined when it is
 * unknown during preview or not a string (then no trust list can vouch for it, and the message says so).
 */
function namedArn(resource: PolicyResource, property: string): { text: string; arn?: string } {
    const read = knownProp(resource, property);
    if (read.unknown) {
        return { text: `${property} unknown during preview` };
    }
    return typeof read.value === "string"
        ? { text: `${property} "${read.value}"`, arn: read.value }
        : { text: `${property} not given` };
}

/** What a listener's traffic reaches, in words, or undefined when it reaches no database port. */
function databaseUse(
    listener: PolicyResource,
    targetGroups: readonly PolicyResource[],
    attachments: readonly PolicyResource[],
    watched: readonly number[],
): string | undefined {
    const port: unknown = listener.props.port;
    if (watchedPortOf(port, watched) !== undefined) {
        return `listens on database port ${String(port)}`;
    }
    const target = databaseTargetOf(listener, targetGroups, attachments, watched);
    if (target === undefined) {
        return undefined;
    }
    const tg = subject(target.targetGroup.type, target.targetGroup.name);
    return target.attachment === undefined
        ? `forwards port ${String(port)} to the database target group ${tg} (port ${String(target.port)})`
        : `forwards port ${String(port)} to the target group ${tg}, whose attachment ${subject(target.attachment.type, target.attachment.name)} sends to database port ${String(target.port)}`;
}

/**
 * Blocks a load balancer reachable from the internet that listens on a database port or forwards to one: an
 * `aws:lb`/`aws:alb` listener on a database port, or forwarding to a target group on one (or to a target group one
 * of whose attachments overrides the port to one), and a classic load balancer with a listener whose `lbPort` or
 * `instancePort` is one. A listener or attachment on a database port whose load balancer or target group is not in
 * the stack fails closed unless the policy config vouches for it.
 */
export const noInternetFacingDatabaseListener: StackValidationPolicy = {
    name: POLICY_NAME,
    description:
        "Load balancers with a listener on a database port, or forwarding to a database target group, must be internal.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            extraPorts: PORT_LIST_SCHEMA,
            internalLoadBalancerArns: ARN_LIST_SCHEMA(
                "ARNs of internal load balancers created outside the stack that listeners of the stack may belong to.",
            ),
            internalTargetGroupArns: ARN_LIST_SCHEMA(
                "ARNs of target groups created outside the stack that only internal load balancers forward to.",
            ),
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Record<string, unknown>>();
        const watched = databasePorts(readPortList(config, "extraPorts", POLICY_NAME));
        const trustedLoadBalancers = readStringList(config, "internalLoadBalancerArns", POLICY_NAME);
        const trustedTargetGroups = readStringList(config, "internalTargetGroupArns", POLICY_NAME);
        const ofType = (types: readonly string[]) => args.resources.filter((r) => types.includes(r.type));
        const loadBalancers = ofType(LOAD_BALANCER_TYPES);
        const targetGroups = ofType(TARGET_GROUP_TYPES);
        const attachments = ofType(TARGET_GROUP_ATTACHMENT_TYPES);
        const internetFacing = new Set<PolicyResource>();
        // Phases: an unknown `internal` on one load balancer still lets the listeners of the others be judged.
        checkEvery<() => void>(
            [
                () =>
                    checkEvery(loadBalancers, (lb) => {
                        if (!isInternal(lb)) {
                            internetFacing.add(lb);
                        }
                    }),
                () =>
                    checkEvery(ofType(LISTENER_TYPES), (listener) => {
                        // The load balancer first: a listener of an internal one needs no more reading (and no
                        // unknown port of it makes the rule advisory).
                        const lb = loadBalancerOf(listener, loadBalancers);
                        if (lb !== undefined && !internetFacing.has(lb)) {
                            return;
                        }
                        const what = databaseUse(listener, targetGroups, attachments, watched);
                        if (what === undefined) {
                            return;
                        }
                        if (lb !== undefined) {
                            reportViolation(
                                `${subject(listener.type, listener.name)} ${what} of the internet-facing load balancer ${subject(lb.type, lb.name)} (internal is not true). ${FIX}`,
                                listener.urn,
                            );
                            return;
                        }
                        const named = namedArn(listener, "loadBalancerArn");
                        if (named.arn !== undefined && trustedLoadBalancers.includes(named.arn)) {
                            return;
                        }
                        reportViolation(
                            `${subject(listener.type, listener.name)} ${what} of a load balancer that is not declared in this stack (${named.text}), so the pack cannot tell whether it is internal. ` +
                                `Fix: declare the load balancer in this stack with internal: true, or, if it is internal and managed elsewhere, add its ARN to the policy config ${POLICY_NAME}.internalLoadBalancerArns.`,
                            listener.urn,
                        );
                    }),
                () =>
                    checkEvery(attachments, (attachment) => {
                        const port: unknown = attachment.props.port;
                        if (watchedPortOf(port, watched) === undefined) {
                            return;
                        }
                        if (targetGroupOfAttachment(attachment, targetGroups) !== undefined) {
                            return; // judged through the listeners that forward to its target group
                        }
                        const named = namedArn(attachment, "targetGroupArn");
                        if (named.arn !== undefined && trustedTargetGroups.includes(named.arn)) {
                            return;
                        }
                        reportViolation(
                            `${subject(attachment.type, attachment.name)} registers a target on database port ${String(port)} in a target group that is not declared in this stack (${named.text}), so the pack cannot tell which load balancers forward to it. ` +
                                `Fix: declare the target group, its listener and an internal load balancer in this stack, or, if only internal load balancers forward to it, add its ARN to the policy config ${POLICY_NAME}.internalTargetGroupArns.`,
                            attachment.urn,
                        );
                    }),
                () =>
                    checkEvery(ofType([CLASSIC_LOAD_BALANCER_TYPE]), (elb) => {
                        // Classic load balancers are internet-facing unless internal is set (CreateLoadBalancer Scheme:
                        // "By default, Elastic Load Balancing creates an Internet-facing load balancer",
                        // https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_CreateLoadBalancer.html).
                        if (isInternal(elb)) {
                            return;
                        }
                        checkEvery(listOf(elb.props.listeners), (entry, index) => {
                            const l = recordOf(entry);
                            if (l === undefined) {
                                return;
                            }
                            const hit =
                                watchedPortOf(l.lbPort, watched) ?? watchedPortOf(l.instancePort, watched);
                            if (hit === undefined) {
                                return;
                            }
                            reportViolation(
                                `${subject(elb.type, elb.name)} is internet-facing (internal is not true) and its listeners[${index}] forwards port ${String(l.lbPort)} to instance port ${String(l.instancePort)}, reaching database port ${hit}. ${FIX}`,
                                elb.urn,
                            );
                        });
                    }),
            ],
            (phase) => phase(),
        );
    },
};
