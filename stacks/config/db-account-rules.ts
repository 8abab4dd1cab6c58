/**
 * The db-account config's rules between keys: what the shape of each key (./db-account.ts) cannot say alone. The
 * stack's own name is checked in ./stack-name.ts.
 */
import { databaseNameRule, databaseRoleRule, databaseUserRule } from "../../vocabulary";
import { ROLE_NAME_SUFFIXES } from "../../components/access";
import {
    consumerLimitProblems,
    DEFAULT_ENGINE_VERSION,
    enginePort,
    isVersionOf,
    parseIamArn,
    partitionOf,
    render,
    DEFAULT_ACCESS_KIND,
    isAccessKind,
} from "../../vocabulary";
import { RDS_CA_SOURCE, regionsWithRdsCa } from "../../components/bootstrap/rds-ca";
import { checkPartition, checkRoleAccount } from "./common";
import { stackFile } from "./kit";
import { Problems } from "./read";

import type { Raw } from "./db-account";
import { newDatabaseOf, type DatabaseView } from "./db-account-database";
import { accessComponentName, IAM_ROLE_NAME_MAX_LENGTH, maxConsumerNameLength } from "../names";

/** A consumer's two lists of principals: who may connect, and who may create the interface endpoint. */
const PRINCIPAL_LISTS = ["principals", "endpointPrincipals"] as const;

/**
 * Rules between keys, as data: each looks at the keys it needs (skipping when one of them had its own
 * problem) and reports into `problems`.
 */
export const CROSS_KEY_RULES: ReadonlyArray<
    (raw: Raw, problems: Problems, region: string | undefined) => void
> = [
    function roleInStackAccount(raw, problems, region) {
        checkRoleAccount(problems, raw.accountId, raw.assumeRoleArn, region);
    },
    function regionWithRdsCa(_raw, problems, region) {
        // The bootstrap verifies the writer against the RDS CAs it carries; without its region's CA its first
        // connection fails after the cluster is created (components/bootstrap/rds-ca.ts).
        const covered = regionsWithRdsCa();
        if (region === undefined || covered.has(region)) return;
        problems.reject(
            "aws:region",
            region,
            `the bootstrap verifies the database's TLS certificate against the RDS certificate authorities it ` +
                `carries (${RDS_CA_SOURCE}), which have none for ${region}, so its first connection would fail ` +
                `after the cluster is created`,
            `Deploy the db-account stack in one of ${[...covered].sort().join(", ")}: ` +
                `pulumi config set aws:region <region> --stack ${problems.stackName}.`,
        );
    },
    function engineVersionOfEngine(raw, problems) {
        const database = newDatabaseOf(raw.database);
        if (!database?.engineVersion || isVersionOf(database.engine, database.engineVersion)) return;
        problems.reject(
            "database.engineVersion",
            database.engineVersion,
            `that is not a version of ${database.engine}`,
            `Set 'database.engineVersion' in {file} to a version of ${database.engine}, for example ` +
                `"${DEFAULT_ENGINE_VERSION[database.engine]}", or remove it to use that default.`,
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
            PRINCIPAL_LISTS.forEach((list) =>
                (c[list] ?? []).forEach((arn, j) => {
                    const account = parseIamArn(arn)?.accountId;
                    if (account !== c.accountId) {
                        problems.reject(
                            ["consumers", i, list, j],
                            arn,
                            `that is a principal of account ${account}, and the consumer's accountId is ${c.accountId}`,
                            `List only principals of account ${c.accountId} for this consumer in {file}.`,
                        );
                    }
                    checkPartition(problems, ["consumers", i, list, j], arn, region);
                }),
            ),
        );
    },
    function principalsNamedOnce({ consumers }, problems) {
        // IAM role and user names are unique in an account whatever their path and letter case (IAM User Guide,
        // "IAM object quotas and names": "names are not distinguished by case"): role/App and role/x/app are one.
        (consumers ?? []).forEach((c, i) =>
            PRINCIPAL_LISTS.forEach((list) => {
                const principals = c[list] ?? [];
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
                            ["consumers", i, list, j],
                            arn,
                            `that is the IAM ${p.kind} of consumers[${i}].${list}[${k}] (${principals[k]}) as well: IAM ` +
                                `${p.kind} names are unique in an account whatever their path and letter case`,
                            `List the ${p.kind} once, spelled as IAM shows it, in {file}.`,
                        );
                    }
                });
            }),
        );
    },
    function supportedRegionsOfThePartition({ endpointService, connectivity }, problems, region) {
        if (!region || connectivity?.kind !== "privatelink-nlb") return;
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
    function consumersTheModeServes({ applicationAuth, consumers }, problems) {
        // The mode's limits are data of the mode (vocabulary/access: maxConsumers, principalPolicies).
        const kind = applicationAuth ?? DEFAULT_ACCESS_KIND;
        if (!isAccessKind(kind) || consumers === undefined) return;
        for (const p of consumerLimitProblems(kind, consumers)) {
            problems.add({
                path: problems.surface.key(p.path),
                message: `${problems.surface.subject(p.path)} ${p.says}. ${p.fix.replaceAll("{file}", stackFile(problems.stackName))}`,
            });
        }
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
];

/**
 * Rules between keys and the database: its engine's name rules, its readers, its master user. A new cluster's are
 * its keys; an existing database's are what RDS reports, so these run once it has been looked up.
 */
export const DATABASE_RULES: ReadonlyArray<(raw: Raw, view: DatabaseView, problems: Problems) => void> = [
    function readOnlyEndpointNeedsReaders({ proxy }, { database, says }, problems) {
        if (proxy?.readOnlyEndpoint !== true || database?.readers !== 0) return;
        problems.reject(
            "proxy.readOnlyEndpoint",
            true,
            `${says.noReaders}: a read-only endpoint needs at least one reader`,
            says.addReaders,
        );
    },

    function readOnlyPortOfItsOwn({ proxy, connectivity }, { database }, problems) {
        // On the Lattice path the key is refused whole (./db-account-connectivity.ts).
        if (proxy?.readOnlyPort === undefined || connectivity?.kind !== "privatelink-nlb") return;
        const port = enginePort(database.engine);
        if (proxy.readOnlyPort !== port) return;
        problems.reject(
            "proxy.readOnlyPort",
            port,
            "that is the port of the read/write endpoint, and the read-only endpoint needs its own listener port",
            `Set 'proxy.readOnlyPort' in {file} to another port, for example ${port + 1}.`,
        );
    },

    function databaseUsersOfTheEngine({ consumers }, { database, says }, problems) {
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
                    c.databaseRole === database.masterUsername
                        ? says.master
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
            if (user === database.masterUsername) {
                problems.reject(
                    path,
                    c.databaseUser === undefined ? undefined : user,
                    (c.databaseUser === undefined
                        ? `its default, ${render(user)} (from 'consumers[${i}].name'), `
                        : "it ") + `is ${says.master}, which only the database-user bootstrap logs in as`,
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

    function databaseNameOfTheEngine(_raw, { database }, problems) {
        // The bootstrap connects to this database and grants CONNECT on it: it must hold the engine's name rules.
        const nameRule = databaseNameRule(database.engine);
        if (nameRule.schema.safeParse(database.databaseName).success) return;
        problems.reject(
            "database.databaseName",
            database.databaseName,
            `it must be ${nameRule.must} (${database.engine})`,
            `Set 'database.databaseName' in {file} to such a value, for example ${nameRule.example}.`,
        );
    },

    function readOnlyPortNeedsItsEndpoint({ proxy, connectivity }, { database }, problems) {
        if (proxy?.readOnlyPort === undefined || connectivity?.kind !== "privatelink-nlb") return;
        if (hasReadOnlyEndpoint(database, proxy)) return;
        problems.reject(
            "proxy.readOnlyPort",
            proxy.readOnlyPort,
            "there is no read-only endpoint to publish on it ('proxy.readOnlyEndpoint' is false, or " +
                "'database.readers' is 0), so it would have no effect",
            "Remove 'proxy.readOnlyPort', or add readers and a read-only endpoint, in {file}.",
        );
    },

    function eniSourceWithoutReadOnlyEndpoint(raw, { database }, problems) {
        if (raw.targetSync?.source !== "eni" || !raw.proxy || raw.connectivity?.kind !== "privatelink-nlb")
            return;
        if (!hasReadOnlyEndpoint(database, raw.proxy)) return;
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

/** The database user a consumer gets when config names none: its name, `-` replaced by `_`. */
export function defaultDatabaseUser(consumerName: string): string {
    return consumerName.replaceAll("-", "_");
}

/** Whether the proxy gets a read-only endpoint: as configured, else whenever there are readers. */
export function hasReadOnlyEndpoint(
    database: { readonly readers: number },
    proxy: { readonly readOnlyEndpoint?: boolean },
): boolean {
    return proxy.readOnlyEndpoint ?? database.readers > 0;
}
