// policy-pack/lib/unknowns.ts in-process: the SDK's unknown-value error is recognised, every item is checked even
// after an unknown one, the first unknown-value error is rethrown at the end, and any other error stops at once.
import * as assert from "node:assert/strict";
import { unknownCheckingProxy } from "@pulumi/policy";
import { checkEvery, isUnknownValueError } from "../../policy-pack/lib/unknowns";
import { UNKNOWN } from "../../tools/mutation/in-process-policy";

/** The error the SDK throws when a rule reads `props[key]` and that value is unknown during preview. */
function unknownError(key: string): unknown {
    const props = unknownCheckingProxy({ [key]: UNKNOWN.string }) as Record<string, unknown>;
    try {
        return props[key];
    } catch (error) {
        return error;
    }
}

describe("policy lib unknowns: isUnknownValueError", () => {
    it("recognises the SDK's error and nothing else", () => {
        assert.equal(isUnknownValueError(unknownError("a")), true);
        assert.equal(
            isUnknownValueError(new Error("string value at .a can't be known during preview")),
            false,
        );
        assert.equal(isUnknownValueError(undefined), false);
        assert.equal(isUnknownValueError("unknown"), false);
    });
});

describe("policy lib unknowns: checkEvery", () => {
    it("checks every item in order with its index", () => {
        const seen: Array<[string, number]> = [];
        checkEvery(["a", "b", "c"], (item, index) => seen.push([item, index]));
        assert.deepEqual(seen, [
            ["a", 0],
            ["b", 1],
            ["c", 2],
        ]);
    });
    it("reads items by index, so an array-like works and an empty list checks nothing", () => {
        const seen: string[] = [];
        checkEvery({ length: 2, 0: "x", 1: "y" }, (item) => seen.push(item));
        checkEvery([], () => seen.push("never"));
        assert.deepEqual(seen, ["x", "y"]);
    });
    it("goes on after an unknown value, then rethrows the first unknown-value error", () => {
        const first = unknownError("first");
        const second = unknownError("second");
        const seen: number[] = [];
        assert.throws(
            () =>
                checkEvery([0, 1, 2, 3], (item) => {
                    seen.push(item);
                    if (item === 1) {
                        throw first;
                    }
                    if (item === 2) {
                        throw second;
                    }
                }),
            (error) => error === first,
        );
        assert.deepEqual(seen, [0, 1, 2, 3]);
    });
    it("rethrows an unknown-value error of the last item", () => {
        const last = unknownError("last");
        assert.throws(
            () =>
                checkEvery([0, 1], (item) => {
                    if (item === 1) {
                        throw last;
                    }
                }),
            (error) => error === last,
        );
    });
    it("lets any other error through at once", () => {
        const seen: number[] = [];
        const boom = new Error("boom");
        assert.throws(
            () =>
                checkEvery([0, 1, 2], (item) => {
                    seen.push(item);
                    if (item === 0) {
                        throw unknownError("x");
                    }
                    if (item === 1) {
                        throw boom;
                    }
                }),
            (error) => error === boom,
        );
        assert.deepEqual(seen, [0, 1]);
    });
    it("handles an unknown element of a proxied list like an unknown field", () => {
        const list = unknownCheckingProxy({ l: ["10.0.0.0/8", UNKNOWN.string, "0.0.0.0/0"] }) as {
            l: string[];
        };
        const seen: string[] = [];
        assert.throws(
            () => checkEvery(list.l, (item) => seen.push(item)),
            (error) =>
                isUnknownValueError(error) &&
                (error as Error).message === "string value at .l.1 can't be known during preview",
        );
        assert.deepEqual(seen, ["10.0.0.0/8", "0.0.0.0/0"]);
    });
});
