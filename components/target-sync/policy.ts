import { RUN_INSIDE_VPC_STATEMENT } from "../lambda";
import type { IpSource } from "./sources";

/**
 * The Lambda's policy. Mutations are limited to this target group's ARN; ELBv2 `DescribeTargetHealth`,
 * `DescribeTargetGroups`, `DescribeLoadBalancers` and EC2 `Describe*` do not support resource-level permissions
 * (no resource type, no condition key but the global ones), so they take "*" (Service Authorization Reference:
 * "Actions, resources, and condition keys for Elastic Load Balancing V2" and "... for Amazon EC2"). In dns mode the function runs in the VPC and needs the EC2 actions of the AWS managed policy
 * AWSLambdaVPCAccessExecutionRole, version v3 (edited 2024-01-05)
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html).
 */
export function syncPolicy(
    source: IpSource,
    targetGroupArn: string,
    tableArn: string,
    logGroupArn: string,
): object {
    const statements: object[] = [
        {
            Sid: "ChangeThisTargetGroupOnly",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: targetGroupArn,
        },
        {
            // DescribeTargetGroups, DescribeLoadBalancers: each sync checks the target group is of type ip and
            // protocol TCP, in the proxy's VPC, on its port, behind internal network load balancers only.
            Sid: "ReadTargetGroup",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:DescribeTargetHealth",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeLoadBalancers",
            ],
            Resource: "*",
        },
        {
            Sid: "MissState",
            Effect: "Allow",
            Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
            Resource: tableArn,
        },
        {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn}:*`,
        },
    ];
    if (source === "eni") {
        statements.push({
            Sid: "FindProxyInterfaces",
            Effect: "Allow",
            Action: ["ec2:DescribeNetworkInterfaces"],
            Resource: "*",
        });
    } else {
        statements.push(RUN_INSIDE_VPC_STATEMENT);
    }
    return { Version: "2012-10-17", Statement: statements };
}
