import * as policy from "@pulumi/policy";

// The SDK throws UnknownValueError when a rule reads a value that is unknown during preview, and turns it into an
// advisory diagnostic. Its type declarations do not expose the class, so it is taken from the module at run time;
// it is the same class the SDK's server checks with `instanceof`.
const UnknownValueError = (policy as unknown as { UnknownValueError: new (...args: never[]) => Error })
    .UnknownValueError;

/** True for the SDK's "value unknown during preview" error. */
export function isUnknownValueError(error: unknown): boolean {
    return error instanceof UnknownValueError;
}

/**
 * Runs `check` on every item, even after one of them reads an unknown value, so that every violation among the
 * known items is reported; then rethrows the first unknown-value error so the SDK still reports the rule as
 * unable to run fully during preview. Items are read by index inside the guard, so an unknown element of a
 * list is handled like an unknown field. Any other error propagates at once.
 */
export function checkEvery<T>(items: ArrayLike<T>, check: (item: T, index: number) => void): void {
    let firstUnknown: unknown;
    const count = items.length;
    for (let index = 0; index < count; index++) {
        try {
            check(items[index], index);
        } catch (error) {
            if (!isUnknownValueError(error)) {
                throw error;
            }
            firstUnknown ??= error;
        }
    }
    if (firstUnknown !== undefined) {
        throw firstUnknown;
    }
}
