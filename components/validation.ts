/**
 * The components' side of the project's validation idiom (vocabulary/rules.ts): a component's arguments are a
 * `Surface`, checked by rules as data, and every problem is thrown at once as the SDK's structured
 * `InputPropertiesError` (one `{ propertyPath, reason }` per problem).
 */
import * as pulumi from "@pulumi/pulumi";
import { argumentSurface, checkAll, type Problem, type Rules, type Surface } from "../vocabulary";

/** Throws every problem at once, as the SDK's structured InputPropertiesError. */
export function throwIfProblems(owner: string, name: string, problems: readonly Problem[]): void {
    if (problems.length === 0) return;
    throw new pulumi.InputPropertiesError({
        message: `Invalid arguments for ${owner} ${name}:\n${problems.map((p) => `  - ${p.message}`).join("\n")}`,
        errors: problems.map((p) => ({ propertyPath: p.path, reason: p.message })),
    });
}

/**
 * Checks a component's plain arguments against `rules`, then lets `more` add the checks that relate
 * arguments to each other, and throws every problem at once. Outputs are not judged here (they are unknown
 * until the deployment).
 */
export function validateArgs(
    owner: string,
    name: string,
    args: object,
    rules: Rules,
    more?: (surface: Surface, problems: Problem[]) => void,
): void {
    const surface = argumentSurface(owner);
    const problems = checkAll(surface, args as Record<string, unknown>, rules, (v) =>
        pulumi.Output.isInstance(v),
    );
    more?.(surface, problems);
    throwIfProblems(owner, name, problems);
}
