/**
 * What every Lambda this project ships has in common: the role's trust policy, the EC2 actions a function needs to
 * run inside a VPC, and how long its logs are kept by default. Shared by the proxy IP sync, the database-user
 * bootstrap and the canary, so they cannot drift apart. Plain data: the sync's serialized provider and the Lambdas
 * import it, so it imports nothing (how a function runs on a schedule is ./lambda-schedule.ts).
 */

/** The trust policy of a Lambda function's execution role: only the Lambda service may assume it. */
export const LAMBDA_TRUST_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
        },
    ],
});

/**
 * The EC2 actions of the AWS managed policy AWSLambdaVPCAccessExecutionRole, version v3 (edited 2024-01-05),
 * which a function needs to attach to a VPC
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html).
 * EC2's Describe and network-interface actions take "*" (Service Authorization Reference, Amazon EC2).
 */
export const RUN_INSIDE_VPC_STATEMENT = {
    Sid: "RunInsideVpc",
    Effect: "Allow",
    Action: [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
    ],
    Resource: "*",
} as const;

/** Days a function's log group keeps logs when none is given. */
export const DEFAULT_LAMBDA_LOG_RETENTION_DAYS = 30;
