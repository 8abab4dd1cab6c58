/**
 * The test harness itself: what the stack tests rely on it to report. A harness that waits forever on an unknown
 * value, or drops a warning, would make the stack tests prove less than they say.
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { resolveDeep } from "../../tools/recording/harness";

describe("test harness", () => {
    before(() =>
        pulumi.runtime.setMocks(
            { newResource: () => ({ id: "x", state: {} }), call: () => ({}) },
            "p",
            "s",
            true,
        ),
    );

    it("resolves known Outputs deeply and unknown ones (as in a preview) to undefined, without waiting", async () => {
        const unknown = pulumi.output("x").apply(() => pulumi.unknown as unknown as string);
        // `isKnown` is internal to the SDK's Output; it is what the harness asks too.
        assert.strictEqual(await (unknown as unknown as { isKnown: Promise<boolean> }).isKnown, false);
        const resolved = await resolveDeep({
            known: pulumi.output([pulumi.output("a"), 2]),
            unknown,
            nested: { promise: Promise.resolve(pulumi.output("b")) },
        });
        assert.deepStrictEqual(resolved, { known: ["a", 2], unknown: undefined, nested: { promise: "b" } });
    });
});
