/**
 * The contract between the db-account (producer) stack and the app-account (consumer) stacks, as one schema.
 *
 * The producer exports exactly one object of this shape as the stack output `contract`; consumers read it
 * through a StackReference with `requireOutput("contract")` and parse it with these rules. Everything in it is
 * a plain, non-secret value. Bump `CONTRACT_VERSION` on any change a consumer of the previous version could
 * misread, and keep parsing the old version.
 */
import { z } from "zod";
import { azIdPattern, endpointServiceNamePattern, proxyHostPattern, regionPattern } from "./aws-ids";
import { ENGINES } from "./engines";
import { distinctList, matching, rule, type Rule } from "./rules";
import { portRule } from "./settings";

export const CONTRACT_VERSION = 1;

/** Each field's rule: what contract version 1 requires of it. */
export const CONTRACT_FIELDS = {
    /** AWS region of the database account's endpoint service (consumers must be in the same region). */
    region: rule(matching(regionPattern), "an AWS region code", '"eu-west-1"'),
    /** Aurora engine behind the proxy. */
    engine: rule(z.enum(ENGINES), `one of ${ENGINES.map((e) => `"${e}"`).join(", ")}`, '"aurora-postgresql"'),
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
    /** Hostname of the RDS Proxy's default (read/write) endpoint; its TLS certificate names it. */
    proxyEndpoint: rule(
        matching(proxyHostPattern),
        "an RDS Proxy hostname",
        '"app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
    ),
    /** Hostname of the proxy's read-only endpoint, when the producer has one. */
    readOnlyEndpoint: rule(
        matching(proxyHostPattern),
        "an RDS Proxy endpoint hostname",
        '"app-ro.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
    ),
    /**
     * NLB listener port for the read-only endpoint, present exactly when `readOnlyEndpoint` is. The read-only
     * endpoint has its own IPs, so it needs its own listener on the shared endpoint service.
     */
    readOnlyPort: portRule,
    /** TLS expectations every client must meet. */
    tls: rule(
        z.object({ sslmode: z.literal("verify-full") }),
        '{ "sslmode": "verify-full" }',
        '{ "sslmode": "verify-full" }',
    ),
} satisfies Record<string, Rule>;

/** Fields a version-1 contract may omit. */
export const OPTIONAL_CONTRACT_FIELDS = ["readOnlyEndpoint", "readOnlyPort"] as const;

/** The schema of contract version 1; the TypeScript type below is inferred from it. */
export const contractV1Schema = z.object({
    version: z.literal(CONTRACT_VERSION),
    region: CONTRACT_FIELDS.region.schema,
    engine: CONTRACT_FIELDS.engine.schema,
    port: CONTRACT_FIELDS.port.schema,
    endpointServiceName: CONTRACT_FIELDS.endpointServiceName.schema,
    availabilityZoneIds: CONTRACT_FIELDS.availabilityZoneIds.schema,
    proxyEndpoint: CONTRACT_FIELDS.proxyEndpoint.schema,
    readOnlyEndpoint: CONTRACT_FIELDS.readOnlyEndpoint.schema.optional(),
    readOnlyPort: CONTRACT_FIELDS.readOnlyPort.schema.optional(),
    tls: CONTRACT_FIELDS.tls.schema,
});

export type ContractV1 = z.infer<typeof contractV1Schema>;

/** The region in a proxy hostname, or undefined when it is not one. */
export function proxyHostRegion(host: string): string | undefined {
    return proxyHostPattern.exec(host)?.[2];
}
