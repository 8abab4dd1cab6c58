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
import { isRoleArn, problem, secretsManagerViaService, type Problem, type Surface } from "../../vocabulary";
import { validateArgs } from "../validation";

export interface ApplicationAccessArgs {
    /** How the applications authenticate: `iam` (assume the connect role) or `password` (read the secret). */
    readonly auth: "iam" | "password";
    /** The connect role in the database account (iam); plain, as it names the policy's only resource. */
    readonly connectRoleArn?: string;
    /** The Secrets Manager secret holding the database user's password (password). */
    readonly secretArn?: string;
    /** The customer-managed KMS key that encrypts `secretArn` (password); in the secret's region. */
    readonly secretKeyArn?: string;
    /** What the policy is for, shown in IAM. @default "Lets an application log in to the database in another account" */
    readonly description?: string;
}

/** One statement of an IAM policy document. */
export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: string;
    readonly Resource: string;
    readonly Condition?: Record<string, Record<string, string>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: PolicyStatement[];
}

const SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@!-]+$/;
const KMS_KEY_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/[0-9a-f-]{36}$/;

/**
 * The policy document for valid arguments (see `checkAccess`). Pure, so that tests and docs can show it exactly.
 */
export function applicationAccessPolicy(args: ApplicationAccessArgs): PolicyDocument {
    if (args.auth === "iam") {
        return {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AssumeDatabaseConnectRole",
                    Effect: "Allow",
                    Action: "sts:AssumeRole",
                    Resource: String(args.connectRoleArn),
                },
            ],
        };
    }
    // The key is used by Secrets Manager on the application's behalf, in the secret's region; kms:ViaService keeps
    // the grant from being usable for anything else (AWS KMS: "kms:ViaService" condition key).
    const region = String(args.secretArn).split(":")[3];
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadDatabaseSecret",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: String(args.secretArn),
            },
            {
                Sid: "DecryptDatabaseSecret",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: String(args.secretKeyArn),
                Condition: {
                    StringEquals: {
                        "kms:ViaService": secretsManagerViaService(region),
                    },
                },
            },
        ],
    };
}

/** An IAM policy that lets an application assume the database's connect role, or read its shared secret. */
export class ApplicationAccess extends pulumi.ComponentResource {
    /** ARN of the policy, for the application's role to attach. */
    public readonly policyArn: pulumi.Output<string>;

    constructor(name: string, args: ApplicationAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:consumer:ApplicationAccess", name, {}, opts);
        validateArgs("ApplicationAccess", name, args, {}, (surface, problems) =>
            checkAccess(surface, problems, args),
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

/** Each mode's references present and well-formed, the other mode's absent; secret and key in one region. */
function checkAccess(surface: Surface, problems: Problem[], args: ApplicationAccessArgs): void {
    const reject = (path: string, value: unknown, reason: string, fix: string) =>
        problems.push(problem(surface, path, value, reason, fix));
    if (args.auth !== "iam" && args.auth !== "password") {
        reject("auth", args.auth, 'it must be "iam" or "password"', 'Pass "iam" or "password".');
        return;
    }
    const other = args.auth === "iam" ? ["secretArn", "secretKeyArn"] : ["connectRoleArn"];
    for (const key of other) {
        const value = (args as unknown as Record<string, unknown>)[key];
        if (value !== undefined) {
            reject(key, value, `auth is "${args.auth}", which does not use it`, `Remove ${key}.`);
        }
    }
    if (args.auth === "iam") {
        if (args.connectRoleArn === undefined || !isRoleArn(args.connectRoleArn)) {
            reject(
                "connectRoleArn",
                args.connectRoleArn,
                "it must be an IAM role ARN",
                'Pass the connect role, such as "arn:aws:iam::111111111111:role/app-connect".',
            );
        }
        return;
    }
    const secret = args.secretArn === undefined ? null : SECRET_ARN.exec(args.secretArn);
    const key = args.secretKeyArn === undefined ? null : KMS_KEY_ARN.exec(args.secretKeyArn);
    if (!secret) {
        reject(
            "secretArn",
            args.secretArn,
            "it must be a Secrets Manager secret ARN",
            'Pass the secret, such as "arn:aws:secretsmanager:eu-west-1:111111111111:secret:app-AbCdEf".',
        );
    }
    if (!key) {
        reject(
            "secretKeyArn",
            args.secretKeyArn,
            "it must be a KMS key ARN (arn:…:kms:<region>:<account>:key/<key-id>)",
            "Pass the customer-managed key that encrypts the secret.",
        );
    }
    if (secret && key && (secret[1] !== key[1] || secret[2] !== key[2])) {
        reject(
            "secretKeyArn",
            args.secretKeyArn,
            `the secret is in ${secret[2]}, and Secrets Manager encrypts a secret only with a key of its own region`,
            "Pass the key that encrypts the secret.",
        );
    }
}
