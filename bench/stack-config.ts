/**
 * Reads stack files (`Pulumi.<stack>.yaml`) into what the path cost bench needs, through the stacks' own config
 * readers: every key is checked as `pulumi up` checks it, and a bad file fails with the same messages. A db-account
 * file is required; app-account files are optional and give the AZs of the consumer whose account they deploy into
 * (a consumer without one is counted in every AZ of the database's subnets, the most its endpoints can use).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { readAppAccountConfig, STACK as APP_ACCOUNT } from "../stacks/config/app-account";
import { readDbAccountDraft, STACK as DB_ACCOUNT } from "../stacks/config/db-account";
import { hasReadOnlyEndpoint } from "../stacks/config/db-account-rules";
import { newClusterView, newDatabaseOf } from "../stacks/config/db-account-database";
import type { NetworkConfig } from "../stacks/config/common";
import { NAMESPACE } from "../stacks/config/kit";
import { DEFAULT_SCHEDULE } from "../components/target-sync/schedule";
import { Problems, readRegion, type ConfigSource } from "../stacks/config/read";
import type { PathCostInput } from "./path-cost";

/** A stack file, read: its stack name, its config as Pulumi gives it to the program, and the role it names. */
export interface StackFile {
    readonly file: string;
    readonly stack: string;
    readonly source: ConfigSource;
    readonly role: string | undefined;
}

/** Thrown for a stack file the bench cannot use; the message says which file, what is wrong and how to fix it. */
export class StackFileError extends Error {}

/**
 * A stack file's `config`, as Pulumi hands it to the program: a string as written, any other value as JSON (a
 * top-level number or boolean as its text).
 */
export function stackFileOf(file: string, text: string): StackFile {
    const name = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
    if (!name)
        throw new StackFileError(
            `Stack file ${file} is not named Pulumi.<stack>.yaml, and the stack's name is part of its config. ` +
                "Pass the stack file itself, for example --stack-config Pulumi.db-account.yaml.",
        );
    let doc: unknown;
    try {
        doc = yaml.load(text);
    } catch (err) {
        throw new StackFileError(`Stack file ${file} is not YAML (${(err as Error).message}). Fix the file.`);
    }
    const config = (doc as { config?: unknown } | null)?.config;
    if (typeof config !== "object" || config === null || Array.isArray(config))
        throw new StackFileError(
            `Stack file ${file} has no 'config' map, and the bench reads the stack's keys from it. ` +
                "Pass a stack file with a top-level 'config:' map, as Pulumi.db-account.yaml has.",
        );
    const values = config as Record<string, unknown>;
    const source: ConfigSource = {
        get: (namespace, key) => {
            const v = Object.hasOwn(values, `${namespace}:${key}`)
                ? values[`${namespace}:${key}`]
                : undefined;
            if (v === undefined || v === null) return undefined;
            return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
        },
        keys: (namespace) =>
            Object.keys(values)
                .filter((k) => k.startsWith(`${namespace}:`))
                .map((k) => k.slice(namespace.length + 1)),
    };
    return { file, stack: name[1], source, role: source.get(NAMESPACE, "role") };
}

/** Reads a stack file from disk. */
export function readStackFile(file: string): StackFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new StackFileError(
            `Stack file ${file} cannot be read (${(err as Error).message}). Check the path.`,
        );
    }
    return stackFileOf(file, text);
}

/** AZs of a network config: a new VPC's `azCount`, or an existing VPC's subnets (at most one per AZ). */
function azsOf(network: NetworkConfig): number {
    return network.kind === "new" ? network.azCount : network.subnetIds.length;
}

/** Runs a stack's reader and throws its problems, as the stack would, naming the file. */
function settled<T>(file: StackFile, read: (problems: Problems) => T | undefined): T {
    const problems = new Problems(file.stack);
    try {
        return problems.settle(read(problems));
    } catch (err) {
        throw new StackFileError(`Stack file ${file.file}: ${(err as Error).message}`);
    }
}

/**
 * What the path cost bench needs of the stack files: exactly one db-account file, and any app-account files of its
 * consumers. A file of another role, a second db-account file, or an app-account file whose account is no consumer
 * is refused with what to pass instead.
 */
export function pathCostInputOf(files: readonly StackFile[]): PathCostInput & {
    readonly region: string;
    /** What the bench assumed where the files do not say. */
    readonly assumed: readonly string[];
} {
    const roleKey = `${NAMESPACE}:role`;
    for (const f of files)
        if (f.role !== DB_ACCOUNT && f.role !== APP_ACCOUNT)
            throw new StackFileError(
                `Config '${roleKey}' in ${f.file} is ${f.role === undefined ? "not set" : JSON.stringify(f.role)}, but ` +
                    `the bench reads "${DB_ACCOUNT}" and "${APP_ACCOUNT}" stack files. Pass the stack files of this project.`,
            );
    const producers = files.filter((f) => f.role === DB_ACCOUNT);
    if (producers.length !== 1)
        throw new StackFileError(
            `The bench was given ${producers.length} stack files with '${roleKey}' "${DB_ACCOUNT}" ` +
                `(${producers.map((f) => f.file).join(", ") || "none"}), but it costs one database's paths. ` +
                "Pass exactly one db-account stack file, and optionally its consumers' app-account files.",
        );
    const producer = producers[0];
    const draft = settled(producer, (problems) => readDbAccountDraft(problems, producer.source));
    const { raw, region } = draft;
    const proxy: { readonly readOnlyEndpoint?: boolean } = raw.proxy ?? {};
    const fresh = newDatabaseOf(raw.database);
    const readOnlyEndpoint = fresh
        ? hasReadOnlyEndpoint(newClusterView(fresh).database, proxy)
        : (proxy.readOnlyEndpoint ?? true);
    const assumed =
        !fresh && proxy.readOnlyEndpoint === undefined
            ? [
                  "a read-only endpoint: an existing database's readers are RDS's to report (set proxy.readOnlyEndpoint to say)",
              ]
            : [];
    const targetSync = raw.targetSync;
    const azCount = azsOf(raw.network);
    const consumers = (raw.consumers ?? []).map((c) => ({
        name: c.name,
        accountId: c.accountId,
        azCount,
        azSource: `assumed: every AZ of the database's subnets (no app-account file of account ${c.accountId})`,
    }));
    for (const f of files.filter((x) => x.role === APP_ACCOUNT)) {
        const appRegion = settled(f, (problems) => readRegion(problems, f.source));
        const app = settled(f, (problems) => readAppAccountConfig(problems, f.source, appRegion));
        const mine = consumers.filter((c) => c.accountId === app.accountId);
        if (mine.length === 0)
            throw new StackFileError(
                `Config '${NAMESPACE}:accountId' in ${f.file} is "${app.accountId}", but the bench applies an ` +
                    `app-account file to the consumer of that account in ${producer.file}, whose consumers are in ` +
                    `${consumers.map((c) => c.accountId).join(", ")}. Pass the app-account file of one of them, or add ` +
                    `the account to '${NAMESPACE}:consumers' in ${producer.file}.`,
            );
        for (const c of mine) {
            // Endpoints go only into AZs the database's side is in: the fewer of the two counts.
            c.azCount = Math.min(azsOf(app.network), azCount);
            c.azSource = `${f.file}: ${app.network.kind === "new" ? "network.azCount" : "network.subnetIds"}, within the database's ${azCount} AZs`;
        }
    }
    return {
        region,
        assumed,
        azCount,
        readOnlyEndpoint,
        sync: {
            source: targetSync?.source ?? (readOnlyEndpoint ? "dns" : "eni"),
            schedule: targetSync?.schedule ?? DEFAULT_SCHEDULE,
            reusesElbEndpoint:
                raw.network.kind === "existing" &&
                raw.network.apiEndpoints?.elasticloadbalancing !== undefined,
        },
        database: fresh
            ? { kind: "provisioned", instanceClass: fresh.instanceClass, instances: 1 + fresh.readers }
            : {
                  kind: "unknown",
                  why: "not computed: an existing database's instance classes are RDS's to report, not the config's",
              },
        consumers: consumers.map(({ name, azCount: n, azSource }) => ({ name, azCount: n, azSource })),
    };
}
