// Values read the way the AWS provider reads them. A program may give a boolean property as a string: the Pulumi
// Terraform bridge coerces strings to booleans ("The bridge permits coalescing strings to booleans",
// pulumi/pulumi-terraform-bridge pull request 2310). Which spellings it takes could not be confirmed from its
// documentation, so a rule that needs a property to be true accepts only Go's strconv.ParseBool spellings of true:
// if the provider takes fewer, a spelling it refuses fails the deploy; nothing that reads as false passes.

/** The strings Go's strconv.ParseBool reads as true (pkg.go.dev/strconv#ParseBool). */
const TRUE_STRINGS: ReadonlySet<string> = new Set(["1", "t", "T", "TRUE", "true", "True"]);

/** True when the provider reads the value as boolean true: `true`, or a string such as `"true"`, `"True"` or `"1"`. */
export function readsAsTrue(value: unknown): boolean {
    return value === true || (typeof value === "string" && TRUE_STRINGS.has(value));
}
