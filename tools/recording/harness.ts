/**
 * Runs a stack of this project under Pulumi's mocks and records what it registers.
 *
 * What this proves: the program's resource graph (types, names, inputs, providers, parents), its outputs and
 * its config errors. What it cannot prove: anything the AWS provider or AWS computes or enforces (defaults,
 * API validation, IAM evaluation, real IDs); mocked invokes answer what each test says they answer.
 */
import * as pulumi from "@pulumi/pulumi";
import { useDatabaseLookup, type DatabaseLookup } from "../../stacks/db-account/existing-facts";
import { arnIn, placementOf, type Placement } from "./placeholders";

/** One resource the program registered. */
export interface RecordedResource {
    /** Type token, such as `aws:rds/cluster:Cluster`. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /** URN as the mock monitor built it (encodes the parent chain). */
    readonly urn: string;
    /** Inputs as the SDK serialized them (unknowns during preview are `undefined`). */
    readonly inputs: Record<string, unknown>;
    /** Provider reference (`urn::id`) of a custom resource, when one was passed. */
    readonly provider?: string;
    /** False for component resources. */
    readonly custom: boolean;
    /** The state the mock returned: the inputs plus the fake name, ARN and computed values of `RunOptions.state`. */
    readonly state: Record<string, unknown>;
}

/** One invoke the program made. */
export interface RecordedCall {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
    readonly provider?: string;
}

export type CallHandler = (
    token: string,
    inputs: Record<string, unknown>,
) => Record<string, unknown> | undefined;

export interface RunOptions {
    /** The stack's role: the value of `rds-cross-account:role` (unless `config.role` says otherwise), and its name unless `stackName` is given. */
    readonly stack: "db-account" | "app-account";
    /** The Pulumi stack's name. @default `stack` */
    readonly stackName?: string;
    /** Keys of the `rds-cross-account` namespace (objects are stored as JSON, as the CLI stores them). */
    readonly config: Record<string, unknown>;
    /** Keys of other namespaces, such as `aws:region`. */
    readonly extraConfig?: Record<string, string>;
    /** Answers invokes; return undefined for tokens it does not know (the run then fails loudly). */
    readonly calls?: CallHandler;
    /** Outputs of other stacks, by fully qualified name, for StackReferences. */
    readonly stackOutputs?: Record<string, Record<string, unknown>>;
    /** Run as `pulumi preview` (outputs of new resources unknown). */
    readonly preview?: boolean;
    /**
     * Whether `aws:region` is eu-west-1 when `extraConfig` does not set it. The tools pass false, so that a stack
     * file without `aws:region` is refused as `pulumi up` refuses it.
     * @default true
     */
    readonly fillRegion?: boolean;
    /**
     * Answers the db-account stack's lookup of an existing database (`database.existing`); without it, a run that
     * looks one up fails loudly, as an unknown invoke does: nothing here asks AWS.
     */
    readonly databases?: DatabaseLookup;
    /** Extra state a mocked resource returns, by type token. */
    readonly state?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown>;
}

export interface StackRun {
    readonly resources: RecordedResource[];
    readonly calls: RecordedCall[];
    /** Stack outputs with every Output resolved (undefined where unknown). */
    readonly outputs: Record<string, unknown>;
    /** The error the program failed with, if any. */
    readonly error?: Error;
    /** Messages the program logged with `pulumi.log.warn` (captured, not printed). */
    readonly warnings: string[];
}

/** Resolves Outputs inside a value (deeply) to plain values; unknowns become undefined. */
export async function resolveDeep(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        // `apply` never runs on an unknown value (preview), so ask first whether the value is known.
        const output = value as pulumi.Output<unknown> & { isKnown: Promise<boolean> };
        if (!(await output.isKnown)) return undefined;
        const inner = await new Promise<unknown>((resolve) => output.apply(resolve));
        return resolveDeep(inner);
    }
    if (value instanceof Promise) return resolveDeep(await value);
    if (Array.isArray(value)) return Promise.all(value.map(resolveDeep));
    if (value && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await resolveDeep(v);
        return out;
    }
    return value;
}

/** A deterministic fake ID/ARN for a mocked resource, in the stack's account, region and partition. */
function fakeState(
    where: Placement,
    type: string,
    name: string,
    inputs: Record<string, unknown>,
): Record<string, unknown> {
    const service = type.split(":")[1]?.split("/")[0] ?? "x";
    return {
        ...inputs,
        // Autonamed resources get their logical name as physical name here (the provider would add a suffix).
        name: inputs.name ?? name,
        arn: arnIn(where, service, name),
    };
}

export const defaultRegion = "eu-west-1";

/** Runs the program selected by the config and records everything. Never throws: see `error`. */
export async function runStack(options: RunOptions): Promise<StackRun> {
    const all: Record<string, string> = {
        ...(options.fillRegion === false ? {} : { "aws:region": defaultRegion }),
        ...options.extraConfig,
        "rds-cross-account:role": options.stack,
    };
    for (const [key, value] of Object.entries(options.config)) {
        all[`rds-cross-account:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const where = placementOf(options.config.accountId, all["aws:region"] ?? "");
    const resources: RecordedResource[] = [];
    const calls: RecordedCall[] = [];
    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            const inputs = args.inputs as Record<string, unknown>;
            const stackOutputs =
                args.type === "pulumi:pulumi:StackReference"
                    ? options.stackOutputs?.[String(inputs.name)]
                    : {};
            if (!stackOutputs)
                throw new Error(`mock harness: no outputs given for stack reference "${inputs.name}"`);
            const state =
                args.type === "pulumi:pulumi:StackReference"
                    ? { name: inputs.name, outputs: stackOutputs, secretOutputNames: [] }
                    : {
                          ...fakeState(where, args.type, args.name, inputs),
                          ...(options.state?.(args.type, args.name, inputs) ?? {}),
                      };
            resources.push({
                type: args.type,
                name: args.name,
                urn: "",
                inputs,
                provider: args.provider || undefined,
                custom: args.custom !== false,
                state,
            });
            const id = args.type === "pulumi:pulumi:StackReference" ? String(inputs.name) : `${args.name}-id`;
            return { id, state };
        },
        call(args) {
            const inputs = args.inputs as Record<string, unknown>;
            calls.push({ token: args.token, inputs, provider: args.provider || undefined });
            const answer = options.calls?.(args.token, inputs);
            if (answer === undefined) throw new Error(`mock harness: unexpected invoke ${args.token}`);
            return answer;
        },
    };
    await pulumi.runtime.setMocks(
        mocks,
        "rds-cross-account",
        options.stackName ?? options.stack,
        options.preview ?? false,
    );
    pulumi.runtime.setAllConfig(all);

    let outputs: Record<string, unknown> = {};
    let error: Error | undefined;
    // An error thrown inside an apply that no output depends on surfaces only as an unhandled rejection; under
    // the real engine it fails the update, so it fails the run here too.
    const stray: Error[] = [];
    const onUnhandled = (reason: unknown) => {
        stray.push(reason instanceof Error ? reason : new Error(String(reason)));
    };
    process.on("unhandledRejection", onUnhandled);
    const warnings: string[] = [];
    const log = pulumi.log as { warn: typeof pulumi.log.warn };
    const printWarning = log.warn;
    log.warn = async (message: string) => {
        warnings.push(message);
    };
    useDatabaseLookup(
        options.databases ??
            (async ({ form }) => {
                throw new Error(
                    `mock harness: no answer given for the lookup of ${form.kind} ${form.identifier}`,
                );
            }),
    );
    try {
        const { main } = await import("../../stacks");
        outputs = (await resolveDeep(await main())) as Record<string, unknown>;
    } catch (err) {
        error = err as Error;
    }
    // Let every registration the program started reach the mock monitor.
    const settings = await import("@pulumi/pulumi/runtime/settings");
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onUnhandled);
    log.warn = printWarning;
    useDatabaseLookup(undefined);
    if (!error && stray.length > 0) error = stray[0];

    const monitor = pulumi.runtime.getMonitor() as unknown as {
        getRegisteredResources(): Map<string, unknown>;
    };
    const urns = [...monitor.getRegisteredResources().keys()];
    const withUrns = resources.map((r) => ({
        ...r,
        urn:
            urns.find((u) => u.endsWith(`::${r.name}`) && u.split("::")[2]?.split("$").pop() === r.type) ??
            "",
    }));
    return { resources: withUrns, calls, outputs, error, warnings };
}

/** The resources of one type. */
export function ofType(run: StackRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The single resource of a type; fails when there is not exactly one. */
export function single(run: StackRun, type: string): RecordedResource {
    const found = ofType(run, type);
    if (found.length !== 1) {
        throw new Error(
            `expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
    }
    return found[0];
}

/** The type of a resource's parent, read from its URN (undefined for top-level resources). */
export function parentType(resource: RecordedResource): string | undefined {
    const chain = resource.urn.split("::")[2]?.split("$") ?? [];
    return chain.length > 1 ? chain[chain.length - 2] : undefined;
}

/** The logical name of a provider reference (`urn::id`). */
export function providerName(resource: RecordedResource | RecordedCall): string | undefined {
    if (!resource.provider) return undefined;
    const urn = resource.provider.split("::").slice(0, -1).join("::");
    return urn.split("::").pop();
}
