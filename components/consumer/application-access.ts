/**
 * The IAM policy an application's role in a consumer account attaches to log in to the database of another
 * account. Credentials cross accounts only by assuming a role of the database's account or by reading a secret it
 * shares, so the policy allows exactly one of those:
 * - `iam`: `sts:AssumeRole` on the connect role the producer created for this consumer; the application then
 *   signs an RDS auth token with the role's credentials (IAM database authentication needs a principal of the
 *   database's account).
 * - `password`: `secretsmanager:GetSecretValue` on the consumer's secret and `kms:Decrypt` on the key that
 *   encrypts it, only through Secrets Manager. A cross-account read needs both sides: the producer's resource and
 *   key policies, and this identity policy in the consumer account.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    modeOf,
    parseReference,
    problem,
    type AccessReference,
    type PolicyDocument,
    type Problem,
    type Surface,
} from "../../vocabulary";
import { validateArgs } from "../validation";

export type { PolicyDocument, PolicyStatement } from "../../vocabulary";

export interface ApplicationAccessArgs {
    /**
     * This account's reference in the producer's contract (vocabulary/access): the connect role to assume, or the
     * secret and key to read; plain, as it names the policy's only resources.
     */
    readonly reference: AccessReference;
    /** What the policy is for, shown in IAM. @default "Lets an application log in to the database in another account" */
    readonly description?: string;
}

/** The policy document for a valid reference: its mode's (vocabulary/access). Pure, so tests and docs can show it. */
export function applicationAccessPolicy(args: ApplicationAccessArgs): PolicyDocument {
    return modeOf(args.reference).applicationPolicy(args.reference);
}

/** An IAM policy that lets an application get its credential as its mode says: assume a role, or read a secret. */
export class ApplicationAccess extends pulumi.ComponentResource {
    /** ARN of the policy, for the application's role to attach. */
    public readonly policyArn: pulumi.Output<string>;

    constructor(name: string, args: ApplicationAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:consumer:ApplicationAccess", name, {}, opts);
        validateArgs("ApplicationAccess", name, args, {}, (surface, problems) =>
            checkReference(surface, problems, args.reference),
        );

        const policy = new aws.iam.Policy(
            `${name}-policy`,
            {
                description:
                    args.description ?? "Lets an application log in to the database in another account",
                policy: JSON.stringify(applicationAccessPolicy(args)),
            },
            { parent: this },
        );
        this.policyArn = policy.arn;
        this.registerOutputs({ policyArn: this.policyArn });
    }
}

/** The reference's mode known, its fields well-formed, no other mode's field, and its mode's own rules met. */
function checkReference(surface: Surface, problems: Problem[], reference: AccessReference): void {
    const parsed = parseReference((reference ?? {}) as unknown as Record<string, unknown>);
    if ("problems" in parsed) {
        for (const p of parsed.problems) {
            problems.push(problem(surface, `reference.${p.field}`, p.value, p.reason, p.fix));
        }
    }
}
