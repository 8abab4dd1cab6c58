/** How this project's scheduled Lambdas (the proxy IP sync, the canary) run on their schedule: defined once. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Runs `fn` on `schedule`: an EventBridge rule (`<name>-schedule`), the permission for EventBridge to invoke the
 * function (`<name>-invoke`) and the rule's target (`<name>-target`), which waits for the permission and for
 * `targetDependsOn` (what a run needs, or what must outlive the schedule on destroy).
 */
export function scheduleFunction(
    name: string,
    fn: aws.lambda.Function,
    schedule: pulumi.Input<string>,
    parent: pulumi.Resource,
    options: {
        readonly targetDependsOn?: readonly pulumi.Resource[];
        readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    } = {},
): { rule: aws.cloudwatch.EventRule } {
    const rule = new aws.cloudwatch.EventRule(
        `${name}-schedule`,
        { scheduleExpression: schedule, ...(options.tags ? { tags: options.tags } : {}) },
        { parent },
    );
    const permission = new aws.lambda.Permission(
        `${name}-invoke`,
        {
            action: "lambda:InvokeFunction",
            function: fn.name,
            principal: "events.amazonaws.com",
            sourceArn: rule.arn,
        },
        { parent },
    );
    new aws.cloudwatch.EventTarget(
        `${name}-target`,
        { rule: rule.name, arn: fn.arn },
        { parent, dependsOn: [permission, ...(options.targetDependsOn ?? [])] },
    );
    return { rule };
}
