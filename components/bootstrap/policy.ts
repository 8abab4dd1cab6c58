/**
 * The bootstrap Lambda's policy: read the master secret and this stack's users' secrets, decrypt them only through
 * Secrets Manager, write its own logs, and manage the network interfaces Lambda needs to run in the VPC.
 *
 * - `secretsmanager:GetSecretValue` supports resource-level permissions (Service Authorization Reference, "Actions,
 *   resources, and condition keys for AWS Secrets Manager"): the master secret by its ARN, the users' secrets by the
 *   stack's scope tag (vocabulary/access/scope.ts), so that the policy does not grow with the consumers (IAM caps a
 *   role's inline policies at 10,240 characters together: vocabulary/access/limits.ts).
 * - A secret under a customer-managed key needs `kms:Decrypt` on that key for the caller; the `kms:ViaService`
 *   condition limits it to decryption that Secrets Manager does on the function's behalf (AWS KMS Developer
 *   Guide, "kms:ViaService"). Secrets under the AWS managed key `aws/secretsmanager` need no KMS statement: its key
 *   policy allows use through Secrets Manager to principals of the account that may read the secret.
 * - The EC2 actions are those of the AWS managed policy AWSLambdaVPCAccessExecutionRole (v3); they do not support
 *   resource-level permissions, hence "*" (same as the proxy IP sync's policy).
 */
import { RUN_INSIDE_VPC_STATEMENT } from "../lambda";
import { secretsManagerViaService } from "../../vocabulary/aws-ids";
import { scopedSecretStatements } from "../../vocabulary/access/scope";

/**
 * `secretArns` and `kmsKeyArns` are named one by one (the master secret and its key); with `userSecretScope`, the
 * users' secrets are those of the master secret's account and region that carry that scope tag.
 */
export function bootstrapPolicy(
    secretArns: readonly string[],
    kmsKeyArns: readonly string[],
    region: string,
    logGroupArn: string,
    userSecretScope?: string,
): object {
    const statements: object[] = [
        {
            Sid: "ReadTheBootstrapSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue"],
            Resource: [...new Set(secretArns)],
        },
    ];
    if (kmsKeyArns.length > 0) {
        statements.push({
            Sid: "DecryptThroughSecretsManager",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [...new Set(kmsKeyArns)],
            Condition: { StringEquals: { "kms:ViaService": secretsManagerViaService(region) } },
        });
    }
    if (userSecretScope !== undefined) {
        // arn:<partition>:secretsmanager:<region>:<account>:secret:<name>: the users' secrets are beside it.
        const [, partition, , , accountId] = secretArns[0].split(":");
        statements.push(
            ...scopedSecretStatements(
                { partition, region, accountId, scope: userSecretScope },
                {
                    read: "ReadTheUsersSecretsOfThisStack",
                    decrypt: "DecryptTheUsersSecretsThroughSecretsManager",
                },
            ),
        );
    }
    statements.push(
        {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn}:*`,
        },
        RUN_INSIDE_VPC_STATEMENT,
    );
    return { Version: "2012-10-17", Statement: statements };
}
