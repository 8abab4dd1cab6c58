/**
 * Both stacks' monitoring, wired from their config (`alarms`, ./config/alarms.ts): the topic the alarms notify, the
 * alarms of the stack's side of the path and its dashboard. Nothing at all when `alarms.enabled` is false.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    AlarmTopic,
    ConsumerPathAlarms,
    DatabasePathAlarms,
    type ConsumerPathAlarmsArgs,
    type DatabasePathAlarmsArgs,
    type PrivateLinkMetrics,
} from "../components/monitoring";
import { partitionOf } from "../vocabulary";
import type { AlarmsConfig } from "./config/alarms";

/** Where a stack is, for its topic and dashboard. */
export interface AlarmsPlace {
    /** Prefix of the resources' names. */
    readonly name: string;
    readonly accountId: string;
    readonly region: string;
    readonly provider: aws.Provider;
}

/** The topic alarms notify: the configured one, or one the stack creates. */
function topicArnOf(
    alarms: Exclude<AlarmsConfig, { kind: "off" }>,
    place: AlarmsPlace,
): pulumi.Output<string> {
    if (alarms.kind === "existing-topic") return pulumi.output(alarms.topicArn);
    return new AlarmTopic(
        `${place.name}-alarm-topic`,
        {
            accountId: place.accountId,
            region: place.region,
            partition: partitionOf(place.region),
            emails: alarms.emails,
        },
        { provider: place.provider },
    ).arn;
}

/** The dashboard's name: the project's and the Pulumi stack's, so two stacks in one account never share one. */
function dashboardNameOf(): string {
    return `${pulumi.getProject()}-${pulumi.getStack()}`;
}

/** The outputs the monitoring adds to a stack. */
function outputs(topicArn: pulumi.Output<string>, alarms: { dashboardName: pulumi.Output<string> }) {
    return { alarmTopicArn: topicArn, dashboardName: alarms.dashboardName };
}

/** What the db-account stack's path gives its alarms (the rest comes from the place and the config). */
export type DatabasePathMetrics = Omit<
    DatabasePathAlarmsArgs,
    "topicArn" | "region" | "dashboardName" | "privateLink"
> & {
    /** The PrivateLink path's parts; absent on the VPC Lattice path. */
    readonly privateLink?: Omit<PrivateLinkMetrics, "availabilityZones"> & {
        /** AZ IDs of the load balancer's subnets; their names in this account are looked up. */
        readonly azIds: readonly string[];
    };
};

/** The db-account stack's alarms and dashboard, and their outputs (none when alarms are off). */
export function databasePathMonitoring(
    alarms: AlarmsConfig,
    place: AlarmsPlace,
    metrics: DatabasePathMetrics,
): Record<string, unknown> {
    if (alarms.kind === "off") return {};
    const topicArn = topicArnOf(alarms, place);
    const { privateLink, ...rest } = metrics;
    const component = new DatabasePathAlarms(
        `${place.name}-alarms`,
        {
            ...rest,
            topicArn,
            region: place.region,
            dashboardName: dashboardNameOf(),
            ...(privateLink ? { privateLink: withZoneNames(privateLink, place) } : {}),
        },
        { provider: place.provider },
    );
    return outputs(topicArn, component);
}

/** The PrivateLink metrics with their AZs named as this account names them. */
function withZoneNames(
    { azIds, ...rest }: NonNullable<DatabasePathMetrics["privateLink"]>,
    place: AlarmsPlace,
): PrivateLinkMetrics {
    // AZ names differ per account; the endpoint service's per-AZ metrics name the zones as this account does.
    const zones = aws.getAvailabilityZonesOutput(
        { allAvailabilityZones: true },
        { provider: place.provider },
    );
    return {
        ...rest,
        availabilityZones: azIds.map((id) => ({
            id,
            name: zones.apply((z) => z.names[z.zoneIds.indexOf(id)] ?? id),
        })),
    };
}

/**
 * The topic a stack's alarms notify (undefined when alarms are off): created on its own when alarms made elsewhere
 * (the canary's) notify it too and are then passed to the stack's monitoring; pass it to that monitoring as well.
 */
export function alarmTopicArn(alarms: AlarmsConfig, place: AlarmsPlace): pulumi.Output<string> | undefined {
    return alarms.kind === "off" ? undefined : topicArnOf(alarms, place);
}

/**
 * The app-account stack's alarms and dashboard, and their outputs (none when alarms are off). `topicArn`: the topic
 * from {@link alarmTopicArn}, when the stack created it first; else it is created here.
 */
export function consumerPathMonitoring(
    alarms: AlarmsConfig,
    place: AlarmsPlace,
    metrics: Omit<ConsumerPathAlarmsArgs, "topicArn" | "region" | "dashboardName">,
    created?: pulumi.Output<string>,
): Record<string, unknown> {
    if (alarms.kind === "off") return {};
    const topicArn = created ?? topicArnOf(alarms, place);
    const component = new ConsumerPathAlarms(
        `${place.name}-alarms`,
        { ...metrics, topicArn, region: place.region, dashboardName: dashboardNameOf() },
        { provider: place.provider },
    );
    return outputs(topicArn, component);
}
