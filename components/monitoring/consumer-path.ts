/**
 * ConsumerPathAlarms: the app-account side's alarms and a dashboard of its part of the path. Its own alarm is the
 * interface endpoint's dropped packets; checks of the whole path from this account (the canary) create their own
 * alarms and bring them as `extraAlarms`, with the definitions they were made from, to be graphed and listed on the
 * same dashboard.
 */
import * as pulumi from "@pulumi/pulumi";
import { createDashboard, dashboardBody, type DashboardSection } from "./dashboard";
import { createAlarm, describe, type AlarmDefinition } from "./definitions";

/** An alarm created elsewhere that the dashboard shows: the definition it was made from, and its ARN. */
export interface ShownAlarm {
    readonly definition: AlarmDefinition;
    readonly arn: pulumi.Input<string>;
}

/** Arguments of {@link ConsumerPathAlarms}. */
export interface ConsumerPathAlarmsArgs {
    /** SNS topic every alarm notifies, on ALARM and on OK. */
    readonly topicArn: pulumi.Input<string>;
    /** Region of the stack: the dashboard's graphs read it. */
    readonly region: string;
    /** Name of the dashboard (its characters outside letters, digits, `-` and `_` become `-`). */
    readonly dashboardName: string;
    /** ID of the interface endpoint, `vpce-…`. */
    readonly endpointId: pulumi.Input<string>;
    /** Name of the producer's endpoint service, `com.amazonaws.vpce.<region>.vpce-svc-…`. */
    readonly serviceName: pulumi.Input<string>;
    /** VPC of the interface endpoint. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Alarms on the whole path as this account sees it that another component created (the canary's, which exist
     * whether or not this component does), with their section of the dashboard: graphed from their definitions and
     * listed among the alarms by ARN, never created again here. @default none
     */
    readonly extraAlarms?: {
        readonly section: string;
        readonly about: string;
        readonly alarms: readonly ShownAlarm[];
    };
    /** Tags for every alarm. @default none */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The interface endpoint's dropped packets: AWS's recommended PrivateLinkEndpoints alarm. */
export function packetsDroppedAlarm(
    endpointId: pulumi.Input<string>,
    serviceName: pulumi.Input<string>,
    vpcId: pulumi.Input<string>,
): AlarmDefinition {
    return {
        key: "endpoint-packets-dropped",
        title: "Interface endpoint: dropped packets",
        description: describe(
            "The interface endpoint to the database's endpoint service has dropped packets for 5 minutes.",
            "Endpoint dropped packets",
        ),
        // AWS/PrivateLinkEndpoints PacketsDropped, with the per-endpoint dimension set "Endpoint Type, Service Name,
        // VPC Endpoint Id, VPC Id" (names with spaces; AWS PrivateLink Guide, "CloudWatch metrics for AWS
        // PrivateLink", https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html).
        // AWS's recommended alarm (CloudWatch User Guide, "Recommended alarms", PrivateLinkEndpoints): Sum, one-minute
        // period, 5 of 5, above a threshold set low when unhealthy targets cannot be tolerated: above 0. Published
        // only when "The endpoint received traffic during the one-minute period": no data is no drop.
        watched: {
            kind: "metric",
            metric: {
                namespace: "AWS/PrivateLinkEndpoints",
                metricName: "PacketsDropped",
                dimensions: {
                    "Endpoint Type": "Interface",
                    "Service Name": serviceName,
                    "VPC Endpoint Id": endpointId,
                    "VPC Id": vpcId,
                },
                statistic: "Sum",
                period: 60,
            },
        },
        comparison: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: "notBreaching",
    };
}

/** The app-account side's alarms and dashboard. */
export class ConsumerPathAlarms extends pulumi.ComponentResource {
    /** Names of every alarm, by key. */
    public readonly alarmNames: pulumi.Output<Record<string, string>>;
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: ConsumerPathAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:monitoring:ConsumerPathAlarms", name, {}, opts);
        const extra = args.extraAlarms;
        const own: DashboardSection = {
            title: "Interface endpoint",
            about: "this account's way into the database's endpoint service",
            alarms: [packetsDroppedAlarm(args.endpointId, args.serviceName, args.vpcId)],
        };
        const alarms = own.alarms.map((def) => ({
            def,
            alarm: createAlarm(name, def, args.topicArn, args.tags, { parent: this }),
        }));
        // The whole path's checks first: when they fail, the sections below say where.
        const sections: DashboardSection[] = [
            ...(extra
                ? [
                      {
                          title: extra.section,
                          about: extra.about,
                          alarms: extra.alarms.map((a) => a.definition),
                      },
                  ]
                : []),
            own,
        ];
        const dashboard = createDashboard(
            `${name}-dashboard`,
            args.dashboardName,
            dashboardBody(args.region, `Database path from this account: ${args.dashboardName}`, sections, [
                ...(extra?.alarms.map((a) => a.arn) ?? []),
                ...alarms.map((a) => a.alarm.arn),
            ]),
            { parent: this },
        );
        this.alarmNames = pulumi.all(
            Object.fromEntries(alarms.map(({ def, alarm }) => [def.key, alarm.name])),
        );
        this.dashboardName = dashboard.dashboardName;
        this.registerOutputs({ alarmNames: this.alarmNames, dashboardName: this.dashboardName });
    }
}
