/** Config of the db-account (producer) stack: schema, defaults and cross-key rules. */
import { z } from "zod";
import { isScheduleExpression } from "../../components/target-sync/schedule";
import { Engine, enginePort } from "../contract";
import { accountIdSpec, assumeRoleArnSpec, checkRoleAccount, NetworkConfig, networkSpec } from "./common";
import {
    accountIdPattern,
    booleanLike,
    leaf,
    optionalLeaf,
    problem,
    regionPattern,
    wholeNumber,
} from "./kit";
import { ConfigSource, keySpec, Problems, pulumiConfigSource, readKeys, readRegion } from "./read";

export const STACK = "db-account";

const engineLeaf = leaf(
    z.enum(["aurora-postgresql", "aurora-mysql"]),
    'one of "aurora-postgresql", "aurora-mysql"',
    '"aurora-postgresql"',
    { default: "aurora-postgresql" as const },
);

/** Default engine versions; both are versions RDS Proxy supports. */
export const DEFAULT_ENGINE_VERSION: Record<Engine, string> = {
    "aurora-postgresql": "16.6",
    "aurora-mysql": "8.0.mysql_aurora.3.08.2",
};

const databaseSchema = z
    .object({
        engine: engineLeaf,
        engineVersion: optionalLeaf(
            z.string().regex(/^(\d{2}\.\d+|8\.0\.mysql_aurora\.3\.\d{2}\.\d+)$/),
            'an Aurora PostgreSQL version such as "16.6" or an Aurora MySQL 3 version such as "8.0.mysql_aurora.3.08.2"',
            '"16.6"',
        ),
        instanceClass: leaf(
            z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/),
            "a provisioned DB instance class",
            '"db.r6g.large"',
            { default: "db.r6g.large" },
        ),
        readers: leaf(wholeNumber(0, 15), "a whole number from 0 to 15", "1", { default: 1 }),
        databaseName: leaf(
            z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/),
            "a letter followed by up to 62 letters, digits or underscores",
            '"app"',
            { default: "app" },
        ),
        deletionProtection: leaf(booleanLike, "true or false", "true", { default: true }),
        backupRetentionDays: leaf(wholeNumber(1, 35), "a whole number of days from 1 to 35", "7", {
            default: 7,
        }),
    })
    .strict();

const proxySchema = z
    .object({
        idleClientTimeoutSeconds: leaf(
            wholeNumber(1, 28800),
            "a whole number of seconds from 1 to 28800",
            "1800",
            {
                default: 1800,
            },
        ),
        maxConnectionsPercent: leaf(wholeNumber(1, 100), "a whole number from 1 to 100", "90", {
            default: 90,
        }),
        connectionBorrowTimeoutSeconds: leaf(
            wholeNumber(1, 3600),
            "a whole number of seconds from 1 to 3600",
            "120",
            {
                default: 120,
            },
        ),
        readOnlyEndpoint: optionalLeaf(booleanLike, "true or false", "true"),
        readOnlyPort: optionalLeaf(wholeNumber(1, 65535), "a TCP port from 1 to 65535", "5433"),
    })
    .strict();

const iamPrincipalPattern = /^arn:aws(-[a-z]+)*:iam::(\d{12}):(root|(role|user)\/[\w+=,.@/-]{1,512})$/;

const consumerSchema = z
    .object({
        name: leaf(
            z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
            "a lower-case name: a letter, then up to 31 letters, digits or hyphens",
            '"billing"',
        ),
        accountId: leaf(z.string().regex(accountIdPattern), "a 12-digit AWS account ID", '"222222222222"'),
        principals: optionalLeaf(
            z.array(z.string().regex(iamPrincipalPattern)).min(1),
            'a non-empty list of IAM ARNs (account root, role or user; never "*")',
            '["arn:aws:iam::222222222222:role/app"]',
        ),
    })
    .strict();

const consumersSchema = z
    .array(consumerSchema)
    .min(1, "list at least one consumer account ({ name, accountId, principals? }) allowed to connect");

const endpointServiceSchema = z
    .object({
        acceptanceRequired: leaf(booleanLike, "true or false", "false", { default: false }),
        supportedRegions: optionalLeaf(
            z
                .array(z.string().regex(regionPattern))
                .min(1)
                .refine((r) => new Set(r).size === r.length),
            "a non-empty list of distinct AWS region codes",
            '["eu-west-1", "eu-central-1"]',
        ),
    })
    .strict();

const targetSyncSchema = z
    .object({
        source: optionalLeaf(z.enum(["eni", "dns"]), 'one of "eni", "dns"', '"dns"'),
        schedule: leaf(
            z.string().refine(isScheduleExpression),
            'an EventBridge schedule expression: "rate(N minutes)", or "cron(...)" with six fields and "?" in exactly one of day-of-month and day-of-week',
            '"rate(1 minute)"',
            { default: "rate(1 minute)" },
        ),
        missesBeforeDeregister: leaf(wholeNumber(1, 100), "a whole number from 1 to 100", "3", {
            default: 3,
        }),
    })
    .strict();

/** An object key that may be absent: an absent key means all of its defaults. */
function optionalObject<T extends z.ZodType>(schema: T) {
    return z.preprocess((v) => (v === undefined ? {} : v), schema);
}

const keysOf = (schema: z.ZodObject) => ({ "": Object.keys(schema.shape).join(", ") });

const specs = {
    role: keySpec("string", z.literal(STACK)),
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
}

/** The validated, defaulted config of the db-account stack. */
export interface DbAccountConfig {
    readonly region: string;
    readonly accountId: string;
    readonly assumeRoleArn?: string;
    readonly network: NetworkConfig;
    readonly database: {
        readonly engine: Engine;
        readonly engineVersion: string;
        readonly instanceClass: string;
        readonly readers: number;
        readonly databaseName: string;
        readonly deletionProtection: boolean;
        readonly backupRetentionDays: number;
    };
    readonly proxy: {
        readonly idleClientTimeoutSeconds: number;
        readonly maxConnectionsPercent: number;
        readonly connectionBorrowTimeoutSeconds: number;
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

/** The AWS partition of a region, for building ARNs. */
export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/**
 * Reads and validates the db-account config. Every problem is collected into `problems`; the result is
 * undefined when there is any.
 */
export function readDbAccountConfig(
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
): DbAccountConfig | undefined {
    const region = readRegion(problems.stack, problems, source);
    const partition = partitionOf(region ?? "");
    const raw = readKeys(problems.stack, specs, problems, source);
    checkRoleAccount(problems.stack, problems, raw.accountId, raw.assumeRoleArn);

    const database = raw.database;
    const engine = database?.engine;
    if (database && engine && database.engineVersion) {
        const mysqlVersion = database.engineVersion.startsWith("8.0.");
        if (mysqlVersion !== (engine === "aurora-mysql")) {
            problems.add(
                problem(
                    problems.stack,
                    ["database", "engineVersion"],
                    `Config 'rds-cross-account:database.engineVersion' is "${database.engineVersion}", which is not a ` +
                        `version of ${engine}. Set 'database.engineVersion' in {file} to a version of ${engine}, for example ` +
                        `"${DEFAULT_ENGINE_VERSION[engine]}", or remove it to use that default.`,
                ),
            );
        }
    }

    const proxy = raw.proxy;
    let readOnlyEndpoint = false;
    let readOnlyPort: number | undefined;
    if (proxy && database) {
        readOnlyEndpoint = proxy.readOnlyEndpoint ?? database.readers > 0;
        if (proxy.readOnlyEndpoint === true && database.readers === 0) {
            problems.add(
                problem(
                    problems.stack,
                    ["proxy", "readOnlyEndpoint"],
                    `Config 'rds-cross-account:proxy.readOnlyEndpoint' is true, but 'database.readers' is 0: a read-only ` +
                        `endpoint needs at least one reader. Set 'database.readers' to 1 or more, or ` +
                        `'proxy.readOnlyEndpoint' to false, in {file}.`,
                ),
            );
        }
        if (engine) {
            const port = enginePort(engine);
            readOnlyPort = readOnlyEndpoint ? (proxy.readOnlyPort ?? port + 1) : undefined;
            if (proxy.readOnlyPort !== undefined && proxy.readOnlyPort === port) {
                problems.add(
                    problem(
                        problems.stack,
                        ["proxy", "readOnlyPort"],
                        `Config 'rds-cross-account:proxy.readOnlyPort' is ${port}, the port of the read/write endpoint; ` +
                            `the read-only endpoint needs its own listener port. Set 'proxy.readOnlyPort' in {file} to ` +
                            `another port, for example ${port + 1}.`,
                    ),
                );
            }
        }
    }

    const consumers: Consumer[] = [];
    if (raw.consumers) {
        const seenNames = new Map<string, number>();
        const seenAccounts = new Map<string, number>();
        raw.consumers.forEach((c, i) => {
            const earlierName = seenNames.get(c.name);
            if (earlierName !== undefined) {
                problems.add(
                    problem(
                        problems.stack,
                        ["consumers", i, "name"],
                        `Config 'rds-cross-account:consumers[${i}].name' is "${c.name}", the same as consumers[${earlierName}]. ` +
                            `Give every consumer its own name in {file}.`,
                    ),
                );
            } else seenNames.set(c.name, i);
            const earlierAccount = seenAccounts.get(c.accountId);
            if (earlierAccount !== undefined) {
                problems.add(
                    problem(
                        problems.stack,
                        ["consumers", i, "accountId"],
                        `Config 'rds-cross-account:consumers[${i}].accountId' is "${c.accountId}", already listed as ` +
                            `consumers[${earlierAccount}]. List each account once, with all its principals, in {file}.`,
                    ),
                );
            } else seenAccounts.set(c.accountId, i);
            (c.principals ?? []).forEach((arn, j) => {
                const account = iamPrincipalPattern.exec(arn)?.[2];
                if (account !== c.accountId) {
                    problems.add(
                        problem(
                            problems.stack,
                            ["consumers", i, "principals", j],
                            `Config 'rds-cross-account:consumers[${i}].principals[${j}]' is "${arn}", a principal of account ` +
                                `${account}, but the consumer's accountId is ${c.accountId}. List only principals of account ` +
                                `${c.accountId} for this consumer in {file}.`,
                        ),
                    );
                }
            });
            consumers.push({
                name: c.name,
                accountId: c.accountId,
                principals: c.principals ?? [`arn:${partition}:iam::${c.accountId}:root`],
            });
        });
    }

    let syncSource: "eni" | "dns" = readOnlyEndpoint ? "dns" : "eni";
    if (raw.targetSync?.source !== undefined) {
        syncSource = raw.targetSync.source;
        if (syncSource === "eni" && readOnlyEndpoint) {
            problems.add(
                problem(
                    problems.stack,
                    ["targetSync", "source"],
                    `Config 'rds-cross-account:targetSync.source' is "eni", but the proxy has a read-only endpoint ` +
                        `('proxy.readOnlyEndpoint' is true, or defaults to true because 'database.readers' > 0): the ` +
                        `network interfaces of the two endpoints cannot be told apart, so only DNS finds each endpoint's ` +
                        `own IPs. Set 'targetSync.source' to "dns" (or remove it), or set 'proxy.readOnlyEndpoint' to ` +
                        `false, in {file}.`,
                ),
            );
        }
    }

    if (problems.count > 0 || !region || !raw.accountId || !raw.network || !database || !engine || !proxy)
        return undefined;
    if (!raw.endpointService || !raw.targetSync || !raw.consumers) return undefined;
    return {
        region,
        accountId: raw.accountId,
        assumeRoleArn: raw.assumeRoleArn,
        network: raw.network,
        database: {
            ...database,
            engine,
            engineVersion: database.engineVersion ?? DEFAULT_ENGINE_VERSION[engine],
        },
        proxy: { ...proxy, readOnlyEndpoint, readOnlyPort },
        consumers,
        endpointService: raw.endpointService,
        targetSync: { ...raw.targetSync, source: syncSource },
    };
}
