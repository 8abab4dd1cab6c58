/**
 * `database` in the db-account config: a new Aurora cluster (its keys and defaults), or `existing`, a database the
 * stack publishes without changing it; and the one view of the database every rule and component takes, whatever
 * its origin (for an existing database, built from what RDS reports).
 */
import type { AuroraClusterArgs } from "../../components/database";
import type { ExistingDatabaseFacts } from "../db-account/existing-facts";
import {
    AURORA_ENGINES,
    booleanLike,
    choice,
    DEFAULT_DATABASE_NAME,
    DEFAULT_ENGINE,
    DEFAULT_ENGINE_VERSION,
    DEFAULT_INSTANCE_CLASS,
    defaulted,
    ENGINES,
    engineVersionPattern,
    INVALID,
    isEngine,
    isPlainObject,
    leaf,
    MASTER_USERNAME,
    matching,
    object,
    oneOf,
    optional,
    protocolOf,
    render,
    rule,
    satisfying,
    secretArnRule,
    securityGroupIdPattern,
    settingRule,
    SETTINGS,
    type Engine,
    type ExistingDatabase,
    type Infer,
    type NewCluster,
    type Rule,
    type Shape,
} from "../../vocabulary";
import type { Problems } from "./read";

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
export const databaseShape = choice<NewDatabase | ExistingDatabaseKeys>((value) =>
    isPlainObject(value) && Object.hasOwn(value, "existing")
        ? existingDatabaseShape
        : defaulted(newDatabaseShape),
);

/** `database` in the new-cluster form, as read. */
export type NewDatabase = Infer<typeof newDatabaseShape>;

/** `database` in the existing-database form, as read. */
export type ExistingDatabaseKeys = Infer<typeof existingDatabaseShape>;

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

/** How the database rules see a new cluster: its keys, and the master user this project gives it. */
export function newClusterView(database: NewDatabase): DatabaseView {
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
export function existingView(
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

/** The new-cluster form of a `database` as read, or undefined for the existing form (or a faulty value). */
export function newDatabaseOf(
    database: NewDatabase | ExistingDatabaseKeys | undefined,
): NewDatabase | undefined {
    return database !== undefined && !("existing" in database) ? database : undefined;
}

/** The database as the rules below see it, and the words their messages use for it. */
export interface DatabaseView {
    readonly database: DatabaseSettings;
    readonly says: {
        /** Why there is no reader: "'database.readers' is 0", or what RDS reports. */
        readonly noReaders: string;
        /** The master user, in words ("the cluster's master user"). */
        readonly master: string;
        /** How to get readers, or do without the read-only endpoint. */
        readonly addReaders: string;
    };
}
