import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { databaseTargetGroupOf, loadBalancerOf, TARGET_GROUP_TYPES } from "../lib/load-balancers";
import {
    databasePorts,
    LISTENER_TYPES,
    LOAD_BALANCER_TYPES,
    PORT_LIST_SCHEMA,
    readPortList,
    subject,
} from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

const POLICY_NAME = "no-internet-facing-database-listener";

/**
 * Blocks a listener of a load balancer that is reachable from the internet when it listens on a database port or
 * forwards to a target group on a database port (a database target group), whatever port it listens on.
 */
export const noInternetFacingDatabaseListener: StackValidationPolicy = {
    name: POLICY_NAME,
    description:
        "Load balancers with a listener on a database port, or forwarding to a database target group, must be internal.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { extraPorts: PORT_LIST_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const watched = databasePorts(
            readPortList(args.getConfig<Record<string, unknown>>(), "extraPorts", POLICY_NAME),
        );
        const loadBalancers = args.resources.filter((r) => LOAD_BALANCER_TYPES.includes(r.type));
        const internetFacing = new Set<PolicyResource>();
        const listeners = args.resources.filter((r) => LISTENER_TYPES.includes(r.type));
        const targetGroups = args.resources.filter((r) => TARGET_GROUP_TYPES.includes(r.type));
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
                        const onPort = typeof port === "number" && watched.includes(port);
                        const tg = onPort
                            ? undefined
                            : databaseTargetGroupOf(listener, targetGroups, watched);
                        const what = onPort
                            ? `listens on database port ${String(port)}`
                            : tg !== undefined
                              ? `forwards port ${String(port)} to the database target group ${subject(tg.type, tg.name)} (port ${String(tg.props.port)})`
                              : undefined;
                        if (what === undefined) {
                            return;
                        }
                        reportViolation(
                            `${subject(listener.type, listener.name)} ${what} of the internet-facing load balancer ${subject(lb.type, lb.name)} (internal is not true). ` +
                                "Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.",
                            listener.urn,
                        );
                    }),
            ],
            (phase) => phase(),
        );
    },
};
