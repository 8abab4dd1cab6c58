/**
 * The contract between the db-account (producer) stack and the app-account (consumer) stacks.
 *
 * The producer exports exactly one object of this shape as the stack output `contract`; consumers read it
 * through a StackReference with `requireOutput("contract")`. Everything in it is a plain, non-secret value.
 * Bump `version` on any change a consumer of the previous version could misread.
 */
export const CONTRACT_VERSION = 1;

export type Engine = "aurora-postgresql" | "aurora-mysql";

export interface ContractV1 {
    /** Contract version; consumers refuse versions they do not know. */
    readonly version: 1;
    /** AWS region of the database account's endpoint service (consumers must be in the same region). */
    readonly region: string;
    /** Aurora engine behind the proxy. */
    readonly engine: Engine;
    /** TCP port of the writer (read/write) proxy endpoint, and of the NLB listener in front of it. */
    readonly port: number;
    /** Name of the VPC endpoint service, `com.amazonaws.vpce.<region>.vpce-svc-…`. */
    readonly endpointServiceName: string;
    /** AZ IDs (such as "euw1-az1", never AZ names) the endpoint service is offered in. */
    readonly availabilityZoneIds: string[];
    /** Hostname of the RDS Proxy's default (read/write) endpoint; its TLS certificate names it. */
    readonly proxyEndpoint: string;
    /** Hostname of the proxy's read-only endpoint, when the producer has one. */
    readonly readOnlyEndpoint?: string;
    /**
     * NLB listener port for the read-only endpoint, present exactly when `readOnlyEndpoint` is. The read-only
     * endpoint has its own IPs, so it needs its own listener on the shared endpoint service.
     */
    readonly readOnlyPort?: number;
    /** TLS expectations every client must meet. */
    readonly tls: { readonly sslmode: "verify-full" };
}

/** The default engine port, used by the proxy, the NLB listener and every security-group rule. */
export function enginePort(engine: Engine): number {
    return engine === "aurora-mysql" ? 3306 : 5432;
}
