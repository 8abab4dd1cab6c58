/**
 * Pure AZ logic of the consumer side. PrivateLink offers an endpoint service only in the AZs of its load
 * balancer, and an interface endpoint can use a subnet only in one of those. AZ *names* are shuffled per
 * account (eu-west-1a is not the same zone in two accounts); AZ *IDs* (euw1-az1) are not, so everything here
 * compares IDs.
 */

/** The result of matching the consumer's subnets against the AZ IDs an endpoint service is offered in. */
export interface ZoneMatch {
    /** Indexes into the consumer's subnets to place the endpoint in: one per shared AZ ID, in subnet order. */
    readonly subnetIndexes: number[];
    /** AZ IDs both sides have, in subnet order. */
    readonly sharedAzIds: string[];
    /** AZ IDs the service is offered in that no consumer subnet is in. */
    readonly offeredOnly: string[];
    /** AZ IDs of consumer subnets in which the service is not offered. */
    readonly consumerOnly: string[];
}

/**
 * Matches subnets (given by their AZ IDs, in order) against the service's AZ IDs. When several subnets share
 * an AZ ID, the first is used: an interface endpoint takes at most one subnet per AZ.
 */
export function matchZones(offeredAzIds: readonly string[], subnetAzIds: readonly string[]): ZoneMatch {
    const offered = new Set(offeredAzIds);
    const subnetIndexes: number[] = [];
    const sharedAzIds: string[] = [];
    subnetAzIds.forEach((azId, index) => {
        if (offered.has(azId) && !sharedAzIds.includes(azId)) {
            subnetIndexes.push(index);
            sharedAzIds.push(azId);
        }
    });
    const present = new Set(subnetAzIds);
    return {
        subnetIndexes,
        sharedAzIds,
        offeredOnly: offeredAzIds.filter((id) => !present.has(id)),
        consumerOnly: [...new Set(subnetAzIds)].filter((id) => !offered.has(id)),
    };
}

/** An AZ of the consumer's region: its name in this account and its ID. */
export interface Zone {
    readonly name: string;
    readonly id: string;
}

/**
 * Chooses `count` AZs for a new consumer VPC: AZs the service is offered in first, then the others, each group
 * by name so that the choice is stable across runs. The result is sorted by name. Returns undefined when the
 * region has fewer than `count` AZs.
 */
export function chooseZones(
    zones: readonly Zone[],
    offeredAzIds: readonly string[],
    count: number,
): Zone[] | undefined {
    if (zones.length < count) return undefined;
    const offered = new Set(offeredAzIds);
    const byName = (a: Zone, b: Zone) => a.name.localeCompare(b.name);
    const preferred = zones.filter((z) => offered.has(z.id)).sort(byName);
    const others = zones.filter((z) => !offered.has(z.id)).sort(byName);
    return [...preferred, ...others].slice(0, count).sort(byName);
}
