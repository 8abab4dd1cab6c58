// Ways around the pack, shared by the per-rule tables (rules-network, rules-prefix-lists, rules-tls): builders for
// the constructs a stack may use to sidestep a rule, and the harness that runs each one through the whole pack
// in-process (useInProcessPack: the analyzer's Analyze for each resource, then AnalyzeStack over all of them, as a
// preview or update does). An insecure construct must draw a mandatory violation of the rule named next to it; a
// secure one must draw no diagnostic at all, from any policy. The readings encoded in the tables (EC2 CIDR
// semantics, libpq, pgJDBC, MySQL Connector/J, the Go MySQL driver, Prisma, node-postgres, Npgsql) come from their
// documentation; what this cannot prove is that AWS or a client library reads a setting as the pack does.
import * as assert from "node:assert/strict";
import { urnOf, type AnalyzedResource, type Diagnostic } from "../../../tools/policy/analyzer";
import { useInProcessPack, type PolicyName } from "./expect";
import {
    CLUSTER,
    CLUSTER_PG,
    ECS_TASK,
    LAMBDA,
    LB,
    LISTENER,
    PREFIX_LIST,
    SECRET_VERSION,
    SG,
    SG_RULE,
    SSM,
    TARGET_GROUP,
    VPC_INGRESS,
} from "./tokens";

export interface Construct {
    readonly title: string;
    readonly resources: readonly AnalyzedResource[];
    /** For an insecure construct, the rule that must catch it. */
    readonly caughtBy?: PolicyName;
}

/** Inline ingress of a security group on 5432 from the given IPv4 and IPv6 blocks. */
export function inline(cidrBlocks: string[], ipv6CidrBlocks: string[] = []): AnalyzedResource[] {
    return [
        {
            type: SG,
            name: "db",
            props: {
                ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks, ipv6CidrBlocks }],
            },
        },
    ];
}
/** One aws.vpc.SecurityGroupIngressRule per block, on 5432. */
export function vpcRules(blocks: string[]): AnalyzedResource[] {
    return blocks.map((cidr, i) => ({
        type: VPC_INGRESS,
        name: `in-${i}`,
        props: {
            ipProtocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        },
    }));
}
export function ruleFrom(props: Record<string, unknown>): AnalyzedResource[] {
    return [
        {
            type: SG_RULE,
            name: "in",
            props: { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, ...props },
        },
    ];
}
export function ssm(value: string): AnalyzedResource[] {
    return [{ type: SSM, name: "db", props: { type: "SecureString", value } }];
}
export function secretJson(value: unknown): AnalyzedResource[] {
    return [{ type: SECRET_VERSION, name: "db", props: { secretString: JSON.stringify(value) } }];
}
export function lambda(variables: Record<string, string>): AnalyzedResource[] {
    return [{ type: LAMBDA, name: "api", props: { environment: { variables } } }];
}
export function ecs(environment: Array<{ name: string; value: string }>): AnalyzedResource[] {
    return [
        {
            type: ECS_TASK,
            name: "api",
            props: {
                family: "api",
                containerDefinitions: JSON.stringify([{ name: "api", image: "api", environment }]),
            },
        },
    ];
}
/** A prefix-list rule on 5432 that references `id`, next to `others` in the stack. */
export function prefixListRule(id: string, others: AnalyzedResource[]): AnalyzedResource[] {
    return [
        ...others,
        {
            type: VPC_INGRESS,
            name: "from-list",
            props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, prefixListId: id },
        },
    ];
}
export function stackList(cidrs: string[]): AnalyzedResource {
    return {
        type: PREFIX_LIST,
        name: "clients",
        props: {
            id: "pl-0clients",
            addressFamily: "IPv4",
            maxEntries: 5,
            entries: cidrs.map((cidr) => ({ cidr })),
        },
    };
}
/** A load balancer, a listener on `port` and a target group on `targetPort`, linked by the engine's dependencies. */
export function balancer(
    internal: boolean | undefined,
    port: number,
    targetPort: number,
    protocol = "TCP",
): AnalyzedResource[] {
    return [
        { type: LB, name: "nlb", props: internal === undefined ? {} : { internal } },
        { type: TARGET_GROUP, name: "db", props: { port: targetPort, protocol: "TCP" } },
        {
            type: LISTENER,
            name: "front",
            props: { protocol, port, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] },
            propertyDependencies: {
                loadBalancerArn: [urnOf(LB, "nlb")],
                defaultActions: [urnOf(TARGET_GROUP, "db")],
            },
        },
    ];
}
export function clusterWithGroup(
    clusterName: string,
    groupName: string,
    forceSsl: string,
): AnalyzedResource[] {
    return [
        { type: CLUSTER, name: "db", props: { dbClusterParameterGroupName: clusterName } },
        {
            type: CLUSTER_PG,
            name: "params",
            props: {
                name: groupName,
                family: "aurora-postgresql16",
                parameters: [{ name: "rds.force_ssl", value: forceSsl }],
            },
        },
    ];
}

/** A named group of constructs. */
export interface ConstructGroup {
    readonly group: string;
    readonly constructs: readonly Construct[];
}

/** Every diagnostic the pack gives a construct: Analyze per resource, then AnalyzeStack over all of them. */
async function diagnose(
    pack: ReturnType<typeof useInProcessPack>,
    resources: readonly AnalyzedResource[],
): Promise<Diagnostic[]> {
    const found: Diagnostic[] = [];
    for (const r of resources) {
        found.push(...(await pack().analyze(r)));
    }
    found.push(...(await pack().analyzeStack(resources)));
    return found;
}

/**
 * Registers one test per construct, run through the whole pack: each insecure construct must draw a mandatory
 * violation of its `caughtBy` rule, each secure one no diagnostic at all.
 */
export function describeConstructs(
    title: string,
    insecure: readonly ConstructGroup[],
    secure: readonly ConstructGroup[],
): void {
    describe(title, () => {
        const pack = useInProcessPack();
        const count = (groups: readonly ConstructGroup[]): number =>
            groups.reduce((n, g) => n + g.constructs.length, 0);
        describe(`insecure constructs (${count(insecure)}), each caught`, () => {
            for (const group of insecure) {
                describe(group.group, () => {
                    for (const c of group.constructs) {
                        it(`${c.title} (${c.caughtBy})`, async () => {
                            const diags = await diagnose(pack, c.resources);
                            assert.ok(
                                diags.some(
                                    (d) => d.policyName === c.caughtBy && d.enforcementLevel === "mandatory",
                                ),
                                `expected a mandatory ${c.caughtBy} violation; got ${JSON.stringify(diags, null, 2)}`,
                            );
                        });
                    }
                });
            }
        });
        describe(`secure constructs (${count(secure)}), none flagged`, () => {
            for (const group of secure) {
                describe(group.group, () => {
                    for (const c of group.constructs) {
                        it(c.title, async () => {
                            assert.deepEqual(await diagnose(pack, c.resources), []);
                        });
                    }
                });
            }
        });
    });
}
