/**
 * Reads and checks the db-account stack's `contract` output against the contract schema
 * (vocabulary/contract.ts). The consumer trusts nothing in it blindly: the hostnames become private hosted zones
 * in the application VPC, so a wrong one could shadow names the applications depend on. Every problem is
 * reported at once, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    checkAll,
    CONTRACT_FIELDS,
    CONTRACT_VERSION,
    ContractV1,
    contractV1Schema,
    OPTIONAL_CONTRACT_FIELDS,
    problem,
    dnsSuffixOf,
    parseProxyHost,
    partitionOf,
    render,
    type ConsumerAuth,
    type Problem,
    type Rules,
    type Surface,
} from "../../vocabulary";

/** Thrown when the producer's contract cannot be used; lists every problem at once. */
export class ContractError extends pulumi.RunError {
    constructor(
        readonly producerStack: string,
        readonly problems: readonly Problem[],
    ) {
        super(
            `The contract of stack "${producerStack}" (rds-cross-account:producerStack) has ${problems.length} ` +
                `problem${problems.length === 1 ? "" : "s"}; nothing was created:\n` +
                problems.map((p) => `  - ${p.message}`).join("\n"),
        );
        this.name = "ContractError";
    }
}

/** The fields of contract version 1 as rules; absent optional fields are not judged. */
const RULES: Rules = Object.fromEntries(
    Object.entries(CONTRACT_FIELDS).map(([field, r]) => [
        field,
        { rule: r, optional: (OPTIONAL_CONTRACT_FIELDS as readonly string[]).includes(field) },
    ]),
);

/** Contract fields as a surface: named by field, fixed by deploying the producer again. */
function contractSurface(producerStack: string): Surface {
    const redeploy =
        `Deploy the db-account stack with this release of rds-cross-account (pulumi up -s db-account) ` +
        `so that it exports a complete contract, or fix rds-cross-account:producerStack if it names the wrong stack.`;
    return {
        key: (path) => `contract.${path}`,
        subject: (path) => `Field '${path}' of the contract of ${producerStack}`,
        fix: () => redeploy,
    };
}

/**
 * Checks a raw `contract` output value. `details` is what `StackReference.getOutputDetails("contract")`
 * returned. Returns the contract, or throws a ContractError naming every problem.
 */
export function parseContract(
    producerStack: string,
    details: pulumi.StackReferenceOutputDetails,
): ContractV1 {
    const surface = contractSurface(producerStack);
    const whole: Surface = {
        key: () => "contract",
        subject: () => `Stack output 'contract' of ${producerStack}`,
        fix: surface.fix,
    };
    const fail = (reason: string, fix: string, value?: unknown) => {
        throw new ContractError(producerStack, [problem(whole, "", value, reason, fix)]);
    };
    if (details.secretValue !== undefined) {
        // The value itself is not rendered: it is secret.
        throw new ContractError(producerStack, [
            {
                path: "contract",
                message:
                    `Stack output 'contract' of ${producerStack} is a secret, but the contract must be plain (it ` +
                    `holds nothing secret, and this stack exports values derived from it). Export it as a plain ` +
                    `value from the db-account stack.`,
            },
        ]);
    }
    const raw = details.value;
    if (raw === undefined || raw === null) {
        fail(
            "the app-account stack needs it",
            "Deploy the db-account stack first (pulumi up -s db-account), and check that " +
                "rds-cross-account:producerStack names it as <organization>/<project>/<stack> on the same backend.",
        );
    }
    if (typeof raw !== "object" || Array.isArray(raw)) {
        fail("it must be an object with a version field", surface.fix("", ""), raw);
    }
    const value = raw as Record<string, unknown>;
    if (value.version !== CONTRACT_VERSION) {
        throw new ContractError(producerStack, [
            problem(
                surface,
                "version",
                value.version,
                `this program supports contract version ${CONTRACT_VERSION} only`,
                "Deploy both stacks from the same release of rds-cross-account (the db-account stack first), so " +
                    "that they agree on the contract version.",
            ),
        ]);
    }

    const problems = checkAll(surface, value, RULES);
    if ((value.readOnlyEndpoint === undefined) !== (value.readOnlyPort === undefined)) {
        const [has, lacks] =
            value.readOnlyEndpoint === undefined
                ? ["readOnlyPort", "readOnlyEndpoint"]
                : ["readOnlyEndpoint", "readOnlyPort"];
        problems.push(
            problem(
                surface,
                lacks,
                undefined,
                `'${has}' is set, and contract version 1 has both or neither (the read-only endpoint needs its own ` +
                    `listener port)`,
                surface.fix(lacks, ""),
            ),
        );
    }
    if (problems.length === 0) problems.push(...crossFieldProblems(surface, contractV1Schema.parse(value)));
    if (problems.length > 0) throw new ContractError(producerStack, problems);
    // Parsing keeps exactly the fields of the schema: anything else the producer added is dropped.
    return contractV1Schema.parse(value);
}

/** Rules between fields of an otherwise well-formed contract. */
function crossFieldProblems(surface: Surface, c: ContractV1): Problem[] {
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    const suffix = dnsSuffixOf(partitionOf(c.region));
    const writer = parseProxyHost(c.proxyEndpoint);
    for (const field of ["proxyEndpoint", "readOnlyEndpoint"] as const) {
        const host = c[field] === undefined ? undefined : parseProxyHost(c[field]);
        if (!host) continue;
        if (host.region !== c.region) {
            problems.push(
                problem(
                    surface,
                    field,
                    c[field],
                    `that host is in region ${host.region}, and the contract's 'region' is ${c.region}; the proxy ` +
                        `and the endpoint service must be in the same region`,
                    fix,
                ),
            );
        } else if (host.dnsSuffix !== suffix) {
            problems.push(
                problem(
                    surface,
                    field,
                    c[field],
                    `RDS names in ${c.region} end in rds.${suffix}, not rds.${host.dnsSuffix}`,
                    fix,
                ),
            );
        }
        if (field === "readOnlyEndpoint" && writer && host.proxyId !== writer.proxyId) {
            problems.push(
                problem(
                    surface,
                    field,
                    c[field],
                    `that host belongs to proxy-${host.proxyId}, and 'proxyEndpoint' to proxy-${writer.proxyId}; ` +
                        `both must be endpoints of the same proxy`,
                    fix,
                ),
            );
        }
    }
    if (!c.endpointServiceName.startsWith(`com.amazonaws.vpce.${c.region}.`)) {
        problems.push(
            problem(
                surface,
                "endpointServiceName",
                c.endpointServiceName,
                `that service is not in the contract's 'region' ${c.region}`,
                fix,
            ),
        );
    }
    if (c.readOnlyEndpoint !== undefined && c.readOnlyEndpoint === c.proxyEndpoint) {
        problems.push(
            problem(
                surface,
                "readOnlyEndpoint",
                c.readOnlyEndpoint,
                "that is also 'proxyEndpoint'; they must differ",
                fix,
            ),
        );
    }
    problems.push(...readOnlyNameProblems(surface, c));
    const accounts = (c.consumers ?? []).map((entry) => entry.accountId);
    const repeated = [...new Set(accounts.filter((id, i) => accounts.indexOf(id) !== i))];
    if (repeated.length > 0) {
        problems.push(
            problem(
                surface,
                "consumers",
                accounts,
                `it lists account${repeated.length === 1 ? "" : "s"} ${repeated.join(", ")} more than once, and ` +
                    `each consumer account has one database user`,
                fix,
            ),
        );
    }
    problems.push(...consumerArnProblems(surface, c));
    if (c.readOnlyPort !== undefined && c.readOnlyPort === c.port) {
        problems.push(
            problem(
                surface,
                "readOnlyPort",
                c.readOnlyPort,
                `that is also 'port' (${render(c.port)}), and each endpoint needs its own listener on the shared ` +
                    `endpoint service`,
                fix,
            ),
        );
    }
    return problems;
}

/**
 * Each consumer entry's ARNs against the contract's region: IAM refuses a policy naming a role of another partition,
 * and Secrets Manager shares a secret only in its own region, encrypted with a key of that region. Checked here so
 * that the stack refuses such a contract before any resource, not a component halfway through.
 */
function consumerArnProblems(surface: Surface, c: ContractV1): Problem[] {
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    const partition = partitionOf(c.region);
    (c.consumers ?? []).forEach((entry, i) => {
        const arns: [string, string | undefined, boolean][] = [
            ["connectRoleArn", entry.connectRoleArn, false],
            ["secretArn", entry.secretArn, true],
            ["secretKeyArn", entry.secretKeyArn, true],
        ];
        for (const [field, arn, regional] of arns) {
            if (arn === undefined) continue;
            const [, arnPartition, , arnRegion] = arn.split(":");
            const wrong =
                arnPartition !== partition
                    ? `that ARN is in partition ${arnPartition}, and the contract's region ${c.region} is in ${partition}`
                    : regional && arnRegion !== c.region
                      ? `that ARN is in region ${arnRegion}, and the contract's region is ${c.region}; Secrets ` +
                        `Manager shares a secret only in its own region, under a key of that region`
                      : undefined;
            if (wrong !== undefined) {
                problems.push(problem(surface, `consumers[${i}].${field}`, arn, wrong, fix));
            }
        }
    });
    return problems;
}

/**
 * What a contract from an earlier producer leaves this stack unable to do well, as warnings (the stack still
 * deploys): a read-only endpoint published under its real `<ep>.endpoint.proxy-…` name, which the proxy's wildcard
 * certificate does not cover, so `sslmode=verify-full` fails on it until the producer publishes the one-label alias.
 */
export function contractWarnings(c: ContractV1): string[] {
    const host = c.readOnlyEndpoint === undefined ? undefined : parseProxyHost(c.readOnlyEndpoint);
    if (!host?.endpoint) return [];
    return [
        `The producer's read-only endpoint ${c.readOnlyEndpoint} is the proxy endpoint's own name, which the proxy's ` +
            `certificate (*.proxy-${host.proxyId}.${c.region}.rds.${dnsSuffixOf(partitionOf(c.region))}) does not ` +
            `cover: clients using sslmode=verify-full fail on it. Ask the database account to run pulumi up with ` +
            `this release of the db-account stack, which publishes a one-label alias under proxy-${host.proxyId}, ` +
            `then run pulumi up here again. The writer endpoint is not affected.`,
    ];
}

/**
 * The read-only endpoint's two names: the one clients dial (`readOnlyEndpoint`) and the proxy endpoint's real
 * name (`readOnlyProxyEndpoint`), which IAM tokens are signed for. A one-label alias under `proxy-<id>` (which the
 * proxy's wildcard certificate covers) needs the real name beside it; a real `<ep>.endpoint.proxy-…` name is its
 * own signing name.
 */
function readOnlyNameProblems(surface: Surface, c: ContractV1): Problem[] {
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    const writer = parseProxyHost(c.proxyEndpoint);
    const dialled = c.readOnlyEndpoint === undefined ? undefined : parseProxyHost(c.readOnlyEndpoint);
    const real = c.readOnlyProxyEndpoint === undefined ? undefined : parseProxyHost(c.readOnlyProxyEndpoint);
    if (dialled && !dialled.endpoint && dialled.name === "endpoint") {
        problems.push(
            problem(
                surface,
                "readOnlyEndpoint",
                c.readOnlyEndpoint,
                "a zone of that name would be the parent of every additional endpoint of the proxy, and hide them " +
                    "in the application VPC",
                fix,
            ),
        );
    }
    if (c.readOnlyProxyEndpoint !== undefined && c.readOnlyEndpoint === undefined) {
        problems.push(
            problem(
                surface,
                "readOnlyProxyEndpoint",
                c.readOnlyProxyEndpoint,
                "'readOnlyEndpoint' is not set, and the real name is only the signing name of a read-only endpoint",
                fix,
            ),
        );
    } else if (
        dialled &&
        !dialled.endpoint &&
        c.readOnlyProxyEndpoint === undefined &&
        c.readOnlyEndpoint !== c.proxyEndpoint
    ) {
        problems.push(
            problem(
                surface,
                "readOnlyProxyEndpoint",
                undefined,
                `'readOnlyEndpoint' is the alias ${c.readOnlyEndpoint}, and IAM auth tokens for it must be signed ` +
                    `for the proxy endpoint's real name, which RDS checks them against`,
                fix,
            ),
        );
    } else if (dialled?.endpoint && c.readOnlyProxyEndpoint !== undefined) {
        if (c.readOnlyProxyEndpoint !== c.readOnlyEndpoint) {
            problems.push(
                problem(
                    surface,
                    "readOnlyProxyEndpoint",
                    c.readOnlyProxyEndpoint,
                    `'readOnlyEndpoint' is already the real endpoint name ${c.readOnlyEndpoint}, and the two must ` +
                        `then be the same`,
                    fix,
                ),
            );
        }
    } else if (real && writer && (real.proxyId !== writer.proxyId || real.region !== writer.region)) {
        problems.push(
            problem(
                surface,
                "readOnlyProxyEndpoint",
                c.readOnlyProxyEndpoint,
                `that host belongs to proxy-${real.proxyId} in ${real.region}, and 'proxyEndpoint' to ` +
                    `proxy-${writer.proxyId} in ${writer.region}; both must be endpoints of the same proxy`,
                fix,
            ),
        );
    }
    return problems;
}

/**
 * This account's entry in the contract's `consumers`: undefined when the contract describes no credentials (a
 * producer of an earlier release); a ContractError when it describes them for other accounts only, before
 * anything is created, since the applications here could not log in.
 */
export function consumerFor(
    producerStack: string,
    contract: ContractV1,
    accountId: string,
): ConsumerAuth | undefined {
    if (contract.consumers === undefined) return undefined;
    const entry = contract.consumers.find((c) => c.accountId === accountId);
    if (entry) return entry;
    const surface = contractSurface(producerStack);
    throw new ContractError(producerStack, [
        problem(
            surface,
            "consumers",
            contract.consumers.map((c) => c.accountId),
            `it has no entry for this stack's account ${accountId} (rds-cross-account:accountId), so its ` +
                `applications would have no database user to log in as`,
            `List account ${accountId} in the db-account stack's consumers config and deploy it ` +
                `(pulumi up -s db-account), or fix rds-cross-account:accountId or rds-cross-account:producerStack ` +
                `if either names the wrong account or stack.`,
        ),
    ]);
}
