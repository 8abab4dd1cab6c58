/**
 * Property-based tests of the db-account config: a config round trip through the whole stack under mocks.
 *
 * What they prove: every value the config schema accepts for the keys drawn here (each range's edges mixed
 * in with random values; whole numbers and booleans both as YAML values and as strings; optional keys both
 * set and absent) reaches the resource input it configures unchanged, or, when absent, as its documented
 * default: readers → number of cluster instances, the proxy's pool settings → the proxy and its default
 * target group, the consumers' principals → the endpoint service, the sync's settings → its dynamic resource,
 * its Lambda's environment and its EventBridge rule, the network → the VPC and the contract. And a value just
 * outside a range, or one breaking a cross-key rule, is refused with a config error naming the key, before
 * anything is registered or looked up.
 *
 * What they cannot prove: that AWS accepts what the schema accepts (an engine version or instance class that
 * matches the pattern may not exist; a region code that matches may not be a region); that the generated
 * values cover every accepted value (strings are drawn from the schema's own patterns, so a pattern that is
 * too loose is not caught here); existing-VPC configs (they depend on the account's subnets, covered by
 * db-account.test.ts). Under mocks the AWS provider is not run, so its own defaults and validation are absent.
 */
import { RDS_PROXY_UNSUPPORTED_AZ_IDS } from "../../stacks/db-account/proxy-zones";
import { regionsWithRdsCa } from "../../components/bootstrap/rds-ca";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { nameLimitViolations } from "../support/name-limits";
import { offlineAwsAnswers, zoneIdPrefix, zonesOf, type Zones } from "../../tools/recording/aws-answers";
import { dbAccountStateIn } from "../../tools/recording/computed-state";
import { ofType, runStack, single, type CallHandler, type StackRun } from "../../tools/recording/harness";
import { parseIamArn, partitionOf } from "../../vocabulary";

/**
 * A stack run under mocks takes seconds (each one builds the whole graph, two Lambdas and a dynamic provider):
 * keep the number of runs small enough for each property to finish in about 20 seconds.
 */
const ACCEPTED_RUNS = 5;
const REFUSED_RUNS = 25;

/** Six AZs of `region`, so that every accepted azCount (2-6) fits it; the first three as the offline answers. */
function zonesOfRegion(region: string): Zones {
    const letters = "abcdef".split("");
    return {
        names: letters.map((l) => `${region}${l}`),
        zoneIds: letters.map((_, i) => `${zoneIdPrefix(region)}-az${i + 1}`),
    };
}

/** The computed state in the stack's region and account (the contract's ARNs are the producer's), with the mocked VPC reporting one isolated subnet per requested AZ. */
function stateIn(region: string, account: string) {
    const computed = dbAccountStateIn(region, account);
    return (type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> => {
        const base = computed(type, name, inputs);
        if (type !== "awsx:ec2:Vpc") return base;
        const count = (inputs.availabilityZoneNames as string[]).length;
        return {
            ...base,
            isolatedSubnetIds: Array.from({ length: count }, (_, i) => `subnet-0c00000000000000${i + 1}`),
            routeTables: Array.from({ length: count }, (_, i) => ({ id: `rtb-0c00000000000000${i + 1}` })),
        };
    };
}

/**
 * The invokes' answers: six AZs in the region, and an existing VPC (when the config names one) in which every
 * listed subnet exists, the n-th in the region's AZ n mod 3 (see `offlineAwsAnswers`).
 */
function callsFor(region: string, network: Record<string, unknown>): CallHandler {
    const offline = offlineAwsAnswers({
        region,
        vpcId: typeof network.vpcId === "string" ? network.vpcId : undefined,
        subnetIds: Array.isArray(network.subnetIds) ? (network.subnetIds as string[]) : undefined,
    });
    return (token, inputs) =>
        token === "aws:index/getAvailabilityZones:getAvailabilityZones"
            ? { ...zonesOfRegion(region), id: region, groupNames: [] }
            : offline(token, inputs);
}

/** Where a config runs: the Pulumi stack's name and `aws:region`. */
interface Target {
    readonly stackName: string;
    readonly region: string;
}

const DEFAULT_TARGET: Target = { stackName: "db-account", region: "eu-west-1" };

function run(config: Record<string, unknown>, target: Target = DEFAULT_TARGET): Promise<StackRun> {
    const network = (config.network ?? {}) as Record<string, unknown>;
    return runStack({
        stack: "db-account",
        stackName: target.stackName,
        extraConfig: { "aws:region": target.region },
        config,
        calls: callsFor(target.region, network),
        state: stateIn(target.region, String(config.accountId)),
    });
}

/** A config leaf: `raw` is what the stack file holds (undefined: the key is absent), `value` what it means. */
interface Leaf<T> {
    readonly raw: unknown;
    readonly value: T;
}

/** Drops absent leaves and returns the raw object, as it would appear in the stack file. */
function rawObject(leaves: Record<string, Leaf<unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, leaf] of Object.entries(leaves)) if (leaf.raw !== undefined) out[k] = leaf.raw;
    return out;
}

function present<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<Leaf<T>> {
    return arb.map((value) => ({ raw: value, value }));
}

/** Mostly set, sometimes absent (then the default applies). */
function withDefault<T>(arb: fc.Arbitrary<Leaf<T>>, def: T): fc.Arbitrary<Leaf<T>> {
    return fc.oneof(
        { arbitrary: arb, weight: 4 },
        { arbitrary: fc.constant({ raw: undefined, value: def }), weight: 1 },
    );
}

/** A whole number in [min, max], edges mixed in, written as a YAML number or a string of digits. */
function whole(
    min: number,
    max: number,
    exclude: readonly number[] = [],
    numbers: fc.Arbitrary<number> = fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max)),
): fc.Arbitrary<Leaf<number>> {
    return fc
        .tuple(numbers, fc.boolean())
        .filter(([n]) => !exclude.includes(n))
        .map(([n, asString]) => ({ raw: asString ? String(n) : n, value: n }));
}

/** A boolean, written as YAML true/false or the strings "true"/"false". */
const bool: fc.Arbitrary<Leaf<boolean>> = fc
    .tuple(fc.boolean(), fc.boolean())
    .map(([b, asString]) => ({ raw: asString ? String(b) : b, value: b }));

const twoDigits = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0"));

const engineAndVersion = fc.oneof(
    fc.record({
        engine: fc.constant("aurora-postgresql" as const),
        version: withDefault(
            present(
                fc.oneof(
                    fc.tuple(fc.integer({ min: 10, max: 99 }), fc.nat(999)).map(([a, b]) => `${a}.${b}`),
                    fc.constantFrom("16.6", "10.0", "99.999"),
                ),
            ),
            "16.6",
        ),
    }),
    fc.record({
        engine: fc.constant("aurora-mysql" as const),
        version: withDefault(
            present(
                fc.oneof(
                    fc.tuple(twoDigits, fc.nat(999)).map(([a, b]) => `8.0.mysql_aurora.3.${a}.${b}`),
                    fc.constant("8.0.mysql_aurora.3.08.2"),
                ),
            ),
            "8.0.mysql_aurora.3.08.2",
        ),
    }),
);

const instanceClass = fc.oneof(
    fc.stringMatching(/^db\.[a-z0-9]{1,12}\.[a-z0-9]{1,12}$/),
    fc.constantFrom("db.r6g.large", "db.t4g.medium", "db.r7g.16xlarge", "db.x.y"),
);

/** Database names both engines' rules accept: lowercase, at most 32 characters (Aurora MySQL's limit here). */
const databaseName = fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9_]{0,31}$/),
    fc.constantFrom("a", "z", `a${"_".repeat(31)}`, `q${"9".repeat(31)}`),
);

const accountId = fc.stringMatching(/^\d{12}$/);

/**
 * IAM ARNs of one account that the schema accepts: root, or a role or user name of 1-64 characters IAM allows
 * under an optional path of non-empty segments.
 */
function principalOf(account: string, partition: string): fc.Arbitrary<string> {
    const name = fc.oneof(
        fc.stringMatching(/^[\w+=,.@-]{1,64}$/),
        fc.constantFrom("app", "x".repeat(64), "with+=,.@-_chars"),
    );
    const path = fc.oneof(
        fc.constant(""),
        fc
            .array(fc.stringMatching(/^[\w+=,.@-]{1,20}$/), { minLength: 1, maxLength: 4 })
            .map((s) => `${s.join("/")}/`),
    );
    return fc.oneof(
        fc.constant(`arn:${partition}:iam::${account}:root`),
        fc.tuple(path, name).map(([p, n]) => `arn:${partition}:iam::${account}:role/${p}${n}`),
        fc.tuple(path, name).map(([p, n]) => `arn:${partition}:iam::${account}:user/${p}${n}`),
    );
}

interface ConsumerCase {
    readonly raw: Record<string, unknown>;
    readonly name: string;
    readonly principals: string[];
    readonly databaseUser: string;
    readonly databaseRole?: string;
}

type Engine = "aurora-postgresql" | "aurora-mysql";

/** What IAM tells principals apart by: a role or user name, whatever its path and letter case. */
const iamIdentity = (arn: string): string => {
    const p = parseIamArn(arn);
    return p && p.kind !== "root" ? `${p.kind}/${p.name.toLowerCase()}` : arn;
};

/** The cluster's master user: no consumer's user or role may be it. */
const MASTER_USER = "dbadmin";

/** A user or role name the engine's rule accepts (components/bootstrap/names.ts): at most 63 or 32 characters. */
function databaseIdentifier(engine: Engine): fc.Arbitrary<string> {
    const max = engine === "aurora-postgresql" ? 63 : 32;
    const reserved =
        engine === "aurora-postgresql"
            ? /^(pg_|rds|rcx_bootstrap_)|^(public|none)$/
            : /^(rds|rcx_bootstrap_)|^(root|mysql)$/;
    return fc
        .oneof(
            fc.stringMatching(new RegExp(`^[a-z][a-z0-9_]{0,${max - 1}}$`)),
            fc.constantFrom("a", "orders_app", `u${"_".repeat(max - 1)}`, `z${"9".repeat(max - 1)}`),
        )
        .filter((v) => !reserved.test(v) && v !== MASTER_USER);
}

/** True when the default user derived from a consumer's name passes the engine's rule. */
function isUsableDefaultUser(name: string, engine: Engine): boolean {
    const user = name.replaceAll("-", "_");
    const reserved =
        engine === "aurora-postgresql"
            ? /^(pg_|rds|rcx_bootstrap_)|^(public|none)$/
            : /^(rds|rcx_bootstrap_)|^(root|mysql)$/;
    return !reserved.test(user) && user !== MASTER_USER;
}

/**
 * Consumers of `partition`, for a stack of `stackName` on `engine`: names of at most 40 - stackName.length
 * characters (their connect role's derived name must fit IAM's 64), database users distinct and never the master
 * user (given, or derived from the name), roles never the master user nor any consumer's user.
 */
function consumersFor(stackName: string, partition: string, engine: Engine): fc.Arbitrary<ConsumerCase[]> {
    const maxName = Math.min(32, 40 - stackName.length);
    return fc
        .uniqueArray(accountId, { minLength: 1, maxLength: 4 })
        .chain((accounts) =>
            fc.tuple(
                fc.uniqueArray(
                    fc
                        .oneof(
                            fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/),
                            fc.constantFrom("a", `z${"-".repeat(31)}`, `n${"x".repeat(31)}`),
                        )
                        .map((n) => n.slice(0, maxName)),
                    { minLength: accounts.length, maxLength: accounts.length },
                ),
                fc.tuple(
                    ...accounts.map((a) =>
                        fc.record({
                            principals: fc.option(
                                fc.uniqueArray(principalOf(a, partition), {
                                    minLength: 1,
                                    maxLength: 3,
                                    selector: iamIdentity,
                                }),
                                { nil: undefined },
                            ),
                            databaseUser: fc.option(databaseIdentifier(engine), { nil: undefined }),
                            databaseRole: fc.option(databaseIdentifier(engine), { nil: undefined }),
                        }),
                    ),
                ),
                fc.constant(accounts),
            ),
        )
        .map(([names, extras, accounts]) =>
            accounts.map((account, i): ConsumerCase => {
                const e = extras[i];
                // A name whose derived user the engine refuses gets a user of its own.
                const givenUser =
                    e.databaseUser ??
                    (isUsableDefaultUser(names[i], engine) ? undefined : `u${i}_of_${account}`);
                return {
                    raw: {
                        name: names[i],
                        accountId: account,
                        ...(e.principals ? { principals: e.principals } : {}),
                        ...(givenUser !== undefined ? { databaseUser: givenUser } : {}),
                        ...(e.databaseRole !== undefined ? { databaseRole: e.databaseRole } : {}),
                    },
                    name: names[i],
                    principals: e.principals ?? [`arn:${partition}:iam::${account}:root`],
                    databaseUser: givenUser ?? names[i].replaceAll("-", "_"),
                    databaseRole: e.databaseRole,
                };
            }),
        )
        .filter((cs) => {
            const users = cs.map((c) => c.databaseUser);
            return (
                new Set(users).size === users.length &&
                cs.every((c) => c.databaseRole === undefined || !users.includes(c.databaseRole))
            );
        });
}

/** Stack names of the db-account stack: 1-15 lower-case letters, digits and single hyphens, starting with a letter. */
const stackName = fc
    .oneof(
        fc.stringMatching(/^[a-z](?:-?[a-z0-9]){0,7}$/),
        fc.constantFrom("a", "db-account", "a-b-c-d-e-f-g-h", "abcdefghijklmno", "z9-9-9-9-9-9-99"),
    )
    .filter((n) => n.length <= 15);

/**
 * The stack's own region: one whose RDS CA the bootstrap carries (every other region is refused, naming
 * `aws:region`: tests/unit/rds-ca.test.ts). Today these are all commercial regions, so the other partitions'
 * rules are proven by the example-based tests. Regions with a zone RDS Proxy does not run in (us-east-1,
 * us-west-1) are left to tests/unit/proxy-zones.test.ts: there the proxy's subnets and the new VPC's zones are not
 * the plain mapping this property checks.
 */
const stackRegion = fc.constantFrom(
    ...[...regionsWithRdsCa()]
        .filter(
            (region) =>
                !zonesOfRegion(region).zoneIds.some((id) => RDS_PROXY_UNSUPPORTED_AZ_IDS.includes(id)),
        )
        .sort(),
);

/** Region codes of `partition` (the stack's own among them): PrivateLink does not cross partitions. */
function regionIn(partition: string, own: string): fc.Arbitrary<string> {
    const known: Record<string, string[]> = {
        aws: ["eu-west-1", "us-east-1", "ap-southeast-2", "il-central-1"],
        "aws-cn": ["cn-north-1", "cn-northwest-1"],
        "aws-us-gov": ["us-gov-west-1", "us-gov-east-1"],
        "aws-iso": ["us-iso-east-1", "us-iso-west-1"],
        "aws-iso-b": ["us-isob-east-1"],
        "aws-eusc": ["eusc-de-east-1"],
    };
    const codes = [own, ...(known[partition] ?? [])];
    return partition === "aws"
        ? fc.oneof(
              fc.constantFrom(...codes),
              fc.stringMatching(/^[a-z]{2}-[a-z]{1,10}-\d$/).filter((r) => partitionOf(r) === "aws"),
          )
        : fc.constantFrom(...codes);
}

/** A new VPC, or an existing one with 2-3 subnets (each in its own AZ, see `callsFor`). */
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const existingNetwork = fc.record({
    vpcId: fc.oneof(hex(8), hex(17)).map((h) => `vpc-${h}`),
    subnetIds: fc.uniqueArray(
        fc.oneof(hex(8), hex(17)).map((h) => `subnet-${h}`),
        { minLength: 2, maxLength: 3 },
    ),
});

const schedule = fc.oneof(
    fc.constantFrom("rate(1 minute)", "rate(1 hour)", "rate(1 day)", "rate(2 minutes)"),
    fc
        .tuple(fc.integer({ min: 2, max: 100000 }), fc.constantFrom("minutes", "hours", "days"))
        .map(([n, unit]) => `rate(${n} ${unit})`),
    fc
        .tuple(fc.constantFrom("0/5", "0", "15", "*"), fc.constantFrom("*", "3", "0-6"), fc.boolean())
        .map(([m, h, qInDom]) => `cron(${m} ${h} ${qInDom ? "?" : "*"} * ${qInDom ? "*" : "?"} *)`),
);

/** A VPC CIDR: inside private space (RFC 1918, RFC 6598), host bits zero, a prefix from /16 to /24. */
const cidrBlock = fc
    .tuple(
        fc.oneof(fc.integer({ min: 16, max: 24 }), fc.constantFrom(16, 24)),
        // Each private block's base and size: 10/8, 172.16/12, 192.168/16, 100.64/10.
        fc.constantFrom([0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16], [0x64400000, 10]),
        fc.integer({ min: 0, max: 0xffffffff }),
    )
    .map(([prefix, [base, size], random]) => {
        const inside = (base | (random & (0xffffffff >>> size))) >>> 0;
        const a = (inside & (0xffffffff << (32 - prefix))) >>> 0;
        return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${prefix}`;
    });

/** A valid config and what each value must become. */
interface Case {
    readonly config: Record<string, unknown>;
    readonly target: Target;
    readonly expect: {
        readonly stackName: string;
        readonly region: string;
        readonly accountId: string;
        readonly assumeRoleArn?: string;
        readonly applicationAuth: "iam" | "password";
        /** A new VPC's CIDR and AZ count, or an existing VPC's subnets. */
        readonly network: { cidrBlock: string; azCount: number } | { vpcId: string; subnetIds: string[] };
        readonly engine: "aurora-postgresql" | "aurora-mysql";
        readonly engineVersion: string;
        readonly instanceClass: string;
        readonly readers: number;
        readonly databaseName: string;
        readonly deletionProtection: boolean;
        readonly backupRetentionDays: number;
        readonly idleClientTimeoutSeconds: number;
        readonly maxConnectionsPercent: number;
        readonly connectionBorrowTimeoutSeconds: number;
        readonly readOnlyPort?: number;
        readonly endpointPrincipals: string[];
        readonly consumers: ConsumerCase[];
        readonly acceptanceRequired: boolean;
        readonly supportedRegions?: string[];
        readonly source: "eni" | "dns";
        readonly schedule: string;
        readonly missesBeforeDeregister: number;
    };
}

/** A deploy role in the stack's account and partition, under an optional path. */
function assumeRoleArnOf(account: string, partition: string): fc.Arbitrary<string> {
    return fc
        .tuple(
            fc.oneof(
                fc.constant(""),
                fc.stringMatching(/^[\w+=,.@-]{1,20}$/).map((p) => `${p}/`),
            ),
            fc.oneof(fc.stringMatching(/^[\w+=,.@-]{1,64}$/), fc.constant("d".repeat(64))),
        )
        .map(([path, name]) => `arn:${partition}:iam::${account}:role/${path}${name}`);
}

const validCase: fc.Arbitrary<Case> = fc
    .tuple(stackName, stackRegion, engineAndVersion, accountId)
    .chain(([stack, stackRegionCode, engine, account]) => {
        const partition = partitionOf(stackRegionCode);
        return fc.record({
            stackName: fc.constant(stack),
            region: fc.constant(stackRegionCode),
            accountId: fc.constant(account),
            assumeRoleArn: fc.option(assumeRoleArnOf(account, partition), { nil: undefined }),
            applicationAuth: withDefault(
                present(fc.constantFrom("iam" as const, "password" as const)),
                "iam",
            ),
            network: fc.oneof(
                fc.record({ cidrBlock: present(cidrBlock), azCount: withDefault(whole(2, 6), 3) }),
                existingNetwork,
            ),
            engine: fc.constant(engine),
            instanceClass: withDefault(present(instanceClass), "db.r6g.large"),
            // Each reader adds an instance to the run: small counts weigh more, the whole range and its edges stay in.
            readers: withDefault(
                whole(
                    0,
                    15,
                    [],
                    fc.oneof(
                        { arbitrary: fc.integer({ min: 0, max: 3 }), weight: 3 },
                        { arbitrary: fc.integer({ min: 0, max: 15 }), weight: 1 },
                        { arbitrary: fc.constantFrom(0, 15), weight: 1 },
                    ),
                ),
                1,
            ),
            databaseName: withDefault(present(databaseName), "app"),
            deletionProtection: withDefault(bool, true),
            backupRetentionDays: withDefault(whole(1, 35), 7),
            idleClientTimeoutSeconds: withDefault(whole(1, 330), 300),
            maxConnectionsPercent: withDefault(whole(1, 100), 90),
            connectionBorrowTimeoutSeconds: withDefault(whole(1, 3600), 120),
            readOnlyEndpoint: fc.option(bool, { nil: undefined }),
            readOnlyPort: fc.option(whole(1, 65535, [5432, 3306]), { nil: undefined }),
            consumers: consumersFor(stack, partition, engine.engine),
            acceptanceRequired: withDefault(bool, false),
            // PrivateLink does not cross partitions: supported regions are of the stack's (drawn per partition,
            // not filtered, so that a rare partition cannot stall the generator).
            supportedRegions: fc.option(
                fc.uniqueArray(regionIn(partition, stackRegionCode), { minLength: 1, maxLength: 4 }),
                { nil: undefined },
            ),
            source: fc.option(fc.constantFrom("eni" as const, "dns" as const), { nil: undefined }),
            schedule: withDefault(present(schedule), "rate(1 minute)"),
            missesBeforeDeregister: withDefault(whole(1, 100), 3),
        });
    })
    .map((g): Case => {
        const readers = g.readers.value;
        // Cross-key rules: a read-only endpoint needs a reader, and then only the dns source can find it.
        const readOnlyEndpointLeaf =
            readers === 0 && g.readOnlyEndpoint?.value === true ? undefined : g.readOnlyEndpoint;
        const readOnlyEndpoint = readOnlyEndpointLeaf?.value ?? readers > 0;
        const source = readOnlyEndpoint && g.source === "eni" ? "dns" : g.source;
        const enginePort = g.engine.engine === "aurora-postgresql" ? 5432 : 3306;
        const network =
            "vpcId" in g.network
                ? { raw: g.network, expect: g.network }
                : {
                      raw: rawObject(g.network),
                      expect: { cidrBlock: g.network.cidrBlock.value, azCount: g.network.azCount.value },
                  };
        return {
            target: { stackName: g.stackName, region: g.region },
            config: {
                accountId: g.accountId,
                ...(g.assumeRoleArn !== undefined ? { assumeRoleArn: g.assumeRoleArn } : {}),
                ...(g.applicationAuth.raw !== undefined ? { applicationAuth: g.applicationAuth.raw } : {}),
                network: network.raw,
                database: rawObject({
                    engine: { raw: g.engine.engine, value: g.engine.engine },
                    engineVersion: g.engine.version,
                    instanceClass: g.instanceClass,
                    readers: g.readers,
                    databaseName: g.databaseName,
                    deletionProtection: g.deletionProtection,
                    backupRetentionDays: g.backupRetentionDays,
                }),
                proxy: rawObject({
                    idleClientTimeoutSeconds: g.idleClientTimeoutSeconds,
                    maxConnectionsPercent: g.maxConnectionsPercent,
                    connectionBorrowTimeoutSeconds: g.connectionBorrowTimeoutSeconds,
                    readOnlyEndpoint: readOnlyEndpointLeaf ?? { raw: undefined, value: undefined },
                    // A read-only port without a read-only endpoint has no effect and is refused (see below).
                    readOnlyPort: (readOnlyEndpoint ? g.readOnlyPort : undefined) ?? {
                        raw: undefined,
                        value: undefined,
                    },
                }),
                consumers: g.consumers.map((c) => c.raw),
                endpointService: rawObject({
                    acceptanceRequired: g.acceptanceRequired,
                    supportedRegions: { raw: g.supportedRegions, value: g.supportedRegions },
                }),
                targetSync: rawObject({
                    source: { raw: source, value: source },
                    schedule: g.schedule,
                    missesBeforeDeregister: g.missesBeforeDeregister,
                }),
            },
            expect: {
                stackName: g.stackName,
                region: g.region,
                accountId: g.accountId,
                assumeRoleArn: g.assumeRoleArn,
                applicationAuth: g.applicationAuth.value,
                network: network.expect,
                engine: g.engine.engine,
                engineVersion: g.engine.version.value,
                instanceClass: g.instanceClass.value,
                readers,
                databaseName: g.databaseName.value,
                deletionProtection: g.deletionProtection.value,
                backupRetentionDays: g.backupRetentionDays.value,
                idleClientTimeoutSeconds: g.idleClientTimeoutSeconds.value,
                maxConnectionsPercent: g.maxConnectionsPercent.value,
                connectionBorrowTimeoutSeconds: g.connectionBorrowTimeoutSeconds.value,
                readOnlyPort: readOnlyEndpoint ? (g.readOnlyPort?.value ?? enginePort + 1) : undefined,
                // Who may create an interface endpoint: each consumer account's root (endpointPrincipals' default).
                endpointPrincipals: g.consumers.map(
                    (c) => `arn:${partitionOf(g.region)}:iam::${String(c.raw.accountId)}:root`,
                ),
                consumers: g.consumers,
                acceptanceRequired: g.acceptanceRequired.value,
                supportedRegions: g.supportedRegions,
                source: source ?? (readOnlyEndpoint ? "dns" : "eni"),
                schedule: g.schedule.value,
                missesBeforeDeregister: g.missesBeforeDeregister.value,
            },
        };
    });

function assertArrives(r: StackRun, e: Case["expect"]): void {
    assert.equal(r.error, undefined, String(r.error));
    const port = e.engine === "aurora-postgresql" ? 5432 : 3306;

    // Every name derived from the stack's and the consumers' names fits AWS's limit.
    assert.deepEqual(nameLimitViolations(r), [], "derived names over AWS's limits");

    const provider = single(r, "pulumi:providers:aws");
    assert.deepEqual(JSON.parse(String(provider.inputs.allowedAccountIds)), [e.accountId]);
    assert.equal(provider.inputs.region, e.region);
    assert.deepEqual(
        provider.inputs.assumeRoles === undefined
            ? undefined
            : (JSON.parse(String(provider.inputs.assumeRoles)) as { roleArn: string }[]).map(
                  (a) => a.roleArn,
              ),
        e.assumeRoleArn === undefined ? undefined : [e.assumeRoleArn],
    );

    const zones = zonesOfRegion(e.region);
    const contract = r.outputs.contract as Record<string, unknown>;
    if ("vpcId" in e.network) {
        // An existing VPC: nothing of awsx, and its subnets carry the proxy and the load balancer.
        assert.equal(ofType(r, "awsx:ec2:Vpc").length, 0);
        assert.deepEqual(single(r, "aws:rds/proxy:Proxy").inputs.vpcSubnetIds, e.network.subnetIds);
        assert.deepEqual(single(r, "aws:lb/loadBalancer:LoadBalancer").inputs.subnets, e.network.subnetIds);
        const offered = zonesOf(e.region).zoneIds;
        assert.deepEqual(
            contract.availabilityZoneIds,
            e.network.subnetIds.map((_, i) => offered[i % offered.length]),
        );
    } else {
        const vpc = single(r, "awsx:ec2:Vpc");
        assert.equal(vpc.inputs.cidrBlock, e.network.cidrBlock);
        assert.deepEqual(vpc.inputs.availabilityZoneNames, zones.names.slice(0, e.network.azCount));
        assert.deepEqual(contract.availabilityZoneIds, zones.zoneIds.slice(0, e.network.azCount));
    }
    assert.equal(contract.region, e.region);

    // Each consumer's way in, in the configured mode, and its database user and role at the bootstrap.
    const entries = contract.consumers as Record<string, unknown>[];
    assert.deepEqual(
        entries.map((c) => [c.accountId, c.databaseUser, c.auth]),
        e.consumers.map((c) => [c.raw.accountId, c.databaseUser, e.applicationAuth]),
    );
    const roles = ofType(r, "aws:iam/role:Role").filter((x) => x.name.endsWith("-connect"));
    const secrets = ofType(r, "aws:secretsmanager/secret:Secret");
    if (e.applicationAuth === "iam") {
        assert.equal(secrets.length, 0);
        assert.deepEqual(
            roles.map((x) => x.name),
            e.consumers.map((c) => `${e.stackName}-access-${c.name}-connect`),
        );
        roles.forEach((role, i) => {
            const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as {
                Statement: {
                    Principal: { AWS: string | string[] };
                    Condition?: { ArnEquals: { "aws:PrincipalArn": string[] } };
                }[];
            };
            // Listed as they are, or, when narrowed, first in the condition that names them (the canary's role
            // after them: vocabulary/access/principals.ts).
            const [statement] = trust.Statement;
            const admitted = statement.Condition?.ArnEquals["aws:PrincipalArn"] ?? statement.Principal.AWS;
            const listed = e.consumers[i].principals;
            assert.deepEqual([admitted].flat().slice(0, listed.length), listed, role.name);
        });
    } else {
        assert.equal(roles.length, 0);
        assert.deepEqual(
            secrets.map((x) => x.name),
            e.consumers.map((c) => `${e.stackName}-access-${c.name}-secret`),
        );
    }
    const bootstrap = single(r, "aws:lambda/invocation:Invocation");
    const input = JSON.parse(String(bootstrap.inputs.input)) as {
        applicationAuth: string;
        users: { name: string; databaseRole?: string }[];
    };
    assert.equal(input.applicationAuth, e.applicationAuth);
    // (In password mode each user also names its secret, checked in db-account.test.ts.)
    assert.deepEqual(
        input.users.map((u) => ({
            name: u.name,
            ...(u.databaseRole !== undefined ? { databaseRole: u.databaseRole } : {}),
        })),
        e.consumers.map((c) => ({
            name: c.databaseUser,
            ...(c.databaseRole !== undefined ? { databaseRole: c.databaseRole } : {}),
        })),
    );

    const cluster = single(r, "aws:rds/cluster:Cluster");
    assert.equal(cluster.inputs.engine, e.engine);
    assert.equal(cluster.inputs.engineVersion, e.engineVersion);
    assert.equal(cluster.inputs.databaseName, e.databaseName);
    assert.equal(cluster.inputs.deletionProtection, e.deletionProtection);
    assert.equal(cluster.inputs.backupRetentionPeriod, e.backupRetentionDays);
    assert.equal(cluster.inputs.port, port);

    const instances = ofType(r, "aws:rds/clusterInstance:ClusterInstance");
    assert.equal(instances.length, e.readers + 1, "one writer plus `readers` readers");
    for (const i of instances) {
        assert.equal(i.inputs.instanceClass, e.instanceClass, i.name);
        assert.equal(i.inputs.engineVersion, e.engineVersion, i.name);
    }

    const proxy = single(r, "aws:rds/proxy:Proxy");
    assert.equal(proxy.inputs.idleClientTimeout, e.idleClientTimeoutSeconds);
    const pool = single(r, "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup");
    const poolConfig = pool.inputs.connectionPoolConfig as Record<string, unknown>;
    assert.equal(poolConfig.maxConnectionsPercent, e.maxConnectionsPercent);
    assert.equal(poolConfig.connectionBorrowTimeout, e.connectionBorrowTimeoutSeconds);

    // The read-only endpoint exists exactly when it has a port, and is published on that port.
    assert.equal(
        ofType(r, "aws:rds/proxyEndpoint:ProxyEndpoint").length,
        e.readOnlyPort === undefined ? 0 : 1,
    );
    const listenerPorts = ofType(r, "aws:lb/listener:Listener").map((l) => l.inputs.port);
    assert.deepEqual(listenerPorts, e.readOnlyPort === undefined ? [port] : [port, e.readOnlyPort]);
    assert.equal(contract.readOnlyPort, e.readOnlyPort);

    const service = single(r, "aws:ec2/vpcEndpointService:VpcEndpointService");
    assert.deepEqual(service.inputs.allowedPrincipals, e.endpointPrincipals);
    assert.equal(service.inputs.acceptanceRequired, e.acceptanceRequired);
    assert.deepEqual(service.inputs.supportedRegions, e.supportedRegions);

    const syncs = listenerPorts.length;
    const registrations = ofType(r, "pulumi-nodejs:dynamic/target-sync:TargetRegistration");
    assert.equal(registrations.length, syncs);
    for (const reg of registrations) {
        assert.equal(reg.inputs.missesBeforeDeregister, e.missesBeforeDeregister, reg.name);
        assert.equal(reg.inputs.source, e.source, reg.name);
    }
    // The sync's functions (the database-user bootstrap has its own).
    const functions = ofType(r, "aws:lambda/function:Function").filter((f) =>
        f.name.startsWith(`${e.stackName}-sync-`),
    );
    assert.equal(functions.length, syncs);
    for (const fn of functions) {
        const env = (fn.inputs.environment as { variables: Record<string, unknown> }).variables;
        assert.equal(env.TARGET_SYNC_MISSES_BEFORE_DEREGISTER, String(e.missesBeforeDeregister), fn.name);
        assert.equal(env.TARGET_SYNC_SOURCE, e.source, fn.name);
    }
    const rules = ofType(r, "aws:cloudwatch/eventRule:EventRule");
    assert.equal(rules.length, syncs);
    for (const rule of rules) assert.equal(rule.inputs.scheduleExpression, e.schedule, rule.name);
}

/** A valid minimal config: every optional key defaulted. */
const minimal: Record<string, unknown> = {
    accountId: "111111111111",
    network: { cidrBlock: "10.20.0.0/16" },
    consumers: [{ name: "app", accountId: "222222222222" }],
};

type Config = Record<string, unknown>;

/** One way to break a valid config: the key path the error must name and the change that breaks it. */
interface Refusal {
    readonly key: string;
    readonly what: string;
    readonly change: (c: Config) => Config;
}

/** Merges `values` into the section `section` of the config. */
function merge(c: Config, section: string, values: Record<string, unknown>): Config {
    // The network refusals are of the new-VPC form: merged into an existing VPC they would mix the two forms,
    // which is a problem of its own (named as 'network').
    const base = section === "network" ? { cidrBlock: "10.20.0.0/16" } : c[section];
    return { ...c, [section]: { ...(base as Record<string, unknown> | undefined), ...values } };
}

function set(key: string, values: Record<string, unknown>, section = key.split(".")[0]): Refusal {
    return { key, what: JSON.stringify(values), change: (c) => merge(c, section, values) };
}

/** The values just outside a whole-number range, each as a YAML number and as a string of digits. */
function outside(key: string, below: number, above: number): Refusal[] {
    const [section, leaf] = key.split(".");
    return [below, above, String(below), String(above)].map((v) => set(key, { [leaf]: v }, section));
}

/** Every refusal, each checked once on the minimal config and then at random on generated valid configs. */
const REFUSALS: Refusal[] = [
    ...outside("database.readers", -1, 16),
    ...outside("database.backupRetentionDays", 0, 36),
    ...outside("proxy.idleClientTimeoutSeconds", 0, 331),
    ...outside("proxy.maxConnectionsPercent", 0, 101),
    ...outside("proxy.connectionBorrowTimeoutSeconds", 0, 3601),
    ...outside("proxy.readOnlyPort", 0, 65536),
    ...outside("targetSync.missesBeforeDeregister", 0, 101),
    ...outside("network.azCount", 1, 7),
    ...[
        "10.20.0.0/15",
        "10.20.0.0/25",
        "10.20.0.1/16",
        "10.20.1.0/23",
        "256.0.0.0/16",
        "0.0.0.0/16",
        "127.0.0.0/16",
        "224.0.0.0/16",
        "8.8.0.0/16",
        "169.254.0.0/16",
        "010.020.000.000/16",
    ].map((cidrBlock) => set("network.cidrBlock", { cidrBlock })),
    ...[
        "rate(0 minutes)",
        "rate(1 minutes)",
        "rate(2 minute)",
        "rate(01 minutes)",
        "cron(0 * * * * *)",
        "cron(0 * ? * ? *)",
        "cron(0 * ? * *)",
    ].map((schedule) => set("targetSync.schedule", { schedule })),
    ...["", "1app", "a-b", `a${"b".repeat(63)}`, "App", "APP"].map((databaseName) =>
        set("database.databaseName", { databaseName }),
    ),
    ...["r6g.large", "db.r6g", "db.R6G.large"].map((instanceClass) =>
        set("database.instanceClass", { instanceClass }),
    ),
    ...["", "16", "16.6.1", "8.0.mysql_aurora.2.11.2"].map((engineVersion) =>
        set("database.engineVersion", { engineVersion }),
    ),
    // Cross-key rules; each change sets every key the rule depends on.
    set("database.engineVersion", { engine: "aurora-mysql", engineVersion: "16.6" }),
    set("database.engineVersion", { engine: "aurora-postgresql", engineVersion: "8.0.mysql_aurora.3.08.2" }),
    {
        key: "proxy.readOnlyPort",
        what: "the engine's own port",
        change: (c) => {
            const engine = (c.database as { engine?: string } | undefined)?.engine;
            return merge(c, "proxy", {
                readOnlyEndpoint: true,
                readOnlyPort: engine === "aurora-mysql" ? 3306 : 5432,
            });
        },
    },
    {
        key: "proxy.readOnlyPort",
        what: "a port without a read-only endpoint (no effect)",
        change: (c) =>
            merge(merge(c, "database", { readers: 0 }), "proxy", {
                readOnlyEndpoint: undefined,
                readOnlyPort: 6543,
            }),
    },
    {
        key: "proxy.readOnlyEndpoint",
        what: "true with no readers",
        change: (c) => merge(merge(c, "database", { readers: 0 }), "proxy", { readOnlyEndpoint: true }),
    },
    {
        key: "targetSync.source",
        what: "eni with a read-only endpoint",
        change: (c) =>
            merge(
                merge(merge(c, "database", { readers: 1 }), "proxy", { readOnlyEndpoint: true }),
                "targetSync",
                {
                    source: "eni",
                },
            ),
    },
    { key: "consumers", what: "[]", change: (c) => ({ ...c, consumers: [] }) },
    // A pattern mismatch is reported on the list, a principal of another account on the item: both name the list.
    ...[
        "arn:aws:iam::333333333333:root",
        "*",
        "arn:aws:iam::222222222222:group/x",
        "arn:aws:iam::222222222222:role/",
        "arn:aws:iam::222222222222:role//",
        "arn:aws:iam::222222222222:role//x",
        `arn:aws:iam::222222222222:role/${"x".repeat(65)}`,
        `arn:aws:iam::222222222222:role/${"p/".repeat(256)}x`,
        "arn:aws-evil:iam::222222222222:root",
        "arn:aws-cn:iam::222222222222:root",
    ].map((p): Refusal => ({
        key: "consumers[0].principals",
        what: p,
        change: (c) => ({ ...c, consumers: [{ name: "app", accountId: "222222222222", principals: [p] }] }),
    })),
    {
        key: "consumers[0].principals",
        what: "the same principal twice",
        change: (c) => ({
            ...c,
            consumers: [
                {
                    name: "app",
                    accountId: "222222222222",
                    principals: ["arn:aws:iam::222222222222:role/app", "arn:aws:iam::222222222222:role/app"],
                },
            ],
        }),
    },
    ...[[], ["eu-west-1", "eu-west-1"], ["eu-west"]].map((supportedRegions) =>
        set("endpointService.supportedRegions", { supportedRegions }),
    ),
];

describe("db-account config round trip (properties)", function () {
    this.timeout(180000);

    it("every accepted value reaches the resource input it configures, unchanged", async () => {
        await fc.assert(
            fc.asyncProperty(validCase, async ({ config, target, expect }) => {
                assertArrives(await run(config, target), expect);
            }),
            { numRuns: ACCEPTED_RUNS, endOnFailure: true },
        );
    });

    it("a value just outside a range, or breaking a cross-key rule, is refused naming its key, before anything is registered", async () => {
        await fc.assert(
            fc.asyncProperty(
                validCase.map((c) => c.config),
                fc.constantFrom(...REFUSALS),
                async (valid, refusal) => {
                    const r = await run(refusal.change(valid));
                    const label = `${refusal.key} ${refusal.what}`;
                    assert.ok(r.error, `expected a config error for ${label}`);
                    assert.ok(
                        r.error.message.includes(`rds-cross-account:${refusal.key}`),
                        `the error for ${label} does not name rds-cross-account:${refusal.key}: ${r.error.message}`,
                    );
                    assert.deepEqual(r.resources, [], label);
                    assert.deepEqual(r.calls, [], label);
                },
            ),
            {
                // Examples count toward numRuns: every refusal once on the minimal config, then random draws.
                numRuns: REFUSALS.length + REFUSED_RUNS,
                endOnFailure: true,
                examples: REFUSALS.map((refusal): [Config, Refusal] => [minimal, refusal]),
            },
        );
    });
});
