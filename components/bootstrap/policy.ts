/**
 * The bootstrap Lambda's policy: read exactly the master secret and the users' secrets, decrypt them only through
 * Secrets Manager, write its own logs, and manage the network interfaces Lambda needs to run in the VPC.
 *
 * - `secretsmanager:GetSecretValue` supports resource-level permissions (Service Authorization Reference, "Actions,
 *   resources, and condition keys for AWS Secrets Manager"): the listed secret ARNs, nothing else.
 * - A secret under a customer-managed key needs `kms:Decrypt` on that key for the caller; the `kms:ViaService`
 *   condition limits it to decryption that Secrets Manager does on the function's behalf (AWS KMS Developer
 *   Guide, "kms:ViaService"). Secrets under the AWS managed key `aws/secretsmanager` need no KMS statement: its key
 *   policy allows use through Secrets Manager to principals of the account that may read the secret.
 * - The EC2 actions are those of the AWS managed policy AWSLambdaVPCAccessExecutionRole (v3); they do not support
 *   resource-level permissions, hence "*" (same as the proxy IP sync's policy).
 */
import { RUN_INSIDE_VPC_STATEMENT } from "../lambda";
import { secretsManagerViaService } from "../../vocabulary/aws-ids";
export function bootstrapPolicy(
    secretArns: readonly string[],
    kmsKeyArns: readonly string[],
    region: string,
    logGroupArn: string,
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
