/**
 * Alarms as data: what each alarm watches, its rule, and why, in one shape that both the alarm resource and the
 * dashboard are built from, so the dashboard always shows exactly what pages.
 *
 * AWS facts every definition relies on (each definition cites the page of its own metric):
 * - Missing data: "notBreaching – Missing data points are treated as "good" and within the threshold"; "breaching –
 *   Missing data points are treated as "bad""; "missing – If all data points in the alarm evaluation range are
 *   missing, the alarm transitions to INSUFFICIENT_DATA" (CloudWatch User Guide, "Configuring how CloudWatch alarms
 *   treat missing data", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
 * - An alarm may watch "the result of a math expression based on CloudWatch metrics" (CloudWatch User Guide,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html); with metric queries the
 *   alarm's own metric fields stay unset and each metric carries its period (PutMetricAlarm, Period).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One CloudWatch metric series with the statistic and period an alarm or graph reads it with. */
export interface MetricRef {
    readonly namespace: string;
    readonly metricName: string;
    /** Dimension names exactly as AWS publishes them (some contain spaces). */
    readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
    readonly statistic: "Sum" | "Average" | "Minimum" | "Maximum";
    /** Seconds. */
    readonly period: number;
}

/** What an alarm evaluates: one metric, or a metric math expression over named metrics. */
export type Watched =
    | { readonly kind: "metric"; readonly metric: MetricRef }
    | {
          readonly kind: "math";
          /** The expression, over the ids of `metrics`. */
          readonly expression: string;
          readonly label: string;
          /** Each metric by its id in the expression (a lower-case letter first). */
          readonly metrics: Readonly<Record<string, MetricRef>>;
          /** The period of the expression's result: that of its metrics. */
          readonly period: number;
      };

/** One alarm of the path, with its reason. */
export interface AlarmDefinition {
    /** Short, stable, unique within its component: the alarm's child name is `<component>-<key>`. */
    readonly key: string;
    /** Title on the dashboard. */
    readonly title: string;
    /** What a notification says: what broke, and the heading of docs/alarms.md that says what to do first. */
    readonly description: string;
    readonly watched: Watched;
    readonly comparison: "LessThanThreshold" | "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
    readonly threshold: number;
    /** N of "M of N". */
    readonly evaluationPeriods: number;
    /** M of "M of N". */
    readonly datapointsToAlarm: number;
    readonly treatMissingData: "breaching" | "notBreaching" | "missing";
}

/** Where the description sends people: one place that says what each alarm means and what to do first. */
export const ALARMS_DOC = "docs/alarms.md";

/** An alarm's description: what broke, then where to read what to do first. */
export function describe(what: string, heading: string): string {
    return `${what} What to do first: ${ALARMS_DOC}, "${heading}".`;
}

/**
 * Creates the alarm a definition describes, notifying `topicArn` when it fires and when it recovers (OK actions
 * too, so that the people paged learn the path is back without looking).
 */
export function createAlarm(
    name: string,
    def: AlarmDefinition,
    topicArn: pulumi.Input<string>,
    tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    const watched = def.watched;
    const what =
        watched.kind === "metric"
            ? {
                  namespace: watched.metric.namespace,
                  metricName: watched.metric.metricName,
                  dimensions: watched.metric.dimensions,
                  statistic: watched.metric.statistic,
                  period: watched.metric.period,
              }
            : {
                  metricQueries: [
                      { id: "e1", expression: watched.expression, label: watched.label, returnData: true },
                      ...Object.entries(watched.metrics).map(([id, m]) => ({
                          id,
                          returnData: false,
                          metric: {
                              namespace: m.namespace,
                              metricName: m.metricName,
                              dimensions: m.dimensions,
                              stat: m.statistic,
                              period: m.period,
                          },
                      })),
                  ],
              };
    return new aws.cloudwatch.MetricAlarm(
        `${name}-${def.key}`,
        {
            alarmDescription: def.description,
            ...what,
            comparisonOperator: def.comparison,
            threshold: def.threshold,
            evaluationPeriods: def.evaluationPeriods,
            datapointsToAlarm: def.datapointsToAlarm,
            treatMissingData: def.treatMissingData,
            alarmActions: [topicArn],
            okActions: [topicArn],
            tags,
        },
        opts,
    );
}
