/**
 * A small layer over zod that turns config mistakes into messages a platform engineer can act on: each names
 * the full config key, the value received, what is allowed, and how to fix it. Every problem of a stack's
 * config is collected and reported at once (see `ConfigError`), before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

export const NAMESPACE = "rds-cross-account";

/** One problem found in the stack's config. */
export interface ConfigProblem {
    /** Full key with path, such as `rds-cross-account:network.azCount`. */
    readonly key: string;
    /** The complete, self-contained message. */
    readonly message: string;
}

/** Thrown when a stack's config is invalid; lists every problem at once. RunError prints without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly ConfigProblem[],
    ) {
        super(
            `The config of stack "${stack}" has ${problems.length} problem${problems.length === 1 ? "" : "s"}; ` +
                `nothing was created:\n` +
                problems.map((p) => `  - ${p.message}`).join("\n"),
        );
    }
}

interface LeafParams {
    readonly must: string;
    readonly example: string;
}

/** Renders a received value for a message: JSON for data, `(empty)` for the empty string. */
export function render(value: unknown): string {
    if (value === "") return '"" (empty)';
    if (typeof value === "string") return JSON.stringify(value);
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/**
 * A config leaf: `inner` decides validity, `must` says what is allowed (a noun phrase such as "a whole number
 * from 2 to 6"), `example` is a valid value to show in the fix. An absent value is the default when one is
 * given, and an error otherwise (see `optionalLeaf`).
 */
export function leaf<T>(inner: z.ZodType<T>, must: string, example: string, options: { default?: T } = {}) {
    // `optional()` first: an absent key reaches the transform, which applies the default or reports it missing.
    return z
        .unknown()
        .optional()
        .transform((value, ctx): T => {
            if ((value === undefined || value === null) && options.default !== undefined)
                return options.default;
            const parsed = inner.safeParse(value);
            if (parsed.success) return parsed.data;
            ctx.addIssue({
                code: "custom",
                message: must,
                params: { must, example } satisfies LeafParams,
                input: value,
            });
            return z.NEVER;
        });
}

/** A leaf that may be absent (undefined in the result). */
export function optionalLeaf<T>(inner: z.ZodType<T>, must: string, example: string) {
    return leaf(inner, must, example).optional();
}

/** A whole number, given as a YAML number or a string of digits. */
export function wholeNumber(min: number, max: number): z.ZodType<number> {
    return z
        .union([
            z.number(),
            z
                .string()
                .regex(/^-?\d+$/)
                .transform(Number),
        ])
        .pipe(z.number().int().min(min).max(max));
}

/** A boolean, given as YAML true/false or the strings "true"/"false". */
export const booleanLike: z.ZodType<boolean> = z.union([
    z.boolean(),
    z.enum(["true", "false"]).transform((v) => v === "true"),
]);

/** AWS region codes, including GovCloud (`us-gov-west-1`) and ISO partitions. */
export const regionPattern = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** 12-digit AWS account ID, as a string (leading zeros are significant). */
export const accountIdPattern = /^\d{12}$/;

/** Joins a zod path into `a.b[2].c`. */
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
    stack: string,
    base: readonly PropertyKey[],
    issues: readonly z.core.$ZodIssue[],
    allowedKeysAt: (path: readonly PropertyKey[]) => string | undefined,
): ConfigProblem[] {
    const file = `Pulumi.${stack}.yaml`;
    return issues.map((issue) => {
        const path = [...base, ...issue.path];
        const rel = joinPath(path);
        const key = `${NAMESPACE}:${rel}`;
        const input = (issue as { input?: unknown }).input;
        if (issue.code === "custom" && issue.params && "must" in issue.params) {
            const { must, example } = issue.params as unknown as LeafParams;
            const got = input === undefined || input === null ? "is not set" : `is ${render(input)}`;
            return {
                key,
                message: `Config '${key}' ${got}, but it must be ${must}. Set '${rel}' in ${file} to such a value, for example ${example}.`,
            };
        }
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(path) ?? "see the config reference in the README";
            return {
                key,
                message:
                    `Config '${key}' has unknown key${issue.keys.length === 1 ? "" : "s"} ${issue.keys.map((k) => `'${k}'`).join(", ")}; ` +
                    `allowed keys are ${allowed}. Remove ${issue.keys.length === 1 ? "it" : "them"} or fix the spelling in ${file}.`,
            };
        }
        if (issue.code === "invalid_type") {
            const got = input === undefined ? "is not set" : `is ${render(input)}`;
            return {
                key,
                message: `Config '${key}' ${got}, but it must be ${describeExpected(issue.expected)}. Fix '${rel}' in ${file}.`,
            };
        }
        return {
            key,
            message: `Config '${key}' is ${render(input)}: ${issue.message}. Fix '${rel}' in ${file}.`,
        };
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

/** A problem not tied to a single zod issue (cross-key rules). */
export function problem(stack: string, path: readonly PropertyKey[], message: string): ConfigProblem {
    return {
        key: `${NAMESPACE}:${joinPath(path)}`,
        message: message.replace("{file}", `Pulumi.${stack}.yaml`),
    };
}
