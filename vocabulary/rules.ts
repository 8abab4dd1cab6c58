/**
 * The one validation idiom of the project: rules as data, one problem shape, one message format.
 *
 * A `Rule` says what a value must be (a `Check` that decides and may convert), in words (`must`) and by
 * example; the structure of objects and lists around values is a shape (./shapes.ts), whose leaves are rules. A `Surface` says how the place a value comes from is named and how a user fixes it there: a config
 * key and its stack file, a component's property, the dynamic provider's input, a CLI option, a field of the
 * producer's contract. Every message reads the same:
 *
 *     <subject> is <value received>, but <what is allowed>. <how to fix it>
 *
 * and names its key once, from the path it is reported at.
 *
 * Free of @pulumi/pulumi and of any schema library on purpose: the sync Lambda's bundle includes it, and Pulumi
 * serializes the dynamic provider's `check` (which runs these rules) by value, so a rule is a plain object whose
 * `safeParse` captures only plain values.
 */

/** One problem with one value: the shape every validator of the project returns. */
export interface Problem {
    /** The value's full name where it came from: `rds-cross-account:network.azCount`, `ports[0]`, `--port`. */
    readonly path: string;
    /** The whole message: the name, the value received, what is allowed and how to fix it. */
    readonly message: string;
}

/**
 * One bad entry of a list: where it is, what it is, and either what an entry must be (when the entry's check has
 * words, see `rule`) or the earlier entry it repeats. Plain data, so that a failed check serializes.
 */
export interface EntryFault {
    readonly index: number;
    readonly value: unknown;
    /** The index of the earlier, equal entry, when this one is a repetition. */
    readonly sameAs?: number;
    /** What an entry must be, when the entry's check has words. */
    readonly must?: string;
    /** A valid entry, when the entry's check has words. */
    readonly example?: string;
}

/**
 * The result of a check: the (possibly converted) value, or a failure. A list's failure names its bad entries
 * when the list itself has the right shape and length, so that a message can name `subnetIds[1]`, not the list.
 */
export type Checked<T> =
    | { readonly success: true; readonly data: T }
    | { readonly success: false; readonly entries?: readonly EntryFault[] };

/** Decides whether a value is valid, and may convert it. */
export interface Check<T> {
    safeParse(value: unknown): Checked<T>;
    /** What a valid value is, in words, when the check is a rule's (see `rule`). */
    readonly must?: string;
    /** A valid value as the user writes it, when the check is a rule's. */
    readonly example?: string;
}

/** What a value must be, as data: the check, the words, an example. */
export interface Rule<T = unknown> {
    /** Decides validity; may convert (a string of digits from a CLI option to a number). */
    readonly schema: Check<T>;
    /** Completes "it must be …": a noun phrase such as "a whole number from 2 to 6". */
    readonly must: string;
    /** A valid value as the user writes it, such as `3` or `"eu-west-1"`. */
    readonly example: string;
}

/**
 * Declares a rule. Its check carries the rule's words too, so that a list of such values (`distinctList`) can say
 * what its bad entry must be.
 */
export function rule<T>(schema: Check<T>, must: string, example: string): Rule<T> {
    return { schema: { safeParse: (value) => schema.safeParse(value), must, example }, must, example };
}

/** How one source of values names a value and says how to fix it. */
export interface Surface {
    /** The full name reported in `Problem.path`. */
    key(path: string): string;
    /** The start of a message, such as `Config 'rds-cross-account:network.azCount'`. */
    subject(path: string): string;
    /** The sentence that says how to fix the value, given a valid example. */
    fix(path: string, example: string): string;
    /**
     * The most characters of a value a message shows (see `render`); absent: all. A surface whose values come from
     * another account (the contract) sets it, so that a huge or hostile value is never echoed whole into logs.
     */
    readonly shown?: number;
}

/**
 * Renders a received value for a message: JSON for data, `(empty)` for the empty string. A rendering longer than
 * `max` characters is cut there and says how long the value is: `"aaaa…" (1000000 characters)`.
 */
export function render(value: unknown, max = Infinity): string {
    const whole = renderWhole(value);
    if (whole.length <= max) return whole;
    if (typeof value === "string") return `${whole.slice(0, max)}…" (${value.length} characters)`;
    return `${whole.slice(0, max)}… (${whole.length} characters of JSON)`;
}

function renderWhole(value: unknown): string {
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
    const got = value === undefined || value === null ? "is not set" : `is ${render(value, surface.shown)}`;
    return { path: surface.key(path), message: `${surface.subject(path)} ${got}, but ${reason}. ${fix}` };
}

/** Pushes the problem of an empty list at `path`: it must list at least one `what`. */
export function requireSome(
    surface: Surface,
    problems: Problem[],
    path: string,
    list: readonly unknown[],
    what: string,
    fix = `Pass one ${what} or more.`,
): void {
    if (list.length === 0)
        problems.push(problem(surface, path, list, `it must list at least one ${what}`, fix));
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
 * Runs every rule of `rules` over `values`: every problem, and the values as the rules converted them. Values
 * `skip` says are not to be judged (unknown during a preview) are passed over, and kept as they are; absent
 * optional values are passed over too.
 */
export function parseAll(
    surface: Surface,
    values: Readonly<Record<string, unknown>>,
    rules: Rules,
    skip: (value: unknown) => boolean = () => false,
): { values: Record<string, unknown>; problems: Problem[] } {
    const problems: Problem[] = [];
    const out: Record<string, unknown> = {};
    for (const [path, { rule: r, optional }] of Object.entries(rules)) {
        const value = values[path];
        if (skip(value) || (optional && value === undefined)) {
            if (value !== undefined) out[path] = value;
            continue;
        }
        const parsed = checkValue(surface, problems, path, value, r);
        if (parsed !== undefined) out[path] = parsed;
    }
    return { values: out, problems };
}

/** Runs every rule of `rules` over `values` and returns every problem (see `parseAll`). */
export function checkAll(
    surface: Surface,
    values: Readonly<Record<string, unknown>>,
    rules: Rules,
    skip?: (value: unknown) => boolean,
): Problem[] {
    return parseAll(surface, values, rules, skip).problems;
}

/** A surface for the arguments of a component or the inputs of a resource: `<Type> argument 'x'`; fix by passing a value. */
export function argumentSurface(owner: string, noun: "argument" | "input" = "argument"): Surface {
    return {
        key: (path) => path,
        subject: (path) => `${owner} ${noun} '${path}'`,
        fix: (_path, example) => `Pass such a value, for example ${example}.`,
    };
}

// Rule building blocks shared by every surface: plain objects, so that they serialize and bundle.

const ok = <T>(data: T): Checked<T> => ({ success: true, data });
const FAILED: Checked<never> = { success: false };

/** Valid when `test` holds; the value is kept as it is. */
export function satisfying<T>(test: (value: unknown) => boolean): Check<T> {
    return { safeParse: (value) => (test(value) ? ok(value as T) : FAILED) };
}

/** A whole number in [min, max], given as a number or a string of digits (config text, CLI options). */
export function wholeNumber(min: number, max: number): Check<number> {
    return {
        safeParse: (value) => {
            const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
            return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max ? ok(n) : FAILED;
        },
    };
}

/** A boolean, given as true/false or the strings "true"/"false". */
export const booleanLike: Check<boolean> = {
    safeParse: (value) =>
        typeof value === "boolean"
            ? ok(value)
            : value === "true" || value === "false"
              ? ok(value === "true")
              : FAILED,
};

/** A string matching `pattern`. */
export function matching(pattern: RegExp): Check<string> {
    return satisfying((value) => typeof value === "string" && pattern.test(value));
}

/** One of `values`, exactly. */
export function oneOf<const T extends string | number>(values: readonly T[]): Check<T> {
    return satisfying((value) => (values as readonly unknown[]).includes(value));
}

/**
 * Checks every entry of a list: the converted entries, or the bad ones (invalid under `item`, or, when `distinct`,
 * equal to an earlier entry after conversion).
 */
function checkEntries<T>(item: Check<T>, list: readonly unknown[], distinct: boolean): Checked<T[]> {
    const out: T[] = [];
    const entries: EntryFault[] = [];
    const first = new Map<string, number>();
    list.forEach((value, index) => {
        const checked = item.safeParse(value);
        if (!checked.success) {
            entries.push({ index, value, must: item.must, example: item.example });
            return;
        }
        out.push(checked.data);
        if (!distinct) return;
        const key = JSON.stringify(checked.data);
        const sameAs = first.get(key);
        if (sameAs === undefined) first.set(key, index);
        else entries.push({ index, value, sameAs });
    });
    return entries.length > 0 ? { success: false, entries } : ok(out);
}

/** A list of distinct values, each valid under `item`, with at least `min` entries. */
export function distinctList<T>(item: Check<T>, min = 0): Check<T[]> {
    return {
        safeParse: (value) =>
            Array.isArray(value) && value.length >= min ? checkEntries(item, value, true) : FAILED,
    };
}

/** A non-empty list, each entry valid under `item` (duplicates allowed). */
export function nonEmptyList<T>(item: Check<T>): Check<T[]> {
    return {
        safeParse: (value) =>
            Array.isArray(value) && value.length > 0 ? checkEntries(item, value, false) : FAILED,
    };
}
