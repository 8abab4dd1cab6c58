/**
 * The reconcile core: a pure function from (what a lookup found, what the target group holds, the miss state)
 * to (what to register, what to deregister, the next miss state). No I/O, no clock, no randomness, so every
 * rule of DESIGN.md §4 is unit-tested table-driven, and the dynamic provider, the Lambda and the CLI cannot
 * disagree about what "in sync" means.
 *
 * Kept free of classes and module-level state on purpose: the dynamic provider captures these functions
 * and Pulumi serializes them by value (see provider.ts).
 */

/** One target currently in the target group on the sync's port, with the health the NLB reports for it. */
export interface CurrentTarget {
    /** The target's IPv4 address. */
    readonly ip: string;
    /** NLB target health state: initial, healthy, unhealthy, unused, draining, unavailable, ... */
    readonly state: string;
}

/** Consecutive-miss counts, by IP, of targets that are registered but were missing from recent lookups. */
export type MissState = Readonly<Record<string, number>>;

export interface ReconcileInput {
    /** IPs the lookup found (duplicates allowed). An empty list is an error, never "deregister all". */
    readonly found: readonly string[];
    /** The target group's targets on the sync's port. */
    readonly current: readonly CurrentTarget[];
    /** Miss counts carried over from the previous sync. */
    readonly misses: MissState;
    /** Consecutive misses after which a missing, still-healthy target is deregistered (at least 1). */
    readonly missesBeforeDeregister: number;
}

/** Why a missing target was deregistered. */
export type DeregisterReason = "missed" | "unhealthy";

export interface ReconcilePlan {
    /** IPs found by the lookup, deduplicated and sorted. */
    readonly found: string[];
    /** IPs to register now (found, not registered or draining). */
    readonly register: string[];
    /** IPs to deregister now, sorted, with the reason of each. */
    readonly deregister: { readonly ip: string; readonly reason: DeregisterReason }[];
    /** Registered IPs missing from the lookup that are kept for now, with their new miss count. */
    readonly kept: { readonly ip: string; readonly misses: number }[];
    /** Miss state to persist for the next sync. */
    readonly misses: Record<string, number>;
    /** True when nothing is registered or deregistered. */
    readonly noop: boolean;
}

/**
 * Health states in which a missing target is deregistered without waiting for the miss threshold: the NLB
 * itself says it cannot serve traffic. `unused` means the target is not in use by a load balancer or its AZ
 * is not enabled; `unhealthy` means failed health checks.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 */
export const DEREGISTER_AT_ONCE_STATES: readonly string[] = ["unhealthy", "unused"];

/**
 * States of a target that is already on its way out. Such a target is not counted as registered: if the
 * lookup finds it again it is registered again, if not it is left alone.
 */
export const LEAVING_STATES: readonly string[] = ["draining", "unhealthy.draining"];

/** Compares dotted-quad IPv4 addresses numerically so plans and logs are stable and readable. */
export function compareIps(a: string, b: string): number {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? -1) - (pb[i] ?? -1);
        if (d !== 0) {
            return d;
        }
    }
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Throws when the threshold is not a positive integer; shared by every entry point's validation. */
export function validateThreshold(missesBeforeDeregister: number): void {
    if (!Number.isInteger(missesBeforeDeregister) || missesBeforeDeregister < 1) {
        throw new Error(
            `missesBeforeDeregister must be an integer of at least 1, got ${String(missesBeforeDeregister)}.`,
        );
    }
}

/**
 * Computes the plan. Throws (changing nothing) when the lookup found nothing: an empty answer is far more
 * likely a broken lookup than a proxy without IPs, and acting on it would drain every target.
 */
export function reconcile(input: ReconcileInput): ReconcilePlan {
    validateThreshold(input.missesBeforeDeregister);
    const found = Array.from(new Set(input.found)).sort(compareIps);
    if (found.length === 0) {
        const e = new Error("The lookup found no proxy IPs; nothing was changed.");
        e.name = "EmptyLookupError";
        throw e;
    }
    const foundSet = new Set(found);

    const registered = new Map<string, string>();
    for (const t of input.current) {
        if (!LEAVING_STATES.includes(t.state)) {
            registered.set(t.ip, t.state);
        }
    }

    const register = found.filter((ip) => !registered.has(ip));
    const deregister: { ip: string; reason: DeregisterReason }[] = [];
    const kept: { ip: string; misses: number }[] = [];
    const misses: Record<string, number> = {};

    for (const ip of Array.from(registered.keys()).sort(compareIps)) {
        if (foundSet.has(ip)) {
            // A reappearing IP loses its count: only *consecutive* misses count.
            continue;
        }
        const count = (input.misses[ip] ?? 0) + 1;
        const state = registered.get(ip) as string;
        if (DEREGISTER_AT_ONCE_STATES.includes(state)) {
            deregister.push({ ip, reason: "unhealthy" });
        } else if (count >= input.missesBeforeDeregister) {
            deregister.push({ ip, reason: "missed" });
        } else {
            kept.push({ ip, misses: count });
            misses[ip] = count;
        }
    }

    return {
        found,
        register,
        deregister,
        kept,
        misses,
        noop: register.length === 0 && deregister.length === 0,
    };
}

/** Splits a list into chunks of at most `size` items (the per-call limit of a batched API). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
    if (!Number.isInteger(size) || size < 1) {
        throw new Error(`Chunk size must be a positive integer, got ${String(size)}.`);
    }
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) {
        out.push(items.slice(i, i + size));
    }
    return out;
}
