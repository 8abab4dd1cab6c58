// Drives the policy pack exactly as `pulumi preview --policy-pack policy-pack` does, without the CLI:
//
// - The CLI's `pulumi-analyzer-policy` shim resolves `@pulumi/pulumi/cmd/run-policy-pack` from the pack's directory
//   and runs it with node, working directory = the pack, arguments = <engine address> "." (see NewPolicyAnalyzer in
//   the CLI's analyzer plugin). The runner registers ts-node *with type checking*, requires the pack (its
//   package.json `main`), and the pack's `new PolicyPack` starts a gRPC Analyzer server on 127.0.0.1 and prints
//   the port on stdout. The runner drops the engine address; this module passes a loopback placeholder.
// - The CLI then calls GetAnalyzerInfo, Configure, Analyze for each resource and AnalyzeStack for the whole stack.
//   Properties travel as a protobuf Struct: secrets as { [specialSigKey]: specialSecretSig, value }, unknowns as
//   sentinel strings chosen by the element's type (marshalUnknownProperty in the engine's plugin RPC code).
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** The policy pack directory, as given to `--policy-pack`. */
export const PACK_DIR = path.resolve(__dirname, "..", "..", "policy-pack");

/** Wire sentinels for values unknown during preview, one per element type (same strings as the engine's). */
export const UNKNOWN = {
    string: unknownValue,
    bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

/** Wraps a value the way the engine marshals a secret. */
export function secret(value: unknown): Record<string, unknown> {
    return { [specialSigKey]: specialSecretSig, value };
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
    [pb.EnforcementLevel.ADVISORY]: "advisory",
    [pb.EnforcementLevel.MANDATORY]: "mandatory",
    [pb.EnforcementLevel.DISABLED]: "disabled",
    [pb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_VALUES: Record<EnforcementLevel, pb.EnforcementLevel> = {
    advisory: pb.EnforcementLevel.ADVISORY,
    mandatory: pb.EnforcementLevel.MANDATORY,
    disabled: pb.EnforcementLevel.DISABLED,
    remediate: pb.EnforcementLevel.REMEDIATE,
};

/** One diagnostic as the analyzer returned it. */
export interface Diagnostic {
    readonly policyName: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly message: string;
    /** The URN the violation names; empty for resource-level diagnostics, which the engine attaches itself. */
    readonly urn: string;
}

/** A resource as the engine describes it to an analyzer. */
export interface AnalyzedResource {
    readonly type: string;
    readonly name: string;
    /** Properties in wire form (use `secret()` and `UNKNOWN` for secrets and unknowns). */
    readonly props: Record<string, unknown>;
    /** Defaults to a URN built from the type and name. */
    readonly urn?: string;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    /** Property name to the URNs of the resources it was computed from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly provider?: {
        readonly type: string;
        readonly name: string;
        readonly urn: string;
        readonly props: Record<string, unknown>;
    };
}

/** A policy as GetAnalyzerInfo lists it. */
export interface PolicySummary {
    readonly name: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly configProperties: readonly string[];
}

/** The URN the engine would give a top-level resource of this project's `test` stack. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::rds-cross-account::${type}::${name}`;
}

function struct(value: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
}

function toDiagnostics(response: pb.AnalyzeResponse): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        policyName: d.getPolicyname(),
        enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()],
        message: d.getMessage(),
        urn: d.getUrn(),
    }));
}

function providerOf(resource: AnalyzedResource): pb.AnalyzerProviderResource | undefined {
    if (resource.provider === undefined) {
        return undefined;
    }
    return new pb.AnalyzerProviderResource()
        .setType(resource.provider.type)
        .setName(resource.provider.name)
        .setUrn(resource.provider.urn)
        .setProperties(struct(resource.provider.props));
}

function unary<Req, Res>(
    call: (req: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    request: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        call(request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

/** A running policy pack process and a gRPC client connected to its analyzer. */
export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: AnalyzerClient,
        /** Everything the pack wrote to stderr. */
        public readonly stderr: () => string,
    ) {}

    /** Starts the pack as the CLI does and connects to the port it prints. */
    static async start(packDir: string = PACK_DIR): Promise<PolicyPackProcess> {
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        const env = { ...process.env };
        for (const key of Object.keys(env)) {
            // The CLI does not pass ts-node settings of the caller; the runner configures ts-node itself.
            if (key.startsWith("TS_NODE_")) {
                delete env[key];
            }
        }
        // Under mutation testing (npm run test:mutation) the mutant under test is active in this process only;
        // StrykerJS's instrumented code reads this variable, so the pack's process runs the same mutant.
        const stryker = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__;
        if (stryker?.activeMutant !== undefined) env.__STRYKER_ACTIVE_MUTANT__ = stryker.activeMutant;
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
            cwd: packDir,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const onData = (chunk: Buffer): void => {
                stdout += chunk.toString();
                const line = stdout.split("\n")[0];
                if (stdout.includes("\n") && /^\d+$/.test(line.trim())) {
                    child.stdout?.off("data", onData);
                    resolve(Number(line.trim()));
                } else if (stdout.includes("\n")) {
                    reject(
                        new Error(
                            `Policy pack printed ${JSON.stringify(line)} instead of a port. stderr: ${stderr}`,
                        ),
                    );
                }
            };
            child.stdout?.on("data", onData);
            child.once("exit", (code) =>
                reject(
                    new Error(
                        `Policy pack exited with code ${code} before printing a port. stderr: ${stderr}`,
                    ),
                ),
            );
        });
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new PolicyPackProcess(child, client, () => stderr);
    }

    /** GetAnalyzerInfo: the pack's name, version and policies. */
    async info(): Promise<{
        name: string;
        version: string;
        supportsConfig: boolean;
        policies: PolicySummary[];
    }> {
        const info = await unary<Empty, pb.AnalyzerInfo>(
            (r, cb) => this.client.getAnalyzerInfo(r, cb),
            new Empty(),
        );
        return {
            name: info.getName(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            policies: info.getPoliciesList().map((p) => ({
                name: p.getName(),
                enforcementLevel: LEVEL_NAMES[p.getEnforcementlevel()],
                configProperties: Object.keys(
                    p.getConfigschema()?.getProperties()?.toJavaScript() ?? {},
                ).sort(),
            })),
        };
    }

    /**
     * Configure, the way the CLI sends it after reconciling the user's config with GetAnalyzerInfo: one entry per
     * policy, carrying its enforcement level (the given one, else the policy's own) and its knobs (the given ones,
     * else the schema defaults). The proto's default level is advisory, so leaving a level out would silently
     * downgrade a policy; the CLI never does. `configure({})` restores every default.
     */
    async configure(
        config: Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>,
    ): Promise<void> {
        const info = await unary<Empty, pb.AnalyzerInfo>(
            (r, cb) => this.client.getAnalyzerInfo(r, cb),
            new Empty(),
        );
        const known = new Set(info.getPoliciesList().map((p) => p.getName()));
        for (const name of Object.keys(config)) {
            if (name !== "all" && !known.has(name)) {
                throw new Error(`The pack has no policy named ${name}.`);
            }
        }
        // As in the CLI's config file, "all" sets the level of every policy without an entry of its own.
        const allLevel = config.all?.enforcementLevel;
        const request = new pb.ConfigureAnalyzerRequest();
        for (const policy of info.getPoliciesList()) {
            const { enforcementLevel = allLevel, ...given } = config[policy.getName()] ?? {};
            const schema = (policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<
                string,
                { default?: unknown }
            >;
            const properties: Record<string, unknown> = {};
            for (const [key, property] of Object.entries(schema)) {
                if (property.default !== undefined) {
                    properties[key] = property.default;
                }
            }
            Object.assign(properties, given);
            request
                .getPolicyconfigMap()
                .set(
                    policy.getName(),
                    new pb.PolicyConfig()
                        .setEnforcementlevel(
                            enforcementLevel !== undefined
                                ? LEVEL_VALUES[enforcementLevel]
                                : policy.getEnforcementlevel(),
                        )
                        .setProperties(struct(properties)),
                );
        }
        await unary<pb.ConfigureAnalyzerRequest, Empty>((r, cb) => this.client.configure(r, cb), request);
    }

    /** Analyze: the resource-level policies on one resource's inputs. */
    async analyze(resource: AnalyzedResource): Promise<Diagnostic[]> {
        const request = new pb.AnalyzeRequest()
            .setType(resource.type)
            .setName(resource.name)
            .setUrn(resource.urn ?? urnOf(resource.type, resource.name))
            .setProperties(struct(resource.props))
            .setOptions(new pb.AnalyzerResourceOptions());
        const provider = providerOf(resource);
        if (provider !== undefined) {
            request.setProvider(provider);
        }
        return toDiagnostics(
            await unary<pb.AnalyzeRequest, pb.AnalyzeResponse>(
                (r, cb) => this.client.analyze(r, cb),
                request,
            ),
        );
    }

    /** AnalyzeStack: the stack-level policies on every resource of a stack. */
    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<Diagnostic[]> {
        const request = new pb.AnalyzeStackRequest();
        for (const resource of resources) {
            const r = new pb.AnalyzerResource()
                .setType(resource.type)
                .setName(resource.name)
                .setUrn(resource.urn ?? urnOf(resource.type, resource.name))
                .setProperties(struct(resource.props))
                .setOptions(new pb.AnalyzerResourceOptions())
                .setParent(resource.parent ?? "")
                .setDependenciesList([...(resource.dependencies ?? [])]);
            for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
                r.getPropertydependenciesMap().set(
                    property,
                    new pb.AnalyzerPropertyDependencies().setUrnsList([...urns]),
                );
            }
            const provider = providerOf(resource);
            if (provider !== undefined) {
                r.setProvider(provider);
            }
            request.addResources(r);
        }
        return toDiagnostics(
            await unary<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(
                (r, cb) => this.client.analyzeStack(r, cb),
                request,
            ),
        );
    }

    /** Closes the client and ends the pack process. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return;
        }
        await new Promise<void>((resolve) => {
            this.child.once("exit", () => resolve());
            this.child.kill("SIGTERM");
        });
    }
}
