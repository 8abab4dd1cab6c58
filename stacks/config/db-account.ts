/** Config of the db-account (producer) stack: each key's shape and defaults; the rules between keys are in ./db-account-rules.ts. */
import type { AuroraClusterArgs } from "../../components/database";
import type { RdsProxyArgs } from "../../components/proxy";
import { DEFAULT_SCHEDULE, scheduleRule, sourceRule } from "../../components/target-sync";
import {
    CROSS_KEY_RULES,
    DATABASE_RULES,
    defaultDatabaseUser,
    hasReadOnlyEndpoint,
    newDatabaseOf,
    type DatabaseView,
} from "./db-account-rules";
import type { ExistingDatabaseFacts } from "../db-account/existing-facts";
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
    AURORA_ENGINES,
    engineVersionPattern,
    matching,
    oneOf,
    partitionOf,
    portRule,
    principalRule,
    regionPattern,
    rule,
    satisfying,
    settingRule,
    SETTINGS,
    DEFAULT_ACCESS_KIND,
    DEFAULT_CONNECTIVITY,
    defaulted,
    leaf,
    list,
    literal,
    object,
    optional,
    choice,
    ENGINES,
    INVALID,
    isEngine,
    isPlainObject,
    MASTER_USERNAME,
    protocolOf,
    render,
    secretArnRule,
    securityGroupIdPattern,
    type Connectivity,
    type Engine,
    type ExistingDatabase,
    type Infer,
    type NewCluster,
    type Shape,
    type AccessKind,
    type Rule,
} from "../../vocabulary";
import { proxyNameOf } from "../names";
import { checkStackName } from "./stack-name";
import { accountIdSpec, assumeRoleArnSpec, NetworkConfig, networkSpec } from "./common";
import { ConfigSource, keySpec, Parsed, Problems, pulumiConfigSource, readKeys, readRegion } from "./read";

export const STACK = "db-account";

const trueOrFalse = rule(booleanLike, "true or false", "true");

/** A key judged by `r` that may be absent. */
const optionalLeaf = <T>(r: Rule<T>) => optional(leaf(r));

/** A database name's shape; the engine's own rule is a cross-key rule (`databaseNameRule`), once the engine is known. */
const databaseNameShapeRule = rule(
    matching(/^[A-Za-z][A-Za-z0-9_]{0,62}$/),
    "a letter followed by up to 62 letters, digits or underscores",
    `"${DEFAULT_DATABASE_NAME}"`,
);

const newDatabaseShape = object({
    engine: leaf(
        rule(
            oneOf(AURORA_ENGINES),
            `one of ${AURORA_ENGINES.map((e) => `"${e}"`).join(", ")}`,
            `"${DEFAULT_ENGINE}"`,
        ),
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
    databaseName: leaf(databaseNameShapeRule, { default: DEFAULT_DATABASE_NAME }),
    deletionProtection: leaf(trueOrFalse, { default: true }),
    backupRetentionDays: leaf(settingRule("backupRetentionDays"), {
        default: SETTINGS.backupRetentionDays.default,
    }),
});

/** RDS DB cluster and instance identifiers (CreateDBCluster, CreateDBInstance): RDS stores them in lower case. */
const identifierRule = rule(
    satisfying<string>(
        (v) => typeof v === "string" && v.length <= 63 && /^[A-Za-z](?:-?[A-Za-z0-9])*$/.test(v),
    ),
    "an RDS identifier: a letter, then letters, digits and single hyphens, not ending with a hyphen, at most 63 " +
        "characters",
    '"orders-db"',
);

const existingKeysShape = object({
    clusterIdentifier: optionalLeaf(identifierRule),
    instanceIdentifier: optionalLeaf({ ...identifierRule, example: '"orders-db-1"' }),
    masterSecretArn: optionalLeaf(secretArnRule),
    securityGroupId: optionalLeaf(
        rule(matching(securityGroupIdPattern), "a security group ID", '"sg-0123456789abcdef0"'),
    ),
});

/** `database.existing`: exactly one of the two identifiers, and the optional overrides. */
const existingShape: Shape<ExistingDatabase> = {
    read(value, path, faults) {
        const keys = existingKeysShape.read(value, path, faults);
        if (keys === INVALID) return INVALID;
        const { clusterIdentifier, instanceIdentifier } = keys;
        if ((clusterIdentifier === undefined) === (instanceIdentifier === undefined)) {
            const both = clusterIdentifier !== undefined;
            faults.push({
                path,
                value,
                why: {
                    kind: "custom",
                    reason: both
                        ? "it names both a cluster and an instance, and the stack publishes one database"
                        : "it names no database: it needs clusterIdentifier (an Aurora cluster) or " +
                          "instanceIdentifier (an RDS for PostgreSQL, MySQL or MariaDB instance)",
                    fix: both
                        ? "Keep one of 'database.existing.clusterIdentifier' and " +
                          "'database.existing.instanceIdentifier' in {file}."
                        : "Set 'database.existing.clusterIdentifier' or 'database.existing.instanceIdentifier' in " +
                          '{file}, for example { "clusterIdentifier": "orders-db" }.',
                },
            });
            return INVALID;
        }
        return {
            kind: "existing",
            target: clusterIdentifier !== undefined ? "cluster" : "instance",
            identifier: (clusterIdentifier ?? instanceIdentifier) as string,
            ...(keys.masterSecretArn !== undefined ? { masterSecretArn: keys.masterSecretArn } : {}),
            ...(keys.securityGroupId !== undefined ? { securityGroupId: keys.securityGroupId } : {}),
        };
    },
};

/** What `database` may hold beside `existing`: the keys of a new cluster would have no effect on it. */
const EXISTING_ALLOWED =
    "existing and databaseName (with 'existing' the stack publishes a database it neither creates nor changes, " +
    "so engine, engineVersion, instanceClass, readers, deletionProtection and backupRetentionDays have no effect: " +
    "RDS says what they are)";

const existingDatabaseShape = object(
    { existing: existingShape, databaseName: optionalLeaf(databaseNameShapeRule) },
    { allowed: EXISTING_ALLOWED },
);

/** `database`: an existing database when it has the key `existing`, else a new Aurora cluster (all defaults when absent). */
const databaseShape = choice<NewDatabase | ExistingDatabaseKeys>((value) =>
    isPlainObject(value) && Object.hasOwn(value, "existing")
        ? existingDatabaseShape
        : defaulted(newDatabaseShape),
);

/** `database` in the new-cluster form, as read. */
export type NewDatabase = Infer<typeof newDatabaseShape>;

/** `database` in the existing-database form, as read. */
export type ExistingDatabaseKeys = Infer<typeof existingDatabaseShape>;

const proxyShape = object({
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
    name: optionalLeaf(
        rule(
            // CreateDBProxy, DBProxyName: "must begin with a letter and must contain only ASCII letters, digits,
            // and hyphens; it can't end with a hyphen or contain two consecutive hyphens". At most 60 here, so
            // that the read-only endpoint's name (`<name>-ro`) fits RDS's 63 characters.
            satisfying<string>(
                (v) => typeof v === "string" && v.length <= 60 && /^[A-Za-z](?:-?[A-Za-z0-9])*$/.test(v),
            ),
            "an RDS Proxy name: a letter, then letters, digits and single hyphens, not ending with a hyphen, at " +
                "most 60 characters",
            '"db-account-proxy-1a2b3c4"',
        ),
    ),
});

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

const consumerShape = object({
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
    endpointPrincipals: optionalLeaf(
        rule(
            distinctList(principalRule.schema, 1),
            "a non-empty list of distinct IAM ARNs (account root, role or user; a known partition; names of " +
                '1-64 characters; never "*")',
            '["arn:aws:iam::222222222222:role/platform-deployer"]',
        ),
    ),
    databaseUser: databaseNameLeaf("database user name", '"orders_app"'),
    databaseRole: databaseNameLeaf("database role name", '"app_readwrite"'),
    adopt: optionalLeaf({ ...trueOrFalse, example: "true" }),
});

const consumersShape = list(consumerShape, {
    min: 1,
    tooFew: "it must list at least one consumer account ({ name, accountId, principals?, endpointPrincipals?, databaseUser?, databaseRole?, adopt? }) allowed to connect",
});

const endpointServiceShape = object({
    acceptanceRequired: leaf({ ...trueOrFalse, example: "false" }, { default: false }),
    supportedRegions: optionalLeaf(
        rule(
            distinctList(matching(regionPattern), 1),
            "a non-empty list of distinct AWS region codes",
            '["eu-west-1", "eu-central-1"]',
        ),
    ),
});

const targetSyncShape = object({
    source: optionalLeaf(sourceRule),
    schedule: leaf(scheduleRule, { default: DEFAULT_SCHEDULE }),
    missesBeforeDeregister: leaf(settingRule("missesBeforeDeregister"), {
        default: SETTINGS.missesBeforeDeregister.default,
    }),
});

export const specs = {
    role: keySpec("string", literal(STACK)),
    applicationAuth: keySpec("string", leaf<AccessKind>(accessKindRule, { default: DEFAULT_ACCESS_KIND })),
    accountId: accountIdSpec,
    assumeRoleArn: assumeRoleArnSpec,
    network: networkSpec,
    database: keySpec("json", databaseShape),
    proxy: keySpec("json", defaulted(proxyShape)),
    consumers: keySpec("json", consumersShape),
    endpointService: keySpec("json", defaulted(endpointServiceShape)),
    targetSync: keySpec("json", defaulted(targetSyncShape)),
};

export interface Consumer {
    readonly name: string;
    readonly accountId: string;
    /** Exact principals that may connect (assume the connect role, or read the secret); defaults to the account root. */
    readonly principals: string[];
    /**
     * Principals that may create an interface endpoint to the endpoint service (whoever deploys the consumer's
     * app-account stack); defaults to the account root, so that `principals` may name only the applications' role.
     */
    readonly endpointPrincipals: string[];
    /** The consumer's database user; defaults to its name with `-` replaced by `_`. */
    readonly databaseUser: string;
    /** An existing database role the user is a member of; absent: connect only. */
    readonly databaseRole?: string;
    /**
     * Take over a database user of that name that this stack did not create (docs/database-users.md): for one
     * `pulumi up`, then removed again, so that a same-named user made by someone else later is never adopted.
     */
    readonly adopt?: true;
}

/** The settings only a new cluster has (the AuroraCluster component's), with every default applied. */
export type NewClusterSettings = Pick<
    AuroraClusterArgs,
    "instanceClass" | "deletionProtection" | "backupRetentionDays"
>;

/** Where the database comes from, with what its variant needs (vocabulary/topology.ts). */
export type OriginConfig =
    | (NewCluster & { readonly cluster: NewClusterSettings })
    | (ExistingDatabase & { readonly facts: ExistingDatabaseFacts });

/** The database as every part of the stack sees it, whatever its origin. */
export interface DatabaseSettings {
    readonly engine: Engine;
    readonly engineVersion: string;
    /** Readers behind the writer: `database.readers` of a new cluster, an existing cluster's own, 0 for an instance. */
    readonly readers: number;
    /** The database the bootstrap connects to and grants CONNECT on, and consumers connect to. */
    readonly databaseName: string;
    /** The master user, which no consumer may be or be given. */
    readonly masterUsername: string;
}

/** The validated, defaulted config of the db-account stack. */
/** The validated, defaulted config of the db-account stack. */
export interface DbAccountConfig {
    readonly region: string;
    readonly accountId: string;
    readonly assumeRoleArn?: string;
    /** How applications authenticate: the consumers' access mode (vocabulary/access). */
    readonly applicationAuth: AccessKind;
    /** How consumers reach the proxy (vocabulary/topology.ts); no config key yet: PrivateLink and an NLB. */
    readonly connectivity: Connectivity;
    /** Where the database comes from: a new Aurora cluster, or `database.existing` as RDS describes it. */
    readonly origin: OriginConfig;
    readonly network: NetworkConfig;
    readonly database: DatabaseSettings;
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
        /** The proxy's fixed name: as configured (an existing proxy's, to keep it), else `<stack>-proxy`. */
        readonly name: string;
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
export type Raw = Parsed<typeof specs>;

/** The keys as read and checked, before anything about the database is known. */
export interface DbAccountDraft {
    readonly region: string;
    readonly raw: Raw & { readonly accountId: string; readonly network: NetworkConfig };
    /** The existing database config names, which the stack looks up before the config is complete. */
    readonly existing?: ExistingDatabase;
}

/**
 * Reads and validates the db-account config. Every problem is collected into `problems`; the result is
 * undefined when there is any. An existing database's config is complete only with the facts RDS gives for it
 * (`readDbAccountDraft`, then `completeDbAccountConfig`): without them its result is undefined.
 */
export function readDbAccountConfig(
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
    facts?: ExistingDatabaseFacts,
): DbAccountConfig | undefined {
    const draft = readDbAccountDraft(problems, source);
    if (!draft || (draft.existing && !facts)) return undefined;
    return completeDbAccountConfig(draft, problems, facts);
}

/** Reads every key and checks the rules that need nothing of the database; undefined on any problem. */
export function readDbAccountDraft(
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
): DbAccountDraft | undefined {
    const region = readRegion(problems, source);
    const raw = readKeys(specs, problems, source);
    checkStackName(problems);
    for (const check of CROSS_KEY_RULES) check(raw, problems, region);
    const { accountId, network, database } = raw;
    if (problems.count > 0 || !region || !accountId || !network || !database) return undefined;
    return {
        region,
        raw: { ...raw, accountId, network },
        ...("existing" in database ? { existing: database.existing } : {}),
    };
}

/**
 * The config, complete: the rules that depend on the database (its engine's name rules, its readers, its master
 * user) checked against the new cluster's keys, or against the facts of the existing database (given exactly then).
 */
export function completeDbAccountConfig(
    draft: DbAccountDraft,
    problems: Problems,
    facts?: ExistingDatabaseFacts,
): DbAccountConfig | undefined {
    const { region, raw } = draft;
    const { accountId, network, proxy, consumers, endpointService, targetSync } = raw;
    const fresh = newDatabaseOf(raw.database);
    const existing = draft.existing && facts ? { origin: draft.existing, facts } : undefined;
    const view = fresh
        ? newClusterView(fresh)
        : existing
          ? existingView(existing, raw.database, problems)
          : undefined;
    if (!view) return undefined;
    for (const check of DATABASE_RULES) check(raw, view, problems);
    if (problems.count > 0 || !proxy || !consumers || !endpointService || !targetSync) return undefined;
    const readOnlyEndpoint = hasReadOnlyEndpoint(view.database, proxy);
    const port = enginePort(view.database.engine);
    return {
        region,
        accountId,
        assumeRoleArn: raw.assumeRoleArn,
        applicationAuth: raw.applicationAuth ?? DEFAULT_ACCESS_KIND,
        connectivity: DEFAULT_CONNECTIVITY,
        origin: fresh
            ? {
                  kind: "new-cluster",
                  cluster: {
                      instanceClass: fresh.instanceClass,
                      deletionProtection: fresh.deletionProtection,
                      backupRetentionDays: fresh.backupRetentionDays,
                  },
              }
            : {
                  ...(existing as NonNullable<typeof existing>).origin,
                  facts: (existing as NonNullable<typeof existing>).facts,
              },
        network,
        database: view.database,
        proxy: {
            ...proxy,
            readOnlyEndpoint,
            readOnlyPort: readOnlyEndpoint ? (proxy.readOnlyPort ?? port + 1) : undefined,
            name: proxy.name ?? proxyNameOf(problems.stackName),
        },
        consumers: consumers.map((c) => ({
            name: c.name,
            accountId: c.accountId,
            principals: c.principals ?? [`arn:${partitionOf(region)}:iam::${c.accountId}:root`],
            endpointPrincipals: c.endpointPrincipals ?? [
                `arn:${partitionOf(region)}:iam::${c.accountId}:root`,
            ],
            databaseUser: c.databaseUser ?? defaultDatabaseUser(c.name),
            ...(c.databaseRole !== undefined ? { databaseRole: c.databaseRole } : {}),
            ...(c.adopt === true ? { adopt: true as const } : {}),
        })),
        endpointService,
        targetSync: { ...targetSync, source: targetSync.source ?? (readOnlyEndpoint ? "dns" : "eni") },
    };
}

/** How the database rules see a new cluster: its keys, and the master user this project gives it. */
function newClusterView(database: NewDatabase): DatabaseView {
    return {
        database: {
            engine: database.engine,
            engineVersion: database.engineVersion ?? DEFAULT_ENGINE_VERSION[database.engine],
            readers: database.readers,
            databaseName: database.databaseName,
            masterUsername: MASTER_USERNAME,
        },
        says: {
            noReaders: "'database.readers' is 0",
            master: "the cluster's master user",
            addReaders:
                "Set 'database.readers' to 1 or more, or 'proxy.readOnlyEndpoint' to false, in {file}.",
        },
    };
}

/** How the database rules see an existing database: what RDS reports, and `database.databaseName` if set. */
function existingView(
    { origin, facts }: { origin: ExistingDatabase; facts: ExistingDatabaseFacts },
    database: NewDatabase | ExistingDatabaseKeys | undefined,
    problems: Problems,
): DatabaseView | undefined {
    const what = `the ${origin.target} ${render(origin.identifier)}`;
    const key = `database.existing.${origin.target}Identifier`;
    if (!isEngine(facts.engine)) {
        problems.reject(
            key,
            origin.identifier,
            `${what} runs ${render(facts.engine)}, which this project does not publish (it publishes ` +
                `${ENGINES.map((e) => render(e)).join(", ")})`,
            "Name a database of one of those engines in {file}.",
        );
        return undefined;
    }
    const engine = facts.engine;
    const named = database !== undefined && "existing" in database ? database.databaseName : undefined;
    // RDS for PostgreSQL and Aurora PostgreSQL always have the database `postgres`; MySQL has no default schema.
    const databaseName =
        named ?? facts.databaseName ?? (protocolOf(engine) === "postgresql" ? "postgres" : undefined);
    if (databaseName === undefined) {
        problems.reject(
            "database.databaseName",
            undefined,
            `${what} was created without a database (RDS reports no DBName), and consumers need one to connect to`,
            "Set 'database.databaseName' in {file} to the database the consumers use, for example \"orders\".",
        );
        return undefined;
    }
    return {
        database: {
            engine,
            engineVersion: facts.engineVersion,
            readers: facts.readers,
            databaseName,
            masterUsername: facts.masterUsername,
        },
        says: {
            noReaders:
                origin.target === "instance"
                    ? `${what} is an RDS instance, which has no readers behind it`
                    : `${what} has no reader instances`,
            master: `the master user of ${what}`,
            addReaders:
                origin.target === "instance"
                    ? "Set 'proxy.readOnlyEndpoint' to false, or remove it, in {file}."
                    : `Add a reader instance to ${what}, or set 'proxy.readOnlyEndpoint' to false, in {file}.`,
        },
    };
}
