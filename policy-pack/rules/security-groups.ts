import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isWorldCidr } from "../lib/cidr";
import {
    DEFAULT_DATABASE_PORTS,
    formatRange,
    normalizeProtocol,
    portRangeOf,
    portsInRange,
    type PortRange,
    type RuleProtocol,
} from "../lib/ports";
import {
    databasePorts,
    LISTENER_TYPES,
    listOf,
    NLB_LISTENER_PROTOCOLS,
    PORT_LIST_SCHEMA,
    readPortList,
    subject,
    TYPES,
} from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

/** One ingress rule that opens some of the watched ports to the whole internet. */
export interface WorldOpenIngress {
    /** Where in the resource: `ingress[2]`, or empty for a resource that is itself one rule. */
    readonly where: string;
    /** `tcp 0-65535`, `all traffic`, `protocol 50 (all ports)`. */
    readonly traffic: string;
    /** The world CIDR blocks the rule allows. */
    readonly worldCidrs: readonly string[];
    /** The watched ports it opens. */
    readonly ports: readonly number[];
    /** How to fix this shape of rule. */
    readonly fix: string;
}

const FIX_INLINE =
    "Fix: allow the clients' security group (securityGroups) or a private CIDR instead, and open only the ports they need.";
const FIX_RULE =
    "Fix: use sourceSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.";
const FIX_VPC_RULE =
    "Fix: use referencedSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.";

function describeTraffic(protocol: RuleProtocol, raw: unknown, range: PortRange): string {
    switch (protocol) {
        case "all":
            return "all traffic";
        case "other":
            return `protocol ${String(raw)} (all ports)`;
        default:
            return `${protocol} ${formatRange(range)}`;
    }
}

/** Which properties of a rule shape hold the protocol, the port bounds and the CIDR blocks. */
interface RuleShape {
    readonly protocol: string;
    readonly cidrs: readonly string[];
    readonly fix: string;
}

const INLINE_SHAPE: RuleShape = {
    protocol: "protocol",
    cidrs: ["cidrBlocks", "ipv6CidrBlocks"],
    fix: FIX_INLINE,
};
const RULE_SHAPE: RuleShape = {
    protocol: "protocol",
    cidrs: ["cidrBlocks", "ipv6CidrBlocks"],
    fix: FIX_RULE,
};
const VPC_RULE_SHAPE: RuleShape = {
    protocol: "ipProtocol",
    cidrs: ["cidrIpv4", "cidrIpv6"],
    fix: FIX_VPC_RULE,
};

/**
 * Evaluates one ingress rule. The world CIDRs are collected first, each property read on its own, so an unknown
 * IPv4 list does not hide a world-open IPv6 one; the hit is then reported from what is known, and only after that
 * is the first unknown-value error rethrown.
 */
function evaluate(
    where: string,
    rule: Record<string, unknown>,
    shape: RuleShape,
    watched: readonly number[],
    onHit: (hit: WorldOpenIngress) => void,
): void {
    const worldCidrs: string[] = [];
    checkEvery<() => void>(
        [
            () =>
                checkEvery(shape.cidrs, (key) => {
                    const value: unknown = rule[key];
                    const list: ArrayLike<unknown> = typeof value === "string" ? [value] : listOf(value);
                    checkEvery(list, (cidr) => {
                        if (typeof cidr === "string" && isWorldCidr(cidr)) {
                            worldCidrs.push(cidr);
                        }
                    });
                }),
            () => {
                if (worldCidrs.length === 0) {
                    return;
                }
                const rawProtocol: unknown = rule[shape.protocol];
                const protocol = normalizeProtocol(rawProtocol);
                const range = portRangeOf(protocol, rule.fromPort, rule.toPort);
                const ports = portsInRange(range, watched);
                if (range === undefined || ports.length === 0) {
                    return;
                }
                onHit({
                    where,
                    traffic: describeTraffic(protocol, rawProtocol, range),
                    worldCidrs: [...worldCidrs],
                    ports,
                    fix: shape.fix,
                });
            },
        ],
        (phase) => phase(),
    );
}

/**
 * Finds the ingress rules of a security-group resource, in any of the AWS provider's three shapes (inline `ingress`
 * of a security group or of the VPC's default security group, SecurityGroupRule, SecurityGroupIngressRule), that
 * open one of `watched` to any `/0`. Every rule is evaluated, whatever the others say; egress is ignored. Reading an
 * unknown value still evaluates the rest, then rethrows so the SDK reports the rule as advisory during preview; each
 * hit goes to `onHit` as soon as it is found, so hits among known values are reported either way.
 */
export function findWorldOpenIngress(
    type: string,
    props: Record<string, unknown>,
    watched: readonly number[],
    onHit: (hit: WorldOpenIngress) => void,
): void {
    if (type === TYPES.securityGroup || type === TYPES.defaultSecurityGroup) {
        checkEvery(listOf(props.ingress), (entry, index) => {
            evaluate(`ingress[${index}]`, entry as Record<string, unknown>, INLINE_SHAPE, watched, onHit);
        });
    } else if (type === TYPES.securityGroupRule) {
        if (String(props.type).toLowerCase() === "ingress") {
            evaluate("", props, RULE_SHAPE, watched, onHit);
        }
    } else if (type === TYPES.securityGroupIngressRule) {
        evaluate("", props, VPC_RULE_SHAPE, watched, onHit);
    }
}

function portList(ports: readonly number[]): string {
    return ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(", ")}`;
}

function location(type: string, name: string, where: string): string {
    return where === "" ? subject(type, name) : `${subject(type, name)} ${where}`;
}

const SECURITY_GROUP_TYPES: readonly string[] = [
    TYPES.securityGroup,
    TYPES.defaultSecurityGroup,
    TYPES.securityGroupRule,
    TYPES.securityGroupIngressRule,
];

/** Blocks ingress from anywhere to a database port (built-in list plus configured extra ports). */
export const noWorldOpenDatabasePorts: ResourceValidationPolicy = {
    name: "no-world-open-database-ports",
    description: "Security groups must not open database ports to 0.0.0.0/0 or ::/0.",
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
        findWorldOpenIngress(args.type, args.props, watched, (hit) =>
            reportViolation(
                `${location(args.type, args.name, hit.where)} allows ${hit.traffic} from ${hit.worldCidrs.join(", ")}, ` +
                    `which opens database ${portList(hit.ports)} to the whole internet. ${hit.fix}`,
            ),
        );
    },
};

const PROXY_PORTS: Record<string, number> = { POSTGRESQL: 5432, MYSQL: 3306, SQLSERVER: 1433 };

/**
 * The ports something in the stack listens on for database traffic: explicit ports of RDS clusters and
 * instances, the engine port of each RDS Proxy, and the ports of network load balancer listeners (TCP, TLS, UDP,
 * TCP_UDP). Records in `ports` each port with the first resource that listens on it; the known ports are
 * recorded even when another resource's port is unknown (then the unknown-value error is rethrown).
 */
export function collectListenerPorts(resources: readonly PolicyResource[], ports: Map<number, string>): void {
    const add = (port: unknown, who: PolicyResource): void => {
        if (typeof port === "number" && Number.isInteger(port) && !ports.has(port)) {
            ports.set(port, subject(who.type, who.name));
        }
    };
    checkEvery(resources, (r) => {
        if (r.type === TYPES.rdsCluster || r.type === TYPES.rdsInstance) {
            add(r.props.port, r);
        } else if (r.type === TYPES.rdsProxy) {
            add(PROXY_PORTS[String(r.props.engineFamily).toUpperCase()], r);
        } else if (LISTENER_TYPES.includes(r.type)) {
            if (NLB_LISTENER_PROTOCOLS.includes(String(r.props.protocol).toUpperCase())) {
                add(r.props.port, r);
            }
        }
    });
}

/**
 * Blocks ingress from anywhere to a port that a database, proxy or NLB listener of this stack listens on. Ports
 * in the built-in database list are left to `no-world-open-database-ports`, so one rule reports each hole.
 */
export const noWorldOpenListenerPorts: StackValidationPolicy = {
    name: "no-world-open-listener-ports",
    description:
        "Security groups must not open to 0.0.0.0/0 or ::/0 a port that a database, proxy or NLB listener of the stack listens on.",
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
                        findWorldOpenIngress(r.type, r.props, watched, (hit) => {
                            const owners = hit.ports.map((p) => `${p} (${listening.get(p)})`).join(", ");
                            reportViolation(
                                `${location(r.type, r.name, hit.where)} allows ${hit.traffic} from ${hit.worldCidrs.join(", ")}, ` +
                                    `which opens listener ${hit.ports.length === 1 ? "port" : "ports"} ${owners} to the whole internet. ${hit.fix}`,
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
