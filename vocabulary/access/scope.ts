/**
 * What the database account's roles may read of the consumers' secrets, whatever their number: the secrets this
 * stack tags with its scope, and their keys only through Secrets Manager. Listing every secret and key ARN made
 * the proxy's and the bootstrap's role policies grow with each consumer, past IAM's 10,240 characters (./limits.ts).
 *
 * - `secretsmanager:GetSecretValue` takes `aws:ResourceTag/<key>` as a condition on the secret (Service
 *   Authorization Reference, "Actions, resources, and condition keys for AWS Secrets Manager"): the role reads only
 *   secrets that carry this stack's scope tag, which the stack sets when it creates each secret.
 * - `kms:Decrypt` is allowed on the account's keys in the region, only through Secrets Manager (`kms:ViaService`,
 *   AWS KMS Developer Guide): Secrets Manager decrypts a secret for the caller only after allowing it
 *   `GetSecretValue` on that secret, so the keys reach no further than the secrets above. A tag condition on the
 *   keys is not used: KMS may take up to five minutes to honour a new key's tags (AWS KMS Developer Guide, "ABAC
 *   for AWS KMS"), and the bootstrap reads a new consumer's secret in the same `pulumi up`.
 */
import { secretsManagerViaService } from "../aws-ids";
import { matching, rule, type Rule } from "../rules";
import type { PolicyStatement } from "./mode";

/** The tag every consumer secret (and its key) carries, whose value is the stack's scope. */
export const ACCESS_SCOPE_TAG_KEY = "rds-cross-account:access-scope";

/** A stack's scope: its project and stack names, unique in an account and region for this program's stacks. */
export function accessScopeOf(project: string, stack: string): string {
    return `${project}/${stack}`;
}

/**
 * A scope is a tag value of both Secrets Manager (at most 255 characters) and KMS (at most 256), of the characters
 * both take (letters, digits, spaces and `+ - = . _ : / @`; Secrets Manager TagResource, AWS KMS TagResource).
 */
export const accessScopeRule: Rule<string> = rule(
    matching(/^[A-Za-z0-9 +\-=._:/@]{1,255}$/),
    "1 to 255 letters, digits, spaces or + - = . _ : / @ (a tag value)",
    '"rds-cross-account/prod"',
);

/** Where the scoped statements apply: the account and region of the secrets, and the scope. */
export interface SecretScope {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly scope: string;
}

/** The two statements that let a role read the scope's secrets and decrypt them through Secrets Manager. */
export function scopedSecretStatements(
    s: SecretScope,
    sids: { readonly read: string; readonly decrypt: string },
): PolicyStatement[] {
    return [
        {
            Sid: sids.read,
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: `arn:${s.partition}:secretsmanager:${s.region}:${s.accountId}:secret:*`,
            Condition: { StringEquals: { [`aws:ResourceTag/${ACCESS_SCOPE_TAG_KEY}`]: s.scope } },
        },
        {
            Sid: sids.decrypt,
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: `arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`,
            Condition: { StringEquals: { "kms:ViaService": secretsManagerViaService(s.region) } },
        },
    ];
}
