import { InProcessPack } from "../../../tools/mutation/in-process-pack";
import { PolicyPackProcess, type Diagnostic } from "../../../tools/policy/analyzer";

/**
 * Each policy's description, as the pack states it. The SDK prefixes every violation message with it, so the
 * expected messages below are built from this table; a changed description must change here on purpose.
 */
export const DESCRIPTIONS = {
    "rds-no-public-access":
        "RDS instances and clusters, Aurora cluster instances and other databases (Redshift, DocumentDB, Neptune, Lightsail) must not be publicly accessible.",
    "no-world-open-database-ports":
        "Security groups must not open database ports to any address outside private space.",
    "no-world-open-listener-ports":
        "Security groups must not open to any address outside private space a port that a database, proxy or load balancer listener of the stack listens on.",
    "rds-proxy-require-tls": "RDS Proxy must require TLS (requireTls: true).",
    "rds-parameter-group-required":
        "RDS clusters and instances must use their own parameter group, not the engine default.",
    "rds-parameter-group-forces-tls":
        "Parameter groups used by RDS clusters and instances must force TLS (rds.force_ssl=1 or require_secure_transport=ON).",
    "connection-strings-verify-full":
        "Database connection strings and TLS settings in SSM parameters, Secrets Manager secrets, Lambda environments and ECS task definitions must verify the server (sslmode=verify-full, ssl-mode=VERIFY_IDENTITY).",
    "database-endpoint-private-dns":
        "Interface endpoints to a database endpoint service, and Resource endpoints without private DNS, need a private hosted zone that answers the proxy's hostname, so clients can use sslmode=verify-full.",
    "no-open-prefix-lists-on-database-ports":
        "Prefix lists allowed to a database port must be created in the stack with entries inside private space, or be AWS-managed.",
    "endpoint-service-no-wildcard-principals":
        "VPC endpoint services must not allow every principal (*) to connect.",
    "no-internet-facing-database-listener":
        "Load balancers with a listener on a database port, or forwarding to a database target group, must be internal.",
    "database-client-instances-private":
        "EC2 instances in a database client security group must have no public IP address and must require IMDSv2 (metadataOptions.httpTokens: required).",
    "ram-share-named-principals":
        "AWS RAM shares must name their principals (account IDs, organizations or OUs, IAM roles or users), never a wildcard.",
    "lattice-resource-policy-no-open-grant":
        "VPC Lattice resource policies must not allow every principal (*) without a condition that bounds it.",
    "lattice-database-resource-configuration":
        "VPC Lattice resource configurations that publish a database must expose one TCP port, stay out of shareable service networks, and use a custom domain name the proxy's certificate covers.",
    "resource-endpoint-private-dns-domains":
        "Resource VPC endpoints with private DNS must admit only the proxy's hostnames (privateDnsPreference SPECIFIED_DOMAINS_ONLY).",
    "resource-gateway-egress-private":
        "Security groups of a VPC Lattice resource gateway must not allow egress to addresses outside private space.",
} as const;

export type PolicyName = keyof typeof DESCRIPTIONS;

/** A mandatory violation as the analyzer returns it: description, newline, detail. */
export function violation(policy: PolicyName, detail: string, urn = ""): Diagnostic {
    return {
        policyName: policy,
        enforcementLevel: "mandatory",
        message: `${DESCRIPTIONS[policy]}\n${detail}`,
        urn,
    };
}

/** The advisory diagnostic the SDK emits when a policy reads a value that is unknown during preview. */
export function cannotRunDuringPreview(policy: PolicyName, what: string): Diagnostic {
    return {
        policyName: policy,
        enforcementLevel: "advisory",
        message: `can't run policy '${policy}' from policy pack 'rds-cross-account@v0.1.0' during preview: ${what} can't be known during preview`,
        urn: "",
    };
}

let shared: Promise<PolicyPackProcess> | undefined;

// A root-level hook (registered while the first test file importing this module loads): the analyzer suites of a
// run share one pack process, stopped once at the end, instead of paying the pack's start (ts-node type-checks it)
// per file.
after(async () => {
    const started = shared;
    shared = undefined;
    await (await started)?.stop();
});

/**
 * The pack started as the CLI starts it (through the CLI's runner, so the pack is type-checked as the CLI would),
 * shared by every analyzer suite of the run, with its config reset before each test.
 */
export function usePolicyPack(): () => PolicyPackProcess {
    let pack: PolicyPackProcess | undefined;
    before(async function () {
        this.timeout(120_000);
        shared ??= PolicyPackProcess.start();
        pack = await shared;
    });
    beforeEach(async () => {
        await current().configure({});
    });
    const current = (): PolicyPackProcess => {
        if (pack === undefined) {
            throw new Error("The policy pack is not running: usePolicyPack's before hook failed.");
        }
        return pack;
    };
    return current;
}

/**
 * The whole pack run in the test process (tools/mutation/in-process-pack), behind the analyzer client's interface,
 * reset to its defaults before each test: for verdict tables, which mutation testing measures.
 */
export function useInProcessPack(): () => InProcessPack {
    const pack = new InProcessPack();
    beforeEach(async () => {
        await pack.configure({});
    });
    return () => pack;
}
