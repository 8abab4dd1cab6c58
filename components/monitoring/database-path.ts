/**
 * DatabasePathAlarms: the db-account side's alarms (./database-alarms.ts), from the endpoint service through the load
 * balancer's targets and RDS Proxy to the proxy IP sync, and a dashboard of the path in that order. On the VPC
 * Lattice path there is no endpoint service, load balancer or sync: the proxy's alarms are the path's.
 */
import * as pulumi from "@pulumi/pulumi";
import { createDashboard, dashboardBody, type DashboardSection } from "./dashboard";
import {
    proxyAlarms,
    resetAlarm,
    syncAlarms,
    targetGroupAlarms,
    type MonitoredSync,
    type MonitoredTargetGroup,
} from "./database-alarms";
import { createAlarm } from "./definitions";

/** Arguments of {@link DatabasePathAlarms}. */
export interface DatabasePathAlarmsArgs {
    /** SNS topic every alarm notifies, on ALARM and on OK. */
    readonly topicArn: pulumi.Input<string>;
    /** Region of the stack: the dashboard's graphs read it. */
    readonly region: string;
    /** Name of the dashboard (its characters outside letters, digits, `-` and `_` become `-`). */
    readonly dashboardName: string;
    /** Name of the RDS Proxy. */
    readonly proxyName: pulumi.Input<string>;
    /** Whether the proxy has a read-only endpoint (Aurora readers): its READ_ONLY role is watched too. */
    readonly readOnly: boolean;
    /** What the PrivateLink path adds in front of the proxy. @default none: the VPC Lattice path, proxy alarms only */
    readonly privateLink?: PrivateLinkMetrics;
    /** Tags for every alarm. @default none */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The PrivateLink path's parts in front of the proxy, each watched. */
export interface PrivateLinkMetrics {
    /** The load balancer's ARN (the PrivateLink metrics name it whole) and its suffix `net/<name>/<id>`. */
    readonly loadBalancer: { readonly arn: pulumi.Input<string>; readonly arnSuffix: pulumi.Input<string> };
    /** Every target group of the load balancer. */
    readonly targetGroups: readonly MonitoredTargetGroup[];
    /** ID of the endpoint service, `vpce-svc-…`. */
    readonly endpointServiceId: pulumi.Input<string>;
    /** The load balancer's AZs: `id` keys the alarm's name, `name` is the metric's dimension value. */
    readonly availabilityZones: readonly { readonly id: string; readonly name: pulumi.Input<string> }[];
    /** The proxy IP syncs, one per target group. */
    readonly syncs: readonly MonitoredSync[];
}

/** The db-account side's alarms and dashboard. */
export class DatabasePathAlarms extends pulumi.ComponentResource {
    /** Names of every alarm, by key. */
    public readonly alarmNames: pulumi.Output<Record<string, string>>;
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: DatabasePathAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:monitoring:DatabasePathAlarms", name, {}, opts);
        const link = args.privateLink;
        const proxy: DashboardSection = {
            title: "RDS Proxy",
            about: "authenticates clients and pools connections to the database",
            alarms: proxyAlarms(args.proxyName, args.readOnly),
        };
        const sections: DashboardSection[] = link
            ? [
                  {
                      title: "Endpoint service",
                      about: "consumers' endpoints reach the load balancer over PrivateLink",
                      alarms: link.availabilityZones.map((az) =>
                          resetAlarm(link.endpointServiceId, link.loadBalancer.arn, az),
                      ),
                  },
                  {
                      title: "Load balancer targets",
                      about: "the proxy's addresses, registered by the sync",
                      alarms: link.targetGroups.flatMap((tg) =>
                          targetGroupAlarms(link.loadBalancer.arnSuffix, tg),
                      ),
                  },
                  proxy,
                  {
                      title: "Proxy IP sync",
                      about: "keeps the target groups filled with the proxy's addresses",
                      alarms: link.syncs.flatMap(syncAlarms),
                  },
              ]
            : [proxy];
        const alarms = sections.flatMap((s) =>
            s.alarms.map((def) => ({
                def,
                alarm: createAlarm(name, def, args.topicArn, args.tags, { parent: this }),
            })),
        );
        const dashboard = createDashboard(
            `${name}-dashboard`,
            args.dashboardName,
            dashboardBody(
                args.region,
                `Database path: ${args.dashboardName}`,
                sections,
                alarms.map((a) => a.alarm.arn),
            ),
            { parent: this },
        );

        this.alarmNames = pulumi.all(
            Object.fromEntries(alarms.map(({ def, alarm }) => [def.key, alarm.name])),
        );
        this.dashboardName = dashboard.dashboardName;
        this.registerOutputs({ alarmNames: this.alarmNames, dashboardName: this.dashboardName });
    }
}
