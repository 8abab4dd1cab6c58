// Records the stacks of this project under Pulumi's mocks, offline: the db-account stack first, then the
// app-account stack against the contract the db-account stack exported (so the consumer is recorded against the
// producer it would really meet). Invokes get synthesized answers (./aws-answers) and resources the computed
// values of ./computed-state, so any stack file records, including one with an existing VPC of its own.
import { accountIdPattern, partitionOf, regionPattern } from "../../vocabulary/aws-ids";
import { offlineAwsAnswers, type OfflineAwsOptions } from "./aws-answers";
import { offlineDatabaseFacts, offlineDatabaseLookup } from "./database-answers";
import { appAccountStateIn, dbAccountStateIn } from "./computed-state";
import { defaultRegion, runStack, type CallHandler, type StackRun } from "./harness";
import { readStackConfig, type StackConfig, type StackName } from "./stack-files";

/** A recorded stack: the harness run plus the outputs each resource was given. */
export interface RecordedStack {
    readonly run: StackRun;
    /** Outputs by `type::name`: the state each mocked resource returned. */
    readonly outputs: ReadonlyMap<string, Record<string, unknown>>;
    /** Warnings the program logged (captured, not printed). */
    readonly warnings: readonly string[];
    /**
     * The strings the offline lookups made up for this stack (AZ names and IDs, VPC and subnet CIDRs, route
     * table IDs…), and for an app-account stack those of the db-account stack it was recorded against; strings the
     * stack file itself holds (a subnet ID the lookup echoes) are not among them.
     */
    readonly synthesized: ReadonlySet<string>;
}

/** The program failed while a stack was recorded: a config error, or a contract the consumer refuses. */
export class StackFailedError extends Error {
    constructor(
        readonly stack: StackName,
        readonly reason: Error,
    ) {
        super(`The ${stack} stack failed: ${reason.message}`);
        this.name = "StackFailedError";
    }
}

/** Stack files to record instead of the project's examples, by stack. */
export type StackFiles = Partial<Record<StackName, string>>;

/** How each account sees the region's AZs: the two accounts map names to IDs differently, as in AWS. */
const ZONE_SHIFT: Record<StackName, number> = { "db-account": 2, "app-account": 1 };

/** The synthesized-answers options for a stack's config: its region and, for an existing VPC, the VPC's IDs. */
export function offlineOptionsFor(
    stack: StackName,
    config: Record<string, unknown>,
    extra: Record<string, string>,
): OfflineAwsOptions {
    const network = (config.network ?? {}) as {
        vpcId?: unknown;
        subnetIds?: unknown;
        apiEndpoints?: unknown;
    };
    return {
        region: extra["aws:region"] ?? defaultRegion,
        zoneShift: ZONE_SHIFT[stack],
        vpcId: typeof network.vpcId === "string" ? network.vpcId : undefined,
        subnetIds: Array.isArray(network.subnetIds) ? network.subnetIds.map(String) : undefined,
        ...(typeof network.apiEndpoints === "object" && network.apiEndpoints !== null
            ? { apiEndpoints: network.apiEndpoints as Record<string, unknown> }
            : {}),
    };
}

/** Every string inside a value, deeply. */
function stringsIn(value: unknown, into: Set<string>): Set<string> {
    if (typeof value === "string") into.add(value);
    else if (Array.isArray(value)) for (const v of value) stringsIn(v, into);
    else if (value !== null && typeof value === "object")
        for (const v of Object.values(value)) stringsIn(v, into);
    return into;
}

/** `answers`, also collecting every string they answer with into `answered`. */
function collecting(answers: CallHandler, answered: Set<string>): CallHandler {
    return (token, inputs) => {
        const answer = answers(token, inputs);
        stringsIn(answer, answered);
        return answer;
    };
}

function recorded(
    run: StackRun,
    stack: StackName,
    answered: ReadonlySet<string>,
    given: StackConfig,
    alsoSynthesized: ReadonlySet<string> = new Set(),
): RecordedStack {
    if (run.error !== undefined) {
        throw new StackFailedError(stack, run.error);
    }
    const fromFile = stringsIn([given.config, given.extra], new Set());
    const synthesized = new Set([...answered, ...alsoSynthesized].filter((s) => !fromFile.has(s)));
    return {
        run,
        outputs: new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r.state])),
        warnings: run.warnings,
        synthesized,
    };
}

/** The db-account stack as an update (every value known), example config (or `file`) with `overrides` applied. */
export async function recordDbAccount(
    overrides: Record<string, unknown> = {},
    file?: string,
): Promise<RecordedStack> {
    return recordDbAccountConfig(readStackConfig("db-account", file), overrides);
}

/** The db-account stack of a stack file's config, with `overrides` applied. */
async function recordDbAccountConfig(
    given: StackConfig,
    overrides: Record<string, unknown> = {},
): Promise<RecordedStack> {
    const all = { ...given.config, ...overrides };
    const options = offlineOptionsFor("db-account", all, given.extra);
    const answered = new Set<string>();
    const run = await runStack({
        stack: "db-account",
        config: all,
        extraConfig: given.extra,
        fillRegion: false,
        calls: collecting(offlineAwsAnswers(options), answered),
        databases: async (request) => {
            stringsIn(offlineDatabaseFacts(request, options), answered);
            return offlineDatabaseLookup({ ...options, announce: true })(request);
        },
        state: dbAccountStateIn(options.region, typeof all.accountId === "string" ? all.accountId : ""),
    });
    return recorded(run, "db-account", answered, { config: all, extra: given.extra });
}

/**
 * The app-account stack as an update against `contract`, example config (or `file`) with `overrides` applied;
 * `producer` is the recorded db-account stack the contract came from, if any (its made-up values count as this
 * stack's).
 */
export async function recordAppAccount(
    contract: unknown,
    overrides: Record<string, unknown> = {},
    file?: string,
    producer?: RecordedStack,
): Promise<RecordedStack> {
    const { config, extra } = readStackConfig("app-account", file);
    const all = { ...config, ...overrides };
    const options = offlineOptionsFor("app-account", all, extra);
    const answered = new Set<string>();
    const run = await runStack({
        stack: "app-account",
        config: all,
        extraConfig: extra,
        fillRegion: false,
        calls: collecting(offlineAwsAnswers(options), answered),
        state: appAccountStateIn(options.region, typeof all.accountId === "string" ? all.accountId : ""),
        stackOutputs: { [String(all.producerStack)]: { contract } },
    });
    return recorded(run, "app-account", answered, { config: all, extra }, producer?.synthesized);
}

/**
 * Both stacks with their example configs, or the given stack files; the app-account stack reads the db-account
 * stack's contract.
 */
export async function recordBothStacks(
    files: StackFiles = {},
): Promise<{ dbAccount: RecordedStack; appAccount: RecordedStack }> {
    const dbAccount = await recordDbAccount({}, files["db-account"]);
    const appAccount = await recordAppAccount(
        dbAccount.run.outputs.contract,
        {},
        files["app-account"],
        dbAccount,
    );
    return { dbAccount, appAccount };
}

/** The db-account stack an app-account stack is recorded against when it is recorded alone, and what it is. */
export interface ProducerForConsumer {
    readonly recorded: RecordedStack;
    /** Which db-account stack the contract came from, such as "the db-account stack of Pulumi.prod.yaml". */
    readonly description: string;
}

/**
 * The example db-account config, changed just enough to serve the consumer config `app`: in the consumer's
 * region (an interface endpoint must be in its service's region), with the consumer's account listed as a
 * consumer (its account root as the principal) when the example does not list it. Each change is listed.
 */
export function exampleProducerFor(app: StackConfig): { given: StackConfig; changes: string[] } {
    const example = readStackConfig("db-account", undefined);
    const changes: string[] = [];
    const extra = { ...example.extra };
    const config = { ...example.config };
    const region = app.extra["aws:region"];
    if (region !== undefined && regionPattern.test(region) && region !== extra["aws:region"]) {
        extra["aws:region"] = region;
        changes.push(`placed in ${region} (aws:region)`);
    }
    const accountId = app.config.accountId;
    const consumers = Array.isArray(config.consumers) ? (config.consumers as { accountId?: unknown }[]) : [];
    if (
        typeof accountId === "string" &&
        accountIdPattern.test(accountId) &&
        !consumers.some((c) => c.accountId === accountId)
    ) {
        const partition = partitionOf(extra["aws:region"] ?? defaultRegion);
        config.consumers = [
            { name: "app", accountId, principals: [`arn:${partition}:iam::${accountId}:root`] },
        ];
        changes.push(`with account ${accountId} as its only consumer (consumers)`);
    }
    return { given: { config, extra }, changes };
}

/**
 * The db-account stack to record an app-account stack against when only the app-account stack is planned: the
 * db-account stack file when one is given, else the example adapted to the consumer (`exampleProducerFor`). A
 * failure of it is reported as such, with how to plan against another producer.
 */
export async function recordProducerFor(
    appFile: string | undefined,
    dbFile: string | undefined,
): Promise<ProducerForConsumer> {
    const how = "give your own with --stack-config db-account=<file>";
    const app = readStackConfig("app-account", appFile);
    const { given, changes } =
        dbFile === undefined
            ? exampleProducerFor(app)
            : { given: readStackConfig("db-account", dbFile), changes: [] };
    const source =
        dbFile === undefined
            ? `the example db-account stack (Pulumi.db-account.yaml, account ${String(given.config.accountId)})` +
              (changes.length > 0 ? `, ${changes.join(" and ")}` : "")
            : `the db-account stack of ${dbFile}`;
    try {
        const producer = await recordDbAccountConfig(given);
        return { recorded: producer, description: dbFile === undefined ? `${source}; ${how}` : source };
    } catch (err) {
        if (!(err instanceof StackFailedError)) throw err;
        throw new StackFailedError(
            "db-account",
            new Error(
                `The app-account stack needs a db-account stack's contract, and ${source} failed: ` +
                    `${err.reason.message}` +
                    (dbFile === undefined
                        ? `\nThe app-account stack cannot be planned against it; ${how}.`
                        : ""),
            ),
        );
    }
}
