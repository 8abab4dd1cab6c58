/**
 * The AWS prices the path cost bench (bench/path-cost.ts) multiplies, each once, in US dollars, of US East
 * (N. Virginia), as read on `PRICES_READ`. AWS renders most of its regional rate tables from a price list that the
 * pages' text does not carry, so several numbers below come from the pages' worked examples or from summaries of
 * them; each says where it was read and whether the AWS page itself confirmed it. A price marked unconfirmed is a
 * best reading: docs/paths.md repeats which ones, and the bench prints an asterisk next to each line that uses one.
 */

/** When the prices below were read. */
export const PRICES_READ = "2026-12-08";

/** The region the prices are of; other regions differ (the bench says so when the stack's region is another). */
export const PRICES_REGION = "us-east-1";

/** AWS's own month in its pricing examples: 8,760 hours a year / 12 (Amazon VPC Lattice pricing, example 1). */
export const HOURS_PER_MONTH = 730;

/** One price: what it costs, per what, where it was read, and whether AWS's page confirmed the number. */
export interface Price {
    readonly usd: number;
    readonly per: string;
    readonly source: string;
    readonly confirmed: boolean;
}

export const PRICES = {
    /**
     * "You will be billed for each hour that your VPC endpoint remains provisioned in each Availability Zone"
     * (https://aws.amazon.com/privatelink/pricing/): the basis is confirmed there; the number, $0.01, is the one
     * every summary of that page gives, and is not in the page's text as read.
     */
    interfaceEndpointHourPerAz: {
        usd: 0.01,
        per: "endpoint-hour per AZ",
        source: "https://aws.amazon.com/privatelink/pricing/",
        confirmed: false,
    },
    /** "First 1 PB $0.01" per GB processed by interface endpoints in a region (AWS PrivateLink pricing). */
    interfaceEndpointGb: {
        usd: 0.01,
        per: "GB processed (first PB)",
        source: "https://aws.amazon.com/privatelink/pricing/",
        confirmed: true,
    },
    /**
     * A Network Load Balancer is billed per load-balancer-hour, not per AZ (Elastic Load Balancing pricing); $0.0225
     * is the hourly rate of the page's examples (stated there for the Application Load Balancer, and by summaries
     * for the NLB).
     */
    nlbHour: {
        usd: 0.0225,
        per: "load-balancer-hour",
        source: "https://aws.amazon.com/elasticloadbalancing/pricing/",
        confirmed: false,
    },
    /** "$0.006 per NLCU"; one NLCU for TCP: 800 new connections/s, 100,000 active connections, 1 GB per hour. */
    nlcuHour: {
        usd: 0.006,
        per: "NLCU-hour",
        source: "https://aws.amazon.com/elasticloadbalancing/pricing/",
        confirmed: true,
    },
    /**
     * Endpoint services cost nothing themselves: the provider pays for the load balancer behind them, the consumer
     * for its endpoints (AWS PrivateLink pricing names no charge for a service).
     */
    endpointServiceHour: {
        usd: 0,
        per: "service-hour",
        source: "https://aws.amazon.com/privatelink/pricing/",
        confirmed: true,
    },
    /**
     * "When you access resources using resource endpoints, you are billed for each hour that your resource VPC
     * endpoint is provisioned" (AWS PrivateLink guide, "Access VPC resources through AWS PrivateLink", Pricing). The
     * hourly number was not found in the pricing page's text; the interface endpoint's rate, per AZ, is the
     * assumption (per AZ is the costlier reading if AWS bills one rate per endpoint).
     */
    resourceEndpointHourPerAz: {
        usd: 0.01,
        per: "resource endpoint-hour per AZ",
        source: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-resources.html",
        confirmed: false,
    },
    /**
     * "When you enable access to your resources using resource configurations and resource gateways, you are
     * billed for per GB data processed by your resource gateways" (same page): no hourly charge for the gateway or
     * its resource configurations on the resource endpoint path. The Lattice pricing page's example of "$0.10 per
     * resource per hour" is read as the charge for resources reached through a service network, which this project
     * does not use; if AWS bills resource configurations hourly on this path too, the bench's Lattice producer line
     * is too low by that much.
     */
    resourceConfigurationHour: {
        usd: 0,
        per: "resource configuration-hour",
        source: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-resources.html",
        confirmed: false,
    },
    /** Resource gateways: no hourly charge (same page as above); they are billed by the GB. */
    resourceGatewayHour: {
        usd: 0,
        per: "gateway-hour",
        source: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-resources.html",
        confirmed: false,
    },
    /** "VPC resources … First 1 PB $0.01" per GB processed when accessing VPC resources (Amazon VPC Lattice pricing). */
    latticeResourceGb: {
        usd: 0.01,
        per: "GB processed by the resource gateway (first PB)",
        source: "https://aws.amazon.com/vpc/lattice/pricing/",
        confirmed: true,
    },
    /**
     * RDS Proxy on provisioned instances: per vCPU-hour of the database's instances (Amazon RDS Proxy pricing);
     * $0.015 is the widely quoted US East rate, not found in the page's text as read. Its minimum charge (2 vCPUs)
     * never binds here: every class the bench knows has at least 2 vCPUs.
     */
    proxyVcpuHour: {
        usd: 0.015,
        per: "vCPU-hour of the database's instances",
        source: "https://aws.amazon.com/rds/proxy/pricing/",
        confirmed: false,
    },
    /** Lambda requests: $0.20 per 1M (AWS Lambda pricing). */
    lambdaRequest: {
        usd: 0.2 / 1_000_000,
        per: "request",
        source: "https://aws.amazon.com/lambda/pricing/",
        confirmed: false,
    },
    /** Lambda duration on arm64, the sync's architecture: $0.0000133334 per GB-second (AWS Lambda pricing). */
    lambdaArmGbSecond: {
        usd: 0.0000133334,
        per: "GB-second (arm64)",
        source: "https://aws.amazon.com/lambda/pricing/",
        confirmed: false,
    },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;
