/**
 * Faults of shapes (./shapes.ts) as `Problem`s, in the words of a surface; and the check that data is plain,
 * own-keyed and bounded before any shape or rule reads it.
 */
import { problem, type Problem, type Rule, type Surface } from "./rules";
import { FORBIDDEN, FORBIDDEN_KEYS, isPlainObject, NOT_PLAIN, type Fault, type Path } from "./shapes";

/** How large plain data may be: the longest string and list at a path, and how deep it may nest. */
export interface DataLimits {
    /** The most characters of a string at `path`, and why, in words ("the longest ARN IAM accepts"). */
    chars(path: Path): { readonly max: number; readonly why: string };
    /** The most entries of a list at `path`. */
    entries(path: Path): { readonly max: number; readonly why: string };
    /** The deepest an object or list may be nested below the root. */
    readonly depth: number;
}

/**
 * The faults of data that is not plain, own-keyed and bounded: an object whose prototype is not Object's (its keys
 * could be inherited), an own key of JavaScript's machinery (`__proto__`, `constructor`, `prototype`), a string or
 * a list over its limit, or nesting deeper than the limit. Each is reported at its path, and nothing below it is
 * looked at: a check that runs before any rule, so that no rule (no pattern) ever runs over a huge value.
 */
export function dataFaults(value: unknown, limits: DataLimits, path: Path = []): Fault[] {
    const structure = (reason: string): Fault[] => [{ path, value, why: { kind: "structure", reason } }];
    if (typeof value === "string") {
        const { max, why } = limits.chars(path);
        return value.length > max ? structure(`it must be at most ${max} characters long (${why})`) : [];
    }
    if (typeof value !== "object" || value === null) return [];
    if (path.length >= limits.depth) return structure(`it must not nest deeper than ${limits.depth} levels`);
    if (Array.isArray(value)) {
        const { max, why } = limits.entries(path);
        if (value.length > max) return structure(`it must list at most ${max} entries (${why})`);
        return value.flatMap((entry, i) => dataFaults(entry, limits, [...path, i]));
    }
    if (!isPlainObject(value)) return structure(NOT_PLAIN);
    return Object.keys(value).flatMap((key) =>
        FORBIDDEN_KEYS.includes(key)
            ? [
                  {
                      path: [...path, key],
                      value: value[key],
                      why: { kind: "structure", reason: FORBIDDEN },
                  } as Fault,
              ]
            : dataFaults(value[key], limits, [...path, key]),
    );
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

/** How a surface words the fixes of structural faults; `faultProblems` uses the surface's `fix` for the rest. */
export interface FaultWords {
    /** Fills `{file}` in a fault's own fix. */
    readonly place: string;
    /** How a wrong structure at `path` is fixed: "Fix 'x' in Pulumi.dev.yaml." */
    edit(path: string): string;
    /** How an unknown key is fixed. */
    readonly removeKey: string;
    /** How one of two equal entries is fixed. */
    readonly removeOne: string;
    /** How a value should be, in words, when it is not an object or not a list. */
    readonly expected: Readonly<Record<"object" | "list", string>>;
    /** The words of a rule fault, when the surface has its own (`undefined`: the rule's). */
    ruleWords?(value: unknown, r: Rule): { reason: string; fix: string } | undefined;
}

/** Words for a surface whose every problem is fixed one way (`surface.fix`), such as the contract's. */
export function plainWords(surface: Surface): FaultWords {
    const fix = surface.fix("", "");
    return {
        place: "",
        edit: () => fix,
        removeKey: fix,
        removeOne: fix,
        expected: { object: "an object", list: "a list" },
    };
}

/** The problems of `faults`, at `base` (a path prefix) on `surface`. */
export function faultProblems(
    surface: Surface,
    faults: readonly Fault[],
    words: FaultWords,
    base: Path = [],
): Problem[] {
    const fill = (text: string, list: string) =>
        text.replaceAll("{file}", words.place).replaceAll("{list}", list);
    return faults.map(({ path: at, value, why }) => {
        const path = [...base, ...at];
        const rel = joinPath(path);
        const list = joinPath(path.slice(0, -1));
        const say = (reason: string, fix: string) => problem(surface, rel, value, reason, fix);
        switch (why.kind) {
            case "rule": {
                const own = words.ruleWords?.(value, why.rule);
                if (own) return say(own.reason, fill(own.fix, list));
                return say(`it must be ${why.rule.must}`, surface.fix(rel, why.rule.example));
            }
            case "entry":
                return say(`it must be ${why.must}`, surface.fix(rel, why.example));
            case "badEntry":
                return say(
                    `it is not a valid entry of a list that must be ${why.listMust}`,
                    words.edit(list),
                );
            case "repeats":
                return say(
                    `that is ${list}[${why.index}] as well, and '${list}' must be ${why.listMust}`,
                    words.removeOne,
                );
            case "unknownKey":
                return say(
                    `it is not a key of ${list === "" ? "the config" : `'${list}'`}; allowed keys are ${why.allowed}`,
                    words.removeKey,
                );
            case "type":
                return say(`it must be ${words.expected[why.expected]}`, words.edit(rel));
            case "structure":
                return say(why.reason, words.edit(rel));
            case "custom":
                return say(why.reason, fill(why.fix, list));
        }
    });
}
