import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { portsInRange } from "../lib/ports";
import {
    databasePorts,
    dependsThrough,
    hasDependencyInfo,
    LISTENER_TYPES,
    LOAD_BALANCER_TYPES,
    PORT_LIST_SCHEMA,
    readPortList,
    subject,
} from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

const POLICY_NAME = "no-internet-facing-database-listener";

/**
 * The load balancer a listener belongs to: the one its loadBalancerArn depends on (engine dependency
 * information), else the one whose `arn` equals that ARN, else the only load balancer of the stack.
 */
function loadBalancerOf(
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

/** Blocks a listener on a database port of a load balancer that is reachable from the internet. */
export const noInternetFacingDatabaseListener: StackValidationPolicy = {
    name: POLICY_NAME,
    description: "Load balancers with a listener on a database port must be internal.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { extraPorts: PORT_LIST_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const watched = databasePorts(
            readPortList(args.getConfig<Record<string, unknown>>(), "extraPorts", POLICY_NAME),
        );
        const loadBalancers = args.resources.filter((r) => LOAD_BALANCER_TYPES.includes(r.type));
        const internetFacing = new Set<PolicyResource>();
        const listeners = args.resources.filter((r) => LISTENER_TYPES.includes(r.type));
        // Two phases: an unknown `internal` on one load balancer still lets the listeners of the others be judged.
        checkEvery<() => void>(
            [
                () =>
                    checkEvery(loadBalancers, (lb) => {
                        // The provider's default for internal is false: omitted means internet-facing.
                        if (lb.props.internal !== true) {
                            internetFacing.add(lb);
                        }
                    }),
                () =>
                    checkEvery(listeners, (listener) => {
                        if (internetFacing.size === 0) {
                            return;
                        }
                        const lb = loadBalancerOf(listener, loadBalancers);
                        if (lb === undefined || !internetFacing.has(lb)) {
                            return;
                        }
                        const port: unknown = listener.props.port;
                        if (
                            typeof port !== "number" ||
                            portsInRange({ from: port, to: port }, watched).length === 0
                        ) {
                            return;
                        }
                        reportViolation(
                            `${subject(listener.type, listener.name)} listens on database port ${port} of the internet-facing load balancer ${subject(lb.type, lb.name)} (internal is not true). ` +
                                "Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.",
                            listener.urn,
                        );
                    }),
            ],
            (phase) => phase(),
        );
    },
};
