/**
 * Config of the db-account (producer) stack: each key's shape and defaults (`database`'s in ./db-account-database.ts);
 * the rules between keys are in ./db-account-rules.ts.
 */
import type { RdsProxyArgs } from "../../components/proxy";
import { DEFAULT_SCHEDULE, scheduleRule, sourceRule } from "../../components/target-sync";
import {
    CROSS_KEY_RULES,
    DATABASE_RULES,
    defaultDatabaseUser,
    hasReadOnlyEndpoint,
} from "./db-account-rules";
import type { ExistingDatabaseFacts } from "../db-account/existing-facts";
import {
    accessKindRule,
    booleanLike,
    distinctList,
    enginePort,
    matching,
    partitionOf,
    portRule,
    regionPattern,
    rule,
    satisfying,
    settingRule,
    SETTINGS,
    DEFAULT_ACCESS_KIND,
    defaulted,
    leaf,
    literal,
    object,
    optional,
    type Connectivity,
    type ExistingDatabase,
    type AccessKind,
    type Rule,
} from "../../vocabulary";
import { proxyNameOf } from "../names";
import { checkStackName } from "./stack-name";
import { accountIdSpec, assumeRoleArnSpec, NetworkConfig, networkSpec } from "./common";
import { alarmsSpec, checkAlarmsRegion, type AlarmsConfig } from "./alarms";
import {
    databaseShape,
    existingView,
    newClusterView,
    newDatabaseOf,
    type DatabaseSettings,
    type ExistingDatabaseKeys,
    type NewClusterSettings,
    type NewDatabase,
    type OriginConfig,
} from "./db-account-database";
import { ConfigSource, keySpec, Parsed, Problems, pulumiConfigSource, readKeys, readRegion } from "./read";
import { checkConnectivity, connectivityShape } from "./db-account-connectivity";
import { consumersShape, type Consumer } from "./db-account-consumers";
import { checkDsql, dsqlConfigOf, dsqlShape, type DsqlConfig } from "./db-account-dsql";
import { NAMESPACE } from "./kit";

export type { Consumer, DsqlConfig };

export const STACK = "db-account";

const trueOrFalse = rule(booleanLike, "true or false", "true");

/** A key judged by `r` that may be absent. */
const optionalLeaf = <T>(r: Rule<T>) => optional(leaf(r));

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
    connectivity: keySpec("string", connectivityShape),
    accountId: accountIdSpec,
    assumeRoleArn: assumeRoleArnSpec,
    network: networkSpec,
    database: keySpec("json", databaseShape),
    proxy: keySpec("json", defaulted(proxyShape)),
    consumers: keySpec("json", consumersShape),
    endpointService: keySpec("json", defaulted(endpointServiceShape)),
    targetSync: keySpec("json", defaulted(targetSyncShape)),
    alarms: alarmsSpec,
    dsql: keySpec("json", dsqlShape),
};

/** The validated, defaulted config of the db-account stack. */
export interface DbAccountConfig {
    readonly region: string;
    readonly accountId: string;
    readonly assumeRoleArn?: string;
    /** How applications authenticate: the consumers' access mode (vocabulary/access). */
    readonly applicationAuth: AccessKind;
    /** How consumers reach the proxy (vocabulary/topology.ts): `connectivity`, default PrivateLink and an NLB. */
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
    readonly alarms: AlarmsConfig; // the path's alarms and dashboard, and where they notify (./alarms.ts)
    /** An Aurora DSQL cluster next to the Aurora path (./db-account-dsql.ts); `enabled` false by default. */
    readonly dsql: DsqlConfig;
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
    checkConnectivity(raw, (key) => asStored(source.get(NAMESPACE, key)), problems);
    checkAlarmsRegion(raw.alarms, region, problems);
    checkDsql(raw.dsql, raw.consumers, problems);
    // A new cluster's database is known from its keys: its rules run now, so that every problem is reported at once.
    const fresh = newDatabaseOf(raw.database);
    if (fresh) for (const check of DATABASE_RULES) check(raw, newClusterView(fresh), problems);
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
    const { accountId, network, proxy, consumers, endpointService, targetSync, alarms, dsql } = raw;
    const fresh = newDatabaseOf(raw.database);
    const existing = draft.existing && facts ? { origin: draft.existing, facts } : undefined;
    const view = fresh
        ? newClusterView(fresh)
        : existing
          ? existingView(existing, raw.database, problems)
          : undefined;
    if (!view) return undefined;
    if (existing) for (const check of DATABASE_RULES) check(raw, view, problems);
    const { connectivity } = raw;
    if (
        problems.count > 0 ||
        !proxy ||
        !consumers ||
        !endpointService ||
        !targetSync ||
        !alarms ||
        !dsql ||
        !connectivity
    )
        return undefined;
    const readOnlyEndpoint = hasReadOnlyEndpoint(view.database, proxy);
    const port = enginePort(view.database.engine);
    return {
        region,
        accountId,
        assumeRoleArn: raw.assumeRoleArn,
        applicationAuth: raw.applicationAuth ?? DEFAULT_ACCESS_KIND,
        connectivity,
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
            // The Lattice path publishes the read-only endpoint on the proxy's own port (its own configuration).
            readOnlyPort:
                readOnlyEndpoint && connectivity.kind === "privatelink-nlb"
                    ? (proxy.readOnlyPort ?? port + 1)
                    : undefined,
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
            ...(c.outsideOrganization === true ? { outsideOrganization: true as const } : {}),
            canary: c.canary ?? true,
        })),
        endpointService,
        targetSync: { ...targetSync, source: targetSync.source ?? (readOnlyEndpoint ? "dns" : "eni") },
        alarms,
        dsql: dsqlConfigOf(dsql),
    };
}

/** A key's value as stored: JSON where it parses as JSON (objects), else the string itself. */
function asStored(raw: string | undefined): unknown {
    if (raw === undefined) return undefined;
    try {
        return JSON.parse(raw) as unknown;
    } catch {
        return raw;
    }
}

export type { DatabaseSettings, ExistingDatabaseKeys, NewClusterSettings, NewDatabase, OriginConfig };
