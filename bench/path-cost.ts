/**
 * The monthly fixed cost of one config on each connectivity path: what each path creates on the producer's side
 * and in each consumer's account, counted from the config, times the prices of bench/aws-prices.ts. Pure: no I/O,
 * no Pulumi. Traffic-dependent charges (per GB, NLCUs, cross-region data) are not fixed costs and are left to
 * docs/paths.md; so are the costs both paths share besides the proxy (the database, the bootstrap's Secrets Manager
 * endpoint, alarms, the canary).
 */
import { HOURS_PER_MONTH, PRICES, type PriceName } from "./aws-prices";

/** The two paths, by the value of the db-account config key `connectivity`. */
export const PATHS = ["privatelink-nlb", "vpc-lattice"] as const;
export type PathName = (typeof PATHS)[number];

/** The database behind the proxy, as far as the config tells it. */
export type DatabaseSize =
    | { readonly kind: "provisioned"; readonly instanceClass: string; readonly instances: number }
    | { readonly kind: "unknown"; readonly why: string };

/** What the cost of a config depends on. */
export interface PathCostInput {
    /** AZs of the database's subnets: one NLB subnet, one resource gateway subnet, one API endpoint ENI per AZ. */
    readonly azCount: number;
    /** Whether the proxy has a read-only endpoint besides the writer's: a second sync, resource configuration. */
    readonly readOnlyEndpoint: boolean;
    readonly sync: {
        readonly source: "eni" | "dns";
        /** The sync's EventBridge schedule expression. */
        readonly schedule: string;
        /** The existing VPC's own ELB endpoint is reused (`network.apiEndpoints.elasticloadbalancing`). */
        readonly reusesElbEndpoint: boolean;
    };
    readonly database: DatabaseSize;
    /** Each consumer, with the AZs its endpoints go into and where that number comes from. */
    readonly consumers: readonly {
        readonly name: string;
        readonly azCount: number;
        readonly azSource: string;
    }[];
}

/** One line of a path's bill: who pays, for what, how many, at which price. */
export interface CostLine {
    /** "producer", or the consumer's name. */
    readonly payer: string;
    readonly item: string;
    readonly quantity: number;
    readonly price: PriceName;
    /** US dollars a month; undefined when the config does not tell (then `note` says why). */
    readonly monthly: number | undefined;
    readonly note?: string;
}

export interface PathCost {
    readonly path: PathName;
    readonly lines: readonly CostLine[];
    /** The sum of the lines that could be computed. */
    readonly total: number;
    /** Whether a line could not be computed, so that `total` is a lower bound. */
    readonly partial: boolean;
}

/** The sync Lambda's memory (components/target-sync/component.ts, `memorySize`) and architecture (arm64). */
export const SYNC_MEMORY_GB = 256 / 1024;
/**
 * Billed seconds assumed per sync run. bench/target-sync.ts measures a sync against moto on loopback (tens of
 * milliseconds), not AWS's API latency; two seconds is a generous bound for its two to four API calls.
 */
export const SYNC_BILLED_SECONDS = 2;

/** Seconds per unit of an EventBridge rate expression (EventBridge User Guide, "Rate expressions"). */
const RATE_UNIT_SECONDS: Readonly<Record<string, number>> = { minute: 60, hour: 3600, day: 86400 };

/**
 * Runs a month of a schedule expression. `rate(N unit)` is exact; a `cron(...)` is bounded by EventBridge's finest
 * cron granularity, one run a minute (`atMost`).
 */
export function runsPerMonth(schedule: string): { readonly runs: number; readonly atMost: boolean } {
    const rate = /^rate\(([1-9]\d*) (minute|hour|day)s?\)$/.exec(schedule);
    if (!rate) return { runs: HOURS_PER_MONTH * 60, atMost: true };
    return {
        runs: (HOURS_PER_MONTH * 3600) / (Number(rate[1]) * RATE_UNIT_SECONDS[rate[2]]),
        atMost: false,
    };
}

/**
 * vCPUs of the DB instance classes this table knows ("Hardware specifications for DB instance classes for Aurora",
 * Amazon Aurora User Guide): in the memory-optimized families a `large` has 2 vCPUs, an `xlarge` 4, an `Nxlarge`
 * 4N; the burstable `medium` and `large` have 2. Any other class: undefined, and the proxy is "not computed".
 */
const MEMORY_OPTIMIZED = /^db\.(r5|r6g|r6gd|r6i|r6id|r7g|r7i|r8g|r8gd|x2g)\.(large|xlarge|(\d+)xlarge)$/;
const BURSTABLE = /^db\.(t3|t4g)\.(medium|large)$/;

export function instanceClassVcpus(instanceClass: string): number | undefined {
    if (BURSTABLE.test(instanceClass)) return 2;
    const m = MEMORY_OPTIMIZED.exec(instanceClass);
    if (!m) return undefined;
    if (m[2] === "large") return 2;
    return m[3] === undefined ? 4 : 4 * Number(m[3]);
}

function hourly(payer: string, item: string, quantity: number, price: PriceName, note?: string): CostLine {
    return {
        payer,
        item,
        quantity,
        price,
        monthly: quantity * PRICES[price].usd * HOURS_PER_MONTH,
        ...(note ? { note } : {}),
    };
}

/** RDS Proxy, in the producer's account on either path: per vCPU-hour of the database's instances. */
function proxyLine(database: DatabaseSize): CostLine {
    const item = "RDS Proxy (vCPUs of the database's instances)";
    if (database.kind === "unknown")
        return {
            payer: "producer",
            item,
            quantity: 0,
            price: "proxyVcpuHour",
            monthly: undefined,
            note: database.why,
        };
    const vcpus = instanceClassVcpus(database.instanceClass);
    if (vcpus === undefined)
        return {
            payer: "producer",
            item,
            quantity: 0,
            price: "proxyVcpuHour",
            monthly: undefined,
            note: `not computed: the vCPUs of ${database.instanceClass} are not in the bench's table`,
        };
    return hourly(
        "producer",
        item,
        vcpus * database.instances,
        "proxyVcpuHour",
        `${database.instances} x ${database.instanceClass} (${vcpus} vCPUs each)`,
    );
}

/** The sync Lambdas of the NLB path: one per proxy endpoint, each run on the schedule. */
function syncLines(input: PathCostInput, endpoints: number): CostLine[] {
    const { runs, atMost } = runsPerMonth(input.sync.schedule);
    const bound = atMost ? "at most " : "";
    const invocations = runs * endpoints;
    const gbSeconds = invocations * SYNC_MEMORY_GB * SYNC_BILLED_SECONDS;
    return [
        {
            payer: "producer",
            item: "target sync Lambda requests",
            quantity: invocations,
            price: "lambdaRequest",
            monthly: invocations * PRICES.lambdaRequest.usd,
            note: `${endpoints} function(s), ${bound}${Math.round(runs)} runs each (${input.sync.schedule})`,
        },
        {
            payer: "producer",
            item: "target sync Lambda duration",
            quantity: gbSeconds,
            price: "lambdaArmGbSecond",
            monthly: gbSeconds * PRICES.lambdaArmGbSecond.usd,
            note: `${SYNC_MEMORY_GB * 1024} MB x ${SYNC_BILLED_SECONDS} s assumed per run`,
        },
    ];
}

/** The lines of one path. */
function linesOf(path: PathName, input: PathCostInput): CostLine[] {
    const endpoints = input.readOnlyEndpoint ? 2 : 1;
    const lines: CostLine[] = [proxyLine(input.database)];
    if (path === "privatelink-nlb") {
        lines.push(hourly("producer", "internal NLB (billed per load balancer, not per AZ)", 1, "nlbHour"));
        lines.push(hourly("producer", "endpoint service", 1, "endpointServiceHour"));
        lines.push(...syncLines(input, endpoints));
        if (input.sync.source === "dns" && !input.sync.reusesElbEndpoint)
            lines.push(
                hourly(
                    "producer",
                    "ELB API interface endpoint for the dns sync (per AZ)",
                    input.azCount,
                    "interfaceEndpointHourPerAz",
                ),
            );
        for (const c of input.consumers)
            lines.push(
                hourly(
                    c.name,
                    "interface endpoint (per AZ)",
                    c.azCount,
                    "interfaceEndpointHourPerAz",
                    c.azSource,
                ),
            );
    } else {
        lines.push(hourly("producer", "resource gateway", 1, "resourceGatewayHour"));
        lines.push(
            hourly(
                "producer",
                "resource configurations (one per proxy endpoint)",
                endpoints,
                "resourceConfigurationHour",
            ),
        );
        for (const c of input.consumers)
            lines.push(
                hourly(
                    c.name,
                    `resource endpoints (${endpoints} x ${c.azCount} AZs)`,
                    endpoints * c.azCount,
                    "resourceEndpointHourPerAz",
                    c.azSource,
                ),
            );
    }
    return lines;
}

/** The monthly fixed cost of `input` on each path. */
export function pathCosts(input: PathCostInput): readonly PathCost[] {
    return PATHS.map((path) => {
        const lines = linesOf(path, input);
        return {
            path,
            lines,
            total: lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0),
            partial: lines.some((l) => l.monthly === undefined),
        };
    });
}

/** The sum of `payer`'s lines in `cost`. */
export function subtotal(cost: PathCost, payer: string): number {
    return cost.lines.filter((l) => l.payer === payer).reduce((sum, l) => sum + (l.monthly ?? 0), 0);
}
