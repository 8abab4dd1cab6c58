/**
 * Reads a stack's config from the `rds-cross-account` namespace (and `aws:region`), and runs each key's
 * schema separately so that every problem of every key is reported together.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigError, ConfigProblem, NAMESPACE, problemsFromIssues, regionPattern, render } from "./kit";

/** How a key is stored: plain strings are read as-is (account IDs keep leading zeros), the rest as JSON. */
export type KeyKind = "string" | "json";

export interface KeySpec {
    readonly kind: KeyKind;
    readonly schema: z.ZodType;
    /** Allowed keys of nested objects, by path below this key ("" for the key itself), for unknown-key messages. */
    readonly allowedKeys?: Record<string, string>;
}

export type Specs = Record<string, KeySpec>;

/** Declares a key with its schema's output type kept. */
export function keySpec<T extends z.ZodType>(
    kind: KeyKind,
    schema: T,
    allowedKeys?: Record<string, string>,
): { kind: KeyKind; schema: T; allowedKeys?: Record<string, string> } {
    return { kind, schema, allowedKeys };
}

/** The parsed value of each key, or undefined when the key had a problem. */
export type Parsed<S extends Specs> = { [K in keyof S]: z.output<S[K]["schema"]> | undefined };

/** Collects problems across phases and throws them all at once. */
export class Problems {
    private readonly list: ConfigProblem[] = [];
    constructor(readonly stack: string) {}
    add(...problems: ConfigProblem[]): void {
        this.list.push(...problems);
    }
    get count(): number {
        return this.list.length;
    }
    /** Throws a ConfigError with every problem collected so far, if there is any. */
    throwIfAny(): void {
        if (this.list.length > 0) throw new ConfigError(this.stack, this.list);
    }
}

/** Source of raw config values; the real one is Pulumi's config, tests may pass a map. */
export interface ConfigSource {
    /** Raw string value of `namespace:key`, or undefined when unset. */
    get(namespace: string, key: string): string | undefined;
    /** Every key set in the namespace. */
    keys(namespace: string): string[];
}

export const pulumiConfigSource: ConfigSource = {
    get: (namespace, key) => new pulumi.Config(namespace).get(key),
    keys: (namespace) =>
        Object.keys(pulumi.runtime.allConfig())
            .filter((k) => k.startsWith(`${namespace}:`))
            .map((k) => k.slice(namespace.length + 1)),
};

/** Reads and validates every key of `specs`; unknown keys in the namespace are problems too. */
export function readKeys<S extends Specs>(
    stack: string,
    specs: S,
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
): Parsed<S> {
    const allowed = Object.keys(specs);
    for (const key of source.keys(NAMESPACE)) {
        if (!allowed.includes(key)) {
            problems.add({
                key: `${NAMESPACE}:${key}`,
                message:
                    `Config '${NAMESPACE}:${key}' is not a key of the ${stack} stack; allowed keys are ${allowed.join(", ")}. ` +
                    `Remove it or fix the spelling in Pulumi.${stack}.yaml.`,
            });
        }
    }
    const out: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(specs)) {
        const raw = source.get(NAMESPACE, key);
        let value: unknown = raw;
        if (raw !== undefined && spec.kind === "json") {
            try {
                value = JSON.parse(raw);
            } catch {
                // A bare word such as `eni` in YAML arrives as a plain string; let the schema judge it.
                value = raw;
            }
        }
        const result = spec.schema.safeParse(value, { reportInput: true });
        if (result.success) {
            out[key] = result.data;
        } else {
            out[key] = undefined;
            problems.add(
                ...problemsFromIssues(stack, [key], result.error.issues, (path) => {
                    const rel = path
                        .slice(1)
                        .filter((p) => typeof p === "string")
                        .join(".");
                    return spec.allowedKeys?.[rel];
                }),
            );
        }
    }
    return out as Parsed<S>;
}

/** Reads `aws:region`, which every stack needs for its explicit provider. */
export function readRegion(stack: string, problems: Problems, source: ConfigSource = pulumiConfigSource) {
    const region = source.get("aws", "region");
    if (region === undefined || !regionPattern.test(region)) {
        const got = region === undefined ? "is not set" : `is ${render(region)}`;
        problems.add({
            key: "aws:region",
            message:
                `Config 'aws:region' ${got}, but it must be an AWS region code such as eu-west-1. ` +
                `Set it with: pulumi config set aws:region eu-west-1 --stack ${stack}.`,
        });
        return undefined;
    }
    return region;
}
