// The security-group policies: database ports (built-in and configured) and the stack's own listener ports must not
// be open to addresses outside private space. How a rule is read is in ingress.ts.
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    CLASSIC_LOAD_BALANCER_TYPE,
    databaseTargetOf,
    TARGET_GROUP_ATTACHMENT_TYPES,
    TARGET_GROUP_TYPES,
} from "../lib/load-balancers";
import { DEFAULT_DATABASE_PORTS, portReadings, watchedPortOf } from "../lib/ports";
import {
    databasePorts,
    LISTENER_TYPES,
    listOf,
    NLB_LISTENER_PROTOCOLS,
    PORT_LIST_SCHEMA,
    readPortList,
    recordOf,
    subject,
    TYPES,
} from "../lib/resources";
import { checkEvery } from "../lib/unknowns";
import { findOpenIngress, SECURITY_GROUP_TYPES, type OpenIngress } from "./ingress";
/** What an open rule reaches, in words: `opens database port 5432 to the whole internet`. */
function reachText(hit: OpenIngress, what: string): string {
    switch (hit.reach) {
        case "world":
            return `which opens ${what} to the whole internet`;
        case "public":
            return `which opens ${what} to addresses outside private space`;
        case "unreadable":
            return `which the pack cannot read as CIDR blocks inside private space, so they count as opening ${what} to addresses outside private space`;
    }
}

function portList(ports: readonly number[]): string {
    return ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(", ")}`;
}

function location(type: string, name: string, where: string): string {
    return where === "" ? subject(type, name) : `${subject(type, name)} ${where}`;
}

/** Blocks ingress from anywhere to a database port (built-in list plus configured extra ports). */
export const noWorldOpenDatabasePorts: ResourceValidationPolicy = {
    name: "no-world-open-database-ports",
    description: "Security groups must not open database ports to any address outside private space.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { extraPorts: PORT_LIST_SCHEMA } },
    validateResource: (args, reportViolation) => {
        if (!SECURITY_GROUP_TYPES.includes(args.type)) {
            return;
        }
        const watched = databasePorts(
            readPortList(
                args.getConfig<Record<string, unknown>>(),
                "extraPorts",
                "no-world-open-database-ports",
            ),
        );
        findOpenIngress(args.type, args.props, watched, (hit) =>
            reportViolation(
                `${location(args.type, args.name, hit.where)} allows ${hit.traffic} from ${hit.cidrs.join(", ")}, ` +
                    `${reachText(hit, `database ${portList(hit.ports)}`)}. ${hit.fix}`,
            ),
        );
    },
};

const PROXY_PORTS: Record<string, number> = { POSTGRESQL: 5432, MYSQL: 3306, SQLSERVER: 1433 };

/**
 * The ports something in the stack listens on for database traffic: explicit ports of RDS clusters and
 * instances, the engine port of each RDS Proxy, the ports of network load balancer listeners (TCP, TLS, UDP,
 * TCP_UDP), the port of any other listener that forwards to a database target group (one whose port, or the port
 * of one of its attachments, is a built-in database port or a port found above), and the `lbPort` of each classic
 * load balancer listener whose `instancePort` is such a port. Records in `ports` each port with the first resource that listens
 * on it; the known ports are recorded even when another resource's port is unknown (then the unknown-value error
 * is rethrown).
 */
export function collectListenerPorts(resources: readonly PolicyResource[], ports: Map<number, string>): void {
    // A port given as a string counts as every port the provider may read from it ("5432", "0x1538").
    const add = (port: unknown, who: PolicyResource): void => {
        for (const p of portReadings(port)) {
            if (!ports.has(p)) {
                ports.set(p, subject(who.type, who.name));
            }
        }
    };
    const targetGroups = resources.filter((r) => TARGET_GROUP_TYPES.includes(r.type));
    const attachments = resources.filter((r) => TARGET_GROUP_ATTACHMENT_TYPES.includes(r.type));
    const classic = resources.filter((r) => r.type === CLASSIC_LOAD_BALANCER_TYPE);
    const otherListeners: PolicyResource[] = [];
    checkEvery<() => void>(
        [
            () =>
                checkEvery(resources, (r) => {
                    if (r.type === TYPES.rdsCluster || r.type === TYPES.rdsInstance) {
                        add(r.props.port, r);
                    } else if (r.type === TYPES.rdsProxy) {
                        add(PROXY_PORTS[String(r.props.engineFamily).toUpperCase()], r);
                    } else if (LISTENER_TYPES.includes(r.type)) {
                        if (NLB_LISTENER_PROTOCOLS.includes(String(r.props.protocol).toUpperCase())) {
                            add(r.props.port, r);
                        } else {
                            otherListeners.push(r);
                        }
                    }
                }),
            () => {
                const databasePortsOfStack = [...new Set([...DEFAULT_DATABASE_PORTS, ...ports.keys()])];
                // A classic load balancer listens on lbPort and forwards to instancePort: its lbPort is a database
                // listener port when it forwards to a database port.
                checkEvery(classic, (elb) =>
                    checkEvery(listOf(elb.props.listeners), (entry) => {
                        const l = recordOf(entry);
                        if (
                            l !== undefined &&
                            watchedPortOf(l.instancePort, databasePortsOfStack) !== undefined
                        ) {
                            add(l.lbPort, elb);
                        }
                    }),
                );
                checkEvery(otherListeners, (listener) => {
                    if (
                        databaseTargetOf(listener, targetGroups, attachments, databasePortsOfStack) !==
                        undefined
                    ) {
                        add(listener.props.port, listener);
                    }
                });
            },
        ],
        (phase) => phase(),
    );
}

/**
 * Blocks ingress from outside private space to a port that a database, proxy or load balancer listener of this
 * stack listens on. Ports in the built-in database list are left to `no-world-open-database-ports`, so one rule
 * reports each hole.
 */
export const noWorldOpenListenerPorts: StackValidationPolicy = {
    name: "no-world-open-listener-ports",
    description:
        "Security groups must not open to any address outside private space a port that a database, proxy or load balancer listener of the stack listens on.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const listening = new Map<number, string>();
        checkEvery<() => void>(
            [
                () => collectListenerPorts(args.resources, listening),
                () => {
                    for (const port of DEFAULT_DATABASE_PORTS) {
                        listening.delete(port);
                    }
                    if (listening.size === 0) {
                        return;
                    }
                    const watched = [...listening.keys()];
                    checkEvery(args.resources, (r) => {
                        if (!SECURITY_GROUP_TYPES.includes(r.type)) {
                            return;
                        }
                        findOpenIngress(r.type, r.props, watched, (hit) => {
                            const owners = hit.ports.map((p) => `${p} (${listening.get(p)})`).join(", ");
                            reportViolation(
                                `${location(r.type, r.name, hit.where)} allows ${hit.traffic} from ${hit.cidrs.join(", ")}, ` +
                                    `${reachText(hit, `listener ${hit.ports.length === 1 ? "port" : "ports"} ${owners}`)}. ${hit.fix}`,
                                r.urn,
                            );
                        });
                    });
                },
            ],
            (phase) => phase(),
        );
    },
};
