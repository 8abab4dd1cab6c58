/**
 * Reads a stack's config from the `rds-cross-account` namespace (and `aws:region`), and reads each key with its
 * shape separately so that every problem of every key is reported together.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    checkValue,
    joinPath,
    parse,
    problem,
    regionRule,
    type Infer,
    type Problem,
    type Shape,
    type Surface,
} from "../../vocabulary";
import { ConfigError, configProblems, configSurface, NAMESPACE, stackFile } from "./kit";

/** How a key is stored: plain strings are read as-is (account IDs keep leading zeros), the rest as JSON. */
export type KeyKind = "string" | "json";

export interface KeySpec<T = unknown> {
    readonly kind: KeyKind;
    /** The key's structure and rules (vocabulary/shapes.ts). */
    readonly shape: Shape<T>;
}

export type Specs = Record<string, KeySpec>;

/** Declares a key with its shape's type kept. */
export function keySpec<T>(kind: KeyKind, shape: Shape<T>): KeySpec<T> {
    return { kind, shape };
}

/** The parsed value of each key, or undefined when the key had a problem. */
export type Parsed<S extends Specs> = { [K in keyof S]: Infer<S[K]["shape"]> | undefined };

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
                // A bare word such as `eni` in YAML arrives as a plain string; let its shape judge it.
                value = raw;
            }
        }
        const result = parse(spec.shape, value);
        out[key] = result.value;
        if (result.faults) problems.add(...configProblems(problems.stackName, key, result.faults));
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
