/**
 * The consumer's pure logic: AZ-ID matching, the AZ choice of a new VPC, and the choice of the endpoint's
 * regional DNS entry. What these tests cannot prove: which AZ IDs AWS actually offers, or the real order of
 * an endpoint's DNS entries; they take those as given.
 */
import * as assert from "assert";
import { chooseZones, matchZones, ZoneMatch } from "../../components/consumer/az-match";
import { regionalDnsEntry } from "../../components/consumer/dns-entry";

describe("consumer AZ matching", () => {
    const cases: { name: string; offered: string[]; subnets: string[]; expected: ZoneMatch }[] = [
        {
            name: "one offered AZ, present",
            offered: ["euw1-az1"],
            subnets: ["euw1-az1", "euw1-az2"],
            expected: {
                subnetIndexes: [0],
                sharedAzIds: ["euw1-az1"],
                offeredOnly: [],
                consumerOnly: ["euw1-az2"],
            },
        },
        {
            name: "one offered AZ, absent",
            offered: ["euw1-az3"],
            subnets: ["euw1-az1", "euw1-az2"],
            expected: {
                subnetIndexes: [],
                sharedAzIds: [],
                offeredOnly: ["euw1-az3"],
                consumerOnly: ["euw1-az1", "euw1-az2"],
            },
        },
        {
            name: "two offered AZs, both present",
            offered: ["euw1-az1", "euw1-az2"],
            subnets: ["euw1-az1", "euw1-az2"],
            expected: {
                subnetIndexes: [0, 1],
                sharedAzIds: ["euw1-az1", "euw1-az2"],
                offeredOnly: [],
                consumerOnly: [],
            },
        },
        {
            name: "two offered AZs, one present",
            offered: ["euw1-az2", "euw1-az3"],
            subnets: ["euw1-az1", "euw1-az2"],
            expected: {
                subnetIndexes: [1],
                sharedAzIds: ["euw1-az2"],
                offeredOnly: ["euw1-az3"],
                consumerOnly: ["euw1-az1"],
            },
        },
        {
            name: "three offered AZs, subnets in a different order: subnet order wins",
            offered: ["euw1-az1", "euw1-az2", "euw1-az3"],
            subnets: ["euw1-az3", "euw1-az1"],
            expected: {
                subnetIndexes: [0, 1],
                sharedAzIds: ["euw1-az3", "euw1-az1"],
                offeredOnly: ["euw1-az2"],
                consumerOnly: [],
            },
        },
        {
            name: "three offered AZs, all present",
            offered: ["euw1-az1", "euw1-az2", "euw1-az3"],
            subnets: ["euw1-az1", "euw1-az2", "euw1-az3"],
            expected: {
                subnetIndexes: [0, 1, 2],
                sharedAzIds: ["euw1-az1", "euw1-az2", "euw1-az3"],
                offeredOnly: [],
                consumerOnly: [],
            },
        },
        {
            name: "two subnets in one AZ: the first is used",
            offered: ["euw1-az1", "euw1-az2"],
            subnets: ["euw1-az2", "euw1-az2", "euw1-az1"],
            expected: {
                subnetIndexes: [0, 2],
                sharedAzIds: ["euw1-az2", "euw1-az1"],
                offeredOnly: [],
                consumerOnly: [],
            },
        },
    ];
    for (const c of cases) {
        it(c.name, () => assert.deepStrictEqual(matchZones(c.offered, c.subnets), c.expected));
    }
});

describe("consumer AZ choice for a new VPC", () => {
    // The app account's names map to other IDs than the db account's: eu-west-1a is euw1-az2 here.
    const zones = [
        { name: "eu-west-1a", id: "euw1-az2" },
        { name: "eu-west-1b", id: "euw1-az3" },
        { name: "eu-west-1c", id: "euw1-az1" },
    ];
    const cases: { name: string; offered: string[]; count: number; expected: string[] | undefined }[] = [
        {
            name: "all offered: by name",
            offered: ["euw1-az1", "euw1-az2", "euw1-az3"],
            count: 2,
            expected: ["eu-west-1a", "eu-west-1b"],
        },
        {
            name: "offered AZs first",
            offered: ["euw1-az1", "euw1-az3"],
            count: 2,
            expected: ["eu-west-1b", "eu-west-1c"],
        },
        {
            name: "one offered, then by name",
            offered: ["euw1-az1"],
            count: 2,
            expected: ["eu-west-1a", "eu-west-1c"],
        },
        {
            name: "none offered: by name",
            offered: ["use1-az1"],
            count: 2,
            expected: ["eu-west-1a", "eu-west-1b"],
        },
        {
            name: "all three",
            offered: ["euw1-az1"],
            count: 3,
            expected: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        },
        { name: "more than the region has", offered: ["euw1-az1"], count: 4, expected: undefined },
    ];
    for (const c of cases) {
        it(c.name, () =>
            assert.deepStrictEqual(
                chooseZones(zones, c.offered, c.count)?.map((z) => z.name),
                c.expected,
            ),
        );
    }
});

describe("consumer regional DNS entry", () => {
    const regional = {
        dnsName: "vpce-0abc-defg.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
        hostedZoneId: "Z1",
    };
    const zonalA = {
        dnsName: "vpce-0abc-defg-eu-west-1a.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
        hostedZoneId: "Z2",
    };
    const zonalB = {
        dnsName: "vpce-0abc-defg-eu-west-1b.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
        hostedZoneId: "Z3",
    };
    const cases = [
        {
            name: "regional first (as AWS lists them)",
            entries: [regional, zonalA, zonalB],
            expected: regional,
        },
        { name: "regional after zonal ones", entries: [zonalA, zonalB, regional], expected: regional },
        { name: "only zonal entries: the first", entries: [zonalB, zonalA], expected: zonalB },
        { name: "no entries", entries: [], expected: undefined },
        { name: "entries unknown", entries: undefined, expected: undefined },
    ];
    for (const c of cases) {
        it(c.name, () => assert.deepStrictEqual(regionalDnsEntry(c.entries), c.expected));
    }
});
