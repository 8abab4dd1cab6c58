// How the pack reads ingress rules in their three shapes (inline on a security group, aws.ec2.SecurityGroupRule,
// aws.vpc.SecurityGroupIngressRule): which traffic a rule admits, from which CIDR blocks, to which watched ports.
// The policies that judge them are in security-groups.ts and prefix-lists.ts.
import { judgeCidr, type CidrVerdict } from "../lib/cidr";
import {
    formatRange,
    normalizeProtocol,
    portRangeOf,
    portsInRange,
    type PortRange,
    type RuleProtocol,
} from "../lib/ports";
import { listOf, TYPES } from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

/** One ingress rule that opens some of the watched ports to addresses outside private space. */
export interface OpenIngress {
    /** Where in the resource: `ingress[2]`, or empty for a resource that is itself one rule. */
    readonly where: string;
    /** `tcp 0-65535`, `all traffic`, `protocol 50 (all ports)`. */
    readonly traffic: string;
    /** The offending CIDR values as messages show them; unreadable ones carry the reason. */
    readonly cidrs: readonly string[];
    /** How far they reach: `world` when one is a /0, `public` when one admits a public address, else `unreadable`. */
    readonly reach: "world" | "public" | "unreadable";
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

/** Which properties of a rule shape hold the protocol, the CIDR blocks and the prefix lists. */
export interface RuleShape {
    readonly protocol: string;
    readonly cidrs: readonly string[];
    readonly prefixLists: string;
    readonly fix: string;
}

const INLINE_SHAPE: RuleShape = {
    protocol: "protocol",
    cidrs: ["cidrBlocks", "ipv6CidrBlocks"],
    prefixLists: "prefixListIds",
    fix: FIX_INLINE,
};
const RULE_SHAPE: RuleShape = {
    protocol: "protocol",
    cidrs: ["cidrBlocks", "ipv6CidrBlocks"],
    prefixLists: "prefixListIds",
    fix: FIX_RULE,
};
const VPC_RULE_SHAPE: RuleShape = {
    protocol: "ipProtocol",
    cidrs: ["cidrIpv4", "cidrIpv6"],
    prefixLists: "prefixListId",
    fix: FIX_VPC_RULE,
};

/** One ingress rule of a resource, with the watched ports it opens. */
export interface IngressRule {
    /** Where in the resource: `ingress[2]`, or empty for a resource that is itself one rule. */
    readonly where: string;
    /** The property of the resource that holds the rule (`ingress`), or empty for a rule resource. */
    readonly property: string;
    readonly rule: Record<string, unknown>;
    readonly shape: RuleShape;
    readonly traffic: string;
    readonly ports: readonly number[];
}

/** A property that may hold one value or a list, as a list (a missing value is an empty list). */
export function valuesOf(value: unknown): ArrayLike<unknown> {
    return typeof value === "string" ? [value] : listOf(value);
}

/**
 * Calls `visit` for each ingress rule of a security-group resource, in any of the AWS provider's three shapes
 * (inline `ingress` of a security group or of the VPC's default security group, SecurityGroupRule,
 * SecurityGroupIngressRule), that opens one of `watched`. Egress is ignored. An unknown value in one rule does
 * not keep the others from being visited (the first unknown-value error is rethrown at the end).
 */
export function forEachIngressRule(
    type: string,
    props: Record<string, unknown>,
    watched: readonly number[],
    visit: (rule: IngressRule) => void,
): void {
    const one = (where: string, property: string, rule: Record<string, unknown>, shape: RuleShape): void => {
        const rawProtocol: unknown = rule[shape.protocol];
        const protocol = normalizeProtocol(rawProtocol);
        const range = portRangeOf(protocol, rule.fromPort, rule.toPort);
        const ports = portsInRange(range, watched);
        if (range === undefined || ports.length === 0) {
            return;
        }
        visit({
            where,
            property,
            rule,
            shape,
            traffic: describeTraffic(protocol, rawProtocol, range),
            ports,
        });
    };
    if (type === TYPES.securityGroup || type === TYPES.defaultSecurityGroup) {
        checkEvery(listOf(props.ingress), (entry, index) => {
            one(`ingress[${index}]`, "ingress", entry as Record<string, unknown>, INLINE_SHAPE);
        });
    } else if (type === TYPES.securityGroupRule) {
        if (String(props.type).toLowerCase() === "ingress") {
            one("", "", props, RULE_SHAPE);
        }
    } else if (type === TYPES.securityGroupIngressRule) {
        one("", "", props, VPC_RULE_SHAPE);
    }
}

/** How a CIDR value shows in a message: as written, and with the reason when the pack cannot read it. */
export function showCidr(value: unknown, verdict: CidrVerdict): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return verdict.kind === "unreadable" ? `${JSON.stringify(text)} (unreadable: ${verdict.reason})` : text;
}

/**
 * Evaluates the CIDR values of one ingress rule. Each property is read on its own, so an unknown IPv4 list does
 * not hide an open IPv6 one; the hit is reported from what is known, and only then is the first unknown-value
 * error rethrown. Prefix lists are judged by the stack rule `no-open-prefix-lists-on-database-ports`.
 */
function evaluate(ingress: IngressRule, onHit: (hit: OpenIngress) => void): void {
    const cidrs: string[] = [];
    let world = false;
    let reachesPublic = false;
    checkEvery<() => void>(
        [
            () =>
                checkEvery(ingress.shape.cidrs, (key) => {
                    checkEvery(valuesOf(ingress.rule[key]), (cidr) => {
                        const verdict = judgeCidr(cidr);
                        if (verdict.kind === "private") {
                            return;
                        }
                        if (verdict.kind === "public") {
                            reachesPublic = true;
                            world ||= verdict.world;
                        }
                        cidrs.push(showCidr(cidr, verdict));
                    });
                }),
            () => {
                if (cidrs.length === 0) {
                    return;
                }
                onHit({
                    where: ingress.where,
                    traffic: ingress.traffic,
                    cidrs,
                    reach: world ? "world" : reachesPublic ? "public" : "unreadable",
                    ports: ingress.ports,
                    fix: ingress.shape.fix,
                });
            },
        ],
        (phase) => phase(),
    );
}

/**
 * Finds the ingress rules of a security-group resource (every shape, see `forEachIngressRule`) that open one of
 * `watched` to a CIDR block that is not entirely inside private space (see `judgeCidr`), or to a value the pack
 * cannot read as a CIDR block. Every rule is evaluated, whatever the others say. Reading an unknown value still
 * evaluates the rest, then rethrows so the SDK reports the rule as advisory during preview; each hit goes to
 * `onHit` as soon as it is found, so hits among known values are reported either way.
 */
export function findOpenIngress(
    type: string,
    props: Record<string, unknown>,
    watched: readonly number[],
    onHit: (hit: OpenIngress) => void,
): void {
    forEachIngressRule(type, props, watched, (ingress) => evaluate(ingress, onHit));
}

/** The resource types that hold ingress rules. */
export const SECURITY_GROUP_TYPES: readonly string[] = [
    TYPES.securityGroup,
    TYPES.defaultSecurityGroup,
    TYPES.securityGroupRule,
    TYPES.securityGroupIngressRule,
];
