// Runs the policy pack's rules in the test process, the way the SDK's analyzer server calls them, so that StrykerJS
// can measure them with per-test coverage (the analyzer tests start the pack in a child process, which Stryker can
// only measure with coverage analysis off). What this builds, as the SDK's server does (server.js of
// @pulumi/policy): props wrapped in the SDK's own `unknownCheckingProxy`, so reading an unknown value throws the
// SDK's `UnknownValueError`; URNs; property dependencies as the resource objects they name; `getConfig` returning
// the policy's config. What it does not do: the wire encoding (secrets, unknown sentinels as protobuf), the policy
// description prefix and enforcement levels; the analyzer tests cover those.
import {
    unknownCheckingProxy,
    UnknownValueError,
    type PolicyResource,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    type StackValidationArgs,
    type StackValidationPolicy,
} from "@pulumi/policy";

/** The SDK's in-memory sentinels for values unknown during preview (proxy.js of @pulumi/policy). */
export const UNKNOWN = {
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

/** A resource as a test describes it; `propertyDependencies` name other resources of the stack by `name`. */
export interface TestResource {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly urn?: string;
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** One reported violation: the message without the policy description, and the URN a stack policy named. */
export interface Reported {
    readonly message: string;
    readonly urn?: string;
}

/** What a validation did: the violations, in order, and the message of the unknown-value error it ended with. */
export interface Outcome {
    readonly violations: readonly Reported[];
    readonly unknown?: string;
}

/** The URN the analyzer tests give a resource. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::rds-cross-account::${type}::${name}`;
}

/** The resource options the engine sends with every resource, as the analyzer tests send them. */
export const OPTIONS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

function notApplicable(reason?: string): never {
    throw new Error(`notApplicable(${reason ?? ""}) is not used by this pack`);
}

function isType(): boolean {
    throw new Error("isType is not used by this pack");
}

function asType(): undefined {
    throw new Error("asType is not used by this pack");
}

async function outcome(run: (report: (message: string, urn?: string) => void) => unknown): Promise<Outcome> {
    const violations: Reported[] = [];
    const report = (message: string, urn?: string): void => {
        violations.push(urn === undefined ? { message } : { message, urn });
    };
    try {
        await run(report);
    } catch (error) {
        if (error instanceof UnknownValueError) {
            return { violations, unknown: (error as Error).message };
        }
        throw error;
    }
    return { violations };
}

/** Calls a resource policy's `validateResource` on one resource, with `config` as the policy's config. */
export function validateResource(
    policy: ResourceValidationPolicy,
    resource: TestResource,
    config: Record<string, unknown> = {},
): Promise<Outcome> {
    const validate = policy.validateResource;
    if (validate === undefined || Array.isArray(validate)) {
        throw new Error(`${policy.name} has no single validateResource`);
    }
    const props = unknownCheckingProxy(resource.props) as Record<string, unknown>;
    const args: ResourceValidationArgs = {
        type: resource.type,
        name: resource.name,
        urn: resource.urn ?? urnOf(resource.type, resource.name),
        props,
        opts: OPTIONS,
        stackTags: new Map(),
        isType,
        asType,
        getConfig: <T extends object>() => config as T,
        notApplicable,
    };
    return outcome((report) => validate(args, report));
}

/** Calls a stack policy's `validateStack` on the resources, with `config` as the policy's config. */
export function validateStack(
    policy: StackValidationPolicy,
    resources: readonly TestResource[],
    config: Record<string, unknown> = {},
): Promise<Outcome> {
    const built = resources.map((r) => {
        const resource: PolicyResource = {
            type: r.type,
            name: r.name,
            urn: r.urn ?? urnOf(r.type, r.name),
            props: unknownCheckingProxy(r.props) as Record<string, unknown>,
            opts: OPTIONS,
            dependencies: [],
            propertyDependencies: {},
            isType,
            asType,
        };
        return resource;
    });
    const byName = new Map(built.map((r) => [r.name, r]));
    resources.forEach((r, index) => {
        for (const [property, names] of Object.entries(r.propertyDependencies ?? {})) {
            // As the SDK does, a dependency on a resource outside the stack is dropped.
            built[index].propertyDependencies[property] = names
                .map((name) => byName.get(name))
                .filter((target): target is PolicyResource => target !== undefined);
        }
    });
    const args: StackValidationArgs = {
        resources: built,
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable,
    };
    return outcome((report) => policy.validateStack(args, report));
}
