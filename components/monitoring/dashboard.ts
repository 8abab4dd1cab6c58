/**
 * A CloudWatch dashboard built from the alarms' own definitions: the path's sections in the order a connection takes
 * them, each alarm's metric graphed with its threshold, and the state of every alarm on top.
 *
 * Body structure: CloudWatch API Reference, "Dashboard Body Structure and Syntax"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
 * widgets on a 24-column grid (`x`, `y`, `width`, `height`); a metric widget's `metrics` rows are
 * `[Namespace, MetricName, DimensionName, DimensionValue, …, {rendering properties}]` and an expression row is
 * `[{ "expression": …, "id": … }]`; an alarm widget lists alarm ARNs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmDefinition, MetricRef } from "./definitions";

/** One section of the path, with the alarms that watch it. */
export interface DashboardSection {
    readonly title: string;
    /** One line on what this part of the path is. */
    readonly about: string;
    readonly alarms: readonly AlarmDefinition[];
}

const WIDTH = 8;
const HEIGHT = 6;
const PER_ROW = 24 / WIDTH;

/** A metric row: namespace, name, then each dimension's name and value, then how it is drawn. */
function metricRow(m: MetricRef, rendering: Record<string, unknown>): pulumi.Input<unknown>[] {
    return [
        m.namespace,
        m.metricName,
        ...Object.entries(m.dimensions).flatMap(([k, v]) => [k, v]),
        { stat: m.statistic, period: m.period, ...rendering },
    ];
}

/** The rows of a graph of what `def` watches (a math alarm: its result, and its inputs hidden). */
function rowsOf(def: AlarmDefinition): pulumi.Input<unknown>[] {
    const w = def.watched;
    if (w.kind === "metric") return [metricRow(w.metric, { label: w.metric.metricName })];
    return [
        [{ expression: w.expression, label: w.label, id: "e1" }],
        ...Object.entries(w.metrics).map(([id, m]) => metricRow(m, { id, visible: false })),
    ];
}

/** The dashboard's body, as JSON: alarm states, then each section's header and graphs. */
export function dashboardBody(
    region: string,
    title: string,
    sections: readonly DashboardSection[],
    alarmArns: pulumi.Input<string>[],
): pulumi.Output<string> {
    const widgets: Record<string, unknown>[] = [
        {
            type: "text",
            x: 0,
            y: 0,
            width: 24,
            height: 2,
            properties: {
                markdown: `# ${title}\nEach graph is one alarm's metric with its threshold; what each alarm means and what to do first is in docs/alarms.md.`,
            },
        },
        {
            type: "alarm",
            x: 0,
            y: 2,
            width: 24,
            height: 3,
            properties: { title: "Alarms", alarms: alarmArns },
        },
    ];
    let y = 5;
    sections.forEach((section, s) => {
        widgets.push({
            type: "text",
            x: 0,
            y,
            width: 24,
            height: 1,
            properties: { markdown: `## ${s + 1}. ${section.title}: ${section.about}` },
        });
        y += 1;
        section.alarms.forEach((def, i) => {
            widgets.push({
                type: "metric",
                x: (i % PER_ROW) * WIDTH,
                y: y + Math.floor(i / PER_ROW) * HEIGHT,
                width: WIDTH,
                height: HEIGHT,
                properties: {
                    title: def.title,
                    region,
                    view: "timeSeries",
                    stacked: false,
                    metrics: rowsOf(def),
                    annotations: { horizontal: [{ label: "alarm threshold", value: def.threshold }] },
                },
            });
        });
        y += Math.ceil(section.alarms.length / PER_ROW) * HEIGHT;
    });
    return pulumi.jsonStringify({ widgets });
}

/**
 * The dashboard. "All dashboards in your account are global, not region-specific", and a name's "maximum length is
 * 255, and valid characters are A-Z, a-z, 0-9, "-", and "_"" (CloudWatch API Reference, PutDashboard): the stacks
 * name theirs after the project and the Pulumi stack, so two stacks in one account, in any regions, never share one;
 * other characters become `-`.
 */
export function createDashboard(
    name: string,
    dashboardName: string,
    body: pulumi.Output<string>,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.Dashboard {
    return new aws.cloudwatch.Dashboard(
        name,
        { dashboardName: dashboardName.replace(/[^A-Za-z0-9_-]/g, "-"), dashboardBody: body },
        opts,
    );
}
