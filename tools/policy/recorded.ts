// Turns resources recorded under Pulumi's mocks (tools/recording/harness.ts) into what the engine sends a policy
// analyzer, so the pack can judge both stacks without the CLI or a cloud account.
//
// What the engine sends and mocks cannot reproduce: Analyze gets a resource's inputs and AnalyzeStack its
// outputs (inputs plus what the provider computes); here both get the recorded inputs. Property dependencies are
// not recorded, so rules fall back to names, ARNs or a single candidate to link resources. Values unknown during
// a mocked preview are recorded as undefined, which the engine would send as unknowns; run the stacks as an update
// (preview: false) so every value is known.
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { RecordedStack } from "../recording/stacks";
import type { AnalyzedResource } from "./analyzer";

/** A resource as the harness records it. */
export interface RecordedResourceLike {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly inputs: Record<string, unknown>;
    /** Provider reference, `urn::id`. */
    readonly provider?: string;
}

/**
 * Converts one recorded value to its wire form: secrets stay wrapped (the pack must unwrap them, as it does for
 * the engine), keys starting with `__` are dropped (the engine skips internal keys), undefined members are dropped
 * (the engine omits them), assets and archives become null. A resource reference becomes the resource's logical name: the engine would send its ID
 * or URN, which a mocked Resource object only holds as an Output; none of this project's rule inputs are references.
 */
export function toWire(value: unknown): unknown {
    if (
        value === null ||
        typeof value === "string" ||
        typeof value === "number" ||
        typeof value === "boolean"
    ) {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map((v) => (v === undefined ? null : toWire(v)));
    }
    if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
        // Their contents are promises here; no rule reads assets or archives, so they travel as null.
        return null;
    }
    if (pulumi.Resource.isInstance(value)) {
        return (value as unknown as { __name?: string }).__name ?? null;
    }
    if (typeof value === "object" && value !== undefined) {
        const record = value as Record<string, unknown>;
        if (record[specialSigKey] === specialSecretSig) {
            return { [specialSigKey]: specialSecretSig, value: toWire(record.value) ?? null };
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(record)) {
            if (v !== undefined && !k.startsWith("__")) {
                out[k] = toWire(v);
            }
        }
        return out;
    }
    return null;
}

/** The URN part of a provider reference (`urn::id`). */
function providerUrn(reference: string): string {
    return reference.split("::").slice(0, -1).join("::");
}

/** The recorded resources as analyzer resources, each custom resource with its provider attached. */
export function toAnalyzedResources(recorded: readonly RecordedResourceLike[]): AnalyzedResource[] {
    const byUrn = new Map(recorded.filter((r) => r.urn !== "").map((r) => [r.urn, r]));
    return recorded.map((r) => {
        let provider: AnalyzedResource["provider"];
        if (r.provider !== undefined && r.provider !== "") {
            const urn = providerUrn(r.provider);
            const recordedProvider = byUrn.get(urn);
            const segments = urn.split("::");
            provider = {
                type: segments[2]?.split("$").pop() ?? "",
                name: segments[3] ?? "",
                urn,
                props:
                    recordedProvider === undefined
                        ? {}
                        : (toWire(recordedProvider.inputs) as Record<string, unknown>),
            };
        }
        return {
            type: r.type,
            name: r.name,
            urn: r.urn === "" ? undefined : r.urn,
            props: toWire(r.inputs) as Record<string, unknown>,
            provider,
        };
    });
}

/** What the engine would send for a recorded stack: inputs for Analyze, inputs plus outputs for AnalyzeStack. */
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
