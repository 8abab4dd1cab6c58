/**
 * Property-based tests of the app-account stack: its config and the producer's contract (read through the
 * StackReference) round-tripped through the whole stack under mocks.
 *
 * What they prove: for every config the schema accepts (new and existing networks, client security groups, private
 * DNS on and off, a deploy role or none) and every contract version 1 accepts (both engines, any ports, with and
 * without a read-only endpoint, either auth mode or no credentials at all, the region's partition's DNS suffix),
 * the stack runs without error, and each value reaches the resource input it configures: the endpoint service's
 * name → the interface endpoint; the ports → the endpoint's security group rules; the hostnames → the private
 * hosted zones; the connect role, or the secret and its key → the application policy's resources. No derived name
 * exceeds AWS's limit. A config value just outside a rule is refused naming its key before anything is registered;
 * a contract field just outside its rule is refused naming the field before anything but the provider and the
 * stack reference is registered.
 *
 * What they cannot prove: that AWS accepts what the rules accept (an endpoint service that exists, a subnet
 * in an AZ the service is offered in); invokes answer what the offline answers synthesize from the config.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { nameLimitViolations } from "../support/name-limits";
import { offlineAwsAnswers, zonesOf } from "../../tools/recording/aws-answers";
import { appAccountStateIn } from "../../tools/recording/computed-state";
import { ofType, runStack, single, type StackRun } from "../../tools/recording/harness";
import { dnsSuffixOf, partitionOf } from "../../vocabulary";

/** A run takes about a second or two; keep each property near 20 seconds. */
const ACCEPTED_RUNS = 10;
const REFUSED_RUNS = 15;

const PRODUCER = "organization/rds-cross-account/db-account";

type Config = Record<string, unknown>;
type Contract = Record<string, unknown>;

interface Target {
    readonly region: string;
    readonly producerStack: string;
}

function run(config: Config, contract: Contract, target: Target): Promise<StackRun> {
    const network = (config.network ?? {}) as Record<string, unknown>;
    return runStack({
        stack: "app-account",
        extraConfig: { "aws:region": target.region },
        config,
        calls: offlineAwsAnswers({
            region: target.region,
            vpcId: typeof network.vpcId === "string" ? network.vpcId : undefined,
            subnetIds: Array.isArray(network.subnetIds) ? (network.subnetIds as string[]) : undefined,
        }),
        state: appAccountStateIn(target.region),
        stackOutputs: { [target.producerStack]: { contract } },
    });
}

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const accountId = fc.stringMatching(/^\d{12}$/);

/** Regions of every partition (the offline answers give each three AZs). */
const region = fc.oneof(
    fc.stringMatching(/^[a-z]{2}-[a-z]{1,10}-\d$/).filter((r) => !r.startsWith("cn-")),
    fc.constantFrom(
        "eu-west-1",
        "cn-north-1",
        "us-gov-west-1",
        "us-iso-east-1",
        "us-isob-east-1",
        "eusc-de-east-1",
    ),
);

/** Pulumi organization, project and stack names. */
const stackPart = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
const producerStack = fc.oneof(
    fc.tuple(stackPart, stackPart, stackPart).map((p) => p.join("/")),
    fc.constant(PRODUCER),
);

/** A DNS-safe RDS identifier label: a letter, then letters, digits and single hyphens, no trailing hyphen. */
const rdsLabel = (max: number) =>
    fc
        .oneof(
            fc.stringMatching(/^[a-z](?:-?[a-z0-9]){0,20}$/),
            fc.constantFrom("a", `p${"0".repeat(max - 1)}`),
        )
        .filter((l) => l.length <= max && l !== "endpoint");

const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(1, 5432, 3306, 65535));

/** VPC CIDRs (the db-account properties draw the whole accepted space; the consumer shares its schema). */
const cidrBlock = fc
    .tuple(fc.integer({ min: 16, max: 24 }), fc.integer({ min: 0, max: 255 }))
    .map(([prefix, b]) => `10.${b}.0.0/${prefix}`);

/** A consumer's way in, as the producer (of account `producerAccount`) exports it, in `partition` and `region`. */
function entryOf(
    account: string,
    producerAccount: string,
    partition: string,
    where: string,
    auth: "iam" | "password",
) {
    return auth === "iam"
        ? fc.stringMatching(/^[\w+=,.@-]{1,64}$/).map((name) => ({
              accountId: account,
              databaseUser: "",
              auth,
              connectRoleArn: `arn:${partition}:iam::${producerAccount}:role/${name}`,
          }))
        : fc.tuple(fc.stringMatching(/^[A-Za-z0-9/_+=.@!-]{1,60}$/), fc.uuid()).map(([name, uuid]) => ({
              accountId: account,
              databaseUser: "",
              auth,
              secretArn: `arn:${partition}:secretsmanager:${where}:${producerAccount}:secret:${name}`,
              secretKeyArn: `arn:${partition}:kms:${where}:${producerAccount}:key/${uuid}`,
          }));
}

/** A valid config, a valid contract and what must become of them. */
interface Case {
    readonly config: Config;
    readonly contract: Contract;
    readonly target: Target;
    readonly expect: {
        readonly serviceName: string;
        readonly ports: number[];
        /** Explicit client groups, or none: then the stack creates one. */
        readonly clientSecurityGroupIds: string[];
        /** Zone names, when privateDns is on. */
        readonly zones: string[];
        /** The application policy's resources; undefined when the contract describes no credentials. */
        readonly policyResources?: string[];
        /** The API endpoint the stack adds for its applications' credential: in a VPC it builds, for its own entry. */
        readonly apiService?: "sts" | "secretsmanager";
        readonly assumeRoleArn?: string;
        readonly vpcId?: string;
    };
}

const validCase: fc.Arbitrary<Case> = fc
    .tuple(region, accountId, producerStack)
    .chain(([where, account, producer]) => {
        const partition = partitionOf(where);
        const zoneIds = zonesOf(where).zoneIds;
        return fc.record({
            where: fc.constant(where),
            account: fc.constant(account),
            producer: fc.constant(producer),
            // Every role, secret and key of a contract is in the producer's one account.
            producerAccount: accountId,
            assumeRoleArn: fc.option(
                fc
                    .stringMatching(/^[\w+=,.@-]{1,64}$/)
                    .map((n) => `arn:${partition}:iam::${account}:role/${n}`),
                { nil: undefined },
            ),
            network: fc.oneof(
                fc.record({
                    kind: fc.constant("new" as const),
                    cidrBlock,
                    azCount: fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }),
                }),
                fc.record({
                    kind: fc.constant("existing" as const),
                    vpcId: fc.oneof(hex(8), hex(17)).map((h) => `vpc-${h}`),
                    subnetIds: fc.uniqueArray(
                        fc.oneof(hex(8), hex(17)).map((h) => `subnet-${h}`),
                        { minLength: 2, maxLength: 3 },
                    ),
                    clientSecurityGroupIds: fc.option(
                        fc.uniqueArray(
                            fc.oneof(hex(8), hex(17)).map((h) => `sg-${h}`),
                            { minLength: 0, maxLength: 3 },
                        ),
                        { nil: undefined },
                    ),
                }),
            ),
            privateDns: fc.option(fc.boolean(), { nil: undefined }),
            engine: fc.constantFrom("aurora-postgresql" as const, "aurora-mysql" as const),
            ports: fc.uniqueArray(port, { minLength: 2, maxLength: 2 }),
            readOnly: fc.constantFrom("none" as const, "alias" as const, "real" as const),
            // The AZs the service is offered in: at least one of the first two, which every consumer network has.
            offered: fc
                .subarray(zoneIds, { minLength: 1 })
                .filter((ids) => ids.includes(zoneIds[0]) || ids.includes(zoneIds[1])),
            serviceName: fc.oneof(hex(8), hex(17)).map((h) => `com.amazonaws.vpce.${where}.vpce-svc-${h}`),
            proxyId: fc.stringMatching(/^[a-z0-9]{1,20}$/),
            writer: rdsLabel(63),
            reader: rdsLabel(63),
            auth: fc.constantFrom("iam" as const, "password" as const, "none" as const),
            // Never one of the other entries' users (`user_1`, `user_2`): each account has a user of its own.
            databaseUser: fc.stringMatching(/^[a-z][a-z0-9_]{0,62}$/).filter((u) => !/^user_[12]$/.test(u)),
            others: fc
                .uniqueArray(accountId, { maxLength: 2 })
                .map((ids) => ids.filter((id) => id !== account)),
            idleTimeoutSeconds: fc.option(fc.integer({ min: 1, max: 28800 }), { nil: undefined }),
            databaseName: fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,62}$/), { nil: undefined }),
        });
    })
    .filter((g) => g.writer !== g.reader || g.readOnly !== "alias")
    .chain((g) => {
        const partition = partitionOf(g.where);
        const entries =
            g.auth === "none"
                ? fc.constant(undefined)
                : fc.tuple(
                      entryOf(g.account, g.producerAccount, partition, g.where, g.auth),
                      ...g.others.map((o) => entryOf(o, g.producerAccount, partition, g.where, "iam")),
                  );
        return fc.tuple(fc.constant(g), entries);
    })
    .map(([g, entries]): Case => {
        const partition = partitionOf(g.where);
        const suffix = dnsSuffixOf(partition);
        const host = (label: string, endpoint = false) =>
            `${label}.${endpoint ? "endpoint." : ""}proxy-${g.proxyId}.${g.where}.rds.${suffix}`;
        const [writerPort, readerPort] = g.ports;
        const readOnly =
            g.readOnly === "none"
                ? {}
                : g.readOnly === "alias"
                  ? {
                        readOnlyEndpoint: host(g.reader),
                        readOnlyProxyEndpoint: host(g.reader, true),
                        readOnlyPort: readerPort,
                    }
                  : { readOnlyEndpoint: host(g.reader, true), readOnlyPort: readerPort };
        const consumers = entries?.map((e, i) => ({
            ...e,
            databaseUser: i === 0 ? g.databaseUser : `user_${i}`,
        }));
        const own = consumers?.[0];
        const contract: Contract = {
            version: 1,
            region: g.where,
            engine: g.engine,
            port: writerPort,
            endpointServiceName: g.serviceName,
            availabilityZoneIds: g.offered,
            proxyEndpoint: host(g.writer),
            ...readOnly,
            ...(g.idleTimeoutSeconds !== undefined ? { idleTimeoutSeconds: g.idleTimeoutSeconds } : {}),
            ...(g.databaseName !== undefined ? { databaseName: g.databaseName } : {}),
            ...(consumers ? { consumers } : {}),
            tls: { sslmode: "verify-full" },
        };
        const n = g.network;
        const network =
            n.kind === "new"
                ? { cidrBlock: n.cidrBlock, ...(n.azCount !== undefined ? { azCount: n.azCount } : {}) }
                : { vpcId: n.vpcId, subnetIds: n.subnetIds };
        const clientSecurityGroupIds = n.kind === "existing" ? n.clientSecurityGroupIds : undefined;
        const config: Config = {
            accountId: g.account,
            producerStack: g.producer,
            network,
            ...(g.assumeRoleArn !== undefined ? { assumeRoleArn: g.assumeRoleArn } : {}),
            ...(clientSecurityGroupIds !== undefined ? { clientSecurityGroupIds } : {}),
            ...(g.privateDns !== undefined ? { privateDns: g.privateDns } : {}),
        };
        const privateDns = g.privateDns ?? true;
        return {
            config,
            contract,
            target: { region: g.where, producerStack: g.producer },
            expect: {
                serviceName: g.serviceName,
                ports: g.readOnly === "none" ? [writerPort] : [writerPort, readerPort],
                clientSecurityGroupIds: clientSecurityGroupIds ?? [],
                zones: privateDns
                    ? [
                          String(contract.proxyEndpoint),
                          ...(contract.readOnlyEndpoint !== undefined
                              ? [String(contract.readOnlyEndpoint)]
                              : []),
                      ]
                    : [],
                apiService:
                    own === undefined || n.kind === "existing"
                        ? undefined
                        : "connectRoleArn" in own
                          ? "sts"
                          : "secretsmanager",
                policyResources:
                    own === undefined
                        ? undefined
                        : "connectRoleArn" in own
                          ? [own.connectRoleArn]
                          : [own.secretArn, own.secretKeyArn],
                assumeRoleArn: g.assumeRoleArn,
                vpcId: n.kind === "existing" ? n.vpcId : undefined,
            },
        };
    });

function assertArrives(r: StackRun, e: Case["expect"]): void {
    assert.equal(r.error, undefined, String(r.error));
    assert.deepEqual(nameLimitViolations(r), [], "derived names over AWS's limits");

    const provider = single(r, "pulumi:providers:aws");
    assert.deepEqual(
        provider.inputs.assumeRoles === undefined
            ? undefined
            : (JSON.parse(String(provider.inputs.assumeRoles)) as { roleArn: string }[]).map(
                  (a) => a.roleArn,
              ),
        e.assumeRoleArn === undefined ? undefined : [e.assumeRoleArn],
    );

    // The database path's resources; the API endpoint (its own name) is judged below.
    const path = <T extends { name: string }>(xs: T[]) =>
        xs.filter((x) => x.name.startsWith("app-account-endpoint"));
    const [vpce, ...more] = path(ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint"));
    assert.equal(more.length, 0);
    assert.equal(vpce.inputs.serviceName, e.serviceName);
    if (e.vpcId !== undefined) assert.equal(vpce.inputs.vpcId, e.vpcId);
    else assert.equal(ofType(r, "awsx:ec2:Vpc").length, 1);
    assert.deepEqual(
        ofType(r, "rds-cross-account:consumer:ApiEndpoint").map((x) => x.name),
        e.apiService === undefined ? [] : [`app-account-api-${e.apiService}`],
    );

    // Every admitted source on exactly the contract's ports; the created client group when none is listed.
    const ingress = path(ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"));
    const groups = path(ofType(r, "aws:ec2/securityGroup:SecurityGroup"));
    const sources = e.clientSecurityGroupIds.length > 0 ? e.clientSecurityGroupIds : ["client"];
    assert.equal(groups.length, e.clientSecurityGroupIds.length > 0 ? 1 : 2);
    assert.deepEqual(
        ingress.map((i) => [i.inputs.fromPort, i.inputs.toPort, i.inputs.ipProtocol]).sort(),
        sources.flatMap(() => e.ports.map((p) => [p, p, "tcp"])).sort(),
    );
    if (e.clientSecurityGroupIds.length > 0) {
        assert.deepEqual(
            [...new Set(ingress.map((i) => i.inputs.referencedSecurityGroupId))].sort(),
            [...e.clientSecurityGroupIds].sort(),
        );
    } else {
        const egress = path(ofType(r, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"));
        assert.deepEqual(egress.map((x) => x.inputs.fromPort).sort(), [...e.ports].sort());
    }

    // One private zone per hostname clients dial, named exactly after it, with its alias at the apex.
    const zones = ofType(r, "aws:route53/zone:Zone");
    assert.deepEqual(
        zones.map((z) => z.inputs.name),
        e.zones,
    );
    assert.deepEqual(
        ofType(r, "aws:route53/record:Record").map((x) => x.inputs.name),
        e.zones,
    );

    const policies = ofType(r, "aws:iam/policy:Policy");
    if (e.policyResources === undefined) {
        assert.equal(policies.length, 0);
    } else {
        const doc = JSON.parse(String(single(r, "aws:iam/policy:Policy").inputs.policy)) as {
            Statement: { Resource: string }[];
        };
        assert.deepEqual(
            doc.Statement.map((s) => s.Resource),
            e.policyResources,
        );
    }
}

/** A valid minimal config and contract. */
const MINIMAL: Case = {
    config: { accountId: "222222222222", producerStack: PRODUCER, network: { cidrBlock: "10.30.0.0/16" } },
    contract: {
        version: 1,
        region: "eu-west-1",
        engine: "aurora-postgresql",
        port: 5432,
        endpointServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
        availabilityZoneIds: ["euw1-az1", "euw1-az2"],
        proxyEndpoint: "app.proxy-abc.eu-west-1.rds.amazonaws.com",
        tls: { sslmode: "verify-full" },
    },
    target: { region: "eu-west-1", producerStack: PRODUCER },
    expect: { serviceName: "", ports: [], clientSecurityGroupIds: [], zones: [] },
};

/** One way to break a valid case: the key the error must name, and whether config or contract. */
interface Refusal {
    readonly key: string;
    readonly what: string;
    readonly change: (c: Case) => Case;
}

const configSet = (key: string, values: Config, what = JSON.stringify(values)): Refusal => ({
    key: `rds-cross-account:${key}`,
    what,
    change: (c) => ({ ...c, config: { ...c.config, ...values } }),
});
const networkSet = (leaf: string, value: unknown): Refusal => ({
    key: `rds-cross-account:network.${leaf}`,
    what: `${leaf}: ${JSON.stringify(value)}`,
    change: (c) => ({ ...c, config: { ...c.config, network: { cidrBlock: "10.30.0.0/16", [leaf]: value } } }),
});
const contractSet = (field: string, value: unknown): Refusal => ({
    key: `contract.${field}`,
    what: `${field}: ${JSON.stringify(value)}`,
    change: (c) => ({ ...c, contract: { ...c.contract, [field]: value } }),
});

const CONFIG_REFUSALS: Refusal[] = [
    ...["22222222222", "2222222222222", "x22222222222"].map((accountId) =>
        configSet("accountId", { accountId }),
    ),
    ...["a/b", "a/b/c/d", "/b/c", "a/b/-c"].map((p) => configSet("producerStack", { producerStack: p })),
    ...[1, 7, "1", "7"].map((n) => networkSet("azCount", n)),
    ...["10.30.0.0/15", "10.30.0.0/25", "10.30.0.1/16", "8.8.0.0/16"].map((b) => networkSet("cidrBlock", b)),
    configSet(
        "clientSecurityGroupIds",
        { network: { cidrBlock: "10.30.0.0/16" }, clientSecurityGroupIds: ["sg-0123456789abcdef0"] },
        "with a new VPC",
    ),
    // A bad entry is named at its index; a value that is not a list, as the whole key.
    ...(
        [
            ["clientSecurityGroupIds[0]", ["sg-1"]],
            ["clientSecurityGroupIds[1]", ["sg-01234567", "sg-01234567"]],
            ["clientSecurityGroupIds", "sg-01234567"],
        ] as const
    ).map(([key, ids]) =>
        configSet(key, {
            network: { vpcId: "vpc-01234567", subnetIds: ["subnet-01234567", "subnet-01234568"] },
            clientSecurityGroupIds: ids,
        }),
    ),
    ...["yes", 1, "no", "True"].map((v) => configSet("privateDns", { privateDns: v })),
    ...["arn:aws:iam::333333333333:role/deploy", "arn:aws:iam::222222222222:user/deploy"].map((arn) =>
        configSet("assumeRoleArn", { accountId: "222222222222", assumeRoleArn: arn }),
    ),
    configSet("network.subnetIds", { network: { vpcId: "vpc-01234567", subnetIds: ["subnet-01234567"] } }),
];

const CONTRACT_REFUSALS: Refusal[] = [
    ...[0, 65536, 1.5].map((v) => contractSet("port", v)),
    ...[0, 28801].map((v) => contractSet("idleTimeoutSeconds", v)),
    contractSet("databaseName", "1app"),
    contractSet("endpointServiceName", "com.amazonaws.vpce.eu-west-1.vpce-svc-0123"),
    contractSet("availabilityZoneIds", []),
    contractSet("proxyEndpoint", "app.endpoint.proxy-abc.eu-west-1.rds.amazonaws.com"),
    contractSet("proxyEndpoint", "rds.amazonaws.com"),
    contractSet("tls", { sslmode: "require" }),
];

/** The keys the error's problems name (config keys as `rds-cross-account:<key>`, contract fields as `contract.<field>`). */
function problemKeys(error: Error): string[] {
    return ((error as { problems?: { path: string }[] }).problems ?? []).map((p) => p.path);
}

/** Types a contract refusal may leave registered: the provider and the stack reference it was read through. */
const BEFORE_CONTRACT = ["pulumi:providers:aws", "pulumi:pulumi:StackReference"];

describe("app-account config and contract round trip (properties)", function () {
    this.timeout(180000);

    it("every accepted config and contract runs, and each value reaches the resource input it configures", async () => {
        await fc.assert(
            fc.asyncProperty(validCase, async (c) => {
                assertArrives(await run(c.config, c.contract, c.target), c.expect);
            }),
            { numRuns: ACCEPTED_RUNS, endOnFailure: true },
        );
    });

    it("a config value just outside its rule is refused naming its key, before anything is registered", async () => {
        await fc.assert(
            fc.asyncProperty(validCase, fc.constantFrom(...CONFIG_REFUSALS), async (valid, refusal) => {
                const c = refusal.change(valid);
                const r = await run(c.config, c.contract, c.target);
                const label = `${refusal.key} ${refusal.what}`;
                assert.ok(r.error, `expected a config error for ${label}`);
                assert.ok(problemKeys(r.error).includes(refusal.key), `${label}: ${r.error.message}`);
                assert.deepEqual(r.resources, [], label);
                assert.deepEqual(r.calls, [], label);
            }),
            {
                numRuns: CONFIG_REFUSALS.length + REFUSED_RUNS,
                endOnFailure: true,
                examples: CONFIG_REFUSALS.map((refusal): [Case, Refusal] => [MINIMAL, refusal]),
            },
        );
    });

    it("a contract field just outside its rule is refused naming the field, before any resource of the path", async () => {
        await fc.assert(
            fc.asyncProperty(validCase, fc.constantFrom(...CONTRACT_REFUSALS), async (valid, refusal) => {
                const c = refusal.change(valid);
                const r = await run(c.config, c.contract, c.target);
                const label = `${refusal.key} ${refusal.what}`;
                assert.ok(r.error, `expected a contract error for ${label}`);
                assert.ok(problemKeys(r.error).includes(refusal.key), `${label}: ${r.error.message}`);
                assert.deepEqual(r.resources.map((x) => x.type).sort(), BEFORE_CONTRACT, label);
            }),
            {
                numRuns: CONTRACT_REFUSALS.length + REFUSED_RUNS,
                endOnFailure: true,
                examples: CONTRACT_REFUSALS.map((refusal): [Case, Refusal] => [MINIMAL, refusal]),
            },
        );
    });
});
