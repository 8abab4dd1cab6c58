/**
 * The config side of the project's validation idiom (vocabulary/rules.ts, vocabulary/shapes.ts): config keys as a
 * `Surface`, and the faults of a key's shape turned into `Problem`s that say how to fix them in the stack file. Each
 * message names the full config key once, the value received, what is allowed, and how to fix it. Every problem of
 * a stack's config is collected and reported at once (see `ConfigError`), before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    faultProblems,
    type Fault,
    type FaultWords,
    type Problem,
    type Rule,
    type Surface,
} from "../../vocabulary";

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
 * How config faults (vocabulary/shapes.ts) are fixed: in the stack file. A number where a rule wants digits the user
 * may have written unquoted (an account ID) is told to quote them.
 */
export function configWords(stackName: string): FaultWords {
    const file = stackFile(stackName);
    return {
        place: file,
        edit: (path) => `Fix '${path}' in ${file}.`,
        removeKey: `Remove it or fix the spelling in ${file}.`,
        removeOne: `Remove one of the two from ${file}.`,
        expected: { object: "a map of keys (a YAML object)", list: "a list (a YAML sequence)" },
        ruleWords: unquotedNumberWords,
    };
}

/** The problems of one config key's faults; `key` is the key below the namespace. */
export function configProblems(stackName: string, key: string, faults: readonly Fault[]): Problem[] {
    return faultProblems(configSurface(stackName), faults, configWords(stackName), [key]);
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
 * How to report a value that breaks `r` when the value is a number and `r` wants digits that
 * the user may have written unquoted: by saying so and showing the text in quotes (undefined: by the rule).
 */
function unquotedNumberWords(value: unknown, r: Rule): { reason: string; fix: string } | undefined {
    if (typeof value !== "number") return undefined;
    // Only for values that must be digits (account IDs): a rule that takes any text would take "7" as well, and
    // advice to quote a number is noise there.
    const takes = (text: string) => r.schema.safeParse(text).success;
    const fits = (text: string) => takes(text) && !takes(text.replace(/[0-9]/g, "x"));
    const texts = unquotedTextsOf(value);
    const decimal = texts.decimal.filter(fits);
    const octal = texts.octal.filter(fits);
    if (decimal.length + octal.length === 0) return undefined;
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
