/**
 * Reads and checks the db-account stack's `contract` output. The consumer trusts nothing in it blindly: the
 * hostnames become private hosted zones in the application VPC, so a wrong one could shadow names the
 * applications depend on. Every problem is reported at once, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_VERSION, ContractV1, Engine } from "../contract";
import { regionPattern, render } from "../config/kit";

/** Thrown when the producer's contract cannot be used; lists every problem at once. */
export class ContractError extends pulumi.RunError {
    constructor(
        readonly producerStack: string,
        readonly problems: readonly string[],
    ) {
        super(
            `The contract of stack "${producerStack}" (rds-cross-account:producerStack) has ${problems.length} ` +
                `problem${problems.length === 1 ? "" : "s"}; nothing was created:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
    }
}

const ENGINES: readonly Engine[] = ["aurora-postgresql", "aurora-mysql"];
const endpointServicePattern = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}$/;
/** AZ IDs such as `euw1-az1`, and Local Zone IDs such as `usw2-lax1-az1`. */
const azIdPattern = /^[a-z]+\d+(-[a-z0-9]+)*-az\d+$/;
/**
 * RDS Proxy hostnames: `<proxy>.proxy-<id>.<region>.rds.amazonaws.com` for the default endpoint and
 * `<endpoint>.endpoint.proxy-<id>.<region>.rds.amazonaws.com` for additional ones (`.com.cn` in China).
 * Anything broader (such as `rds.amazonaws.com`) would, as a private hosted zone, shadow other databases.
 */
const proxyHostPattern =
    /^[a-z][a-z0-9-]*\.(endpoint\.)?proxy-[a-z0-9]+\.([a-z0-9-]+)\.rds\.amazonaws\.com(\.cn)?$/;

/** How each field is described in messages: what contract version 1 requires. */
const FIELDS: Record<string, string> = {
    region: "an AWS region code such as eu-west-1",
    engine: `one of ${ENGINES.map((e) => `"${e}"`).join(", ")}`,
    port: "a whole number from 1 to 65535",
    endpointServiceName:
        "a VPC endpoint service name such as com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
    availabilityZoneIds: 'a non-empty list of distinct AZ IDs such as ["euw1-az1", "euw1-az2"]',
    proxyEndpoint: "an RDS Proxy hostname such as app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
    readOnlyEndpoint:
        "an RDS Proxy endpoint hostname such as app-ro.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
    readOnlyPort: "a whole number from 1 to 65535",
    tls: '{ "sslmode": "verify-full" }',
};

const isPort = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 65535;

const CHECKS: Record<string, (v: unknown) => boolean> = {
    region: (v) => typeof v === "string" && regionPattern.test(v),
    engine: (v) => typeof v === "string" && (ENGINES as readonly string[]).includes(v),
    port: isPort,
    endpointServiceName: (v) => typeof v === "string" && endpointServicePattern.test(v),
    availabilityZoneIds: (v) =>
        Array.isArray(v) &&
        v.length > 0 &&
        v.every((id) => typeof id === "string" && azIdPattern.test(id)) &&
        new Set(v).size === v.length,
    proxyEndpoint: (v) => typeof v === "string" && proxyHostPattern.test(v),
    readOnlyEndpoint: (v) => typeof v === "string" && proxyHostPattern.test(v),
    readOnlyPort: isPort,
    tls: (v) =>
        typeof v === "object" && v !== null && (v as Record<string, unknown>).sslmode === "verify-full",
};

const REQUIRED = [
    "region",
    "engine",
    "port",
    "endpointServiceName",
    "availabilityZoneIds",
    "proxyEndpoint",
    "tls",
];

/**
 * Checks a raw `contract` output value. `details` is what `StackReference.getOutputDetails("contract")`
 * returned. Returns the contract, or throws a ContractError naming every problem.
 */
export function parseContract(
    producerStack: string,
    details: pulumi.StackReferenceOutputDetails,
): ContractV1 {
    const source = `Stack output 'contract' of ${producerStack}`;
    const redeploy =
        `Deploy the db-account stack with this release of rds-cross-account (pulumi up -s db-account) ` +
        `so that it exports a complete contract, or fix rds-cross-account:producerStack if it names the wrong stack.`;
    if (details.secretValue !== undefined) {
        throw new ContractError(producerStack, [
            `${source} is a secret, but the contract must be plain (it holds nothing secret, and this stack exports ` +
                `values derived from it). Export it as a plain value from the db-account stack.`,
        ]);
    }
    const raw = details.value;
    if (raw === undefined || raw === null) {
        throw new ContractError(producerStack, [
            `${source} does not exist. Deploy the db-account stack first (pulumi up -s db-account), and check that ` +
                `rds-cross-account:producerStack names it as <organization>/<project>/<stack> on the same backend.`,
        ]);
    }
    if (typeof raw !== "object" || Array.isArray(raw)) {
        throw new ContractError(producerStack, [
            `${source} is ${render(raw)}, but it must be an object with a version field. ${redeploy}`,
        ]);
    }
    const value = raw as Record<string, unknown>;
    if (value.version !== CONTRACT_VERSION) {
        const got = value.version === undefined ? "has no version" : `has version ${render(value.version)}`;
        throw new ContractError(producerStack, [
            `${source} ${got}, but this program supports contract version ${CONTRACT_VERSION} only. Deploy both ` +
                `stacks from the same release of rds-cross-account (the db-account stack first), so that they ` +
                `agree on the contract version.`,
        ]);
    }

    const problems: string[] = [];
    for (const field of REQUIRED) {
        if (value[field] === undefined) {
            problems.push(
                `${source} has no '${field}', but contract version 1 requires it: ${FIELDS[field]}. ${redeploy}`,
            );
        } else if (!CHECKS[field](value[field])) {
            problems.push(
                `${source} has '${field}' ${render(value[field])}, but it must be ${FIELDS[field]}. ${redeploy}`,
            );
        }
    }
    for (const field of ["readOnlyEndpoint", "readOnlyPort"]) {
        if (value[field] !== undefined && !CHECKS[field](value[field])) {
            problems.push(
                `${source} has '${field}' ${render(value[field])}, but it must be ${FIELDS[field]}. ${redeploy}`,
            );
        }
    }
    if ((value.readOnlyEndpoint === undefined) !== (value.readOnlyPort === undefined)) {
        const [has, lacks] =
            value.readOnlyEndpoint === undefined
                ? ["readOnlyPort", "readOnlyEndpoint"]
                : ["readOnlyEndpoint", "readOnlyPort"];
        problems.push(
            `${source} has '${has}' but no '${lacks}'; contract version 1 has both or neither (the read-only ` +
                `endpoint needs its own listener port). ${redeploy}`,
        );
    }
    if (problems.length === 0) {
        problems.push(...crossFieldProblems(source, value as unknown as ContractV1, redeploy));
    }
    if (problems.length > 0) throw new ContractError(producerStack, problems);

    const c = value as unknown as ContractV1;
    return {
        version: 1,
        region: c.region,
        engine: c.engine,
        port: c.port,
        endpointServiceName: c.endpointServiceName,
        availabilityZoneIds: [...c.availabilityZoneIds],
        proxyEndpoint: c.proxyEndpoint,
        ...(c.readOnlyEndpoint !== undefined
            ? { readOnlyEndpoint: c.readOnlyEndpoint, readOnlyPort: c.readOnlyPort }
            : {}),
        tls: { sslmode: "verify-full" },
    };
}

/** Rules between fields of an otherwise well-formed contract. */
function crossFieldProblems(source: string, c: ContractV1, redeploy: string): string[] {
    const problems: string[] = [];
    for (const field of ["proxyEndpoint", "readOnlyEndpoint"] as const) {
        const host = c[field];
        const hostRegion = host === undefined ? undefined : proxyHostPattern.exec(host)?.[2];
        if (hostRegion !== undefined && hostRegion !== c.region) {
            problems.push(
                `${source} has '${field}' ${render(host)} in region ${hostRegion}, but its 'region' is ${c.region}; ` +
                    `the proxy and the endpoint service must be in the same region. ${redeploy}`,
            );
        }
    }
    if (!c.endpointServiceName.startsWith(`com.amazonaws.vpce.${c.region}.`)) {
        problems.push(
            `${source} has 'endpointServiceName' ${render(c.endpointServiceName)}, which is not in its 'region' ` +
                `${c.region}. ${redeploy}`,
        );
    }
    if (c.readOnlyEndpoint !== undefined && c.readOnlyEndpoint === c.proxyEndpoint) {
        problems.push(
            `${source} has the same hostname ${render(c.proxyEndpoint)} as 'proxyEndpoint' and 'readOnlyEndpoint'; ` +
                `they must differ. ${redeploy}`,
        );
    }
    if (c.readOnlyPort !== undefined && c.readOnlyPort === c.port) {
        problems.push(
            `${source} has the same port ${c.port} as 'port' and 'readOnlyPort', but each endpoint needs its own ` +
                `listener on the shared endpoint service. ${redeploy}`,
        );
    }
    return problems;
}
