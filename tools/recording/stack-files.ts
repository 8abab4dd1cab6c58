/**
 * Stack files (`Pulumi.<stack>.yaml`) as the Pulumi CLI would hand their config to the program: the keys of this
 * project's namespace, and the others (such as `aws:region`). Only plain values: `secure:` entries need the CLI.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** The two stacks of this project. */
export type StackName = "db-account" | "app-account";

export const STACK_NAMES: readonly StackName[] = ["db-account", "app-account"];

/** A stack file's config, split by namespace. */
export interface StackConfig {
    /** The `rds-cross-account:*` keys, without the namespace. */
    readonly config: Record<string, unknown>;
    /** Keys of other namespaces, such as `aws:region`, as strings. */
    readonly extra: Record<string, string>;
}

/** The project's example stack file of `stack`. */
export function exampleFile(stack: StackName): string {
    return path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`);
}

/** The `rds-cross-account:*` keys of an example stack file, as the CLI would hand them to the program. */
export function exampleConfig(stack: StackName): StackConfig {
    return parseStackConfig(fs.readFileSync(exampleFile(stack), "utf8"));
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
    for (const [key, value] of Object.entries(block)) {
        const [ns, name] = key.split(":");
        if (ns === "rds-cross-account") config[name] = value;
        else extra[key] = String(value);
    }
    return { config, extra };
}

/** A stack's config: the project's example file, or another stack file (same format) when given. */
export function readStackConfig(stack: StackName, file: string | undefined): StackConfig {
    return file === undefined ? exampleConfig(stack) : parseStackConfig(fs.readFileSync(file, "utf8"), file);
}
