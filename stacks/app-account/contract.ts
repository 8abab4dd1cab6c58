/**
 * Reads and checks the db-account stack's `contract` output against the contract's shape
 * (vocabulary/contract.ts) and every rule of vocabulary/contract-rules.ts, which the producer applies too. The
 * consumer trusts nothing in it blindly: it must be plain data of bounded size, and the hostnames become private hosted zones
 * in the application VPC, so a wrong one could shadow names the applications depend on. Every problem is
 * reported at once, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    checkContract,
    contractDataProblems,
    CONTRACT_SHOWN,
    CONTRACT_VERSIONS,
    isPlainObject,
    NOT_PLAIN,
    type Contract,
    problem,
    dnsSuffixOf,
    parseProxyHost,
    partitionOf,
    type ConsumerAuth,
    type Problem,
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

/** Contract fields as a surface: named by field, fixed by deploying the producer again. */
function contractSurface(producerStack: string): Surface {
    const redeploy =
        `Deploy the db-account stack with this release of rds-cross-account (pulumi up -s db-account) ` +
        `so that it exports a complete contract, or fix rds-cross-account:producerStack if it names the wrong stack.`;
    return {
        key: (path) => `contract.${path}`,
        subject: (path) => `Field '${path}' of the contract of ${producerStack}`,
        fix: () => redeploy,
        shown: CONTRACT_SHOWN,
    };
}

/**
 * Checks a raw `contract` output value. `details` is what `StackReference.getOutputDetails("contract")`
 * returned. Returns the contract, or throws a ContractError naming every problem.
 */
export function parseContract(producerStack: string, details: pulumi.StackReferenceOutputDetails): Contract {
    const surface = contractSurface(producerStack);
    const whole: Surface = {
        key: () => "contract",
        subject: () => `Stack output 'contract' of ${producerStack}`,
        fix: surface.fix,
        shown: CONTRACT_SHOWN,
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
    if (!isPlainObject(raw)) fail(NOT_PLAIN, surface.fix("", ""), raw);
    const value = raw as Record<string, unknown>;
    // Plain, own-keyed data of bounded size, before anything reads a field (the version included).
    const data = contractDataProblems(surface, value);
    if (data.length > 0) throw new ContractError(producerStack, data);
    if (!CONTRACT_VERSIONS.some((v) => v === value.version)) {
        throw new ContractError(producerStack, [
            problem(
                surface,
                "version",
                value.version,
                `this program supports contract versions ${CONTRACT_VERSIONS.join(" and ")}`,
                "Deploy both stacks from the same release of rds-cross-account (the db-account stack first), so " +
                    "that they agree on the contract version.",
            ),
        ]);
    }

    const checked = checkContract(surface, value);
    if (checked.problems) throw new ContractError(producerStack, checked.problems);
    return checked.contract;
}

/**
 * What a contract from an earlier producer leaves this stack unable to do well, as warnings (the stack still
 * deploys): a read-only endpoint published under its real `<ep>.endpoint.proxy-…` name, which the proxy's wildcard
 * certificate does not cover, so `sslmode=verify-full` fails on it until the producer publishes the one-label alias.
 */
export function contractWarnings(c: Contract): string[] {
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
 * The producer's account against the one this stack's config pins (`producerAccountId`): a contract of another
 * account, or one that does not say (a producer of an earlier release), is refused before anything is created.
 */
export function checkProducerAccount(
    producerStack: string,
    contract: Contract,
    expected: string | undefined,
): void {
    if (expected === undefined || contract.producerAccountId === expected) return;
    const surface = contractSurface(producerStack);
    throw new ContractError(producerStack, [
        problem(
            surface,
            "producerAccountId",
            contract.producerAccountId,
            `rds-cross-account:producerAccountId pins the producer to account ${expected}`,
            contract.producerAccountId === undefined
                ? "Deploy the db-account stack with this release of rds-cross-account (pulumi up -s db-account), " +
                      "which exports its account, or remove rds-cross-account:producerAccountId."
                : "Fix rds-cross-account:producerStack if it names the wrong stack, or " +
                      "rds-cross-account:producerAccountId if it names the wrong account.",
        ),
    ]);
}

/**
 * This account's entry in the contract's `consumers`: undefined when the contract describes no credentials (a
 * producer of an earlier release); a ContractError when it describes them for other accounts only, before
 * anything is created, since the applications here could not log in.
 */
export function consumerFor(
    producerStack: string,
    contract: Contract,
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
