// Who a VPC Lattice resource is shared with: the principals of AWS RAM shares, and the statements of VPC Lattice
// resource policies. Both decide which accounts may create an endpoint to the database's resource configuration.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { listOf, recordOf, subject, TYPES } from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

// The principal forms RAM takes: "an AWS account ID (exactly 12 digits), an AWS Organizations Organization ARN, an
// AWS Organizations Organizational Unit ARN, an IAM role ARN, an IAM user ARN, or a service principal"
// (`principals` of aws.ram.ResourceShareAssociationsExclusive, pulumi-aws 7; "principals" of CreateResourceShare,
// AWS RAM API Reference). Organization IDs are `o-` and 10 to 32 characters, OU IDs `ou-<root>-<ou>` (AWS
// Organizations API Reference, `Id` of Organization and OrganizationalUnit).
const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const ORGANIZATIONAL_UNIT =
    /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;
const IAM_ROLE_OR_USER = /^arn:aws[a-z-]*:iam::\d{12}:(?:role|user)\/[\w+=,.@/-]+$/;
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;

const PRINCIPAL_FIX =
    "Fix: name each consumer account by its 12-digit ID (or an organization or OU ARN of arn:aws:organizations::<management-account>:…), never a wildcard.";

/** Why a RAM principal is refused, or undefined when it names a bounded set of principals. */
function principalProblem(principal: unknown, sourcesNamed: boolean): string | undefined {
    if (typeof principal !== "string") {
        return "is not a string, so the pack cannot tell whom the share admits";
    }
    if (principal.includes("*")) {
        return "is a wildcard, which would share the resource with principals the stack does not name";
    }
    if (
        ACCOUNT_ID.test(principal) ||
        ORGANIZATION.test(principal) ||
        ORGANIZATIONAL_UNIT.test(principal) ||
        IAM_ROLE_OR_USER.test(principal)
    ) {
        return undefined;
    }
    if (SERVICE_PRINCIPAL.test(principal)) {
        // RAM's `sources` restrict "which accounts a service principal can access resources from" (CreateResourceShare);
        // without them the service acts for any account.
        return sourcesNamed
            ? undefined
            : "is a service principal without sources, which admits that service acting for any account";
    }
    return "is not an account ID, an organization or OU ARN, or an IAM role or user ARN, so the pack cannot tell whom the share admits";
}

/** True when `sources` is a non-empty list of 12-digit account IDs. */
function namesSourceAccounts(sources: unknown): boolean {
    return Array.isArray(sources) && sources.length > 0 && sources.every((s) => ACCOUNT_ID.test(String(s)));
}

/**
 * Blocks a RAM share open to principals the stack does not name: a principal association, or an entry of an
 * exclusive association's `principals`, that is a wildcard, a service principal without source accounts, or not a
 * principal form RAM documents. `allowExternalPrincipals` is not judged: whether a consumer is outside the
 * organization is the stack's to say, and the principals themselves are checked here.
 */
export const ramShareNamedPrincipals: ResourceValidationPolicy = {
    name: "ram-share-named-principals",
    description:
        "AWS RAM shares must name their principals (account IDs, organizations or OUs, IAM roles or users), never a wildcard.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const report = (where: string, principal: unknown, problem: string): void =>
            reportViolation(
                `${subject(args.type, args.name)} ${where} is ${JSON.stringify(principal)}, which ${problem}. ${PRINCIPAL_FIX}`,
            );
        if (args.type === TYPES.ramPrincipalAssociation) {
            const principal: unknown = args.props.principal;
            const problem = principalProblem(principal, false);
            if (problem !== undefined) {
                report("principal", principal, problem);
            }
        } else if (args.type === TYPES.ramAssociationsExclusive) {
            const sourcesNamed = namesSourceAccounts(args.props.sources);
            checkEvery(listOf(args.props.principals), (principal, index) => {
                const problem = principalProblem(principal, sourcesNamed);
                if (problem !== undefined) {
                    report(`principals[${index}]`, principal, problem);
                }
            });
        }
    },
};

/** True for a principal element that admits everyone: `"*"`, or `{ "AWS": "*" }` (also inside a list). */
function isEveryone(principal: unknown): boolean {
    if (typeof principal === "string") {
        return principal.includes("*");
    }
    const record = recordOf(principal);
    if (record === undefined) {
        return false;
    }
    return Object.values(record).some((value) =>
        Array.isArray(value) ? value.some(isEveryone) : isEveryone(value),
    );
}

/** The statements of a policy document, or a reason it cannot be read as one. */
function statementsOf(policy: unknown): { statements: unknown[] } | { unreadable: string } {
    if (typeof policy !== "string") {
        return { unreadable: "is not a JSON string" };
    }
    let document: unknown;
    try {
        document = JSON.parse(policy);
    } catch {
        return { unreadable: "is not valid JSON" };
    }
    const statement = recordOf(document)?.Statement;
    if (statement === undefined) {
        return { unreadable: "has no Statement" };
    }
    return { statements: Array.isArray(statement) ? statement : [statement] };
}

const POLICY_FIX =
    'Fix: name the consumer accounts as principals ("AWS": "arn:aws:iam::<account-id>:root"), or keep "*" only with a Condition that bounds it (aws:PrincipalOrgID, aws:PrincipalAccount).';

/**
 * Blocks a VPC Lattice resource policy that grants everyone: an `Allow` statement whose principal is `*` (or
 * `{"AWS": "*"}`) without a Condition, or an `Allow` with `NotPrincipal`, which grants everyone but the names. A
 * policy the pack cannot read as a document fails. Auth policies are not judged: they apply to services and service
 * networks, and "the auth policy on the service network doesn't apply to resource configurations in the service
 * network" ("Control access to VPC Lattice services using auth policies", VPC Lattice User Guide).
 */
export const latticeResourcePolicyNoOpenGrant: ResourceValidationPolicy = {
    name: "lattice-resource-policy-no-open-grant",
    description:
        "VPC Lattice resource policies must not allow every principal (*) without a condition that bounds it.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.latticeResourcePolicy) {
            return;
        }
        const who = subject(args.type, args.name);
        const read = statementsOf(args.props.policy);
        if ("unreadable" in read) {
            reportViolation(
                `${who} policy ${read.unreadable}, so the pack cannot tell whom it grants. ${POLICY_FIX}`,
            );
            return;
        }
        read.statements.forEach((entry, index) => {
            const statement = recordOf(entry);
            if (statement === undefined || statement.Effect !== "Allow") {
                return;
            }
            const sid = typeof statement.Sid === "string" ? ` (Sid "${statement.Sid}")` : "";
            const where = `${who} policy Statement[${index}]${sid}`;
            if (statement.NotPrincipal !== undefined) {
                reportViolation(
                    `${where} allows with NotPrincipal, which grants every principal but the ones it names. ${POLICY_FIX}`,
                );
                return;
            }
            const condition = recordOf(statement.Condition);
            if (
                isEveryone(statement.Principal) &&
                (condition === undefined || Object.keys(condition).length === 0)
            ) {
                reportViolation(
                    `${where} allows the principal ${JSON.stringify(statement.Principal)} without a Condition, which grants every AWS account. ${POLICY_FIX}`,
                );
            }
        });
    },
};
