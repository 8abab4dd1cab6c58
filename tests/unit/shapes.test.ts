/**
 * The structural combinators of the validation idiom (vocabulary/shapes.ts), where the config and contract tests
 * cannot show them: the faults as data, the result's type, and how objects are read (own keys only). The messages
 * the faults become are the config's and the contract's exact-message tests.
 */
import * as assert from "assert";
import {
    choice,
    dataFaults,
    defaulted,
    INVALID,
    leaf,
    list,
    literal,
    map,
    matching,
    object,
    optional,
    parse,
    rule,
    wholeNumber,
    type Fault,
    type Infer,
} from "../../vocabulary";

const count = rule(wholeNumber(1, 9), "a whole number from 1 to 9", "3");
const word = rule(matching(/^[a-z]+$/), "a lower-case word", '"abc"');
const shape = object({
    kind: literal("box"),
    size: leaf(count, { default: 3 }),
    label: optional(leaf(word)),
    inner: defaulted(object({ depth: leaf(count, { default: 1 }) })),
    tags: list(leaf(word), { min: 1, tooFew: "it must list a tag" }),
});

/** The faults of `value`, as [path, kind] pairs. */
function faultsOf(value: unknown): [string, string][] {
    const parsed = parse(shape, value);
    return (parsed.faults ?? []).map((f: Fault) => [f.path.join("/"), f.why.kind]);
}

describe("shapes", () => {
    it("types what they read: required fields present, optional ones possibly absent, defaults applied", () => {
        const parsed = parse(shape, { kind: "box", tags: ["a"] });
        assert.ok(parsed.value);
        // A compile-time check as much as a run-time one: these assignments need the inferred types.
        const value: { kind: "box"; size: number; label?: string; inner: { depth: number }; tags: string[] } =
            parsed.value;
        const size: Infer<typeof shape>["size"] = value.size;
        assert.deepStrictEqual(value, { kind: "box", size: 3, inner: { depth: 1 }, tags: ["a"] });
        assert.strictEqual(size, 3);
        assert.ok(!("label" in value));
    });

    it("reports every fault at once, each at its path: fields, unknown keys, list entries by index", () => {
        assert.deepStrictEqual(
            faultsOf({
                kind: "bag",
                size: 0,
                label: null,
                inner: { depth: 10, deep: 1 },
                tags: ["a", "B"],
                x: 1,
            }),
            [
                ["kind", "rule"],
                ["size", "rule"],
                ["label", "rule"],
                ["inner/depth", "rule"],
                ["inner/deep", "unknownKey"],
                ["tags/1", "rule"],
                ["x", "unknownKey"],
            ],
        );
        assert.deepStrictEqual(faultsOf({ kind: "box", inner: [], tags: [] }), [
            ["inner", "type"],
            ["tags", "structure"],
        ]);
    });

    it("reads own keys only: an inherited field is absent, a __proto__ key is an unknown key, a prototype refused", () => {
        const inherited = Object.assign(Object.create({ label: "x" }) as object, {
            kind: "box",
            tags: ["a"],
        });
        assert.deepStrictEqual(faultsOf({ kind: "box", tags: ["a"], inner: inherited }), [
            ["inner", "structure"],
        ]);
        assert.deepStrictEqual(
            faultsOf(JSON.parse('{"kind": "box", "tags": ["a"], "__proto__": {"size": 2}}')),
            [["__proto__", "unknownKey"]],
        );
        const open = object({ a: leaf(count) }, { strict: false });
        assert.deepStrictEqual(parse(open, { a: 1, b: 2 }).value, { a: 1 });
        assert.deepStrictEqual(
            parse(open, JSON.parse('{"a": 1, "constructor": 2}')).faults?.map((f) => f.path),
            [["constructor"]],
        );
    });

    it("chooses a form by the value, and converts the result", () => {
        const either = choice((value, path, faults) => {
            if (typeof value === "string") return map(leaf(word), (w) => w.length);
            faults.push({
                path,
                value,
                why: { kind: "custom", reason: "it is no word", fix: "Fix it in {file}." },
            });
            return INVALID;
        });
        assert.deepStrictEqual(parse(either, "abc").value, 3);
        assert.deepStrictEqual(parse(either, 1).faults, [
            {
                path: [],
                value: 1,
                why: { kind: "custom", reason: "it is no word", fix: "Fix it in {file}." },
            },
        ]);
    });

    it("checks data before any rule: size, depth and own keys, each at its path", () => {
        const limits = {
            chars: () => ({ max: 3, why: "short" }),
            entries: () => ({ max: 2, why: "few" }),
            depth: 2,
        };
        const faults = dataFaults(
            { a: "abcd", b: [1, 2, 3], c: { d: { e: 1 } }, constructor: 1, f: Object.create(null) as object },
            limits,
        );
        assert.deepStrictEqual(
            faults.map((f) => [f.path.join("/"), f.why.kind === "structure" ? f.why.reason : f.why.kind]),
            [
                ["a", "it must be at most 3 characters long (short)"],
                ["b", "it must list at most 2 entries (few)"],
                ["c/d", "it must not nest deeper than 2 levels"],
                [
                    "constructor",
                    'that key is refused: "__proto__", "constructor", "prototype" name JavaScript\'s object machinery, never data',
                ],
            ],
        );
    });
});
