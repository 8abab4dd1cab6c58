import type { ResourceValidationPolicy } from "@pulumi/policy";
import { findTlsProblemsInText, findTlsProblemsInVariable, type TlsFinding } from "../lib/tls-findings";
import { recordOf, subject, TYPES } from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

const FIX =
    "Fix: PostgreSQL clients need sslmode=verify-full (PGSSLMODE=verify-full), MySQL clients ssl-mode=VERIFY_IDENTITY, " +
    "with the Amazon root CA (AmazonRootCA1) as the trusted root.";

/** The string properties of each watched type that may hold connection strings. */
const TEXT_PROPERTIES: Record<string, readonly string[]> = {
    [TYPES.ssmParameter]: ["value", "insecureValue"],
    [TYPES.secretVersion]: ["secretString"],
    // JSON: each container's `environment` is a list of { name, value } entries.
    [TYPES.ecsTaskDefinition]: ["containerDefinitions"],
};

/**
 * Finds connection strings weaker than verify-full in a resource's values. Secrets arrive unwrapped (the SDK
 * deserializes them), so secret values are checked like any other. Each finding goes to `onFinding` at once, so
 * findings among known values survive an unknown one elsewhere. Findings never repeat the value.
 */
export function findWeakConnectionStrings(
    type: string,
    props: Record<string, unknown>,
    onFinding: (finding: TlsFinding) => void,
): void {
    const textProperties = TEXT_PROPERTIES[type];
    if (textProperties !== undefined) {
        checkEvery(textProperties, (key) => {
            const value = props[key];
            if (typeof value === "string") {
                findTlsProblemsInText(value, key).forEach(onFinding);
            }
        });
    } else if (type === TYPES.lambdaFunction) {
        const environment = recordOf(props.environment);
        const variables = environment === undefined ? undefined : recordOf(environment.variables);
        if (variables === undefined) {
            return;
        }
        checkEvery(Object.keys(variables), (name) => {
            const value = variables[name];
            if (typeof value !== "string") {
                return;
            }
            findTlsProblemsInVariable(name, value, `environment.variables.${name}`).forEach(onFinding);
        });
    }
}

/**
 * Blocks connection strings (every recognised form) and TLS settings (`PGSSLMODE`, `DB_SSLMODE`, `ssl: false`,
 * `NODE_TLS_REJECT_UNAUTHORIZED=0`, …) that do not verify the server certificate and host name, in SSM parameters,
 * Secrets Manager secrets, Lambda environments and ECS container definitions.
 */
export const connectionStringsVerifyFull: ResourceValidationPolicy = {
    name: "connection-strings-verify-full",
    description:
        "Database connection strings and TLS settings in SSM parameters, Secrets Manager secrets, Lambda environments and ECS task definitions must verify the server (sslmode=verify-full, ssl-mode=VERIFY_IDENTITY).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        findWeakConnectionStrings(args.type, args.props, (finding) =>
            reportViolation(
                `${subject(args.type, args.name)} ${finding.path} holds ${finding.problem}, so the client does not verify the server's certificate and host name. ${FIX}`,
            ),
        );
    },
};
