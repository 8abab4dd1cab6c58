/**
 * Property-based tests of the reconcile core (components/target-sync/reconcile.ts).
 *
 * What they prove: for every input drawn here (IPv4 addresses from a small pool, so that `found`, `current` and
 * the miss state overlap often; every target health state the NLB reports; miss counts 0-120; thresholds 1-100),
 * - the target group is never emptied: after applying a plan every found IP is in the group in a serving
 *   (non-leaving) state, a found healthy target is never touched, and a healthy target goes only after it was
 *   missing from `missesBeforeDeregister` consecutive lookups;
 * - a plan registers only found IPs, deregisters only registered ones, never both for the same IP, and says
 *   exactly why each target goes;
 * - re-planning after applying a plan registers nothing, only advances the miss count of the targets the plan
 *   kept, and iterating with the same lookup converges to "the group holds exactly the found IPs" within
 *   `missesBeforeDeregister` syncs;
 * - an empty lookup or an invalid threshold throws and never yields a plan;
 * - the plan depends on the found IPs as a set (order and duplicates do not matter), not on the order of the
 *   current targets, and the inputs are not mutated.
 *
 * What they cannot prove: that the inputs describe AWS faithfully (what DescribeTargetHealth returns, how a
 * registered target moves through its health states, that deregistering a target moves it to `draining`); the
 * model of "applying a plan" below is an assumption (registered IPs show up as `initial` or `healthy`,
 * deregistered ones vanish or show up as `draining`). The NLB reports one entry per target and port, so `current`
 * never holds the same IP twice here. Calls to ELBv2, batching and the persistence of the miss state are covered
 * by the integration tests against moto.
 *
 * Note on "a plan never deregisters every healthy target": that stronger wording does not hold and is not one of
 * the core's rules. A healthy target the lookup no longer finds goes once it has been missed
 * `missesBeforeDeregister` consecutive times, whatever the health of the found IPs that stay. fast-check's
 * smallest counterexample: found ["9.0.0.1"], current [9.0.0.1 initial, 10.0.0.1 healthy], misses {},
 * threshold 1: 10.0.0.1 is deregistered and the group is left with 9.0.0.1 still `initial` (not yet healthy).
 * The same happens with any threshold once the miss count reaches it. The invariant proven below is the
 * strongest that the rules of DESIGN.md §4 give.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
    DEREGISTER_AT_ONCE_STATES,
    LEAVING_STATES,
    compareIps,
    reconcile,
    type CurrentTarget,
    type ReconcileInput,
    type ReconcilePlan,
} from "../../components/target-sync/reconcile";

const NUM_RUNS = 1000;

/** Small pool so overlaps are frequent; includes addresses whose string order differs from numeric order. */
const POOL = [
    "10.0.0.1",
    "10.0.0.2",
    "10.0.0.3",
    "10.0.0.9",
    "10.0.0.10",
    "10.0.1.1",
    "9.0.0.1",
    "192.168.1.1",
];

/** Every TargetHealth state the NLB reports. */
const STATES = ["initial", "healthy", "unhealthy", "unused", "draining", "unhealthy.draining", "unavailable"];

const arbIp = fc.constantFrom(...POOL);
const arbFound = fc.array(arbIp, { minLength: 1, maxLength: 12 });
const arbCurrent = fc.uniqueArray(fc.record({ ip: arbIp, state: fc.constantFrom(...STATES) }), {
    selector: (t) => t.ip,
    maxLength: POOL.length,
});
const arbMisses = fc.dictionary(arbIp, fc.integer({ min: 0, max: 120 }));
const arbThreshold = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1, 2, 3, 100));

const arbInput: fc.Arbitrary<ReconcileInput> = fc.record({
    found: arbFound,
    current: arbCurrent,
    misses: arbMisses,
    missesBeforeDeregister: arbThreshold,
});

/** How the target group looks after a plan was carried out (see the file's comment for the assumptions). */
interface ApplyModel {
    /** State in which a newly registered IP is reported. */
    readonly registeredAs: "initial" | "healthy";
    /** Whether a deregistered target is still reported (as draining) or already gone. */
    readonly deregisteredDrain: boolean;
}

const arbApply: fc.Arbitrary<ApplyModel> = fc.record({
    registeredAs: fc.constantFrom("initial" as const, "healthy" as const),
    deregisteredDrain: fc.boolean(),
});

function apply(current: readonly CurrentTarget[], plan: ReconcilePlan, model: ApplyModel): CurrentTarget[] {
    const group = new Map(current.map((t) => [t.ip, t.state]));
    for (const d of plan.deregister) {
        if (model.deregisteredDrain) {
            group.set(d.ip, "draining");
        } else {
            group.delete(d.ip);
        }
    }
    for (const ip of plan.register) {
        group.set(ip, model.registeredAs);
    }
    return Array.from(group, ([ip, state]) => ({ ip, state }));
}

/** IPs the NLB counts as registered (not on their way out). */
function serving(current: readonly CurrentTarget[]): Set<string> {
    return new Set(current.filter((t) => !LEAVING_STATES.includes(t.state)).map((t) => t.ip));
}

function isSortedUnique(ips: readonly string[]): boolean {
    return ips.every((ip, i) => i === 0 || compareIps(ips[i - 1], ip) < 0);
}

describe("target-sync reconcile core (properties)", () => {
    it("never empties the group: every found IP serves afterwards, and a healthy target goes only after threshold consecutive misses", () => {
        fc.assert(
            fc.property(arbInput, arbApply, (input, model) => {
                const plan = reconcile(input);
                const after = apply(input.current, plan, model);
                const afterServing = serving(after);
                const foundSet = new Set(input.found);

                // (i) Every found IP is in the group in a serving state, so the group is never empty.
                for (const ip of foundSet) {
                    assert.ok(afterServing.has(ip), `found ${ip} is not serving after the plan`);
                }
                assert.ok(afterServing.size > 0);

                const gone = new Map(plan.deregister.map((d) => [d.ip, d.reason]));
                const healthyBefore = input.current.filter((t) => t.state === "healthy");
                for (const t of healthyBefore) {
                    if (foundSet.has(t.ip)) {
                        // (ii) A found healthy target is left untouched.
                        assert.ok(!gone.has(t.ip), `found healthy ${t.ip} deregistered`);
                        assert.ok(!plan.register.includes(t.ip), `found healthy ${t.ip} registered again`);
                    } else if (gone.has(t.ip)) {
                        // (iii) A healthy target goes only as "missed", once its consecutive misses reach the threshold.
                        assert.equal(gone.get(t.ip), "missed");
                        assert.ok((input.misses[t.ip] ?? 0) + 1 >= input.missesBeforeDeregister);
                    }
                }

                // (iv) If the group had a healthy target, one remains unless every healthy target was missed
                // threshold consecutive times; in that case (i) still leaves every found IP serving.
                if (healthyBefore.length > 0) {
                    const healthyRemains = healthyBefore.some((t) => !gone.has(t.ip));
                    const allMissedOut = healthyBefore.every(
                        (t) =>
                            !foundSet.has(t.ip) &&
                            (input.misses[t.ip] ?? 0) + 1 >= input.missesBeforeDeregister,
                    );
                    assert.ok(healthyRemains || allMissedOut);
                }
            }),
            { numRuns: NUM_RUNS },
        );
    });

    it("from a fresh miss state with a threshold of 2 or more, one sync removes only unhealthy or unused targets", () => {
        fc.assert(
            fc.property(
                arbFound,
                arbCurrent,
                fc.integer({ min: 2, max: 100 }),
                (found, current, threshold) => {
                    const plan = reconcile({ found, current, misses: {}, missesBeforeDeregister: threshold });
                    const healthy = new Set(current.filter((t) => t.state === "healthy").map((t) => t.ip));
                    assert.deepEqual(
                        plan.deregister.filter((d) => healthy.has(d.ip)),
                        [],
                    );
                    // Only the states in which the NLB says the target cannot serve go at once. Stated here
                    // independently of DEREGISTER_AT_ONCE_STATES so that widening that list is caught.
                    const stateOf = new Map(current.map((t) => [t.ip, t.state]));
                    for (const d of plan.deregister) {
                        assert.equal(d.reason, "unhealthy");
                        assert.ok(["unhealthy", "unused"].includes(stateOf.get(d.ip) as string), d.ip);
                    }
                },
            ),
            { numRuns: NUM_RUNS },
        );
    });

    it("registers only found IPs, deregisters only registered ones, never both, each for its rule", () => {
        fc.assert(
            fc.property(arbInput, (input) => {
                const plan = reconcile(input);
                const foundSet = new Set(input.found);
                const registered = serving(input.current);
                const stateOf = new Map(input.current.map((t) => [t.ip, t.state]));
                const deregistered = plan.deregister.map((d) => d.ip);

                // Exactly the found IPs that are not registered (draining ones included) are registered.
                assert.deepEqual(
                    plan.register,
                    [...foundSet].filter((ip) => !registered.has(ip)).sort(compareIps),
                );
                assert.ok(deregistered.every((ip) => registered.has(ip) && !foundSet.has(ip)));
                assert.ok(plan.register.every((ip) => !deregistered.includes(ip)));
                assert.ok(
                    plan.kept.every((k) => !plan.register.includes(k.ip) && !deregistered.includes(k.ip)),
                );

                // Every registered, missing target is either deregistered or kept, exactly once.
                const missing = [...registered].filter((ip) => !foundSet.has(ip)).sort(compareIps);
                assert.deepEqual([...deregistered, ...plan.kept.map((k) => k.ip)].sort(compareIps), missing);

                for (const d of plan.deregister) {
                    const atOnce = DEREGISTER_AT_ONCE_STATES.includes(stateOf.get(d.ip) as string);
                    assert.equal(d.reason, atOnce ? "unhealthy" : "missed");
                    if (!atOnce) {
                        assert.ok((input.misses[d.ip] ?? 0) + 1 >= input.missesBeforeDeregister);
                    }
                }
                for (const k of plan.kept) {
                    assert.ok(!DEREGISTER_AT_ONCE_STATES.includes(stateOf.get(k.ip) as string));
                    assert.equal(k.misses, (input.misses[k.ip] ?? 0) + 1);
                    assert.ok(k.misses < input.missesBeforeDeregister);
                }
                // The persisted miss state holds the kept targets only; stale and reappearing counts are dropped.
                assert.deepEqual(plan.misses, Object.fromEntries(plan.kept.map((k) => [k.ip, k.misses])));

                assert.equal(plan.noop, plan.register.length === 0 && plan.deregister.length === 0);
                assert.ok(isSortedUnique(plan.found));
                assert.ok(isSortedUnique(plan.register));
                assert.ok(isSortedUnique(deregistered));
                assert.ok(isSortedUnique(plan.kept.map((k) => k.ip)));
            }),
            { numRuns: NUM_RUNS },
        );
    });

    it("re-planning after applying a plan registers nothing and only advances the kept targets' misses", () => {
        // A literal "the second plan is a no-op" does not hold: a kept target is still missing from the same
        // lookup, which is one more consecutive miss (e.g. found ["10.0.0.1"], current [10.0.0.10 initial],
        // misses {"10.0.0.10": 1}, threshold 3: the first plan keeps it with 2 misses, the second deregisters
        // it). It is a no-op exactly when no kept target reaches the threshold on its next miss.
        fc.assert(
            fc.property(arbInput, arbApply, (input, model) => {
                const first = reconcile(input);
                const current = apply(input.current, first, model);
                const second = reconcile({
                    found: input.found,
                    current,
                    misses: first.misses,
                    missesBeforeDeregister: input.missesBeforeDeregister,
                });
                const t = input.missesBeforeDeregister;

                assert.deepEqual(second.found, first.found);
                assert.deepEqual(second.register, []);
                assert.deepEqual(
                    second.deregister,
                    first.kept.filter((k) => k.misses + 1 >= t).map((k) => ({ ip: k.ip, reason: "missed" })),
                );
                assert.deepEqual(
                    second.kept,
                    first.kept
                        .filter((k) => k.misses + 1 < t)
                        .map((k) => ({ ip: k.ip, misses: k.misses + 1 })),
                );
                assert.equal(
                    second.noop,
                    first.kept.every((k) => k.misses + 1 < t),
                );
                if (first.kept.length === 0) {
                    assert.ok(second.noop);
                    assert.deepEqual(second.misses, {});
                }
            }),
            { numRuns: NUM_RUNS },
        );
    });

    it("syncing with the same lookup converges to exactly the found IPs within threshold syncs, never emptying the group", () => {
        fc.assert(
            fc.property(
                arbFound,
                arbCurrent,
                arbMisses,
                fc.integer({ min: 1, max: 12 }),
                arbApply,
                (found, start, misses0, threshold, model) => {
                    let current: CurrentTarget[] = [...start];
                    let misses: Record<string, number> = { ...misses0 };
                    const foundSet = new Set(found);
                    for (let sync = 1; sync <= threshold; sync++) {
                        const plan = reconcile({ found, current, misses, missesBeforeDeregister: threshold });
                        current = apply(current, plan, model);
                        misses = plan.misses;
                        const s = serving(current);
                        assert.ok(
                            [...foundSet].every((ip) => s.has(ip)),
                            `sync ${sync}: a found IP is not serving`,
                        );
                    }
                    assert.deepEqual([...serving(current)].sort(compareIps), [...foundSet].sort(compareIps));
                    const last = reconcile({ found, current, misses, missesBeforeDeregister: threshold });
                    assert.ok(last.noop);
                    assert.deepEqual(last.misses, {});
                },
            ),
            { numRuns: NUM_RUNS },
        );
    });

    it("an empty lookup throws EmptyLookupError and never yields a plan", () => {
        fc.assert(
            fc.property(arbCurrent, arbMisses, arbThreshold, (current, misses, threshold) => {
                let plan: ReconcilePlan | undefined;
                assert.throws(
                    () => {
                        plan = reconcile({ found: [], current, misses, missesBeforeDeregister: threshold });
                    },
                    { name: "EmptyLookupError" },
                );
                assert.equal(plan, undefined);
            }),
            { numRuns: NUM_RUNS },
        );
    });

    it("an invalid threshold throws and never yields a plan, whatever the lookup", () => {
        const arbBadThreshold = fc.oneof(
            fc.integer({ min: -1000, max: 0 }),
            fc.double({ noInteger: true }),
            fc.constantFrom(0, -1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        );
        fc.assert(
            fc.property(
                fc.array(arbIp, { maxLength: 12 }),
                arbCurrent,
                arbMisses,
                arbBadThreshold,
                (found, current, misses, bad) => {
                    let plan: ReconcilePlan | undefined;
                    assert.throws(() => {
                        plan = reconcile({ found, current, misses, missesBeforeDeregister: bad });
                    }, /missesBeforeDeregister must be an integer of at least 1|no proxy IPs/);
                    assert.equal(plan, undefined);
                },
            ),
            { numRuns: NUM_RUNS },
        );
    });

    it("depends on the found IPs as a set: order and duplicates do not matter, nor the order of current", () => {
        const arbCase = arbInput.chain((input) =>
            fc.record({
                input: fc.constant(input),
                found: fc.array(fc.constantFrom(...input.found), { maxLength: 12 }).chain((extra) =>
                    fc.shuffledSubarray([...input.found, ...extra], {
                        minLength: input.found.length + extra.length,
                    }),
                ),
                current: fc.shuffledSubarray([...input.current], { minLength: input.current.length }),
            }),
        );
        fc.assert(
            fc.property(arbCase, ({ input, found, current }) => {
                const plan = reconcile(input);
                assert.deepEqual(reconcile({ ...input, found, current }), plan);
                assert.deepEqual(plan.found, [...new Set(input.found)].sort(compareIps));
            }),
            { numRuns: NUM_RUNS },
        );
    });

    it("is pure: frozen inputs are accepted, left unchanged, and give the same plan twice", () => {
        fc.assert(
            fc.property(arbInput, (input) => {
                const snapshot = structuredClone(input);
                const frozen: ReconcileInput = Object.freeze({
                    found: Object.freeze([...input.found]),
                    current: Object.freeze(input.current.map((t) => Object.freeze({ ...t }))),
                    misses: Object.freeze({ ...input.misses }),
                    missesBeforeDeregister: input.missesBeforeDeregister,
                });
                const a = reconcile(frozen);
                const b = reconcile(frozen);
                assert.deepEqual(a, b);
                assert.notEqual(a.misses, frozen.misses);
                assert.deepEqual(frozen, snapshot);
            }),
            { numRuns: NUM_RUNS },
        );
    });
});
