// The prefix-list rule of the policy pack, called in-process as the SDK calls it (see
// tools/mutation/in-process-policy): lists created in the stack are judged by their entries (inline and
// ManagedPrefixListEntry resources), AWS-managed lists (a gateway endpoint's, or a trusted ID) pass, and any other
// list is one the pack cannot see. Exact messages. This is the rule's one verdict table: the policy alone, then the
// cases that need the whole pack in-process (pack config, other policies staying silent) and the ways around it
// (support/constructs.ts); wire.test.ts proves the rule through the real analyzer.
import * as assert from "node:assert/strict";
import { noOpenPrefixListsOnDatabasePorts } from "../../policy-pack/rules/prefix-lists";
import {
    UNKNOWN,
    urnOf,
    validateStack,
    type Outcome,
    type TestResource,
} from "../../tools/mutation/in-process-policy";
import type { AnalyzedResource } from "../../tools/policy/analyzer";
import { describeConstructs, prefixListRule, ruleFrom, stackList } from "./support/constructs";
import { useInProcessPack, violation } from "./support/expect";
import {
    CLUSTER,
    DEFAULT_SG,
    ENDPOINT,
    PREFIX_LIST,
    PREFIX_LIST_ENTRY,
    SG,
    SG_RULE,
    VPC_INGRESS,
} from "./support/tokens";

const FIX_UNKNOWN =
    "Fix: allow the clients' security group instead, create the prefix list in this stack (aws.ec2.ManagedPrefixList with private entries), " +
    "or, for an AWS-managed prefix list, reference the prefixListId of the gateway endpoint created in this stack or list its ID in this policy's trustedPrefixListIds.";
const FIX_ENTRIES =
    "Fix: keep only CIDR blocks inside private space in the prefix list, or allow the clients' security group instead.";
const NONE: Outcome = { violations: [] };

function res(
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps?: Record<string, string[]>,
): TestResource {
    return deps === undefined ? { type, name, props } : { type, name, props, propertyDependencies: deps };
}

const run = (resources: TestResource[], config: Record<string, unknown> = {}): Promise<Outcome> =>
    validateStack(noOpenPrefixListsOnDatabasePorts, resources, config);

/** A SecurityGroupIngressRule "r" on TCP `port` from the prefix list `id`. */
function rule(id: unknown, port = 5432, deps?: Record<string, string[]>): TestResource {
    return res(VPC_INGRESS, "r", { ipProtocol: "tcp", fromPort: port, toPort: port, prefixListId: id }, deps);
}

function unseen(
    shown: string,
    {
        owner = `${VPC_INGRESS} "r"`,
        traffic = "tcp 5432",
        ports = "database port 5432",
        type = VPC_INGRESS,
        name = "r",
    } = {},
): Outcome {
    return {
        violations: [
            {
                message: `${owner} allows ${traffic} from the prefix list ${shown}, which is neither created in this stack nor recognisably AWS-managed, so the pack cannot see what it admits to ${ports}. ${FIX_UNKNOWN}`,
                urn: urnOf(type, name),
            },
        ],
    };
}

function outside(
    list: string,
    entries: string,
    {
        owner = `${VPC_INGRESS} "r"`,
        traffic = "tcp 5432",
        ports = "database port 5432",
        type = VPC_INGRESS,
        name = "r",
    } = {},
): Outcome {
    return {
        violations: [
            {
                message: `${owner} allows ${traffic} from the prefix list ${PREFIX_LIST} "${list}", whose entries ${entries} are not inside private space, which opens ${ports} to addresses outside private space. ${FIX_ENTRIES}`,
                urn: urnOf(type, name),
            },
        ],
    };
}

const ARN = (id: string): string => `arn:aws:ec2:eu-west-1:111111111111:prefix-list/${id}`;

describe("policy rules in-process: no-open-prefix-lists-on-database-ports", () => {
    it("blocks a list the pack cannot see", async () => {
        assert.deepEqual(await run([rule("pl-0unknown")]), unseen("pl-0unknown"));
    });
    it("blocks a prefix-list value that is not a string, and ignores a single value that is not one", async () => {
        assert.deepEqual(
            await run([
                res(SG, "sg", {
                    ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, prefixListIds: [7] }],
                }),
            ]),
            unseen("7", { owner: `${SG} "sg" ingress[0]`, type: SG, name: "sg" }),
        );
        assert.deepEqual(await run([rule(7)]), NONE);
    });
    it("passes rules on other ports, and non-ingress resources", async () => {
        assert.deepEqual(await run([rule("pl-0unknown", 22)]), NONE);
        assert.deepEqual(
            await run([
                res("aws:ec2/instance:Instance", "r", {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    prefixListId: "pl-1",
                }),
            ]),
            NONE,
        );
        assert.deepEqual(
            await run([
                res(SG_RULE, "r", {
                    type: "egress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    prefixListIds: ["pl-1"],
                }),
            ]),
            NONE,
        );
        assert.deepEqual(
            await run([res(VPC_INGRESS, "r", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 })]),
            NONE,
        );
    });
    it("watches the ports the stack listens on and the configured extra ports", async () => {
        assert.deepEqual(
            await run([res(CLUSTER, "db", { port: 6000 }), rule("pl-0unknown", 6000)]),
            unseen("pl-0unknown", { traffic: "tcp 6000", ports: "database port 6000" }),
        );
        assert.deepEqual(
            await run([rule("pl-0unknown", 8443)], { extraPorts: [8443] }),
            unseen("pl-0unknown", { traffic: "tcp 8443", ports: "database port 8443" }),
        );
        assert.deepEqual(await run([rule("pl-0unknown", 8443)]), NONE);
        await assert.rejects(run([], { extraPorts: [70000] }), {
            message:
                "Policy config no-open-prefix-lists-on-database-ports.extraPorts must be a list of integer ports from 1 to 65535; received [70000].",
        });
        await assert.rejects(run([], { trustedPrefixListIds: [""] }), {
            message:
                'Policy config no-open-prefix-lists-on-database-ports.trustedPrefixListIds must be a list of non-empty strings; received [""].',
        });
    });
    it("names several watched ports of one rule", async () => {
        assert.deepEqual(
            await run([res(VPC_INGRESS, "r", { ipProtocol: "-1", prefixListId: "pl-0unknown" })]),
            unseen("pl-0unknown", {
                traffic: "all traffic",
                ports: "database ports 1433, 1521, 3306, 5432, 5439, 6379, 9042, 27017",
            }),
        );
    });
    it("passes an AWS-managed list: a gateway endpoint's prefixListId or a trusted ID", async () => {
        assert.deepEqual(
            await run([
                res(ENDPOINT, "s3", { vpcEndpointType: "Gateway", prefixListId: "pl-s3" }),
                rule("pl-s3"),
            ]),
            NONE,
        );
        assert.deepEqual(
            await run([rule("pl-trusted")], { trustedPrefixListIds: ["pl-other", "pl-trusted"] }),
            NONE,
        );
        assert.deepEqual(
            await run([res(ENDPOINT, "s3", { prefixListId: "pl-s3" }), rule("pl-other")], {
                trustedPrefixListIds: ["pl-x"],
            }),
            unseen("pl-other"),
        );
    });
    it("passes a list of the stack with private entries only, found by ID or by ARN", async () => {
        const entries = [{ cidr: "10.0.0.0/8" }, { cidr: "fd00::/8" }];
        assert.deepEqual(
            await run([res(PREFIX_LIST, "clients", { id: "pl-1", entries }), rule("pl-1")]),
            NONE,
        );
        assert.deepEqual(
            await run([res(PREFIX_LIST, "clients", { arn: ARN("pl-1"), entries }), rule("pl-1")]),
            NONE,
        );
        assert.deepEqual(await run([res(PREFIX_LIST, "clients", { id: "pl-1" }), rule("pl-1")]), NONE);
    });
    it("blocks a list of the stack with entries outside private space, inline and as resources", async () => {
        assert.deepEqual(
            await run([
                res(PREFIX_LIST, "clients", {
                    id: "pl-1",
                    entries: [
                        { cidr: "10.0.0.0/8" },
                        { cidr: "0.0.0.0/1" },
                        "8.8.8.8/32",
                        { cidr: "10.0.0.1/8" },
                    ],
                }),
                res(PREFIX_LIST_ENTRY, "extra", { prefixListId: "pl-1", cidr: "8.8.8.8/32" }),
                res(PREFIX_LIST_ENTRY, "by-arn-id", { prefixListId: "pl-2", cidr: "9.9.9.9/32" }),
                res(PREFIX_LIST_ENTRY, "private", { prefixListId: "pl-1", cidr: "192.168.0.0/16" }),
                rule("pl-1"),
            ]),
            outside(
                "clients",
                '0.0.0.0/1 (entries[1]), undefined (unreadable: not a string) (entries[2]), "10.0.0.1/8" (unreadable: host bits set (the network address of /8 is 10.0.0.0)) (entries[3]), ' +
                    `8.8.8.8/32 (${PREFIX_LIST_ENTRY} "extra")`,
            ),
        );
    });
    it("links entries to a list by dependency or by the list's ARN", async () => {
        assert.deepEqual(
            await run([
                res(PREFIX_LIST, "clients", { arn: ARN("pl-1") }),
                res(PREFIX_LIST, "other", { id: "pl-2" }),
                res(
                    PREFIX_LIST_ENTRY,
                    "dep",
                    { prefixListId: "unknown-at-preview", cidr: "::/0" },
                    { prefixListId: ["clients"] },
                ),
                res(PREFIX_LIST_ENTRY, "arn", { prefixListId: "pl-1", cidr: "1.1.1.1/32" }),
                res(PREFIX_LIST_ENTRY, "elsewhere", { prefixListId: "pl-2", cidr: "2.2.2.2/32" }),
                res(PREFIX_LIST_ENTRY, "not-an-id", { prefixListId: 1, cidr: "3.3.3.3/32" }),
                rule("pl-1"),
            ]),
            outside("clients", `::/0 (${PREFIX_LIST_ENTRY} "dep"), 1.1.1.1/32 (${PREFIX_LIST_ENTRY} "arn")`),
        );
    });
    it("does not take a list whose ARN merely ends with the ID's characters", async () => {
        assert.deepEqual(
            await run([
                res(PREFIX_LIST, "clients", {
                    arn: "arn:aws:ec2:eu-west-1:1:prefix-list/xpl-1",
                    entries: [{ cidr: "0.0.0.0/0" }],
                }),
                rule("pl-1"),
            ]),
            unseen("pl-1"),
        );
        assert.deepEqual(
            await run([res(PREFIX_LIST, "clients", { arn: 7, id: "pl-9" }), rule("pl-1")]),
            unseen("pl-1"),
        );
    });
    it("resolves a rule resource's prefix list through the engine's dependencies during preview", async () => {
        assert.deepEqual(
            await run([
                res(PREFIX_LIST, "clients", { entries: [{ cidr: "::/0" }] }),
                rule("unknown-at-preview", 5432, { prefixListId: ["clients"] }),
            ]),
            outside("clients", "::/0 (entries[0])"),
        );
        assert.deepEqual(
            await run([
                res(ENDPOINT, "s3", { prefixListId: "pl-s3" }),
                rule("unknown-at-preview", 5432, { prefixListId: ["s3"] }),
            ]),
            NONE,
        );
        assert.deepEqual(
            await run([res(CLUSTER, "db", {}), rule("pl-0unknown", 5432, { prefixListId: ["db"] })]),
            unseen("pl-0unknown"),
        );
    });
    it("resolves a SecurityGroupRule's prefix lists through the engine's dependencies too", async () => {
        assert.deepEqual(
            await run([
                res(PREFIX_LIST, "clients", { entries: [{ cidr: "0.0.0.0/0" }] }),
                res(
                    SG_RULE,
                    "s",
                    {
                        type: "ingress",
                        protocol: "tcp",
                        fromPort: 5432,
                        toPort: 5432,
                        prefixListIds: ["unknown-at-preview"],
                    },
                    { prefixListIds: ["clients"] },
                ),
            ]),
            outside("clients", "0.0.0.0/0 (entries[0])", {
                owner: `${SG_RULE} "s"`,
                type: SG_RULE,
                name: "s",
            }),
        );
    });
    it("does not use dependencies for inline rules, whose dependency covers the whole ingress list", async () => {
        assert.deepEqual(
            await run([
                res(PREFIX_LIST, "clients", { id: "pl-1", entries: [{ cidr: "10.0.0.0/8" }] }),
                res(
                    SG,
                    "sg",
                    {
                        ingress: [
                            {
                                protocol: "tcp",
                                fromPort: 5432,
                                toPort: 5432,
                                prefixListIds: ["pl-x", "pl-1"],
                            },
                        ],
                    },
                    { ingress: ["clients"], prefixListIds: ["clients"] },
                ),
            ]),
            unseen("pl-x", { owner: `${SG} "sg" ingress[0]`, type: SG, name: "sg" }),
        );
    });
    it("checks every security-group shape", async () => {
        assert.deepEqual(
            await run([
                res(DEFAULT_SG, "d", {
                    ingress: [
                        { protocol: "tcp", fromPort: 22, toPort: 22, prefixListIds: ["pl-a"] },
                        { protocol: "tcp", fromPort: 3306, toPort: 3306, prefixListIds: "pl-a" },
                    ],
                }),
            ]),
            unseen("pl-a", {
                owner: `${DEFAULT_SG} "d" ingress[1]`,
                traffic: "tcp 3306",
                ports: "database port 3306",
                type: DEFAULT_SG,
                name: "d",
            }),
        );
        assert.deepEqual(
            await run([
                res(SG_RULE, "s", {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    prefixListIds: ["pl-a"],
                }),
            ]),
            unseen("pl-a", { owner: `${SG_RULE} "s"`, type: SG_RULE, name: "s" }),
        );
    });
    it("judges the known rules when a listener port is unknown, then reports the unknown value", async () => {
        assert.deepEqual(await run([res(CLUSTER, "db", { port: UNKNOWN.number }), rule("pl-0unknown")]), {
            ...unseen("pl-0unknown"),
            unknown: "number value at .port can't be known during preview",
        });
    });
    it("leaves a list with an unknown entry to the unknown value, and still judges the other rules", async () => {
        assert.deepEqual(
            await run([
                res(PREFIX_LIST, "clients", { id: "pl-1", entries: [UNKNOWN.object, { cidr: "0.0.0.0/0" }] }),
                rule("pl-1"),
                res(SG_RULE, "s", {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    prefixListIds: ["pl-a"],
                }),
            ]),
            {
                ...unseen("pl-a", { owner: `${SG_RULE} "s"`, type: SG_RULE, name: "s" }),
                unknown: "Object value at .entries.0 can't be known during preview",
            },
        );
    });
});

describe("policy pack in-process: no-open-prefix-lists-on-database-ports, whole pack", () => {
    const pack = useInProcessPack();
    describe("no-open-prefix-lists-on-database-ports (stack)", () => {
        const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
        const FIX_UNKNOWN =
            "Fix: allow the clients' security group instead, create the prefix list in this stack (aws.ec2.ManagedPrefixList with private entries), " +
            "or, for an AWS-managed prefix list, reference the prefixListId of the gateway endpoint created in this stack or list its ID in this policy's trustedPrefixListIds.";
        const fromList = (prefixListId: string, port = 5432): AnalyzedResource => ({
            type: VPC_INGRESS,
            name: "from-list",
            props: { ipProtocol: "tcp", fromPort: port, toPort: port, prefixListId },
        });
        it("passes the AWS-managed prefix list of a gateway endpoint of the stack (by value and by dependency)", async () => {
            const endpoint: AnalyzedResource = {
                type: ENDPOINT,
                name: "dynamodb",
                props: {
                    serviceName: "com.amazonaws.eu-west-1.dynamodb",
                    vpcEndpointType: "Gateway",
                    prefixListId: "pl-0dynamodb",
                },
            };
            assert.deepEqual(await pack().analyzeStack([endpoint, fromList("pl-0dynamodb")]), []);
            assert.deepEqual(
                await pack().analyzeStack([
                    endpoint,
                    {
                        type: VPC_INGRESS,
                        name: "from-list",
                        props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                        propertyDependencies: { prefixListId: [urnOf(ENDPOINT, "dynamodb")] },
                    },
                ]),
                [],
            );
        });
        it("passes a prefix list ID listed in trustedPrefixListIds", async () => {
            await pack().configure({
                "no-open-prefix-lists-on-database-ports": { trustedPrefixListIds: ["pl-0123456789abcdef0"] },
            });
            assert.deepEqual(await pack().analyzeStack([fromList("pl-0123456789abcdef0")]), []);
        });
        it("blocks unknown lists in inline prefixListIds and SecurityGroupRule prefixListIds, on extraPorts too", async () => {
            await pack().configure({ "no-open-prefix-lists-on-database-ports": { extraPorts: [8443] } });
            const diags = await pack().analyzeStack([
                {
                    type: SG,
                    name: "db",
                    props: {
                        ingress: [
                            { protocol: "tcp", fromPort: 8443, toPort: 8443, prefixListIds: ["pl-0a"] },
                        ],
                    },
                },
                {
                    type: SG_RULE,
                    name: "rule",
                    props: {
                        type: "ingress",
                        protocol: "tcp",
                        fromPort: 3306,
                        toPort: 3306,
                        prefixListIds: ["pl-0b"],
                    },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-open-prefix-lists-on-database-ports",
                    `${SG} "db" ingress[0] allows tcp 8443 from the prefix list pl-0a, which is neither created in this stack nor recognisably AWS-managed, so the pack cannot see what it admits to database port 8443. ${FIX_UNKNOWN}`,
                    urnOf(SG, "db"),
                ),
                violation(
                    "no-open-prefix-lists-on-database-ports",
                    `${SG_RULE} "rule" allows tcp 3306 from the prefix list pl-0b, which is neither created in this stack nor recognisably AWS-managed, so the pack cannot see what it admits to database port 3306. ${FIX_UNKNOWN}`,
                    urnOf(SG_RULE, "rule"),
                ),
            ]);
        });
        it("ignores prefix lists in egress rules (this project's DynamoDB egress on 443 included)", async () => {
            const diags = await pack().analyzeStack([
                {
                    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                    name: "to-dynamodb",
                    props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, prefixListId: "pl-0unknown" },
                },
            ]);
            assert.deepEqual(diags, []);
        });
    });
});

describeConstructs(
    "policy pack in-process: no-open-prefix-lists-on-database-ports, ways around it",
    [
        {
            group: "prefix list from the stack",
            constructs: [
                {
                    title: "a stack list with 0.0.0.0/1 and 128.0.0.0/1",
                    resources: prefixListRule("pl-0clients", [stackList(["0.0.0.0/1", "128.0.0.0/1"])]),
                    caughtBy: "no-open-prefix-lists-on-database-ports",
                },
                {
                    title: "a stack list linked by dependency, holding 8.8.8.8/32",
                    resources: [
                        {
                            ...stackList(["8.8.8.8/32"]),
                            props: {
                                addressFamily: "IPv4",
                                maxEntries: 5,
                                entries: [{ cidr: "8.8.8.8/32" }],
                            },
                        },
                        {
                            type: VPC_INGRESS,
                            name: "from-list",
                            props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                            propertyDependencies: { prefixListId: [urnOf(PREFIX_LIST, "clients")] },
                        },
                    ],
                    caughtBy: "no-open-prefix-lists-on-database-ports",
                },
                {
                    title: "a public ManagedPrefixListEntry added to a private stack list",
                    resources: prefixListRule("pl-0clients", [
                        stackList(["10.0.0.0/8"]),
                        {
                            type: PREFIX_LIST_ENTRY,
                            name: "extra",
                            props: { prefixListId: "pl-0clients", cidr: "0.0.0.0/0" },
                        },
                    ]),
                    caughtBy: "no-open-prefix-lists-on-database-ports",
                },
                {
                    title: "inline prefixListIds on a security group",
                    resources: [
                        stackList(["::/0"]),
                        {
                            type: SG,
                            name: "db",
                            props: {
                                ingress: [
                                    {
                                        protocol: "tcp",
                                        fromPort: 5432,
                                        toPort: 5432,
                                        prefixListIds: ["pl-0clients"],
                                    },
                                ],
                            },
                        },
                    ],
                    caughtBy: "no-open-prefix-lists-on-database-ports",
                },
            ],
        },
        {
            group: "unknown prefix list",
            constructs: [
                {
                    title: "a pl- ID in a SecurityGroupRule",
                    resources: ruleFrom({ prefixListIds: ["pl-0123456789abcdef0"] }),
                    caughtBy: "no-open-prefix-lists-on-database-ports",
                },
            ],
        },
    ],
    [
        {
            group: "prefix lists that pass",
            constructs: [],
        },
    ],
);
