// Records the stacks of this project under Pulumi's mocks, offline: the db-account stack first, then the
// app-account stack against the contract the db-account stack exported (so the consumer is recorded against the
// producer it would really meet). Invokes get synthesized answers (./aws-answers) and resources the computed
// values of ./computed-state, so any stack file records, including one with an existing VPC of its own.
import { offlineAwsAnswers, type OfflineAwsOptions } from "./aws-answers";
import { appAccountStateIn, dbAccountStateIn } from "./computed-state";
import { defaultRegion, runStack, type StackRun } from "./harness";
import { readStackConfig, type StackName } from "./stack-files";

/** A recorded stack: the harness run plus the outputs each resource was given. */
export interface RecordedStack {
    readonly run: StackRun;
    /** Outputs by `type::name`: the state each mocked resource returned. */
    readonly outputs: ReadonlyMap<string, Record<string, unknown>>;
    /** Warnings the program logged (captured, not printed). */
    readonly warnings: readonly string[];
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
    const network = (config.network ?? {}) as { vpcId?: unknown; subnetIds?: unknown };
    return {
        region: extra["aws:region"] ?? defaultRegion,
        zoneShift: ZONE_SHIFT[stack],
        vpcId: typeof network.vpcId === "string" ? network.vpcId : undefined,
        subnetIds: Array.isArray(network.subnetIds) ? network.subnetIds.map(String) : undefined,
    };
}

function recorded(run: StackRun, stack: StackName): RecordedStack {
    if (run.error !== undefined) {
        throw new StackFailedError(stack, run.error);
    }
    return {
        run,
        outputs: new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r.state])),
        warnings: run.warnings,
    };
}

/** The db-account stack as an update (every value known), example config (or `file`) with `overrides` applied. */
export async function recordDbAccount(
    overrides: Record<string, unknown> = {},
    file?: string,
): Promise<RecordedStack> {
    const { config, extra } = readStackConfig("db-account", file);
    const all = { ...config, ...overrides };
    const options = offlineOptionsFor("db-account", all, extra);
    const run = await runStack({
        stack: "db-account",
        config: all,
        extraConfig: extra,
        calls: offlineAwsAnswers(options),
        state: dbAccountStateIn(options.region),
    });
    return recorded(run, "db-account");
}

/** The app-account stack as an update against `contract`, example config (or `file`) with `overrides` applied. */
export async function recordAppAccount(
    contract: unknown,
    overrides: Record<string, unknown> = {},
    file?: string,
): Promise<RecordedStack> {
    const { config, extra } = readStackConfig("app-account", file);
    const all = { ...config, ...overrides };
    const options = offlineOptionsFor("app-account", all, extra);
    const run = await runStack({
        stack: "app-account",
        config: all,
        extraConfig: extra,
        calls: offlineAwsAnswers(options),
        state: appAccountStateIn(options.region),
        stackOutputs: { [String(all.producerStack)]: { contract } },
    });
    return recorded(run, "app-account");
}

/**
 * Both stacks with their example configs, or the given stack files; the app-account stack reads the db-account
 * stack's contract.
 */
export async function recordBothStacks(
    files: StackFiles = {},
): Promise<{ dbAccount: RecordedStack; appAccount: RecordedStack }> {
    const dbAccount = await recordDbAccount({}, files["db-account"]);
    const appAccount = await recordAppAccount(dbAccount.run.outputs.contract, {}, files["app-account"]);
    return { dbAccount, appAccount };
}
