import * as assert from "node:assert/strict";
import {
    chunk,
    compareIps,
    reconcile,
    type CurrentTarget,
    type ReconcileInput,
} from "../../components/target-sync/reconcile";

const healthy = (...ips: string[]): CurrentTarget[] => ips.map((ip) => ({ ip, state: "healthy" }));

interface Case {
    readonly name: string;
    readonly input: ReconcileInput;
    readonly register: string[];
    readonly deregister: [string, "missed" | "unhealthy"][];
    readonly kept: [string, number][];
    readonly misses: Record<string, number>;
}

const cases: Case[] = [
    {
        name: "first sync registers every found IP",
        input: { found: ["10.0.0.2", "10.0.0.1"], current: [], misses: {}, missesBeforeDeregister: 3 },
        register: ["10.0.0.1", "10.0.0.2"],
        deregister: [],
        kept: [],
        misses: {},
    },
    {
        name: "in sync: nothing to do",
        input: {
            found: ["10.0.0.1", "10.0.0.2"],
            current: healthy("10.0.0.1", "10.0.0.2"),
            misses: {},
            missesBeforeDeregister: 3,
        },
        register: [],
        deregister: [],
        kept: [],
        misses: {},
    },
    {
        name: "duplicates in the lookup are registered once",
        input: { found: ["10.0.0.1", "10.0.0.1"], current: [], misses: {}, missesBeforeDeregister: 3 },
        register: ["10.0.0.1"],
        deregister: [],
        kept: [],
        misses: {},
    },
    {
        name: "a new IP is registered at once while the missing one is kept (first miss)",
        input: {
            found: ["10.0.0.1", "10.0.0.3"],
            current: healthy("10.0.0.1", "10.0.0.2"),
            misses: {},
            missesBeforeDeregister: 3,
        },
        register: ["10.0.0.3"],
        deregister: [],
        kept: [["10.0.0.2", 1]],
        misses: { "10.0.0.2": 1 },
    },
    {
        name: "second consecutive miss below the threshold is kept",
        input: {
            found: ["10.0.0.1"],
            current: healthy("10.0.0.1", "10.0.0.2"),
            misses: { "10.0.0.2": 1 },
            missesBeforeDeregister: 3,
        },
        register: [],
        deregister: [],
        kept: [["10.0.0.2", 2]],
        misses: { "10.0.0.2": 2 },
    },
    {
        name: "the miss that reaches the threshold deregisters",
        input: {
            found: ["10.0.0.1"],
            current: healthy("10.0.0.1", "10.0.0.2"),
            misses: { "10.0.0.2": 2 },
            missesBeforeDeregister: 3,
        },
        register: [],
        deregister: [["10.0.0.2", "missed"]],
        kept: [],
        misses: {},
    },
    {
        name: "threshold 1 deregisters on the first miss",
        input: {
            found: ["10.0.0.1"],
            current: healthy("10.0.0.1", "10.0.0.2"),
            misses: {},
            missesBeforeDeregister: 1,
        },
        register: [],
        deregister: [["10.0.0.2", "missed"]],
        kept: [],
        misses: {},
    },
    {
        name: "a reappearing IP resets its count",
        input: {
            found: ["10.0.0.1", "10.0.0.2"],
            current: healthy("10.0.0.1", "10.0.0.2"),
            misses: { "10.0.0.2": 2 },
            missesBeforeDeregister: 3,
        },
        register: [],
        deregister: [],
        kept: [],
        misses: {},
    },
    {
        name: "a missing target the NLB reports unhealthy goes at once",
        input: {
            found: ["10.0.0.1"],
            current: [...healthy("10.0.0.1"), { ip: "10.0.0.2", state: "unhealthy" }],
            misses: {},
            missesBeforeDeregister: 3,
        },
        register: [],
        deregister: [["10.0.0.2", "unhealthy"]],
        kept: [],
        misses: {},
    },
    {
        name: "a missing target the NLB reports unused goes at once",
        input: {
            found: ["10.0.0.1"],
            current: [...healthy("10.0.0.1"), { ip: "10.0.0.2", state: "unused" }],
            misses: {},
            missesBeforeDeregister: 5,
        },
        register: [],
        deregister: [["10.0.0.2", "unhealthy"]],
        kept: [],
        misses: {},
    },
    {
        name: "an unhealthy target that the lookup still finds is kept (the NLB may recover it)",
        input: {
            found: ["10.0.0.1", "10.0.0.2"],
            current: [...healthy("10.0.0.1"), { ip: "10.0.0.2", state: "unhealthy" }],
            misses: {},
            missesBeforeDeregister: 3,
        },
        register: [],
        deregister: [],
        kept: [],
        misses: {},
    },
    {
        name: "a missing target in initial state waits for the threshold",
        input: {
            found: ["10.0.0.1"],
            current: [...healthy("10.0.0.1"), { ip: "10.0.0.2", state: "initial" }],
            misses: {},
            missesBeforeDeregister: 2,
        },
        register: [],
        deregister: [],
        kept: [["10.0.0.2", 1]],
        misses: { "10.0.0.2": 1 },
    },
    {
        name: "a draining target that is found again is registered again",
        input: {
            found: ["10.0.0.1"],
            current: [{ ip: "10.0.0.1", state: "draining" }],
            misses: {},
            missesBeforeDeregister: 3,
        },
        register: ["10.0.0.1"],
        deregister: [],
        kept: [],
        misses: {},
    },
    {
        name: "a draining target that is missing is left alone and not counted",
        input: {
            found: ["10.0.0.1"],
            current: [...healthy("10.0.0.1"), { ip: "10.0.0.2", state: "draining" }],
            misses: { "10.0.0.2": 2 },
            missesBeforeDeregister: 3,
        },
        register: [],
        deregister: [],
        kept: [],
        misses: {},
    },
    {
        name: "miss counts of IPs no longer registered are dropped",
        input: {
            found: ["10.0.0.1"],
            current: healthy("10.0.0.1"),
            misses: { "10.0.0.9": 2 },
            missesBeforeDeregister: 3,
        },
        register: [],
        deregister: [],
        kept: [],
        misses: {},
    },
    {
        name: "an out-of-band target unknown to the lookup is counted like any missing one",
        input: {
            found: ["10.0.0.1"],
            current: healthy("10.0.0.1", "192.168.1.1"),
            misses: {},
            missesBeforeDeregister: 2,
        },
        register: [],
        deregister: [],
        kept: [["192.168.1.1", 1]],
        misses: { "192.168.1.1": 1 },
    },
    {
        name: "replacement of every IP: all new registered, all old kept on their first miss",
        input: {
            found: ["10.0.1.1", "10.0.1.2"],
            current: healthy("10.0.0.1", "10.0.0.2"),
            misses: {},
            missesBeforeDeregister: 2,
        },
        register: ["10.0.1.1", "10.0.1.2"],
        deregister: [],
        kept: [
            ["10.0.0.1", 1],
            ["10.0.0.2", 1],
        ],
        misses: { "10.0.0.1": 1, "10.0.0.2": 1 },
    },
];

describe("target-sync reconcile core", () => {
    for (const c of cases) {
        it(c.name, () => {
            const plan = reconcile(c.input);
            assert.deepEqual(plan.register, c.register);
            assert.deepEqual(
                plan.deregister.map((d) => [d.ip, d.reason]),
                c.deregister,
            );
            assert.deepEqual(
                plan.kept.map((k) => [k.ip, k.misses]),
                c.kept,
            );
            assert.deepEqual(plan.misses, c.misses);
            assert.equal(plan.noop, c.register.length === 0 && c.deregister.length === 0);
        });
    }

    it("an empty lookup is an error and plans nothing, even with targets registered", () => {
        assert.throws(
            () =>
                reconcile({ found: [], current: healthy("10.0.0.1"), misses: {}, missesBeforeDeregister: 1 }),
            { name: "EmptyLookupError", message: "The lookup found no proxy IPs; nothing was changed." },
        );
    });

    for (const bad of [0, -1, 1.5, Number.NaN]) {
        it(`rejects missesBeforeDeregister ${String(bad)}`, () => {
            assert.throws(
                () =>
                    reconcile({ found: ["10.0.0.1"], current: [], misses: {}, missesBeforeDeregister: bad }),
                { message: `missesBeforeDeregister must be an integer of at least 1, got ${String(bad)}.` },
            );
        });
    }

    it("a flapping IP (missing every other lookup) is never drained", () => {
        let misses: Record<string, number> = {};
        const current = healthy("10.0.0.1", "10.0.0.2");
        for (let round = 0; round < 10; round++) {
            const found = round % 2 === 0 ? ["10.0.0.1"] : ["10.0.0.1", "10.0.0.2"];
            const plan = reconcile({ found, current, misses, missesBeforeDeregister: 2 });
            assert.deepEqual(plan.deregister, [], `round ${round}`);
            misses = plan.misses;
        }
    });

    it("sorts IPs numerically and chunks at the given size", () => {
        assert.deepEqual(["10.0.0.10", "10.0.0.9", "9.0.0.1"].sort(compareIps), [
            "9.0.0.1",
            "10.0.0.9",
            "10.0.0.10",
        ]);
        assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
        assert.deepEqual(chunk([], 100), []);
        assert.deepEqual(chunk([1, 2], 1), [[1], [2]]);
        assert.throws(() => chunk([1], 0), { message: "Chunk size must be a positive integer, got 0." });
    });

    it("orders a shorter address before its extensions, and equal numbers by their text", () => {
        // A missing part counts below 0, so "10.0.0" sorts before "10.0.0.0".
        assert.ok(compareIps("10.0.0", "10.0.0.0") < 0);
        assert.ok(compareIps("10.0.0.0", "10.0.0") > 0);
        // Numerically equal parts written differently still get a stable order.
        assert.ok(compareIps("10.0.0.1", "10.0.0.01") > 0);
        assert.ok(compareIps("10.0.0.01", "10.0.0.1") < 0);
        assert.equal(compareIps("10.0.0.1", "10.0.0.1"), 0);
        // Parts are compared as far as the longer address goes, not only the shorter one.
        assert.ok(compareIps("1.2", "1.02.3") < 0);
    });

    it("treats an unhealthy target that is draining as leaving: found again, it is registered again", () => {
        const plan = reconcile({
            found: ["10.0.0.1"],
            current: [{ ip: "10.0.0.1", state: "unhealthy.draining" }],
            misses: {},
            missesBeforeDeregister: 3,
        });
        assert.deepEqual(plan.register, ["10.0.0.1"]);
        assert.deepEqual(plan.deregister, []);
    });
});
