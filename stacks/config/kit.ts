/**
 * The config side of the project's validation idiom (vocabulary/rules.ts): config keys as a `Surface`, zod
 * leaves built from `Rule`s, and zod issues turned into `Problem`s. Each message names the full config key
 * once, the value received, what is allowed, and how to fix it in the stack file. Every problem of a stack's
 * config is collected and reported at once (see `ConfigError`), before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { problem, ruleProblem, type Problem, type Rule, type Surface } from "../../vocabulary";

export const NAMESPACE = "rds-cross-account";

/** Thrown when a stack's config is invalid; lists every problem at once. RunError prints without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(
        /** The stack whose config it is (not `stack`: that would replace Error.prototype.stack, the trace). */
        readonly stackName: string,
        readonly problems: readonly Problem[],
    ) {
        super(
            `The config of stack "${stackName}" has ${problems.length} problem${problems.length === 1 ? "" : "s"}; ` +
                `nothing was created:\n` +
                problems.map((p) => `  - ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** The stack file a user edits. */
export function stackFile(stackName: string): string {
    return `Pulumi.${stackName}.yaml`;
}

/**
 * Config keys as a surface. A path is below the `rds-cross-account` namespace (`network.azCount`) or a full key
 * of another namespace (`aws:region`), which is set with the CLI rather than by editing our keys.
 */
export function configSurface(stackName: string): Surface {
    const key = (path: string) => (path.includes(":") ? path : `${NAMESPACE}:${path}`);
    return {
        key,
        subject: (path) => `Config '${key(path)}'`,
        fix: (path, example) =>
            path.includes(":")
                ? `Set it with: pulumi config set ${path} ${example.replace(/^"(.*)"$/, "$1")} --stack ${stackName}.`
                : `Set '${path}' in ${stackFile(stackName)} to such a value, for example ${example}.`,
    };
}

interface LeafParams {
    readonly rule: Rule;
}

/**
 * A config leaf: `rule` decides validity and says what is allowed. An absent value is the default when one is
 * given, and an error otherwise (see `optionalLeaf`).
 */
export function leaf<T>(r: Rule<T>, options: { default?: T } = {}) {
    // `optional()` first: an absent key reaches the transform, which applies the default or reports it missing.
    return z
        .unknown()
        .optional()
        .transform((value, ctx): T => {
            if ((value === undefined || value === null) && options.default !== undefined)
                return options.default;
            const parsed = r.schema.safeParse(value);
            if (parsed.success) return parsed.data;
            ctx.addIssue({
                code: "custom",
                message: r.must,
                params: { rule: r } satisfies LeafParams,
                input: value,
            });
            return z.NEVER;
        });
}

/** A leaf that may be absent (undefined in the result). */
export function optionalLeaf<T>(r: Rule<T>) {
    return leaf(r).optional();
}

/** An object key that may be absent: an absent key means all of its defaults. */
export function optionalObject<T extends z.ZodType>(schema: T) {
    return z.preprocess((v) => (v === undefined ? {} : v), schema);
}

/** Joins a path into `a.b[2].c`. */
export function joinPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const part of path) {
        if (typeof part === "number") out += `[${part}]`;
        else out += out === "" ? String(part) : `.${String(part)}`;
    }
    return out;
}

/** Converts zod issues of one config value into problems; `base` is the key's path below the namespace. */
export function problemsFromIssues(
    stackName: string,
    base: readonly PropertyKey[],
    issues: readonly z.core.$ZodIssue[],
    allowedKeysAt: (path: readonly PropertyKey[]) => string | undefined,
): Problem[] {
    const surface = configSurface(stackName);
    const file = stackFile(stackName);
    return issues.flatMap((issue): Problem[] => {
        const path = [...base, ...issue.path];
        const rel = joinPath(path);
        const input = (issue as { input?: unknown }).input;
        if (issue.code === "custom" && issue.params && "rule" in issue.params) {
            return [ruleProblem(surface, rel, input, (issue.params as unknown as LeafParams).rule)];
        }
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(path) ?? "see the config reference in the README";
            const parent = rel === "" ? "the config" : `'${rel}'`;
            return issue.keys.map((k) =>
                problem(
                    surface,
                    joinPath([...path, k]),
                    (input as Record<string, unknown> | undefined)?.[k],
                    `it is not a key of ${parent}; allowed keys are ${allowed}`,
                    `Remove it or fix the spelling in ${file}.`,
                ),
            );
        }
        if (issue.code === "invalid_type") {
            return [
                problem(
                    surface,
                    rel,
                    input,
                    `it must be ${describeExpected(issue.expected)}`,
                    `Fix '${rel}' in ${file}.`,
                ),
            ];
        }
        return [problem(surface, rel, input, issue.message, `Fix '${rel}' in ${file}.`)];
    });
}

function describeExpected(expected: string): string {
    switch (expected) {
        case "object":
            return "a map of keys (a YAML object)";
        case "array":
            return "a list (a YAML sequence)";
        default:
            return `of type ${expected}`;
    }
}
