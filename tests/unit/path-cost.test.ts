/**
 * The path cost bench's arithmetic (bench/path-cost.ts) on small configs, and its command line (bench/args.ts).
 * Every expected amount is computed here from the named prices of bench/aws-prices.ts, so that these tests say how
 * a config is counted, never what AWS charges: a price that changes changes no test. What they cannot prove: that
 * the prices are AWS's (docs/paths.md says which are unconfirmed).
 */
import * as assert from "assert";
import { parseBenchArgs } from "../../bench/args";
import { HOURS_PER_MONTH, PRICES } from "../../bench/aws-prices";
import {
    instanceClassVcpus,
    pathCosts,
    runsPerMonth,
    subtotal,
    SYNC_BILLED_SECONDS,
    SYNC_MEMORY_GB,
    type PathCost,
    type PathCostInput,
} from "../../bench/path-cost";

const month = (name: keyof typeof PRICES, quantity: number) => quantity * PRICES[name].usd * HOURS_PER_MONTH;

/** The sync Lambdas' cost: `functions` functions run `runs` times each. */
const syncCost = (functions: number, runs: number) =>
    functions *
    runs *
    (PRICES.lambdaRequest.usd + SYNC_MEMORY_GB * SYNC_BILLED_SECONDS * PRICES.lambdaArmGbSecond.usd);

const small: PathCostInput = {
    azCount: 2,
    readOnlyEndpoint: false,
    sync: { source: "eni", schedule: "rate(1 minute)", reusesElbEndpoint: false },
    database: { kind: "provisioned", instanceClass: "db.r6g.large", instances: 1 },
    consumers: [
        { name: "a", azCount: 2, azSource: "a's file" },
        { name: "b", azCount: 1, azSource: "b's file" },
    ],
};

function byPath(input: PathCostInput): { nlb: PathCost; lattice: PathCost } {
    const [nlb, lattice] = pathCosts(input);
    assert.deepStrictEqual([nlb.path, lattice.path], ["privatelink-nlb", "vpc-lattice"]);
    return { nlb, lattice };
}

const near = (actual: number, expected: number) =>
    assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);

describe("path cost: schedules and instance classes", () => {
    it("counts a rate schedule's runs in AWS's 730-hour month, and bounds a cron one at a run a minute", () => {
        assert.deepStrictEqual(runsPerMonth("rate(1 minute)"), { runs: 43800, atMost: false });
        assert.deepStrictEqual(runsPerMonth("rate(5 minutes)"), { runs: 8760, atMost: false });
        assert.deepStrictEqual(runsPerMonth("rate(2 hours)"), { runs: 365, atMost: false });
        assert.deepStrictEqual(runsPerMonth("rate(1 day)"), { runs: 730 / 24, atMost: false });
        assert.deepStrictEqual(runsPerMonth("cron(0 12 * * ? *)"), { runs: 43800, atMost: true });
    });

    it("knows the vCPUs of the memory-optimized and burstable classes, and no others", () => {
        const table: [string, number | undefined][] = [
            ["db.r6g.large", 2],
            ["db.r6g.xlarge", 4],
            ["db.r7g.2xlarge", 8],
            ["db.r8g.16xlarge", 64],
            ["db.x2g.12xlarge", 48],
            ["db.t4g.medium", 2],
            ["db.t3.large", 2],
            ["db.t3.small", undefined],
            ["db.m5.large", undefined],
            ["db.serverless", undefined],
        ];
        for (const [cls, vcpus] of table) assert.strictEqual(instanceClassVcpus(cls), vcpus, cls);
    });
});

describe("path cost: what each path creates", () => {
    it("prices one NLB, one sync and one interface endpoint per consumer AZ; Lattice a resource endpoint per AZ", () => {
        const { nlb, lattice } = byPath(small);
        const proxy = month("proxyVcpuHour", 2);
        near(subtotal(nlb, "producer"), proxy + month("nlbHour", 1) + syncCost(1, 43800));
        near(subtotal(nlb, "a"), month("interfaceEndpointHourPerAz", 2));
        near(subtotal(nlb, "b"), month("interfaceEndpointHourPerAz", 1));
        near(nlb.total, subtotal(nlb, "producer") + subtotal(nlb, "a") + subtotal(nlb, "b"));
        near(
            subtotal(lattice, "producer"),
            proxy + month("resourceGatewayHour", 1) + month("resourceConfigurationHour", 1),
        );
        near(subtotal(lattice, "a"), month("resourceEndpointHourPerAz", 2));
        near(subtotal(lattice, "b"), month("resourceEndpointHourPerAz", 1));
        assert.strictEqual(nlb.partial, false);
        assert.deepStrictEqual(
            nlb.lines.map((l) => [l.payer, l.price, l.quantity]),
            [
                ["producer", "proxyVcpuHour", 2],
                ["producer", "nlbHour", 1],
                ["producer", "endpointServiceHour", 1],
                ["producer", "lambdaRequest", 43800],
                ["producer", "lambdaArmGbSecond", 43800 * SYNC_MEMORY_GB * SYNC_BILLED_SECONDS],
                ["a", "interfaceEndpointHourPerAz", 2],
                ["b", "interfaceEndpointHourPerAz", 1],
            ],
        );
    });

    it("doubles what each proxy endpoint adds with a read-only endpoint, and adds the dns sync's ELB endpoint", () => {
        const input: PathCostInput = {
            ...small,
            azCount: 3,
            readOnlyEndpoint: true,
            sync: { source: "dns", schedule: "rate(5 minutes)", reusesElbEndpoint: false },
            database: { kind: "provisioned", instanceClass: "db.r6g.xlarge", instances: 3 },
            consumers: [{ name: "a", azCount: 3, azSource: "" }],
        };
        const { nlb, lattice } = byPath(input);
        const proxy = month("proxyVcpuHour", 12);
        near(
            subtotal(nlb, "producer"),
            proxy + month("nlbHour", 1) + syncCost(2, 8760) + month("interfaceEndpointHourPerAz", 3),
        );
        // One interface endpoint carries both listeners; Lattice needs a resource endpoint per resource configuration.
        near(subtotal(nlb, "a"), month("interfaceEndpointHourPerAz", 3));
        near(subtotal(lattice, "a"), month("resourceEndpointHourPerAz", 6));
        assert.strictEqual(lattice.lines.find((l) => l.price === "resourceConfigurationHour")?.quantity, 2);
    });

    it("adds no ELB endpoint when the existing VPC's own is reused", () => {
        const { nlb } = byPath({
            ...small,
            sync: { source: "dns", schedule: "rate(1 minute)", reusesElbEndpoint: true },
        });
        assert.strictEqual(
            nlb.lines.filter((l) => l.price === "interfaceEndpointHourPerAz" && l.payer === "producer")
                .length,
            0,
        );
    });

    it("says the proxy is not computed, and the total a lower bound, when the database's vCPUs are unknown", () => {
        for (const database of [
            { kind: "unknown", why: "not computed: an existing database" } as const,
            { kind: "provisioned", instanceClass: "db.m5.large", instances: 2 } as const,
        ]) {
            const { nlb, lattice } = byPath({ ...small, database });
            for (const cost of [nlb, lattice]) {
                const proxy = cost.lines[0];
                assert.strictEqual(proxy.monthly, undefined);
                assert.match(proxy.note ?? "", /^not computed: /);
                assert.strictEqual(cost.partial, true);
            }
            near(
                nlb.total,
                month("nlbHour", 1) + syncCost(1, 43800) + month("interfaceEndpointHourPerAz", 3),
            );
        }
    });
});

describe("bench arguments", () => {
    it("reads --stack-config in both forms, as often as given", () => {
        assert.deepStrictEqual(parseBenchArgs([]), { stackConfigs: [] });
        assert.deepStrictEqual(
            parseBenchArgs(["--stack-config", "Pulumi.db.yaml", "--stack-config=Pulumi.app.yaml"]),
            { stackConfigs: ["Pulumi.db.yaml", "Pulumi.app.yaml"] },
        );
    });

    it("reports every argument it cannot use at once, with the usage", () => {
        assert.throws(
            () => parseBenchArgs(["--stack", "x", "--stack-config=", "--stack-config"]),
            (err: Error) =>
                err.message ===
                "The bench's arguments have 4 problem(s):\n" +
                    '  - "--stack" is not an argument of the bench (it takes only --stack-config)\n' +
                    '  - "x" is not an argument of the bench (it takes only --stack-config)\n' +
                    "  - --stack-config= names no file\n" +
                    "  - --stack-config is not followed by a stack file\n" +
                    "Usage: npm run bench [-- --stack-config Pulumi.<stack>.yaml [--stack-config Pulumi.<consumer>.yaml …]]",
        );
    });
});
