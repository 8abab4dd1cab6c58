// policy-pack/lib/resources.ts in-process: the type tokens the rules match, how messages name a resource, list and
// record reading, property dependencies, and the validation of port-list and string-list knobs (exact messages).
import * as assert from "node:assert/strict";
import { unknownCheckingProxy, type PolicyResource } from "@pulumi/policy";
import {
    databasePorts,
    dependsThrough,
    hasDependencyInfo,
    knownProp,
    LISTENER_TYPES,
    listOf,
    LOAD_BALANCER_TYPES,
    NLB_LISTENER_PROTOCOLS,
    PORT_LIST_SCHEMA,
    providerBoolean,
    PUBLIC_CAPABLE_DATABASES,
    readPortList,
    readStringList,
    recordOf,
    subject,
    TYPES,
} from "../../policy-pack/lib/resources";
import { UNKNOWN } from "../../tools/mutation/in-process-policy";

function resource(name: string, propertyDependencies: Record<string, PolicyResource[]> = {}): PolicyResource {
    return { name, propertyDependencies } as unknown as PolicyResource;
}

describe("policy lib resources: type tokens", () => {
    it("are the AWS provider's tokens", () => {
        assert.deepEqual(TYPES, {
            rdsInstance: "aws:rds/instance:Instance",
            rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
            rdsCluster: "aws:rds/cluster:Cluster",
            rdsProxy: "aws:rds/proxy:Proxy",
            rdsClusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
            rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
            securityGroup: "aws:ec2/securityGroup:SecurityGroup",
            defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
            securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
            securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            ssmParameter: "aws:ssm/parameter:Parameter",
            secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
            lambdaFunction: "aws:lambda/function:Function",
            vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
            managedPrefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
            managedPrefixListEntry: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
            ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
            route53Zone: "aws:route53/zone:Zone",
            route53Record: "aws:route53/record:Record",
            vpcEndpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
            vpcEndpointServiceAllowedPrinciple:
                "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
            ramPrincipalAssociation: "aws:ram/principalAssociation:PrincipalAssociation",
            ramAssociationsExclusive:
                "aws:ram/resourceShareAssociationsExclusive:ResourceShareAssociationsExclusive",
            latticeResourcePolicy: "aws:vpclattice/resourcePolicy:ResourcePolicy",
            latticeResourceConfiguration: "aws:vpclattice/resourceConfiguration:ResourceConfiguration",
            latticeResourceGateway: "aws:vpclattice/resourceGateway:ResourceGateway",
        });
        assert.deepEqual(LOAD_BALANCER_TYPES, [
            "aws:lb/loadBalancer:LoadBalancer",
            "aws:alb/loadBalancer:LoadBalancer",
        ]);
        assert.deepEqual(LISTENER_TYPES, ["aws:lb/listener:Listener", "aws:alb/listener:Listener"]);
        assert.deepEqual(NLB_LISTENER_PROTOCOLS, ["TCP", "TLS", "UDP", "TCP_UDP"]);
    });
    it("names a resource by type and logical name", () => {
        assert.equal(subject("aws:rds/proxy:Proxy", "db"), 'aws:rds/proxy:Proxy "db"');
    });
});

describe("policy lib resources: listOf and recordOf", () => {
    const lists: Array<[unknown, unknown[]]> = [
        [
            [1, 2],
            [1, 2],
        ],
        [[], []],
        [undefined, []],
        [null, []],
        ["ab", []],
        [{ length: 1, 0: "x" }, []],
    ];
    for (const [value, expected] of lists) {
        it(`listOf(${JSON.stringify(value)}) is ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(Array.from(listOf(value)), expected);
        });
    }
    it("keeps the list itself", () => {
        const list = [1];
        assert.equal(listOf(list), list);
    });
    const records: Array<[unknown, boolean]> = [
        [{ a: 1 }, true],
        [{}, true],
        [null, false],
        [undefined, false],
        [[1], false],
        ["a", false],
        [1, false],
    ];
    for (const [value, isRecord] of records) {
        it(`recordOf(${JSON.stringify(value)}) is ${isRecord ? "the record" : "undefined"}`, () => {
            assert.equal(recordOf(value), isRecord ? value : undefined);
        });
    }
});

describe("policy lib resources: property dependencies", () => {
    const target = resource("target");
    const other = resource("other");
    it("follows the engine's dependency of one property", () => {
        const user = resource("user", { a: [other, target], b: [], c: [other] });
        assert.equal(dependsThrough(user, "a", target), true);
        assert.equal(dependsThrough(user, "b", target), false);
        assert.equal(dependsThrough(user, "c", target), false);
        assert.equal(dependsThrough(user, "d", target), false);
        assert.equal(hasDependencyInfo(user, "a"), true);
        assert.equal(hasDependencyInfo(user, "c"), true);
        assert.equal(hasDependencyInfo(user, "b"), false);
        assert.equal(hasDependencyInfo(user, "d"), false);
    });
});

describe("policy lib resources: config knobs", () => {
    it("describes a port list in JSON schema", () => {
        assert.deepEqual(PORT_LIST_SCHEMA, {
            type: "array",
            items: { type: "integer", minimum: 1, maximum: 65535 },
            default: [],
        });
    });
    const portMessage = (received: string): string =>
        `Policy config pol.extraPorts must be a list of integer ports from 1 to 65535; received ${received}.`;
    const ports: Array<[unknown, number[] | string]> = [
        [undefined, []],
        [null, []],
        [[], []],
        [
            [1, 65535, 5432],
            [1, 65535, 5432],
        ],
        [[0], portMessage("[0]")],
        [[65536], portMessage("[65536]")],
        [[5432.5], portMessage("[5432.5]")],
        [["5432"], portMessage('["5432"]')],
        [[5432, null], portMessage("[5432,null]")],
        ["5432", portMessage('"5432"')],
        [5432, portMessage("5432")],
        [{ 0: 5432 }, portMessage('{"0":5432}')],
    ];
    for (const [value, expected] of ports) {
        it(`extraPorts ${JSON.stringify(value)} ${typeof expected === "string" ? "is refused" : "is read"}`, () => {
            const config = value === undefined ? {} : { extraPorts: value };
            if (typeof expected === "string") {
                assert.throws(() => readPortList(config, "extraPorts", "pol"), { message: expected });
            } else {
                assert.deepEqual(readPortList(config, "extraPorts", "pol"), expected);
            }
        });
    }
    const stringMessage = (received: string): string =>
        `Policy config pol.names must be a list of non-empty strings; received ${received}.`;
    const strings: Array<[unknown, string[] | string]> = [
        [undefined, []],
        [null, []],
        [[], []],
        [
            ["a", "pl-1"],
            ["a", "pl-1"],
        ],
        [[""], stringMessage('[""]')],
        [["a", 1], stringMessage('["a",1]')],
        ["a", stringMessage('"a"')],
        [{}, stringMessage("{}")],
    ];
    for (const [value, expected] of strings) {
        it(`names ${JSON.stringify(value)} ${typeof expected === "string" ? "is refused" : "is read"}`, () => {
            const config = value === undefined ? {} : { names: value };
            if (typeof expected === "string") {
                assert.throws(() => readStringList(config, "names", "pol"), { message: expected });
            } else {
                assert.deepEqual(readStringList(config, "names", "pol"), expected);
            }
        });
    }
    it("adds configured ports to the built-in list, sorted and without duplicates", () => {
        assert.deepEqual(databasePorts([]), [1433, 1521, 3306, 5432, 5439, 6379, 9042, 27017]);
        assert.deepEqual(
            databasePorts([22, 5432, 22, 10000]),
            [22, 1433, 1521, 3306, 5432, 5439, 6379, 9042, 10000, 27017],
        );
    });
});

describe("policy lib resources: databasePorts, readPortList and readStringList, more cases", () => {
    it("merges configured ports into the built-in list", () => {
        assert.deepEqual(
            databasePorts([8443, 5432]),
            [1433, 1521, 3306, 5432, 5439, 6379, 8443, 9042, 27017],
        );
    });
    it("validates port and string lists from policy config", () => {
        assert.deepEqual(readPortList({}, "extraPorts", "p"), []);
        assert.deepEqual(readPortList({ extraPorts: [1, 65535] }, "extraPorts", "p"), [1, 65535]);
        assert.throws(() => readPortList({ extraPorts: [0] }, "extraPorts", "p"), {
            message:
                "Policy config p.extraPorts must be a list of integer ports from 1 to 65535; received [0].",
        });
        assert.throws(() => readPortList({ extraPorts: "5432" }, "extraPorts", "p"), {
            message:
                'Policy config p.extraPorts must be a list of integer ports from 1 to 65535; received "5432".',
        });
        assert.throws(() => readStringList({ names: [""] }, "names", "p"), {
            message: 'Policy config p.names must be a list of non-empty strings; received [""].',
        });
    });
});

describe("policy lib resources: providerBoolean, as the provider reads a boolean", () => {
    const cases: Array<[unknown, boolean | undefined]> = [
        [true, true],
        [false, false],
        ...["1", "t", "T", "TRUE", "true", "True"].map((v): [unknown, boolean] => [v, true]),
        ...["0", "f", "F", "FALSE", "false", "False"].map((v): [unknown, boolean] => [v, false]),
        [1, true],
        [0, false],
        ["yes", undefined],
        ["tRUE", undefined],
        [" true", undefined],
        ["", undefined],
        [2, undefined],
        [null, undefined],
        [undefined, undefined],
        [[true], undefined],
    ];
    for (const [value, expected] of cases) {
        it(`reads ${JSON.stringify(value)} as ${String(expected)}`, () => {
            assert.equal(providerBoolean(value), expected);
        });
    }
});

describe("policy lib resources: public-capable databases and knownProp", () => {
    it("lists every database resource of the provider with a publiclyAccessible input", () => {
        assert.deepEqual(Object.keys(PUBLIC_CAPABLE_DATABASES).sort(), [
            "aws:docdb/clusterInstance:ClusterInstance",
            "aws:lightsail/database:Database",
            "aws:neptune/clusterInstance:ClusterInstance",
            "aws:rds/cluster:Cluster",
            "aws:rds/clusterInstance:ClusterInstance",
            "aws:rds/instance:Instance",
            "aws:rds/shardGroup:ShardGroup",
            "aws:redshift/cluster:Cluster",
            "aws:redshiftserverless/workgroup:Workgroup",
        ]);
    });
    it("reads a known property, and says unknown instead of throwing for an unknown one", () => {
        const props = unknownCheckingProxy({ a: "arn:a", b: UNKNOWN.string }) as Record<string, unknown>;
        const r = { name: "r", props, propertyDependencies: {} } as unknown as PolicyResource;
        assert.deepEqual(knownProp(r, "a"), { unknown: false, value: "arn:a" });
        assert.deepEqual(knownProp(r, "b"), { unknown: true });
        assert.deepEqual(knownProp(r, "c"), { unknown: false, value: undefined });
    });
    it("lets any other error through", () => {
        const props = new Proxy(
            {},
            {
                get: () => {
                    throw new Error("boom");
                },
            },
        );
        const r = { name: "r", props, propertyDependencies: {} } as unknown as PolicyResource;
        assert.throws(() => knownProp(r, "a"), { message: "boom" });
    });
});
