import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { normalizeProtocol, portRangeOf, portsInRange, type PortRange } from "../lib/ports";
import {
    databasePorts,
    dependsThrough,
    listOf,
    PORT_LIST_SCHEMA,
    providerBoolean,
    readPortList,
    recordOf,
    subject,
    TYPES,
} from "../lib/resources";
import { checkEvery, isUnknownValueError } from "../lib/unknowns";

const POLICY_NAME = "database-client-instances-private";
const INSTANCE_TYPE = "aws:ec2/instance:Instance";
const EGRESS_RULE_TYPE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/**
 * True when an egress rule's range reaches a watched port and is narrower than every port. Every group EC2 creates
 * allows all traffic out ("By default, a security group includes an outbound rule that allows all outbound
 * traffic", Amazon VPC User Guide, "Security group rules",
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html), so an all-ports rule says nothing
 * about databases; a rule that names a database port does.
 */
function namesDatabasePort(range: PortRange | undefined, watched: readonly number[]): boolean {
    if (range === undefined || (range.from <= 0 && range.to >= 65535)) {
        return false;
    }
    return portsInRange(range, watched).length > 0;
}

/** A group an egress rule belongs to: the stack's security group it depends on, else the ID it names. */
function groupOfRule(
    rule: PolicyResource,
    groups: readonly PolicyResource[],
): PolicyResource | string | undefined {
    const found = groups.find((g) => dependsThrough(rule, "securityGroupId", g));
    if (found !== undefined) {
        return found;
    }
    const id: unknown = rule.props.securityGroupId;
    return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * The database client groups of a stack: security groups with an egress rule (inline, `aws.vpc.SecurityGroupEgressRule`
 * or an egress `aws.ec2.SecurityGroupRule`) to a database port, narrower than every port. Groups of the stack are
 * the resources; groups from outside it are the IDs the rules name. Adds them to `clients` as it finds them, so that
 * a value unknown during preview leaves the known ones found.
 */
function collectClientGroups(
    resources: readonly PolicyResource[],
    watched: readonly number[],
    clients: Set<PolicyResource | string>,
): void {
    const groups = resources.filter((r) => r.type === TYPES.securityGroup);
    const inline = () =>
        checkEvery(groups, (group) => {
            checkEvery(listOf(group.props.egress), (entry) => {
                const e = recordOf(entry);
                if (
                    e &&
                    namesDatabasePort(
                        portRangeOf(normalizeProtocol(e.protocol), e.fromPort, e.toPort),
                        watched,
                    )
                ) {
                    clients.add(group);
                }
            });
        });
    const separate = () =>
        checkEvery(resources, (r) => {
            const egress =
                r.type === EGRESS_RULE_TYPE
                    ? portRangeOf(normalizeProtocol(r.props.ipProtocol), r.props.fromPort, r.props.toPort)
                    : r.type === TYPES.securityGroupRule && r.props.type === "egress"
                      ? portRangeOf(normalizeProtocol(r.props.protocol), r.props.fromPort, r.props.toPort)
                      : undefined;
            if (!namesDatabasePort(egress, watched)) {
                return;
            }
            const group = groupOfRule(r, groups);
            if (group !== undefined) {
                clients.add(group);
            }
        });
    // Both shapes even when one reads a value unknown during preview.
    checkEvery<() => void>([inline, separate], (phase) => phase());
}

/**
 * The client group an instance sits in, by its vpcSecurityGroupIds: a group of the stack it depends on (read without
 * touching the IDs, which are unknown during preview), else a listed ID equal to a client group's. An unknown ID
 * stops the rule (advisory) only when no other listed group answers.
 */
function clientGroupOf(
    instance: PolicyResource,
    clients: ReadonlySet<PolicyResource | string>,
): string | undefined {
    for (const client of clients) {
        if (typeof client !== "string" && dependsThrough(instance, "vpcSecurityGroupIds", client)) {
            return subject(client.type, client.name);
        }
    }
    let found: string | undefined;
    try {
        checkEvery(listOf(instance.props.vpcSecurityGroupIds), (id) => {
            if (found !== undefined || typeof id !== "string") {
                return;
            }
            for (const client of clients) {
                if (typeof client === "string" ? client === id : client.props.id === id) {
                    found = typeof client === "string" ? client : subject(client.type, client.name);
                    return;
                }
            }
        });
    } catch (error) {
        if (found === undefined || !isUnknownValueError(error)) {
            throw error;
        }
    }
    return found;
}

/** What makes an instance reachable or its credentials exposed, in words; empty when nothing does. */
function exposures(instance: PolicyResource): string[] {
    const found: string[] = [];
    // Omitted: the subnet's mapPublicIpOnLaunch decides, which the pack cannot see (docs/policy.md says so).
    const publicIp: unknown = instance.props.associatePublicIpAddress;
    if (publicIp !== undefined && publicIp !== null && providerBoolean(publicIp) !== false) {
        found.push(
            providerBoolean(publicIp) === true
                ? `sets associatePublicIpAddress: ${JSON.stringify(publicIp)}, which gives it a public IP address`
                : `sets associatePublicIpAddress: ${JSON.stringify(publicIp)}, which is not a boolean the provider reads as false`,
        );
    }
    // Without httpTokens "required" the instance answers IMDSv1: "If you retrieve the IAM role credentials without a
    // token, the IMDSv1 role credentials are returned" (EC2 API, InstanceMetadataOptionsRequest HttpTokens, "Default:
    // optional"; https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html).
    const tokens: unknown = recordOf(instance.props.metadataOptions)?.httpTokens;
    if (tokens !== "required") {
        found.push(
            tokens === undefined
                ? "does not set metadataOptions.httpTokens, so it may answer IMDSv1"
                : `sets metadataOptions.httpTokens: ${JSON.stringify(tokens)}, so it answers IMDSv1`,
        );
    }
    return found;
}

/**
 * Blocks EC2 instances in a database client security group that have a public IP address or do not require IMDSv2:
 * such an instance reaches the database, and anyone who reaches it (or its role's credentials) does too.
 */
export const databaseClientInstancesPrivate: StackValidationPolicy = {
    name: POLICY_NAME,
    description:
        "EC2 instances in a database client security group must have no public IP address and must require IMDSv2 (metadataOptions.httpTokens: required).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { extraPorts: PORT_LIST_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Record<string, unknown>>();
        const watched = databasePorts(readPortList(config, "extraPorts", POLICY_NAME));
        const clients = new Set<PolicyResource | string>();
        // Phases: a group whose egress is unknown during preview still lets the instances be judged against the
        // client groups that are known; the rule then ends as advisory.
        checkEvery<() => void>(
            [
                () => collectClientGroups(args.resources, watched, clients),
                () =>
                    checkEvery(
                        args.resources.filter((r) => r.type === INSTANCE_TYPE),
                        (instance) => {
                            const group = clientGroupOf(instance, clients);
                            if (group === undefined) {
                                return;
                            }
                            const found = exposures(instance);
                            if (found.length === 0) {
                                return;
                            }
                            reportViolation(
                                `${subject(instance.type, instance.name)} is in the database client security group ${group} and ` +
                                    `${found.join(", and ")}. Fix: set associatePublicIpAddress: false and metadataOptions ` +
                                    `{ httpTokens: "required", httpPutResponseHopLimit: 1 }, and reach the instance through ` +
                                    `Session Manager instead of a public address.`,
                                instance.urn,
                            );
                        },
                    ),
            ],
            (phase) => phase(),
        );
    },
};
