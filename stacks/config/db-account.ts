/** Config of the db-account (producer) stack: schema, defaults and cross-key rules. */
import { z } from "zod";
import type { AuroraClusterArgs } from "../../components/database";
import type { RdsProxyArgs } from "../../components/proxy";
import { databaseNameRule, databaseRoleRule, databaseUserRule } from "../../components/bootstrap";
import { DEFAULT_SCHEDULE, isScheduleExpression } from "../../components/target-sync";
import { ROLE_NAME_SUFFIXES } from "../../components/access";
import { accessComponentName } from "../names";
import {
    accessKindRule,
    accountIdRule,
    booleanLike,
    DEFAULT_DATABASE_NAME,
    DEFAULT_ENGINE,
    DEFAULT_ENGINE_VERSION,
    DEFAULT_INSTANCE_CLASS,
    distinctList,
    enginePort,
    ENGINES,
    engineVersionPattern,
    isVersionOf,
    MASTER_USERNAME,
    matching,
    parseIamArn,
    oneOf,
    partitionOf,
    portRule,
    principalRule,
    render,
    regionPattern,
    rule,
    satisfying,
    settingRule,
    SETTINGS,
    DEFAULT_ACCESS_KIND,
    isAccessKind,
    type AccessKind,
} from "../../vocabulary";
import {
    accountIdSpec,
    assumeRoleArnSpec,
    checkPartition,
    checkRoleAccount,
    NetworkConfig,
    networkSpec,
} from "./common";
import { leaf, optionalLeaf, optionalObject } from "./kit";
import {
    ConfigSource,
    keySpec,
    keysOf,
    Parsed,
    Problems,
    pulumiConfigSource,
    readKeys,
    readRegion,
} from "./read";

export const STACK = "db-account";

const trueOrFalse = rule(booleanLike, "true or false", "true");

const databaseSchema = z
    .object({
        engine: leaf(
            rule(oneOf(ENGINES), `one of ${ENGINES.map((e) => `"${e}"`).join(", ")}`, `"${DEFAULT_ENGINE}"`),
            { default: DEFAULT_ENGINE },
        ),
        engineVersion: optionalLeaf(
            rule(
                matching(engineVersionPattern),
                'an Aurora PostgreSQL version such as "16.6" or an Aurora MySQL 3 version such as "8.0.mysql_aurora.3.08.2"',
                `"${DEFAULT_ENGINE_VERSION[DEFAULT_ENGINE]}"`,
            ),
        ),
        instanceClass: leaf(
            rule(
                matching(/^db\.[a-z0-9]+\.[a-z0-9]+$/),
                "a provisioned DB instance class",
                `"${DEFAULT_INSTANCE_CLASS}"`,
            ),
            { default: DEFAULT_INSTANCE_CLASS },
        ),
        readers: leaf(settingRule("readers"), { default: SETTINGS.readers.default }),
        databaseName: leaf(
            rule(
                matching(/^[A-Za-z][A-Za-z0-9_]{0,62}$/),
                "a letter followed by up to 62 letters, digits or underscores",
                `"${DEFAULT_DATABASE_NAME}"`,
            ),
            { default: DEFAULT_DATABASE_NAME },
        ),
        deletionProtection: leaf(trueOrFalse, { default: true }),
        backupRetentionDays: leaf(settingRule("backupRetentionDays"), {
            default: SETTINGS.backupRetentionDays.default,
        }),
    })
    .strict();

const proxySchema = z
    .object({
        idleClientTimeoutSeconds: leaf(settingRule("idleClientTimeoutSeconds"), {
            default: SETTINGS.idleClientTimeoutSeconds.default,
        }),
        maxConnectionsPercent: leaf(settingRule("maxConnectionsPercent"), {
            default: SETTINGS.maxConnectionsPercent.default,
        }),
        connectionBorrowTimeoutSeconds: leaf(settingRule("connectionBorrowTimeoutSeconds"), {
            default: SETTINGS.connectionBorrowTimeoutSeconds.default,
        }),
        readOnlyEndpoint: optionalLeaf(trueOrFalse),
        readOnlyPort: optionalLeaf({ ...portRule, example: "5433" }),
    })
    .strict();

/**
 * A name the engine decides on: its leaf checks only that it is a string of plausible length, and the
 * engine's own rule (`databaseUserRule`, `databaseRoleRule`) is applied by a cross-key rule, since
 * `database.engine` is another key.
 */
const databaseNameLeaf = (what: string, example: string) =>
    optionalLeaf(
        rule(
            satisfying<string>((v) => typeof v === "string"),
            `a ${what} (a string)`,
            example,
        ),
    );

const consumerSchema = z
    .object({
        name: leaf(
            rule(
                matching(/^[a-z][a-z0-9-]{0,31}$/),
                "a lower-case name: a letter, then up to 31 letters, digits or hyphens",
                '"billing"',
            ),
        ),
        accountId: leaf({ ...accountIdRule, example: '"222222222222"' }),
        principals: optionalLeaf(
            rule(
                distinctList(principalRule.schema, 1),
                "a non-empty list of distinct IAM ARNs (account root, role or user; a known partition; names of " +
                    '1-64 characters; never "*")',
                '["arn:aws:iam::222222222222:role/app"]',
            ),
        ),
        databaseUser: databaseNameLeaf("database user name", '"orders_app"'),
        databaseRole: databaseNameLeaf("database role name", '"app_readwrite"'),
    })
    .strict();

const consumersSchema = z
    .array(consumerSchema)
    .min(
        1,
        "it must list at least one consumer account ({ name, accountId, principals?, databaseUser?, databaseRole? }) allowed to connect",
    );

const endpointServiceSchema = z
    .object({
        acceptanceRequired: leaf({ ...trueOrFalse, example: "false" }, { default: false }),
        supportedRegions: optionalLeaf(
            rule(
                distinctList(matching(regionPattern), 1),
                "a non-empty list of distinct AWS region codes",
                '["eu-west-1", "eu-central-1"]',
            ),
        ),
    })
    .strict();

const targetSyncSchema = z
    .object({
        source: optionalLeaf(rule(oneOf(["eni", "dns"]), 'one of "eni", "dns"', '"dns"')),
        schedule: leaf(
            rule(
                satisfying<string>((v) => typeof v === "string" && isScheduleExpression(v)),
                'an EventBridge schedule expression: "rate(N minutes)", or "cron(...)" with six fields and "?" in exactly one of day-of-month and day-of-week',
                `"${DEFAULT_SCHEDULE}"`,
            ),
            { default: DEFAULT_SCHEDULE },
        ),
        missesBeforeDeregister: leaf(settingRule("missesBeforeDeregister"), {
            default: SETTINGS.missesBeforeDeregister.default,
        }),
    })
    .strict();

const specs = {
    role: keySpec("string", z.literal(STACK)),
    applicationAuth: keySpec("string", leaf<AccessKind>(accessKindRule, { default: DEFAULT_ACCESS_KIND })),
    accountId: accountIdSpec,
    assumeRoleArn: assumeRoleArnSpec,
    network: networkSpec,
    database: keySpec("json", optionalObject(databaseSchema), keysOf(databaseSchema)),
    proxy: keySpec("json", optionalObject(proxySchema), keysOf(proxySchema)),
    consumers: keySpec("json", consumersSchema, keysOf(consumerSchema)),
    endpointService: keySpec("json", optionalObject(endpointServiceSchema), keysOf(endpointServiceSchema)),
    targetSync: keySpec("json", optionalObject(targetSyncSchema), keysOf(targetSyncSchema)),
};

export interface Consumer {
    readonly name: string;
    readonly accountId: string;
    /** Exact principals allowed; defaults to the account root. */
    readonly principals: string[];
    /** The consumer's database user; defaults to its name with `-` replaced by `_`. */
    readonly databaseUser: string;
    /** An existing database role the user is a member of; absent: connect only. */
    readonly databaseRole?: string;
}

/** The database user a consumer gets when config names none: its name, `-` replaced by `_`. */
export function defaultDatabaseUser(consumerName: string): string {
    return consumerName.replaceAll("-", "_");
}

/** The validated, defaulted config of the db-account stack. */
export interface DbAccountConfig {
    readonly region: string;
    readonly accountId: string;
    readonly assumeRoleArn?: string;
    /** How applications authenticate: the consumers' access mode (vocabulary/access). */
    readonly applicationAuth: AccessKind;
    readonly network: NetworkConfig;
    /** What the AuroraCluster component takes from config, with every default applied. */
    readonly database: Pick<
        AuroraClusterArgs,
        | "engine"
        | "engineVersion"
        | "instanceClass"
        | "readers"
        | "databaseName"
        | "deletionProtection"
        | "backupRetentionDays"
    >;
    /** What the RdsProxy and EndpointService components take from config, with every default applied. */
    readonly proxy: Required<
        Pick<
            RdsProxyArgs,
            "idleClientTimeoutSeconds" | "maxConnectionsPercent" | "connectionBorrowTimeoutSeconds"
        >
    > & {
        readonly readOnlyEndpoint: boolean;
        /** Listener port of the read-only endpoint, when there is one. */
        readonly readOnlyPort?: number;
    };
    readonly consumers: Consumer[];
    readonly endpointService: { readonly acceptanceRequired: boolean; readonly supportedRegions?: string[] };
    readonly targetSync: {
        /** Effective source: as configured, else "dns" when there is a read-only endpoint, else "eni". */
        readonly source: "eni" | "dns";
        readonly schedule: string;
        readonly missesBeforeDeregister: number;
    };
}

/** What each key parsed to (undefined where it had a problem). */
type Raw = Parsed<typeof specs>;

/**
 * Rules between keys, as data: each looks at the keys it needs (skipping when one of them had its own
 * problem) and reports into `problems`.
 */
const CROSS_KEY_RULES: ReadonlyArray<(raw: Raw, problems: Problems, region: string | undefined) => void> = [
    function roleInStackAccount(raw, problems, region) {
        checkRoleAccount(problems, raw.accountId, raw.assumeRoleArn, region);
    },
    function engineVersionOfEngine({ database }, problems) {
        if (!database?.engineVersion || isVersionOf(database.engine, database.engineVersion)) return;
        problems.reject(
            "database.engineVersion",
            database.engineVersion,
            `that is not a version of ${database.engine}`,
            `Set 'database.engineVersion' in {file} to a version of ${database.engine}, for example ` +
                `"${DEFAULT_ENGINE_VERSION[database.engine]}", or remove it to use that default.`,
        );
    },
    function readOnlyEndpointNeedsReaders({ database, proxy }, problems) {
        if (proxy?.readOnlyEndpoint !== true || database?.readers !== 0) return;
        problems.reject(
            "proxy.readOnlyEndpoint",
            true,
            "'database.readers' is 0: a read-only endpoint needs at least one reader",
            "Set 'database.readers' to 1 or more, or 'proxy.readOnlyEndpoint' to false, in {file}.",
        );
    },
    function readOnlyPortOfItsOwn({ database, proxy }, problems) {
        if (!database || proxy?.readOnlyPort === undefined) return;
        const port = enginePort(database.engine);
        if (proxy.readOnlyPort !== port) return;
        problems.reject(
            "proxy.readOnlyPort",
            port,
            "that is the port of the read/write endpoint, and the read-only endpoint needs its own listener port",
            `Set 'proxy.readOnlyPort' in {file} to another port, for example ${port + 1}.`,
        );
    },
    function consumersDistinct({ consumers }, problems) {
        const firstOf = (field: "name" | "accountId", value: string) =>
            (consumers ?? []).findIndex((c) => c[field] === value);
        (consumers ?? []).forEach((c, i) => {
            const sameName = firstOf("name", c.name);
            if (sameName < i) {
                problems.reject(
                    ["consumers", i, "name"],
                    c.name,
                    `that is the name of consumers[${sameName}]`,
                    "Give every consumer its own name in {file}.",
                );
            }
            const sameAccount = firstOf("accountId", c.accountId);
            if (sameAccount < i) {
                problems.reject(
                    ["consumers", i, "accountId"],
                    c.accountId,
                    `that account is already listed as consumers[${sameAccount}]`,
                    "List each account once, with all its principals, in {file}.",
                );
            }
        });
    },
    function principalsOfTheirConsumer({ consumers }, problems, region) {
        (consumers ?? []).forEach((c, i) =>
            (c.principals ?? []).forEach((arn, j) => {
                const account = parseIamArn(arn)?.accountId;
                if (account !== c.accountId) {
                    problems.reject(
                        ["consumers", i, "principals", j],
                        arn,
                        `that is a principal of account ${account}, and the consumer's accountId is ${c.accountId}`,
                        `List only principals of account ${c.accountId} for this consumer in {file}.`,
                    );
                }
                checkPartition(problems, ["consumers", i, "principals", j], arn, region);
            }),
        );
    },
    function principalsNamedOnce({ consumers }, problems) {
        // IAM role and user names are unique in an account whatever their path and letter case (IAM User Guide,
        // "IAM object quotas and names": "names are not distinguished by case"): role/App and role/x/app are one.
        (consumers ?? []).forEach((c, i) => {
            const principals = c.principals ?? [];
            const first = new Map<string, number>();
            principals.forEach((arn, j) => {
                const p = parseIamArn(arn);
                if (!p || p.kind === "root") return;
                const key = `${p.kind}/${p.name.toLowerCase()}`;
                const k = first.get(key);
                if (k === undefined) {
                    first.set(key, j);
                } else if (principals[k] !== arn) {
                    problems.reject(
                        ["consumers", i, "principals", j],
                        arn,
                        `that is the IAM ${p.kind} of consumers[${i}].principals[${k}] (${principals[k]}) as well: IAM ` +
                            `${p.kind} names are unique in an account whatever their path and letter case`,
                        `List the ${p.kind} once, spelled as IAM shows it, in {file}.`,
                    );
                }
            });
        });
    },
    function supportedRegionsOfThePartition({ endpointService }, problems, region) {
        if (!region) return;
        const partition = partitionOf(region);
        (endpointService?.supportedRegions ?? []).forEach((r, i) => {
            if (partitionOf(r) === partition) return;
            problems.reject(
                ["endpointService", "supportedRegions", i],
                r,
                `that region is in partition ${partitionOf(r)}, and the stack's region ${region} (aws:region) is in ` +
                    `${partition}: PrivateLink does not cross partitions`,
                `Remove it from 'endpointService.supportedRegions' in {file}.`,
            );
        });
    },
    function consumerNamesFitTheirRoleNames({ applicationAuth, consumers }, problems) {
        const kind = applicationAuth ?? DEFAULT_ACCESS_KIND;
        if (!isAccessKind(kind)) return;
        // The mode's auto-named roles carry the consumer's name; the longest suffix decides.
        const suffix = [...ROLE_NAME_SUFFIXES[kind]].sort((a, b) => b.length - a.length)[0];
        if (suffix === undefined) return;
        const max = maxConsumerNameLength(problems.stackName, suffix);
        (consumers ?? []).forEach((c, i) => {
            if (c.name.length <= max) return;
            problems.reject(
                ["consumers", i, "name"],
                c.name,
                `it is ${c.name.length} characters, and with this stack's name (${render(problems.stackName)}) a ` +
                    `consumer's name must be at most ${max}: its IAM role is named ` +
                    `${accessComponentName("<stack>", "<name>")}${suffix} plus Pulumi's 8-character suffix, and IAM ` +
                    `role names have at most ${IAM_ROLE_NAME_MAX_LENGTH} characters`,
                `Give consumers[${i}] a shorter name in {file} (its databaseUser can keep the long one).`,
            );
        });
    },
    function databaseUsersOfTheEngine({ database, consumers }, problems) {
        if (!database) return;
        const userRule = databaseUserRule(database.engine);
        const roleRule = databaseRoleRule(database.engine);
        const seen = new Map<string, number>();
        const userOf = (c: { name: string; databaseUser?: string }) =>
            c.databaseUser ?? defaultDatabaseUser(c.name);
        (consumers ?? []).forEach((c, i) => {
            const path = ["consumers", i, "databaseUser"];
            const user = userOf(c);
            if (c.databaseRole !== undefined) {
                // Membership gives the consumer every privilege of the role: never the master's, never another
                // consumer's (PostgreSQL GRANT role; MySQL 8 roles are accounts too).
                const owner = (consumers ?? []).findIndex((o) => userOf(o) === c.databaseRole);
                const whose =
                    c.databaseRole === MASTER_USERNAME
                        ? "the cluster's master user"
                        : owner === i
                          ? "this consumer's own database user"
                          : owner >= 0
                            ? `the database user of consumers[${owner}]`
                            : undefined;
                if (whose !== undefined) {
                    problems.reject(
                        ["consumers", i, "databaseRole"],
                        c.databaseRole,
                        `that is ${whose}, and membership would give this consumer its privileges`,
                        `Set 'consumers[${i}].databaseRole' in {file} to a role made for applications, or remove it (connect only).`,
                    );
                }
            }
            if (user === MASTER_USERNAME) {
                problems.reject(
                    path,
                    c.databaseUser === undefined ? undefined : user,
                    (c.databaseUser === undefined
                        ? `its default, ${render(user)} (from 'consumers[${i}].name'), `
                        : "it ") +
                        "is the cluster's master user, which only the database-user bootstrap logs in as",
                    `Set 'consumers[${i}].databaseUser' in {file} to another name.`,
                );
                return;
            }
            if (!userRule.schema.safeParse(user).success) {
                if (c.databaseUser !== undefined) {
                    problems.reject(
                        path,
                        user,
                        `it must be ${userRule.must} (${database.engine})`,
                        `Set 'consumers[${i}].databaseUser' in {file} to such a value, for example ${userRule.example}.`,
                    );
                } else {
                    problems.reject(
                        path,
                        undefined,
                        `its default, ${render(user)} (from 'consumers[${i}].name'), is not ${userRule.must} (${database.engine})`,
                        `Set 'consumers[${i}].databaseUser' in {file} to such a value, for example ${userRule.example}.`,
                    );
                }
                return;
            }
            const first = seen.get(user);
            // Two consumers of one name are reported as such; their derived users add nothing to that.
            const sameName =
                first !== undefined && c.databaseUser === undefined && consumers?.[first].name === c.name;
            if (first !== undefined && !sameName) {
                problems.reject(
                    path,
                    user,
                    `that is the database user of consumers[${first}] as well`,
                    `Give every consumer its own database user in {file} ('consumers[].databaseUser', default the consumer's name with "-" replaced by "_").`,
                );
            } else {
                seen.set(user, i);
            }
            if (c.databaseRole !== undefined && !roleRule.schema.safeParse(c.databaseRole).success) {
                problems.reject(
                    ["consumers", i, "databaseRole"],
                    c.databaseRole,
                    `it must be ${roleRule.must} (${database.engine})`,
                    `Set 'consumers[${i}].databaseRole' in {file} to such a value, for example ${roleRule.example}, or remove it (connect only).`,
                );
            }
        });
    },
    function databaseNameOfTheEngine({ database }, problems) {
        // The bootstrap connects to this database and grants CONNECT on it: it must hold the engine's name rules.
        if (!database) return;
        const nameRule = databaseNameRule(database.engine);
        if (nameRule.schema.safeParse(database.databaseName).success) return;
        problems.reject(
            "database.databaseName",
            database.databaseName,
            `it must be ${nameRule.must} (${database.engine})`,
            `Set 'database.databaseName' in {file} to such a value, for example ${nameRule.example}.`,
        );
    },
    function readOnlyPortNeedsItsEndpoint({ database, proxy }, problems) {
        if (!database || proxy?.readOnlyPort === undefined || hasReadOnlyEndpoint(database, proxy)) return;
        problems.reject(
            "proxy.readOnlyPort",
            proxy.readOnlyPort,
            "there is no read-only endpoint to publish on it ('proxy.readOnlyEndpoint' is false, or " +
                "'database.readers' is 0), so it would have no effect",
            "Remove 'proxy.readOnlyPort', or add readers and a read-only endpoint, in {file}.",
        );
    },
    function eniSourceWithoutReadOnlyEndpoint(raw, problems) {
        if (raw.targetSync?.source !== "eni" || !raw.database || !raw.proxy) return;
        if (!hasReadOnlyEndpoint(raw.database, raw.proxy)) return;
        problems.reject(
            "targetSync.source",
            "eni",
            "the proxy has a read-only endpoint ('proxy.readOnlyEndpoint' is true, or defaults to true because " +
                "'database.readers' > 0): the network interfaces of the two endpoints cannot be told apart, so only " +
                "DNS finds each endpoint's own IPs",
            `Set 'targetSync.source' to "dns" (or remove it), or set 'proxy.readOnlyEndpoint' to false, in {file}.`,
        );
    },
];

/** Pulumi's auto-name suffix: a hyphen and 7 random characters. */
const AUTONAME_SUFFIX_LENGTH = 8;

/**
 * The longest stack name whose derived names fit AWS's limits. The load balancer's name is the longest that has
 * a short limit: `<stack>-link-nlb` plus the 8 characters of Pulumi's auto-name suffix (`-` and 7 random
 * characters) must fit the 32 characters ELBv2 allows (CreateLoadBalancer, Name). pulumi-aws does not shorten an
 * auto-name to fit: a longer one fails at deploy time. A test records the stack with a name of this length and
 * checks every load balancer and target group name against the limit.
 */
export const MAX_STACK_NAME_LENGTH = 32 - "-link-nlb".length - AUTONAME_SUFFIX_LENGTH;

/** IAM role names: at most 64 characters (IAM API CreateRole, RoleName). */
const IAM_ROLE_NAME_MAX_LENGTH = 64;

/**
 * The longest consumer name whose auto-named IAM role fits IAM's limit: the role is named after the consumer's
 * access component (`<stack>-access-<consumer>`) and `suffix` (`-connect` in iam mode), plus Pulumi's suffix, and
 * pulumi-aws does not shorten it.
 */
export function maxConsumerNameLength(stackName: string, suffix: string): number {
    return (
        IAM_ROLE_NAME_MAX_LENGTH -
        AUTONAME_SUFFIX_LENGTH -
        accessComponentName(stackName, "").length -
        suffix.length
    );
}

/**
 * Stack names every derived name can carry: RDS identifiers (the final snapshot's, the cluster's) take letters,
 * digits and single hyphens, start with a letter and do not end with a hyphen, and RDS stores them in lower case.
 */
const STACK_NAME = /^[a-z](?:-?[a-z0-9])*$/;

/** Checks the stack's own name, which every resource name of this stack starts with. */
export function checkStackName(problems: Problems): void {
    const name = problems.stackName;
    if (STACK_NAME.test(name) && name.length <= MAX_STACK_NAME_LENGTH) return;
    problems.add({
        path: "stack",
        message:
            `Stack name ${render(name)} is ${name.length} characters, but it must be at most ` +
            `${MAX_STACK_NAME_LENGTH} lower-case letters, digits and single hyphens, starting with a letter and not ` +
            `ending with a hyphen: every resource name of the db-account stack starts with it, and RDS identifiers ` +
            `and the 32-character load balancer and target group names must hold it. Create the stack under such a ` +
            `name (pulumi stack rename <name> before the first pulumi up, or pulumi stack init <name>).`,
    });
}

/** Whether the proxy gets a read-only endpoint: as configured, else whenever there are readers. */
function hasReadOnlyEndpoint(
    database: { readonly readers: number },
    proxy: { readonly readOnlyEndpoint?: boolean },
): boolean {
    return proxy.readOnlyEndpoint ?? database.readers > 0;
}

/**
 * Reads and validates the db-account config. Every problem is collected into `problems`; the result is
 * undefined when there is any.
 */
export function readDbAccountConfig(
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
): DbAccountConfig | undefined {
    const region = readRegion(problems, source);
    const raw = readKeys(specs, problems, source);
    checkStackName(problems);
    for (const check of CROSS_KEY_RULES) check(raw, problems, region);

    const { accountId, network, database, proxy, consumers, endpointService, targetSync } = raw;
    if (problems.count > 0 || !region || !accountId || !network || !database || !proxy || !consumers) {
        return undefined;
    }
    if (!endpointService || !targetSync) return undefined;
    const readOnlyEndpoint = hasReadOnlyEndpoint(database, proxy);
    const port = enginePort(database.engine);
    return {
        region,
        accountId,
        assumeRoleArn: raw.assumeRoleArn,
        applicationAuth: raw.applicationAuth ?? DEFAULT_ACCESS_KIND,
        network,
        database: {
            ...database,
            engineVersion: database.engineVersion ?? DEFAULT_ENGINE_VERSION[database.engine],
        },
        proxy: {
            ...proxy,
            readOnlyEndpoint,
            readOnlyPort: readOnlyEndpoint ? (proxy.readOnlyPort ?? port + 1) : undefined,
        },
        consumers: consumers.map((c) => ({
            name: c.name,
            accountId: c.accountId,
            principals: c.principals ?? [`arn:${partitionOf(region)}:iam::${c.accountId}:root`],
            databaseUser: c.databaseUser ?? defaultDatabaseUser(c.name),
            ...(c.databaseRole !== undefined ? { databaseRole: c.databaseRole } : {}),
        })),
        endpointService,
        targetSync: { ...targetSync, source: targetSync.source ?? (readOnlyEndpoint ? "dns" : "eni") },
    };
}
