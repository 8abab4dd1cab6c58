/**
 * Stack files (`Pulumi.<stack>.yaml`) as the Pulumi CLI would hand their config to the program: the keys of this
 * project's namespace, and the others (such as `aws:region`). Only plain values: `secure:` entries need the CLI.
 *
 * Keys are read as the CLI reads them (since Pulumi 3.44, `LoadProjectStackBytes` in sdk/go/common/workspace):
 * a key without a namespace (`accountId`) is the project's (`rds-cross-account:accountId`), `<namespace>:<name>`
 * is taken as written, and the old `<namespace>:config:<name>` form is `<namespace>:<name>` (`config.ParseKey`).
 * Stricter than the CLI, so that nothing in a stack file is silently ignored: a key written twice (with and
 * without the namespace, which the CLI resolves in no fixed order) and a namespace nothing in this project reads
 * are refused, naming the key.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** The two stacks of this project. */
export type StackName = "db-account" | "app-account";

export const STACK_NAMES: readonly StackName[] = ["db-account", "app-account"];

/** The project's name, which is the namespace of the program's own config keys. */
export const PROJECT = "rds-cross-account";

/**
 * Namespaces besides the project's that a stack file may use: `aws` (the program reads `aws:region`) and `pulumi`
 * (settings of the engine, such as `pulumi:disable-default-providers`).
 */
export const OTHER_NAMESPACES: readonly string[] = ["aws", "pulumi"];

/** A stack file's config, split by namespace. */
export interface StackConfig {
    /** The `rds-cross-account:*` keys, without the namespace. */
    readonly config: Record<string, unknown>;
    /** Keys of other namespaces, such as `aws:region`, as the CLI stores them: strings, objects as JSON. */
    readonly extra: Record<string, string>;
}

/** The project's example stack file of `stack`. */
export function exampleFile(stack: StackName): string {
    return path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`);
}

/** The `rds-cross-account:*` keys of an example stack file, as the CLI would hand them to the program. */
export function exampleConfig(stack: StackName): StackConfig {
    return parseStackConfig(fs.readFileSync(exampleFile(stack), "utf8"), `Pulumi.${stack}.yaml`);
}

/** `written` as the CLI names it, `<namespace>:<name>`; an error naming the key when the CLI cannot read it. */
export function namespacedKey(written: string, file = "the stack file"): string {
    const parts = written.split(":");
    if (parts.length === 1) return `${PROJECT}:${written}`;
    if (parts.length === 2) return written;
    if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
    throw new Error(
        `Config key '${written}' in ${file} cannot be read: a key is <namespace>:<name>, or <name> alone for this ` +
            `project's keys, and a name has no ':'. Write it as ${PROJECT}:<name> (for example ` +
            `${PROJECT}:accountId); a nested value goes under its key as YAML, not into the key.`,
    );
}

/** Splits a stack file's `config:` block into our namespace's keys and the others (such as `aws:region`). */
export function parseStackConfig(text: string, file = "the stack file"): StackConfig {
    let doc: unknown;
    try {
        doc = yaml.load(text);
    } catch (err) {
        throw new Error(`${file} is not valid YAML: ${(err as Error).message.split("\n")[0]}.`);
    }
    const block = (doc as { config?: unknown } | null | undefined)?.config;
    if (block === null || typeof block !== "object" || Array.isArray(block)) {
        throw new Error(`${file} has no 'config:' block of keys; see Pulumi.db-account.yaml for the format.`);
    }
    const config: Record<string, unknown> = {};
    const extra: Record<string, string> = {};
    const writtenAs = new Map<string, string>();
    for (const [written, value] of Object.entries(block)) {
        const key = namespacedKey(written, file);
        const earlier = writtenAs.get(key);
        if (earlier !== undefined) {
            throw new Error(
                `Config key '${written}' in ${file} is ${key}, which '${earlier}' already sets; the Pulumi CLI would ` +
                    `keep either one. Keep one of them, written as ${key}.`,
            );
        }
        writtenAs.set(key, written);
        const at = key.indexOf(":");
        const namespace = key.slice(0, at);
        const name = key.slice(at + 1);
        if (namespace === PROJECT) {
            config[name] = value;
        } else if (OTHER_NAMESPACES.includes(namespace)) {
            extra[key] = typeof value === "string" ? value : JSON.stringify(value);
        } else {
            throw new Error(
                `Config key '${written}' in ${file} is in namespace '${namespace}', which nothing in this project ` +
                    `reads (the program reads ${PROJECT}: keys and aws:region; pulumi: keys configure the engine), ` +
                    `so pulumi up would ignore it. If it is a setting of this program, write it as ` +
                    `${PROJECT}:${name}; otherwise remove it.`,
            );
        }
    }
    return { config, extra };
}

/** A stack's config: the project's example file, or another stack file (same format) when given. */
export function readStackConfig(stack: StackName, file: string | undefined): StackConfig {
    return file === undefined ? exampleConfig(stack) : parseStackConfig(fs.readFileSync(file, "utf8"), file);
}
