// Records both stacks of this project under mocks with their example configs: the db-account stack first, then
// the app-account stack against the contract the db-account stack exported (so the consumer is checked against
// the producer it would really meet). The state each mocked resource returned (its outputs) is what the engine
// sends to AnalyzeStack.
import * as fs from "node:fs";
import { awsCalls, dbAccountState, exampleConfig, parseStackConfig } from "../../support/fixtures";
import { runStack, type StackRun } from "../../support/harness";
import { toAnalyzedResources, toWire } from "./recorded";
import type { AnalyzedResource } from "./analyzer";

/** AZs of the region as the app account sees them: same names, other IDs than in the db account. */
const appAccountZones = {
    names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    zoneIds: ["euw1-az2", "euw1-az3", "euw1-az1"],
};

/** What AWS would compute for the app-account stack's resources, as recognisable fakes. */
function appAccountState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
): Record<string, unknown> {
    switch (type) {
        case "awsx:ec2:Vpc": {
            const count = (inputs.availabilityZoneNames as string[] | undefined)?.length ?? 3;
            const subnets = [
                "subnet-0f000000000000001",
                "subnet-0f000000000000002",
                "subnet-0f000000000000003",
            ];
            return { vpcId: "vpc-0f000000000000001", isolatedSubnetIds: subnets.slice(0, count) };
        }
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return {
                dnsEntries: [
                    {
                        dnsName:
                            "vpce-0a1b2c3d-abcdefgh.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
                        hostedZoneId: "Z38GZ743OKFT7T",
                    },
                ],
            };
        case "aws:route53/zone:Zone":
            return { zoneId: `Z-${name}` };
        default:
            return {};
    }
}

/** A recorded stack: the harness run plus the outputs each resource was given. */
export interface RecordedStack {
    readonly run: StackRun;
    /** Outputs by `type::name`: the state each mocked resource returned. */
    readonly outputs: ReadonlyMap<string, Record<string, unknown>>;
    /** Warnings the program logged (captured, not printed). */
    readonly warnings: readonly string[];
}

/** Outputs by `type::name`: the state each mocked resource returned. */
function outputsOf(run: StackRun): Map<string, Record<string, unknown>> {
    return new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r.state]));
}

function ok(run: StackRun, stack: string): StackRun {
    if (run.error !== undefined) {
        throw new Error(`The ${stack} stack failed under mocks: ${run.error.message}`);
    }
    return run;
}

/** A stack's config: the example file of the project, or another stack file (same format) when given. */
function stackConfig(
    stack: "db-account" | "app-account",
    file: string | undefined,
): { config: Record<string, unknown>; extra: Record<string, string> } {
    return file === undefined ? exampleConfig(stack) : parseStackConfig(fs.readFileSync(file, "utf8"));
}

/** The db-account stack as an update (every value known), example config (or `file`) with `overrides` applied. */
export async function recordDbAccount(
    overrides: Record<string, unknown> = {},
    file?: string,
): Promise<RecordedStack> {
    const { config, extra } = stackConfig("db-account", file);
    const run = await runStack({
        stack: "db-account",
        config: { ...config, ...overrides },
        extraConfig: extra,
        calls: awsCalls(),
        state: dbAccountState,
    });
    return { run: ok(run, "db-account"), outputs: outputsOf(run), warnings: run.warnings };
}

/** The app-account stack as an update against `contract`, example config (or `file`) with `overrides` applied. */
export async function recordAppAccount(
    contract: unknown,
    overrides: Record<string, unknown> = {},
    file?: string,
): Promise<RecordedStack> {
    const { config, extra } = stackConfig("app-account", file);
    const run = await runStack({
        stack: "app-account",
        config: { ...config, ...overrides },
        extraConfig: extra,
        calls: awsCalls(appAccountZones),
        state: appAccountState,
        stackOutputs: { [String(config.producerStack)]: { contract } },
    });
    return { run: ok(run, "app-account"), outputs: outputsOf(run), warnings: run.warnings };
}

/**
 * Both stacks with their example configs, or the given stack files; the app-account stack reads the db-account
 * stack's contract.
 */
export async function recordBothStacks(
    files: { dbAccount?: string; appAccount?: string } = {},
): Promise<{ dbAccount: RecordedStack; appAccount: RecordedStack }> {
    const dbAccount = await recordDbAccount({}, files.dbAccount);
    const appAccount = await recordAppAccount(dbAccount.run.outputs.contract, {}, files.appAccount);
    return { dbAccount, appAccount };
}

/** What the engine would send: inputs for Analyze, inputs plus outputs for AnalyzeStack. */
export function analyzerView(stack: RecordedStack): {
    inputs: AnalyzedResource[];
    outputs: AnalyzedResource[];
} {
    const inputs = toAnalyzedResources(stack.run.resources);
    const outputs = inputs.map((r) => ({
        ...r,
        props: {
            ...r.props,
            ...(toWire(stack.outputs.get(`${r.type}::${r.name}`) ?? {}) as Record<string, unknown>),
        },
    }));
    return { inputs, outputs };
}
