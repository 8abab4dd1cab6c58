import * as pulumi from "@pulumi/pulumi";

/** One problem with a component's arguments. */
export interface ArgProblem {
    readonly propertyPath: string;
    readonly reason: string;
}

/** Throws every problem at once, as the SDK's structured InputPropertiesError. */
export function throwIfProblems(component: string, problems: ArgProblem[]): void {
    if (problems.length === 0) return;
    throw new pulumi.InputPropertiesError({
        message: `Invalid ${component} arguments: ${problems.map((p) => p.reason).join(" ")}`,
        errors: problems,
    });
}

/** Checks that `value` is a whole number in [min, max]. */
export function checkRange(
    problems: ArgProblem[],
    propertyPath: string,
    value: number | undefined,
    min: number,
    max: number,
): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
        problems.push({
            propertyPath,
            reason: `${propertyPath} is ${value}; it must be a whole number from ${min} to ${max}.`,
        });
    }
}
