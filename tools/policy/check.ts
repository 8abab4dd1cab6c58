// Runs the pack over one recorded stack the way `pulumi preview --policy-pack` runs it over a real one: Analyze
// for every resource (its inputs), then AnalyzeStack once (every resource with its outputs).
import type { AnalyzedResource, Diagnostic, PolicyPackProcess } from "./analyzer";

/** Every diagnostic of the pack for one stack, resource-level first, each tagged with the resource it is about. */
export async function checkStack(
    pack: PolicyPackProcess,
    view: { inputs: readonly AnalyzedResource[]; outputs: readonly AnalyzedResource[] },
): Promise<Array<Diagnostic & { resource: string }>> {
    const found: Array<Diagnostic & { resource: string }> = [];
    for (const resource of view.inputs) {
        for (const d of await pack.analyze(resource)) {
            found.push({ ...d, resource: resource.urn ?? `${resource.type}::${resource.name}` });
        }
    }
    for (const d of await pack.analyzeStack(view.outputs)) {
        found.push({ ...d, resource: d.urn });
    }
    return found;
}
