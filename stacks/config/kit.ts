/**
 * The config side of the project's validation idiom (vocabulary/rules.ts): config keys as a `Surface`, zod
 * leaves built from `Rule`s, and zod issues turned into `Problem`s. Each message names the full config key
 * once, the value received, what is allowed, and how to fix it in the stack file. Every problem of a stack's
 * config is collected and reported at once (see `ConfigError`), before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { problem, type Problem, type Rule, type Surface } from "../../vocabulary";

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

/**
 * What a custom issue carries, so that `problemsFromIssues` writes its message: the words of the rule the value broke; the
 * earlier entry of the same list it repeats; or the reason and fix written where the problem was found (`{file}`
 * in `fix` names the stack file).
 */
type IssueParams =
    | { readonly must: string; readonly example: string }
    | { readonly repeats: number; readonly listMust: string }
    | { readonly reason: string; readonly fix: string };

/** Adds the issue of a value whose message `problemsFromIssues` writes from `params`. */
export function addIssue(
    ctx: { addIssue(issue: z.core.$ZodRawIssue): void },
    value: unknown,
    params: IssueParams,
    path: readonly PropertyKey[] = [],
): void {
    ctx.addIssue({ code: "custom", message: "", params, input: value, path: [...path] });
}

/**
 * A config leaf: `rule` decides validity and says what is allowed. An absent value is the default when one is
 * given, and an error otherwise (see `optionalLeaf`). A list's bad entries are reported each at its own index.
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
            const entries = parsed.entries ?? [];
            for (const e of entries) {
                const at = [e.index];
                if (e.sameAs !== undefined)
                    addIssue(ctx, e.value, { repeats: e.sameAs, listMust: r.must }, at);
                else if (e.must !== undefined && e.example !== undefined)
                    addIssue(ctx, e.value, { must: e.must, example: e.example }, at);
                else
                    addIssue(
                        ctx,
                        e.value,
                        {
                            reason: `it is not a valid entry of a list that must be ${r.must}`,
                            fix: "Fix '{list}' in {file}.",
                        },
                        at,
                    );
            }
            if (entries.length === 0) addIssue(ctx, value, unquotedNumberParams(value, r));
            return z.NEVER;
        });
}

/**
 * The texts a stack file may hold, unquoted, for YAML to give the program the whole number `n`. Pulumi keeps a
 * top-level key's text as written, but reads a value inside a map or list as YAML 1.1 does (Go's yaml package):
 * digits are a decimal number, so leading zeros are dropped, except that digits 0-7 after a leading zero are an
 * octal number; the number then reaches the program as JSON.
 */
export function unquotedTextsOf(n: number): { decimal: string[]; octal: string[] } {
    if (!Number.isSafeInteger(n) || n < 0) return { decimal: [], octal: [] };
    const digits = String(n);
    // One or two leading zeros: with more, a short number (2222) is likelier a mistyped value than an ID with
    // three zeros in front (one in a thousand).
    const zeros = (text: string) => [`0${text}`, `00${text}`];
    return {
        // With a leading zero, only digits that are not all octal are read as a decimal number.
        decimal: [digits, ...zeros(digits).filter((t) => /[89]/.test(t))],
        octal: zeros(n.toString(8)),
    };
}

/**
 * How to report a value that breaks `r`: by the rule, or, when the value is a number and `r` wants digits that
 * the user may have written unquoted, by saying so and showing the text in quotes.
 */
function unquotedNumberParams(value: unknown, r: Rule): IssueParams {
    const words = { must: r.must, example: r.example };
    if (typeof value !== "number") return words;
    // Only for values that must be digits (account IDs): a rule that takes any text would take "7" as well, and
    // advice to quote a number is noise there.
    const takes = (text: string) => r.schema.safeParse(text).success;
    const fits = (text: string) => takes(text) && !takes(text.replace(/[0-9]/g, "x"));
    const texts = unquotedTextsOf(value);
    const decimal = texts.decimal.filter(fits);
    const octal = texts.octal.filter(fits);
    if (decimal.length + octal.length === 0) return words;
    const quoted = [...decimal, ...octal].map((t) => JSON.stringify(t));
    const reason = `it is a number, and it must be ${r.must} written as text`;
    if (decimal[0] === String(value))
        return { reason, fix: `Write it in quotes in {file}, as ${quoted[0]}.` };
    const read = [
        ...decimal.map((t) => `${t} as the number ${value}`),
        ...octal.map((t) => `${t} as an octal number, ${value}`),
    ];
    return {
        reason: `${reason}: unquoted, YAML reads ${read.join(", and ")}, so the text as written is lost before this program sees it`,
        fix:
            quoted.length === 1
                ? `Write it in quotes in {file}, as ${quoted[0]}.`
                : `Write it in quotes in {file}, as ${quoted.join(" or ")}, whichever you meant.`,
    };
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
        if (issue.code === "custom" && issue.params) {
            const params = issue.params as unknown as IssueParams;
            if ("must" in params) {
                return [
                    problem(
                        surface,
                        rel,
                        input,
                        `it must be ${params.must}`,
                        surface.fix(rel, params.example),
                    ),
                ];
            }
            const list = joinPath(path.slice(0, -1));
            if ("repeats" in params) {
                return [
                    problem(
                        surface,
                        rel,
                        input,
                        `that is ${list}[${params.repeats}] as well, and '${list}' must be ${params.listMust}`,
                        `Remove one of the two from ${file}.`,
                    ),
                ];
            }
            const fix = params.fix.replaceAll("{file}", file).replaceAll("{list}", list);
            return [problem(surface, rel, input, params.reason, fix)];
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
