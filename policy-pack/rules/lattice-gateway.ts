// Where a VPC Lattice resource gateway may connect: "Security group rules for resource gateways control outbound
// traffic from the resource gateway to resources" ("Resource gateways in VPC Lattice", VPC Lattice User Guide,
// https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-gateway.html). Consumers' connections leave the
// gateway toward whatever its resource configurations resolve to, so its egress is what bounds them.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { judgeCidr } from "../lib/cidr";
import { dependsThrough, hasDependencyInfo, listOf, recordOf, subject, TYPES } from "../lib/resources";
import { checkEvery } from "../lib/unknowns";
import { showCidr, valuesOf } from "./ingress";

const EGRESS_RULE_TYPE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const FIX =
    "Fix: allow egress only to the proxy's security group (referencedSecurityGroupId, or securityGroups inline) on the engine port.";

/** The CIDR values of `record`'s `keys` that are not entirely inside private space, as messages show them. */
function outsidePrivateSpace(record: Record<string, unknown>, keys: readonly string[]): string[] {
    const shown: string[] = [];
    checkEvery(keys, (key) =>
        checkEvery(valuesOf(record[key]), (cidr) => {
            const verdict = judgeCidr(cidr);
            if (verdict.kind !== "private") {
                shown.push(showCidr(cidr, verdict));
            }
        }),
    );
    return shown;
}

/** True when a separate egress rule belongs to `group`: by the engine's dependency, else by equal group ID. */
function ruleOf(rule: PolicyResource, group: PolicyResource): boolean {
    if (dependsThrough(rule, "securityGroupId", group)) {
        return true;
    }
    const id: unknown = rule.props.securityGroupId;
    return (
        !hasDependencyInfo(rule, "securityGroupId") &&
        typeof id === "string" &&
        id !== "" &&
        id === group.props.id
    );
}

/** The stack's security groups a gateway names: by the engine's dependency, else by equal ID. */
function groupsOf(gateway: PolicyResource, groups: readonly PolicyResource[]): PolicyResource[] {
    const byDependency = groups.filter((g) => dependsThrough(gateway, "securityGroupIds", g));
    if (byDependency.length > 0) {
        return byDependency;
    }
    const found: PolicyResource[] = [];
    checkEvery(listOf(gateway.props.securityGroupIds), (id) => {
        found.push(...groups.filter((g) => typeof id === "string" && id !== "" && g.props.id === id));
    });
    return found;
}

/**
 * Blocks egress to addresses outside private space (or unreadable CIDR blocks) from a security group of the stack
 * that a VPC Lattice resource gateway of the stack uses, in all three rule shapes (inline `egress`,
 * `aws.vpc.SecurityGroupEgressRule`, `aws.ec2.SecurityGroupRule` of type `egress`), and a gateway that names no
 * security group at all. Groups created outside the stack are not seen; prefix lists in egress are not judged.
 */
export const resourceGatewayEgressPrivate: StackValidationPolicy = {
    name: "resource-gateway-egress-private",
    description:
        "Security groups of a VPC Lattice resource gateway must not allow egress to addresses outside private space.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const gateways = args.resources.filter((r) => r.type === TYPES.latticeResourceGateway);
        if (gateways.length === 0) {
            return;
        }
        const groups = args.resources.filter((r) => r.type === TYPES.securityGroup);
        const rules = args.resources.filter(
            (r) => r.type === EGRESS_RULE_TYPE || r.type === TYPES.securityGroupRule,
        );
        checkEvery(gateways, (gateway) => {
            const gw = subject(gateway.type, gateway.name);
            if (
                !hasDependencyInfo(gateway, "securityGroupIds") &&
                listOf(gateway.props.securityGroupIds).length === 0
            ) {
                reportViolation(
                    `${gw} names no securityGroupIds, so no security group of the stack bounds where it connects. Fix: give it its own security group whose egress reaches only the proxy's security group on the engine port.`,
                    gateway.urn,
                );
                return;
            }
            checkEvery(groupsOf(gateway, groups), (group) => {
                const of = `the security group ${subject(group.type, group.name)} of the resource gateway ${gw}`;
                const report = (where: string, cidrs: string[], urn: string): void =>
                    reportViolation(
                        `${where} allows egress to ${cidrs.join(", ")} from ${of}, which lets the gateway connect to addresses outside private space. ${FIX}`,
                        urn,
                    );
                checkEvery<() => void>(
                    [
                        () =>
                            checkEvery(listOf(group.props.egress), (entry, index) => {
                                const e = recordOf(entry);
                                const cidrs = e
                                    ? outsidePrivateSpace(e, ["cidrBlocks", "ipv6CidrBlocks"])
                                    : [];
                                if (cidrs.length > 0) {
                                    report(
                                        `${subject(group.type, group.name)} egress[${index}]`,
                                        cidrs,
                                        group.urn,
                                    );
                                }
                            }),
                        () =>
                            checkEvery(rules, (rule) => {
                                if (rule.type === TYPES.securityGroupRule && rule.props.type !== "egress") {
                                    return;
                                }
                                if (!ruleOf(rule, group)) {
                                    return;
                                }
                                const keys =
                                    rule.type === EGRESS_RULE_TYPE
                                        ? ["cidrIpv4", "cidrIpv6"]
                                        : ["cidrBlocks", "ipv6CidrBlocks"];
                                const cidrs = outsidePrivateSpace(rule.props, keys);
                                if (cidrs.length > 0) {
                                    report(subject(rule.type, rule.name), cidrs, rule.urn);
                                }
                            }),
                    ],
                    (phase) => phase(),
                );
            });
        });
    },
};
