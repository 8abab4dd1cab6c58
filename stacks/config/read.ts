/**
 * Reads a stack's config from the `rds-cross-account` namespace (and `aws:region`), and runs each key's
 * schema separately so that every problem of every key is reported together.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checkValue, problem, regionRule, type Problem, type Surface } from "../../vocabulary";
import { ConfigError, configSurface, joinPath, NAMESPACE, problemsFromIssues, stackFile } from "./kit";

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

/** The allowed keys of an object schema, for unknown-key messages. */
export const keysOf = (schema: z.ZodObject) => ({ "": Object.keys(schema.shape).join(", ") });

/** The parsed value of each key, or undefined when the key had a problem. */
export type Parsed<S extends Specs> = { [K in keyof S]: z.output<S[K]["schema"]> | undefined };

/** Collects a stack's config problems across phases and throws them all at once. */
export class Problems {
    private readonly list: Problem[] = [];
    /** How config keys are named and fixed in this stack's messages. */
    readonly surface: Surface;
    constructor(readonly stackName: string) {
        this.surface = configSurface(stackName);
    }
    add(...problems: Problem[]): void {
        this.list.push(...problems);
    }
    /**
     * Adds the problem of the value at `path` (below the namespace, or a full key such as `aws:region`) in the
     * one message format: `Config '<key>' is <value>, but <reason>. <fix>`. `{file}` in `fix` names the stack file.
     */
    reject(path: string | readonly PropertyKey[], value: unknown, reason: string, fix: string): void {
        const rel = typeof path === "string" ? path : joinPath(path);
        this.list.push(
            problem(this.surface, rel, value, reason, fix.replaceAll("{file}", stackFile(this.stackName))),
        );
    }
    get count(): number {
        return this.list.length;
    }
    /** Throws a ConfigError with every problem collected so far, if there is any. */
    throwIfAny(): void {
        if (this.list.length > 0) throw new ConfigError(this.stackName, this.list);
    }
    /**
     * What a reader or planner returned, once it is known to be usable: throws every problem collected so far,
     * and otherwise returns `value`, now typed as present. Readers return nothing only with a problem, so the
     * last throw is a defect of the reader (the one place that says so), never a user's mistake.
     */
    settle<T>(value: T | undefined): T {
        this.throwIfAny();
        if (value === undefined) {
            throw new Error(
                `rds-cross-account: a reader of stack ${this.stackName} returned nothing without a problem.`,
            );
        }
        return value;
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
    specs: S,
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
): Parsed<S> {
    const allowed = Object.keys(specs);
    for (const key of source.keys(NAMESPACE)) {
        if (!allowed.includes(key)) {
            problems.reject(
                key,
                source.get(NAMESPACE, key),
                `it is not a key of the ${problems.stackName} stack; allowed keys are ${allowed.join(", ")}`,
                "Remove it or fix the spelling in {file}.",
            );
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
                ...problemsFromIssues(problems.stackName, [key], result.error.issues, (path) => {
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
export function readRegion(
    problems: Problems,
    source: ConfigSource = pulumiConfigSource,
): string | undefined {
    const found: Problem[] = [];
    const region = checkValue(problems.surface, found, "aws:region", source.get("aws", "region"), regionRule);
    problems.add(...found);
    return region;
}
