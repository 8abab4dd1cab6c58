/**
 * AlarmTopic: the SNS topic alarms notify when the stack is not given one, encrypted with a key CloudWatch may use,
 * with optional e-mail subscriptions.
 *
 * Why a customer-managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key
 * `alias/aws/sns`, whose policy does not let CloudWatch call kms:Decrypt and kms:GenerateDataKey and cannot be
 * edited; a customer-managed key whose policy grants those two actions to `cloudwatch.amazonaws.com` is the fix
 * (AWS re:Post Knowledge Center, "How do I configure a CloudWatch alarm to publish to an encrypted SNS topic?",
 * https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns). SNS supports only symmetric keys (SNS
 * Developer Guide, "Key management", https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 *
 * Who may publish: the topic's policy lets CloudWatch publish only for this account's alarms in this region
 * (`aws:SourceArn`, as the Knowledge Center's "cloudwatch-receive-sns-for-alarm-trigger" article restricts it), and
 * the account's own principals keep what their IAM policies give them.
 */
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link AlarmTopic}. */
export interface AlarmTopicArgs {
    /** Account of the stack: the key's administrators and the alarms allowed to publish are this account's. */
    readonly accountId: string;
    /** Region of the stack and of its alarms. */
    readonly region: string;
    /** Partition of the region's ARNs. @default "aws" */
    readonly partition?: string;
    /**
     * E-mail addresses subscribed to the topic. Each must confirm from the mail SNS sends before it receives
     * anything. @default none: subscribe yourself (SMS, chat, an incident tool) to the output topic ARN
     */
    readonly emails?: readonly string[];
    /** Tags for the key and the topic. @default none */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The topic alarms notify, with its key and subscriptions. */
export class AlarmTopic extends pulumi.ComponentResource {
    public readonly key: aws.kms.Key;
    public readonly topic: aws.sns.Topic;
    /** ARN of the topic: the alarms' actions. */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:monitoring:AlarmTopic", name, {}, opts);
        const partition = args.partition ?? "aws";
        const root = `arn:${partition}:iam::${args.accountId}:root`;
        const alarms = `arn:${partition}:cloudwatch:${args.region}:${args.accountId}:alarm:*`;

        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts the alarm topic ${name}; CloudWatch may use it to publish alarms`,
                enableKeyRotation: true,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            // The account administers the key through IAM, as a key's default policy allows.
                            Sid: "AccountAdministers",
                            Effect: "Allow",
                            Principal: { AWS: root },
                            Action: "kms:*",
                            Resource: "*",
                        },
                        {
                            Sid: "CloudWatchAlarmsPublish",
                            Effect: "Allow",
                            Principal: { Service: "cloudwatch.amazonaws.com" },
                            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                            Resource: "*",
                        },
                    ],
                }),
                tags: args.tags,
            },
            { parent: this },
        );

        this.topic = new aws.sns.Topic(
            `${name}-topic`,
            { kmsMasterKeyId: this.key.arn, tags: args.tags },
            { parent: this },
        );

        new aws.sns.TopicPolicy(
            `${name}-policy`,
            {
                arn: this.topic.arn,
                policy: this.topic.arn.apply((topicArn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "AccountUses",
                                Effect: "Allow",
                                Principal: { AWS: root },
                                Action: [
                                    "sns:GetTopicAttributes",
                                    "sns:Subscribe",
                                    "sns:ListSubscriptionsByTopic",
                                    "sns:Publish",
                                ],
                                Resource: topicArn,
                            },
                            {
                                Sid: "CloudWatchAlarmsPublish",
                                Effect: "Allow",
                                Principal: { Service: "cloudwatch.amazonaws.com" },
                                Action: "sns:Publish",
                                Resource: topicArn,
                                Condition: { ArnLike: { "aws:SourceArn": alarms } },
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );

        for (const email of args.emails ?? []) {
            // Named by a digest of the address, not its place in the list: removing one address never replaces
            // (and so never asks to confirm again) the others, and the address itself stays out of the URN.
            new aws.sns.TopicSubscription(
                `${name}-email-${emailKey(email)}`,
                { topic: this.topic.arn, protocol: "email", endpoint: email },
                { parent: this },
            );
        }

        this.arn = this.topic.arn;
        this.registerOutputs({ arn: this.arn });
    }
}

/** A short, stable key of an e-mail address, for its subscription's name. */
export function emailKey(email: string): string {
    return createHash("sha256").update(email).digest("hex").slice(0, 12);
}
