/**
 * The contract between the db-account (producer) stack and the app-account (consumer) stacks, as one schema.
 *
 * The producer exports exactly one object of this shape as the stack output `contract`; consumers read it
 * through a StackReference with `requireOutput("contract")` and parse it with these rules. Everything in it is
 * a plain, non-secret value. Bump `CONTRACT_VERSION` on any change a consumer of the previous version could
 * misread, and keep parsing the old version.
 */
import { z } from "zod";
import { azIdPattern, endpointServiceNamePattern, parseProxyHost, regionPattern } from "./aws-ids";
import { ENGINES } from "./engines";
import { distinctList, matching, oneOf, rule, satisfying, wholeNumber, type Rule } from "./rules";
import { portRule } from "./settings";

export const CONTRACT_VERSION = 1;

/** Each field's rule: what contract version 1 requires of it. */
export const CONTRACT_FIELDS = {
    /** AWS region of the database account's endpoint service (consumers must be in the same region). */
    region: rule(matching(regionPattern), "an AWS region code", '"eu-west-1"'),
    /** Aurora engine behind the proxy. */
    engine: rule(oneOf(ENGINES), `one of ${ENGINES.map((e) => `"${e}"`).join(", ")}`, '"aurora-postgresql"'),
    /** TCP port of the writer (read/write) proxy endpoint, and of the NLB listener in front of it. */
    port: portRule,
    /** Name of the VPC endpoint service, `com.amazonaws.vpce.<region>.vpce-svc-…`. */
    endpointServiceName: rule(
        matching(endpointServiceNamePattern),
        "a VPC endpoint service name",
        '"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"',
    ),
    /** AZ IDs (such as "euw1-az1", never AZ names) the endpoint service is offered in. */
    availabilityZoneIds: rule(
        distinctList(matching(azIdPattern), 1),
        "a non-empty list of distinct AZ IDs",
        '["euw1-az1", "euw1-az2"]',
    ),
    /**
     * Hostname of the RDS Proxy's default (read/write) endpoint, `<proxy>.proxy-<id>.<region>.rds.<suffix>`; its
     * TLS certificate (`*.proxy-<id>.<region>.rds.<suffix>`) covers it. Never `<x>.endpoint.proxy-…` or the
     * name `endpoint`: as a private zone that would be the parent of every additional endpoint of the proxy.
     */
    proxyEndpoint: rule(
        satisfying<string>((v) => {
            const host = typeof v === "string" ? parseProxyHost(v) : undefined;
            return host !== undefined && !host.endpoint && host.name !== "endpoint";
        }),
        "the hostname of an RDS Proxy's default endpoint, <proxy>.proxy-<id>.<region>.rds.amazonaws.com",
        '"app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
    ),
    /** Hostname of the proxy's read-only endpoint, when the producer has one (same `proxy-<id>` as the writer). */
    readOnlyEndpoint: rule(
        satisfying<string>((v) => typeof v === "string" && parseProxyHost(v) !== undefined),
        "an RDS Proxy endpoint hostname, <endpoint>.endpoint.proxy-<id>.<region>.rds.amazonaws.com",
        '"app-ro.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
    ),
    /**
     * NLB listener port for the read-only endpoint, present exactly when `readOnlyEndpoint` is. The read-only
     * endpoint has its own IPs, so it needs its own listener on the shared endpoint service.
     */
    readOnlyPort: portRule,
    /**
     * Seconds the proxy keeps an idle client connection before closing it (`proxy.idleClientTimeoutSeconds`), so
     * that consumers can tell applications how long a pooled connection may idle. Optional: producers before it
     * did not export it.
     */
    idleTimeoutSeconds: rule(wholeNumber(1, 28800), "a whole number of seconds from 1 to 28800", "300"),
    /** TLS expectations every client must meet. */
    tls: rule(
        satisfying<{ sslmode: "verify-full" }>(
            (v) =>
                typeof v === "object" && v !== null && (v as { sslmode?: unknown }).sslmode === "verify-full",
        ),
        '{ "sslmode": "verify-full" }',
        '{ "sslmode": "verify-full" }',
    ),
} satisfies Record<string, Rule>;

/** Fields a version-1 contract may omit. */
export const OPTIONAL_CONTRACT_FIELDS = ["readOnlyEndpoint", "readOnlyPort", "idleTimeoutSeconds"] as const;

/** A rule as a zod type, so that the contract's schema (and its TypeScript type) is built from the rules. */
function field<T>(r: Rule<T>): z.ZodType<T> {
    return z.unknown().transform((value, ctx): T => {
        const checked = r.schema.safeParse(value);
        if (checked.success) return checked.data;
        ctx.addIssue({ code: "custom", message: `it must be ${r.must}`, input: value });
        return z.NEVER;
    });
}

/** The schema of contract version 1; the TypeScript type below is inferred from it. */
export const contractV1Schema = z.object({
    version: z.literal(CONTRACT_VERSION),
    region: field(CONTRACT_FIELDS.region),
    engine: field(CONTRACT_FIELDS.engine),
    port: field(CONTRACT_FIELDS.port),
    endpointServiceName: field(CONTRACT_FIELDS.endpointServiceName),
    availabilityZoneIds: field(CONTRACT_FIELDS.availabilityZoneIds),
    proxyEndpoint: field(CONTRACT_FIELDS.proxyEndpoint),
    readOnlyEndpoint: field(CONTRACT_FIELDS.readOnlyEndpoint).optional(),
    readOnlyPort: field(CONTRACT_FIELDS.readOnlyPort).optional(),
    idleTimeoutSeconds: field(CONTRACT_FIELDS.idleTimeoutSeconds).optional(),
    tls: field(CONTRACT_FIELDS.tls),
});

export type ContractV1 = z.infer<typeof contractV1Schema>;
