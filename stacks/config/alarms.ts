/**
 * The `alarms` key, the same in both stacks: whether the stack creates its alarms and dashboard, and where the alarms
 * notify (an existing SNS topic, or a topic the stack creates with optional e-mail subscriptions).
 */
import {
    booleanLike,
    defaulted,
    distinctList,
    leaf,
    matching,
    object,
    optional,
    rule,
    satisfying,
    INVALID,
    type Shape,
} from "../../vocabulary";
import { keySpec, type Problems } from "./read";

/**
 * A standard SNS topic's ARN. Topic names: "uppercase and lowercase ASCII letters, numbers, underscores, and
 * hyphens, and must be between 1 and 256 characters long" (SNS API Reference, CreateTopic, Name). A FIFO topic
 * (`.fifo`) is refused: it delivers only to SQS FIFO queues (AWS re:Post, "while trying to create an sns
 * subscription after choosing a topic all protocols except sqs disappear"), so no person would see the alarms.
 */
const topicArnPattern = /^arn:(aws(?:-[a-z]+)*):sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;

/** An e-mail address as SNS's email protocol takes it: one `@`, a dot in the domain, no spaces. */
const emailPattern = /^[^@\s"<>,;]{1,64}@[^@\s"<>,;]+\.[^@\s"<>,;.]+$/;

const alarmsShape = object({
    enabled: leaf(rule(booleanLike, "true or false", "false"), { default: true }),
    topicArn: optional(
        leaf(
            rule(
                matching(topicArnPattern),
                "the ARN of a standard SNS topic (not .fifo)",
                '"arn:aws:sns:eu-west-1:111111111111:on-call"',
            ),
        ),
    ),
    emails: optional(
        leaf(
            rule(
                distinctList(
                    rule(
                        satisfying<string>((v) => typeof v === "string" && emailPattern.test(v)),
                        "an e-mail address",
                        '"oncall@example.com"',
                    ).schema,
                    1,
                ),
                "a non-empty list of distinct e-mail addresses",
                '["oncall@example.com"]',
            ),
        ),
    ),
});

/** Where alarms notify, and whether there are any: one variant per choice. */
export type AlarmsConfig =
    | { readonly kind: "off" }
    /** An existing topic: the stack creates no topic and no subscription. */
    | { readonly kind: "existing-topic"; readonly topicArn: string }
    /** A topic the stack creates, with these e-mail subscriptions (possibly none). */
    | { readonly kind: "created-topic"; readonly emails: string[] };

/** The fields of `alarms` read, then the rules between them, then its variant. */
const alarmsConfigShape: Shape<AlarmsConfig> = {
    read(value, path, faults) {
        const key = alarmsShape.read(value, path, faults);
        if (key === INVALID) return INVALID;
        const before = faults.length;
        const refuse = (field: "topicArn" | "emails", reason: string, fix: string) =>
            faults.push({ path: [...path, field], value: key[field], why: { kind: "custom", reason, fix } });
        if (!key.enabled) {
            for (const field of ["topicArn", "emails"] as const) {
                if (key[field] === undefined) continue;
                refuse(
                    field,
                    "alarms.enabled is false, so the stack creates no alarm to notify anyone",
                    `Remove alarms.${field} from {file}, or set alarms.enabled to true.`,
                );
            }
        } else if (key.topicArn !== undefined && key.emails !== undefined) {
            refuse(
                "emails",
                "alarms.topicArn names an existing topic, and the stack subscribes addresses only to a topic it " +
                    "creates (it does not manage the subscriptions of a topic it does not own)",
                "Subscribe the addresses to that topic where it is managed and remove alarms.emails from {file}, " +
                    "or remove alarms.topicArn to let the stack create a topic for them.",
            );
        }
        if (faults.length > before) return INVALID;
        if (!key.enabled) return { kind: "off" };
        return key.topicArn !== undefined
            ? { kind: "existing-topic", topicArn: key.topicArn }
            : { kind: "created-topic", emails: key.emails ?? [] };
    },
};

/** The `alarms` key's spec (a JSON object; absent means all defaults: alarms on, a topic created, no e-mail). */
export const alarmsSpec = keySpec("json", defaulted(alarmsConfigShape));

/**
 * An existing topic must be in the stack's region: an alarm's actions name a topic of the alarm's region. Refusing
 * another region is the safe side if AWS ever allows more: alarms never point at a topic that may not receive them.
 */
export function checkAlarmsRegion(
    alarms: AlarmsConfig | undefined,
    region: string | undefined,
    problems: Problems,
): void {
    if (alarms?.kind !== "existing-topic" || region === undefined) return;
    const topicRegion = alarms.topicArn.split(":")[3];
    if (topicRegion === region) return;
    problems.reject(
        "alarms.topicArn",
        alarms.topicArn,
        `the topic is in ${topicRegion}, and the stack's alarms are in ${region}: an alarm notifies a topic of its own region`,
        `Name a topic in ${region} in {file}, or remove alarms.topicArn to let the stack create one.`,
    );
}
