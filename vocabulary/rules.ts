/**
 * The one validation idiom of the project: rules as data, one problem shape, one message format.
 *
 * A `Rule` says what a value must be (a zod schema that checks and may convert), in words (`must`) and by
 * example. A `Surface` says how the place a value comes from is named and how a user fixes it there: a config
 * key and its stack file, a component's property, the dynamic provider's input, a CLI option, a field of the
 * producer's contract. Every message reads the same:
 *
 *     <subject> is <value received>, but <what is allowed>. <how to fix it>
 *
 * and names its key once, from the path it is reported at. Free of @pulumi/pulumi on purpose: the sync
 * Lambda's bundle includes it.
 */
import { z } from "zod";

/** One problem with one value: the shape every validator of the project returns. */
export interface Problem {
    /** The value's full name where it came from: `rds-cross-account:network.azCount`, `ports[0]`, `--port`. */
    readonly path: string;
    /** The whole message: the name, the value received, what is allowed and how to fix it. */
    readonly message: string;
}

/** What a value must be, as data: the check, the words, an example. */
export interface Rule<T = unknown> {
    /** Decides validity; may convert (a string of digits from a CLI option to a number). */
    readonly schema: z.ZodType<T>;
    /** Completes "it must be …": a noun phrase such as "a whole number from 2 to 6". */
    readonly must: string;
    /** A valid value as the user writes it, such as `3` or `"eu-west-1"`. */
    readonly example: string;
}

/** Declares a rule. */
export function rule<T>(schema: z.ZodType<T>, must: string, example: string): Rule<T> {
    return { schema, must, example };
}

/** How one source of values names a value and says how to fix it. */
export interface Surface {
    /** The full name reported in `Problem.path`. */
    key(path: string): string;
    /** The start of a message, such as `Config 'rds-cross-account:network.azCount'`. */
    subject(path: string): string;
    /** The sentence that says how to fix the value, given a valid example. */
    fix(path: string, example: string): string;
}

/** Renders a received value for a message: JSON for data, `(empty)` for the empty string. */
export function render(value: unknown): string {
    if (value === "") return '"" (empty)';
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/**
 * The one message format. `reason` completes "but …" (for a rule: "it must be <must>"); `fix` is the sentence
 * that follows. An absent value reads "is not set".
 */
export function problem(
    surface: Surface,
    path: string,
    value: unknown,
    reason: string,
    fix: string,
): Problem {
    const got = value === undefined || value === null ? "is not set" : `is ${render(value)}`;
    return { path: surface.key(path), message: `${surface.subject(path)} ${got}, but ${reason}. ${fix}` };
}

/** The problem of a value that breaks `r`. */
export function ruleProblem(surface: Surface, path: string, value: unknown, r: Rule): Problem {
    return problem(surface, path, value, `it must be ${r.must}`, surface.fix(path, r.example));
}

/** Checks one value; pushes its problem, or returns the (possibly converted) value. */
export function checkValue<T>(
    surface: Surface,
    problems: Problem[],
    path: string,
    value: unknown,
    r: Rule<T>,
): T | undefined {
    const parsed = r.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    problems.push(ruleProblem(surface, path, value, r));
    return undefined;
}

/** A record's rules: each property's rule, and whether it may be absent. */
export type Rules = Record<string, { readonly rule: Rule; readonly optional?: boolean }>;

/**
 * Runs every rule of `rules` over `values` and returns every problem. Values `skip` says are not to be judged
 * (unknown during a preview) are passed over; absent optional values too.
 */
export function checkAll(
    surface: Surface,
    values: Readonly<Record<string, unknown>>,
    rules: Rules,
    skip: (value: unknown) => boolean = () => false,
): Problem[] {
    const problems: Problem[] = [];
    for (const [path, { rule: r, optional }] of Object.entries(rules)) {
        const value = values[path];
        if (skip(value) || (optional && value === undefined)) continue;
        checkValue(surface, problems, path, value, r);
    }
    return problems;
}

/** A surface for the arguments of a component or a resource: `<Type> argument 'x'`; fix by passing a value. */
export function argumentSurface(owner: string): Surface {
    return {
        key: (path) => path,
        subject: (path) => `${owner} argument '${path}'`,
        fix: (_path, example) => `Pass such a value, for example ${example}.`,
    };
}

// Rule building blocks shared by every surface.

/** A whole number in [min, max], given as a number or a string of digits (config text, CLI options). */
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

/** A boolean, given as true/false or the strings "true"/"false". */
export const booleanLike: z.ZodType<boolean> = z.union([
    z.boolean(),
    z.enum(["true", "false"]).transform((v) => v === "true"),
]);

/** A string matching `pattern`. */
export function matching(pattern: RegExp): z.ZodType<string> {
    return z.string().regex(pattern);
}

/** A list of distinct values, each valid under `item`, with at least `min` entries. */
export function distinctList<T>(item: z.ZodType<T>, min = 0): z.ZodType<T[]> {
    return z
        .array(item)
        .min(min)
        .refine((values) => new Set(values.map((v) => JSON.stringify(v))).size === values.length);
}
