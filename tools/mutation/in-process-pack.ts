// The whole policy pack run in the test process, behind the same interface as the analyzer client
// (tools/policy/analyzer.ts: configure, analyze, analyzeStack), so a verdict table written against the analyzer runs
// here unchanged and StrykerJS can measure it with per-test coverage.
//
// What it does as the SDK's analyzer server does (server.js of @pulumi/policy, v1.21): properties go through
// protobuf's Struct and the SDK's own deserializeProperties (secrets unwrapped, unknown sentinels kept) and are
// wrapped in `unknownCheckingProxy`; policies run in the pack's order, resource policies for Analyze and stack
// policies for AnalyzeStack; config is the Configure request the CLI sends (schema defaults, then the given knobs;
// the given level, else `all`, else the policy's); a disabled policy does not run, a remediate one runs as
// mandatory; a violation's message is the description, a newline and the detail; an unknown value read ends the
// policy with the advisory "can't run ... during preview" diagnostic; property dependencies are resolved to the
// resources of the stack by URN. What it does not do: the gRPC transport, the pack's process (ts-node's type
// check of the pack, the runner) and the SDK's config validation; tests/policy/wire.test.ts covers those through
// the real analyzer.
import * as fs from "node:fs";
import * as path from "node:path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
    unknownCheckingProxy,
    UnknownValueError,
    type PolicyResource,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "@pulumi/policy";
import * as sdkDeserialize from "@pulumi/policy/deserialize";
import { POLICIES } from "../../policy-pack/policies";
import type { AnalyzedResource, Diagnostic, EnforcementLevel } from "../policy/analyzer";
import { PACK_DIR, urnOf } from "../policy/analyzer";
import { OPTIONS } from "./in-process-policy";

type Policy = ResourceValidationPolicy | StackValidationPolicy;
type Config = Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>;

// The SDK's declaration file hides this module's exports; the function is the one its server calls.
const { deserializeProperties } = sdkDeserialize as unknown as {
    deserializeProperties: (struct: Struct, proxySecrets: boolean) => Record<string, unknown>;
};

const PACK_NAME = "rds-cross-account";
const PACK_VERSION = (
    JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string }
).version;

function unsupported(what: string): never {
    throw new Error(`${what} is not used by this pack`);
}

/** Properties as a policy sees them after the wire: through Struct, deserialized, unknown-checking. */
function received(props: Record<string, unknown>): Record<string, unknown> {
    const struct = Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]);
    return unknownCheckingProxy(deserializeProperties(struct, false)) as Record<string, unknown>;
}

/** The policy pack in-process: configure, then analyze resources or a stack, as with the analyzer client. */
export class InProcessPack {
    private levels = new Map<string, EnforcementLevel>();
    private knobs = new Map<string, Record<string, unknown>>();

    constructor(private readonly policies: readonly Policy[] = POLICIES) {
        this.reset();
    }

    /** As PolicyPackProcess.configure: every policy gets its schema defaults, then the given level and knobs. */
    async configure(config: Config): Promise<void> {
        const known = new Set(this.policies.map((p) => p.name));
        for (const name of Object.keys(config)) {
            if (name !== "all" && !known.has(name)) {
                throw new Error(`The pack has no policy named ${name}.`);
            }
        }
        const allLevel = config.all?.enforcementLevel;
        this.reset();
        for (const policy of this.policies) {
            const { enforcementLevel = allLevel, ...given } = config[policy.name] ?? {};
            if (enforcementLevel !== undefined) {
                this.levels.set(policy.name, enforcementLevel);
            }
            Object.assign(this.knobs.get(policy.name) ?? {}, given);
        }
        return Promise.resolve();
    }

    /** Analyze: the resource policies on one resource. */
    async analyze(resource: AnalyzedResource): Promise<Diagnostic[]> {
        const diagnostics: Diagnostic[] = [];
        for (const policy of this.policies) {
            const level = this.levelOf(policy);
            if (
                !("validateResource" in policy) ||
                policy.validateResource === undefined ||
                level === "disabled"
            ) {
                continue;
            }
            const validations = Array.isArray(policy.validateResource)
                ? policy.validateResource
                : [policy.validateResource];
            for (const validate of validations) {
                await this.run(policy, level, diagnostics, (report) =>
                    validate(
                        {
                            type: resource.type,
                            name: resource.name,
                            urn: resource.urn ?? urnOf(resource.type, resource.name),
                            props: received(resource.props),
                            opts: OPTIONS,
                            stackTags: new Map(),
                            isType: () => unsupported("isType"),
                            asType: () => unsupported("asType"),
                            getConfig: <T extends object>() => this.configOf(policy) as T,
                            notApplicable: () => unsupported("notApplicable"),
                        },
                        report,
                    ),
                );
            }
        }
        return diagnostics;
    }

    /** AnalyzeStack: the stack policies on every resource, property dependencies resolved by URN. */
    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<Diagnostic[]> {
        const diagnostics: Diagnostic[] = [];
        for (const policy of this.policies) {
            const level = this.levelOf(policy);
            if (!("validateStack" in policy) || level === "disabled") {
                continue;
            }
            await this.run(policy, level, diagnostics, (report) => {
                const built = resources.map((r): PolicyResource => ({
                    type: r.type,
                    name: r.name,
                    urn: r.urn ?? urnOf(r.type, r.name),
                    props: received(r.props),
                    opts: OPTIONS,
                    dependencies: [],
                    propertyDependencies: {},
                    isType: () => unsupported("isType"),
                    asType: () => unsupported("asType"),
                }));
                const byUrn = new Map(built.map((r) => [r.urn, r]));
                resources.forEach((r, index) => {
                    built[index].parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
                    built[index].dependencies = (r.dependencies ?? [])
                        .map((urn) => byUrn.get(urn))
                        .filter((d): d is PolicyResource => d !== undefined);
                    for (const [property, urns] of Object.entries(r.propertyDependencies ?? {})) {
                        built[index].propertyDependencies[property] = urns
                            .map((urn) => byUrn.get(urn))
                            .filter((d): d is PolicyResource => d !== undefined);
                    }
                });
                return (policy as StackValidationPolicy).validateStack(
                    {
                        resources: built,
                        stackTags: new Map(),
                        getConfig: <T extends object>() => this.configOf(policy) as T,
                        notApplicable: () => unsupported("notApplicable"),
                    },
                    report,
                );
            });
        }
        return diagnostics;
    }

    private reset(): void {
        this.levels = new Map();
        this.knobs = new Map(
            this.policies.map((policy) => {
                const schema = (policy.configSchema?.properties ?? {}) as Record<
                    string,
                    { default?: unknown }
                >;
                const defaults: Record<string, unknown> = {};
                for (const [key, property] of Object.entries(schema)) {
                    if (property.default !== undefined) {
                        defaults[key] = structuredClone(property.default);
                    }
                }
                return [policy.name, defaults];
            }),
        );
    }

    private levelOf(policy: Policy): EnforcementLevel {
        return this.levels.get(policy.name) ?? policy.enforcementLevel ?? "mandatory";
    }

    private configOf(policy: Policy): Record<string, unknown> {
        return this.knobs.get(policy.name) ?? {};
    }

    private async run(
        policy: Policy,
        level: EnforcementLevel,
        diagnostics: Diagnostic[],
        validate: (report: (message: string, urn?: string) => void) => unknown,
    ): Promise<void> {
        const report = (message: string, urn?: string): void => {
            diagnostics.push({
                policyName: policy.name,
                enforcementLevel: level === "remediate" ? "mandatory" : level,
                message: message ? `${policy.description}\n${message}` : policy.description,
                urn: urn ?? "",
            });
        };
        try {
            await validate(report);
        } catch (error) {
            if (!(error instanceof UnknownValueError)) {
                throw error;
            }
            diagnostics.push({
                policyName: policy.name,
                enforcementLevel: "advisory",
                message: `can't run policy '${policy.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${(error as Error).message}`,
                urn: "",
            });
        }
    }
}
