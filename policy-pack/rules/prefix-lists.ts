import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { judgeCidr } from "../lib/cidr";
import {
    databasePorts,
    dependsThrough,
    listOf,
    PORT_LIST_SCHEMA,
    readPortList,
    readStringList,
    recordOf,
    subject,
    TYPES,
} from "../lib/resources";
import { checkEvery } from "../lib/unknowns";
import { forEachIngressRule, SECURITY_GROUP_TYPES, showCidr, valuesOf, type IngressRule } from "./ingress";
import { collectListenerPorts } from "./security-groups";

const POLICY_NAME = "no-open-prefix-lists-on-database-ports";

const FIX_UNKNOWN =
    "Fix: allow the clients' security group instead, create the prefix list in this stack (aws.ec2.ManagedPrefixList with private entries), " +
    "or, for an AWS-managed prefix list, reference the prefixListId of the gateway endpoint created in this stack or list its ID in this policy's trustedPrefixListIds.";
const FIX_ENTRIES =
    "Fix: keep only CIDR blocks inside private space in the prefix list, or allow the clients' security group instead.";

/** A prefix list ID as it appears in an ARN (`arn:aws:ec2:…:prefix-list/pl-…`) or on its own. */
function sameList(list: PolicyResource, id: string): boolean {
    const arn: unknown = list.props.arn;
    return list.props.id === id || (typeof arn === "string" && arn.endsWith(`/${id}`));
}

/** What the stack holds that a prefix-list reference can resolve to. */
interface StackLists {
    readonly lists: readonly PolicyResource[];
    readonly entries: readonly PolicyResource[];
    readonly endpoints: readonly PolicyResource[];
    readonly trusted: readonly string[];
}

/** The CIDR values a prefix list of the stack holds: its inline `entries` and its ManagedPrefixListEntry resources. */
function cidrsOf(list: PolicyResource, stack: StackLists): Array<{ value: unknown; where: string }> {
    const cidrs: Array<{ value: unknown; where: string }> = [];
    checkEvery(listOf(list.props.entries), (entry, index) => {
        cidrs.push({ value: recordOf(entry)?.cidr, where: `entries[${index}]` });
    });
    checkEvery(stack.entries, (entry) => {
        const id: unknown = entry.props.prefixListId;
        if (dependsThrough(entry, "prefixListId", list) || (typeof id === "string" && sameList(list, id))) {
            cidrs.push({ value: entry.props.cidr, where: subject(entry.type, entry.name) });
        }
    });
    return cidrs;
}

/**
 * How a prefix-list reference resolves: a list of the stack (judged by its entries), an AWS-managed list (the
 * `prefixListId` of a gateway VPC endpoint of the stack, or an ID in `trustedPrefixListIds`), or nothing the pack
 * can see.
 */
type Resolution =
    | { readonly kind: "list"; readonly list: PolicyResource }
    | { readonly kind: "aws-managed" }
    | { readonly kind: "unseen" };

function resolveByValue(id: string, stack: StackLists): Resolution {
    const list = stack.lists.find((l) => sameList(l, id));
    if (list !== undefined) {
        return { kind: "list", list };
    }
    // A gateway endpoint's prefixListId is the AWS-managed prefix list of its service (com.amazonaws.<region>.s3 or
    // .dynamodb): "A service is identified by an AWS managed prefix list—the name and ID of a service for a Region.
    // An AWS prefix list ID uses the form pl-xxxxxxx and an AWS prefix list name uses the form
    // com.amazonaws.region.service" (Amazon VPC, "Gateway endpoints",
    // https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html; the lists themselves:
    // https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html). Customers cannot
    // create or modify AWS-managed lists, so such a list holds only the addresses of the AWS service.
    if (stack.endpoints.some((e) => e.props.prefixListId === id) || stack.trusted.includes(id)) {
        return { kind: "aws-managed" };
    }
    return { kind: "unseen" };
}

/**
 * The prefix lists a single-list rule (`prefixListId` of a SecurityGroupIngressRule) depends on, through the
 * engine's property dependencies: this resolves the reference during preview, while the ID is still unknown.
 */
function resolveByDependency(
    owner: PolicyResource,
    property: string,
    stack: StackLists,
): Resolution | undefined {
    const list = stack.lists.find((l) => dependsThrough(owner, property, l));
    if (list !== undefined) {
        return { kind: "list", list };
    }
    if (stack.endpoints.some((e) => dependsThrough(owner, property, e))) {
        return { kind: "aws-managed" };
    }
    return undefined;
}

function portText(ports: readonly number[]): string {
    return ports.length === 1 ? `database port ${ports[0]}` : `database ports ${ports.join(", ")}`;
}

function where(owner: PolicyResource, ingress: IngressRule): string {
    const s = subject(owner.type, owner.name);
    return ingress.where === "" ? s : `${s} ${ingress.where}`;
}

/**
 * Judges prefix lists on database ports, which the resource rule cannot: it needs the stack. A list created in the
 * stack (aws.ec2.ManagedPrefixList `entries`, aws.ec2.ManagedPrefixListEntry) is judged by its entries like any
 * CIDR; an AWS-managed list (a gateway endpoint's prefix list, or a configured ID) passes; any other ID is a list
 * the pack cannot see, which is a violation.
 */
export const noOpenPrefixListsOnDatabasePorts: StackValidationPolicy = {
    name: POLICY_NAME,
    description:
        "Prefix lists allowed to a database port must be created in the stack with entries inside private space, or be AWS-managed.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            extraPorts: PORT_LIST_SCHEMA,
            trustedPrefixListIds: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description:
                    "Prefix list IDs created outside the stack that count as AWS-managed (for example an ID found with aws.ec2.getManagedPrefixList).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Record<string, unknown>>();
        const extraPorts = readPortList(config, "extraPorts", POLICY_NAME);
        const stack: StackLists = {
            lists: args.resources.filter((r) => r.type === TYPES.managedPrefixList),
            entries: args.resources.filter((r) => r.type === TYPES.managedPrefixListEntry),
            endpoints: args.resources.filter((r) => r.type === TYPES.vpcEndpoint),
            trusted: readStringList(config, "trustedPrefixListIds", POLICY_NAME),
        };
        const listening = new Map<number, string>();
        checkEvery<() => void>(
            [
                () => collectListenerPorts(args.resources, listening),
                () => {
                    const watched = [...new Set([...databasePorts(extraPorts), ...listening.keys()])].sort(
                        (a, b) => a - b,
                    );
                    checkEvery(args.resources, (r) => {
                        if (!SECURITY_GROUP_TYPES.includes(r.type)) {
                            return;
                        }
                        forEachIngressRule(r.type, r.props, watched, (ingress) => {
                            const key = ingress.shape.prefixLists;
                            const judge = (resolution: Resolution, shown: string): void => {
                                if (resolution.kind === "aws-managed") {
                                    return;
                                }
                                if (resolution.kind === "unseen") {
                                    reportViolation(
                                        `${where(r, ingress)} allows ${ingress.traffic} from the prefix list ${shown}, which is neither created in this stack nor recognisably AWS-managed, ` +
                                            `so the pack cannot see what it admits to ${portText(ingress.ports)}. ${FIX_UNKNOWN}`,
                                        r.urn,
                                    );
                                    return;
                                }
                                const outside: string[] = [];
                                checkEvery(cidrsOf(resolution.list, stack), ({ value, where: at }) => {
                                    const verdict = judgeCidr(value);
                                    if (verdict.kind !== "private") {
                                        outside.push(`${showCidr(value, verdict)} (${at})`);
                                    }
                                });
                                if (outside.length > 0) {
                                    reportViolation(
                                        `${where(r, ingress)} allows ${ingress.traffic} from the prefix list ${subject(resolution.list.type, resolution.list.name)}, ` +
                                            `whose entries ${outside.join(", ")} are not inside private space, which opens ${portText(ingress.ports)} to addresses outside private space. ${FIX_ENTRIES}`,
                                        r.urn,
                                    );
                                }
                            };
                            if (ingress.property === "") {
                                const byDependency = resolveByDependency(r, key, stack);
                                if (byDependency !== undefined) {
                                    judge(byDependency, "");
                                    return;
                                }
                            }
                            checkEvery(valuesOf(ingress.rule[key]), (id) => {
                                if (typeof id !== "string") {
                                    judge({ kind: "unseen" }, JSON.stringify(id));
                                    return;
                                }
                                judge(resolveByValue(id, stack), id);
                            });
                        });
                    });
                },
            ],
            (phase) => phase(),
        );
    },
};
