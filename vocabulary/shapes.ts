/**
 * The structure of a value, in the project's one validation idiom (./rules.ts): a strict or open object of named
 * fields, optional fields, defaults, optional objects that mean "all defaults", lists whose bad entries are reported
 * at their index, literals, and shapes chosen by the value (`network`'s two forms). A shape's leaves are `Rule`s,
 * so values are judged by one set of rules everywhere; a shape adds only where each value is and whether it must be
 * there.
 *
 * Reading a value with a shape gives a typed result (`Infer<typeof shape>`: a field the shape requires is typed as
 * present) or `Fault`s: plain data that say where (a path of keys and indexes), what was received and why, and that
 * `faultProblems` (./faults.ts) turns into `Problem`s through a `Surface`. Each surface says in its own words how to fix them: the
 * config names its stack file, the contract its producer.
 *
 * Free of @pulumi/pulumi and of any schema library, like ./rules.ts.
 */
import type { Check, Rule } from "./rules";

/** Where a value is below the shape's root: keys of objects and indexes of lists. */
export type Path = readonly (string | number)[];

/** Why a value is wrong, as data; `faultProblems` writes the message. */
export type Why =
    /** The whole value breaks `rule`. */
    | { readonly kind: "rule"; readonly rule: Rule }
    /** A list's entry is not what an entry must be. */
    | { readonly kind: "entry"; readonly must: string; readonly example: string }
    /** A list's entry whose check has no words: the list's own words say what it must be. */
    | { readonly kind: "badEntry"; readonly listMust: string }
    /** A list's entry equal to the earlier entry `index`, in a list of distinct entries. */
    | { readonly kind: "repeats"; readonly index: number; readonly listMust: string }
    /** A key the object does not have; `allowed` names the keys it has, in words. */
    | { readonly kind: "unknownKey"; readonly allowed: string }
    /** Not an object, or not a list. */
    | { readonly kind: "type"; readonly expected: "object" | "list" }
    /** A wrong structure whose fix is to edit the value where it is. */
    | { readonly kind: "structure"; readonly reason: string }
    /** Reason and fix written where the fault was found; `{file}` and `{list}` in `fix` are filled in by the surface. */
    | { readonly kind: "custom"; readonly reason: string; readonly fix: string };

/** One wrong value: where it is, what it is, why. */
export interface Fault {
    readonly path: Path;
    readonly value: unknown;
    readonly why: Why;
}

/** Returned by `read` when the value had a fault (which `read` pushed). */
export const INVALID: unique symbol = Symbol("invalid");

/** The structure of a value of type `T`. */
export interface Shape<T> {
    /** Reads `value` found at `path`: the typed (possibly converted or defaulted) value, or INVALID with faults pushed. */
    read(value: unknown, path: Path, faults: Fault[]): T | typeof INVALID;
    /** True when an object may lack this field (it is then absent from the result). */
    readonly optional?: boolean;
}

/** The type a shape reads. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

/** Reads `value` with `shape`: the value, or every fault. */
export function parse<T>(
    shape: Shape<T>,
    value: unknown,
): { value: T; faults?: undefined } | { value?: undefined; faults: Fault[] } {
    const faults: Fault[] = [];
    const out = shape.read(value, [], faults);
    return out === INVALID || faults.length > 0 ? { faults } : { value: out };
}

/** A shape as a rule's check (./rules.ts): valid when the shape reads the value without a fault. */
export function asCheck<T>(shape: Shape<T>): Check<T> {
    return {
        safeParse: (value) => {
            const parsed = parse(shape, value);
            return parsed.faults ? { success: false } : { success: true, data: parsed.value };
        },
    };
}

/**
 * A value judged by `r`. An absent value (undefined or null) is `default` when one is given, and a fault otherwise.
 * A list's bad entries are faults at their own index, unless `whole` says the list is judged as one value.
 */
export function leaf<T>(r: Rule<T>, options: { default?: T; whole?: boolean } = {}): Shape<T> {
    return {
        read(value, path, faults) {
            if ((value === undefined || value === null) && options.default !== undefined)
                return options.default;
            const checked = r.schema.safeParse(value);
            if (checked.success) return checked.data;
            const entries = options.whole ? [] : (checked.entries ?? []);
            for (const e of entries) {
                const at = [...path, e.index];
                const why: Why =
                    e.sameAs !== undefined
                        ? { kind: "repeats", index: e.sameAs, listMust: r.must }
                        : e.must !== undefined && e.example !== undefined
                          ? { kind: "entry", must: e.must, example: e.example }
                          : { kind: "badEntry", listMust: r.must };
                faults.push({ path: at, value: e.value, why });
            }
            if (entries.length === 0) faults.push({ path, value, why: { kind: "rule", rule: r } });
            return INVALID;
        },
    };
}

/** A field that may be absent (undefined): absent from the result then. A present value is read by `shape`. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> & { readonly optional: true } {
    return {
        optional: true,
        read: (value, path, faults) => (value === undefined ? undefined : shape.read(value, path, faults)),
    };
}

/** Exactly `value`. */
export function literal<const T extends string | number | boolean>(value: T): Shape<T> {
    const words = JSON.stringify(value);
    return leaf<T>({
        schema: { safeParse: (v) => (v === value ? { success: true, data: value } : { success: false }) },
        must: words,
        example: words,
    });
}

/** `shape`'s value, converted by `to`. */
export function map<A, B>(shape: Shape<A>, to: (value: A) => B): Shape<B> {
    return {
        read(value, path, faults) {
            const out = shape.read(value, path, faults);
            return out === INVALID ? INVALID : to(out);
        },
    };
}

/**
 * The shape `choose` picks for the value (or INVALID, when `choose` pushed the fault that no shape fits): one of
 * several forms, told apart by their keys.
 */
export function choice<T>(
    choose: (value: unknown, path: Path, faults: Fault[]) => Shape<T> | typeof INVALID,
): Shape<T> {
    return {
        read(value, path, faults) {
            const shape = choose(value, path, faults);
            return shape === INVALID ? INVALID : shape.read(value, path, faults);
        },
    };
}

type Fields = Record<string, Shape<unknown>>;
type OptionalKeys<F extends Fields> = {
    [K in keyof F]: F[K] extends { readonly optional: true } ? K : never;
}[keyof F];
type Flat<T> = { [K in keyof T]: T[K] };
/** What an object shape of `F` reads: its required fields present, its optional ones possibly absent. */
export type ObjectOf<F extends Fields> = Flat<
    { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }
>;

/**
 * Keys no object of the project's data may have: JavaScript's own machinery, which a parser (`JSON.parse` keeps
 * `"__proto__"` as an own key) hands over as data and which code that copies or merges objects would follow.
 */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/** Why an object that is not plain data is refused. */
export const NOT_PLAIN =
    "it is not plain data: its prototype is not Object's, so some of its keys may be inherited, not its own";
/** Why a key of `FORBIDDEN_KEYS` is refused. */
export const FORBIDDEN = `that key is refused: ${FORBIDDEN_KEYS.map((k) => `"${k}"`).join(", ")} name JavaScript's object machinery, never data`;

/** True for an object of plain data: a plain or null prototype, not a list. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

/**
 * An object of named fields, each read by its shape, in the order given. `strict` (the default) reports every key
 * the object does not have, naming the `allowed` ones (by default the fields); otherwise other keys are dropped. A
 * field is read from the object's own keys only; an object with another prototype is refused as such.
 */
export function object<F extends Fields>(
    fields: F,
    options: { strict?: boolean; allowed?: string } = {},
): Shape<ObjectOf<F>> & { readonly fields: F } {
    const strict = options.strict ?? true;
    const allowed = options.allowed ?? Object.keys(fields).join(", ");
    return {
        fields,
        read(value, path, faults) {
            if (typeof value !== "object" || value === null || Array.isArray(value)) {
                faults.push({ path, value, why: { kind: "type", expected: "object" } });
                return INVALID;
            }
            if (!isPlainObject(value)) {
                faults.push({ path, value, why: { kind: "structure", reason: NOT_PLAIN } });
                return INVALID;
            }
            const before = faults.length;
            const out: Record<string, unknown> = {};
            let invalid = false;
            for (const [key, shape] of Object.entries(fields)) {
                const present = Object.hasOwn(value, key);
                const v = shape.read(present ? value[key] : undefined, [...path, key], faults);
                if (v === INVALID) invalid = true;
                else if (v !== undefined) out[key] = v;
            }
            for (const key of Object.keys(value)) {
                if (Object.hasOwn(fields, key)) continue;
                if (strict) {
                    faults.push({
                        path: [...path, key],
                        value: value[key],
                        why: { kind: "unknownKey", allowed },
                    });
                } else if (FORBIDDEN_KEYS.includes(key)) {
                    faults.push({
                        path: [...path, key],
                        value: value[key],
                        why: { kind: "structure", reason: FORBIDDEN },
                    });
                }
            }
            return invalid || faults.length > before ? INVALID : (out as ObjectOf<F>);
        },
    };
}

/** An object field that may be absent: absent means `{}`, all of the object's defaults. */
export function defaulted<T>(shape: Shape<T>): Shape<T> {
    return { read: (value, path, faults) => shape.read(value === undefined ? {} : value, path, faults) };
}

/** A list of entries each read by `item`, at least `min` of them (`tooFew` completes "but …" when there are fewer). */
export function list<T>(item: Shape<T>, options: { min?: number; tooFew?: string } = {}): Shape<T[]> {
    const min = options.min ?? 0;
    return {
        read(value, path, faults) {
            if (!Array.isArray(value)) {
                faults.push({ path, value, why: { kind: "type", expected: "list" } });
                return INVALID;
            }
            if (value.length < min) {
                const reason =
                    options.tooFew ?? `it must list at least ${min} entr${min === 1 ? "y" : "ies"}`;
                faults.push({ path, value, why: { kind: "structure", reason } });
                return INVALID;
            }
            const before = faults.length;
            const out = value.map((entry, i) => item.read(entry, [...path, i], faults));
            return out.includes(INVALID) || faults.length > before ? INVALID : (out as T[]);
        },
    };
}
