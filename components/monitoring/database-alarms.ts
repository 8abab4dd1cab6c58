/**
 * The db-account side's alarm definitions: the load balancer's targets, the endpoint service, RDS Proxy and the proxy
 * IP sync. Every threshold, period and count is stated with its reason; the metrics' names, dimensions and
 * statistics are cited from AWS's pages.
 */
import type * as pulumi from "@pulumi/pulumi";
import { describe, type AlarmDefinition, type MetricRef } from "./definitions";
import { syncWindow } from "./sync-window";

/** One target group of the load balancer, as CloudWatch names it. */
export interface MonitoredTargetGroup {
    /** Short, stable key ("rw", "ro"), used in the alarms' names. */
    readonly key: string;
    /** `targetgroup/<name>/<id>`, the end of its ARN (`aws.lb.TargetGroup.arnSuffix`). */
    readonly arnSuffix: pulumi.Input<string>;
}

/** One proxy IP sync, as its alarms see it. */
export interface MonitoredSync {
    /** Short, stable key ("rw", "ro"), used in the alarms' names. */
    readonly key: string;
    readonly functionName: pulumi.Input<string>;
    /** Its EventBridge schedule expression: the "has not succeeded" window is derived from it. */
    readonly schedule: string;
}

/**
 * RDS Proxy's one target group. "Because each proxy is currently associated with a single target group, currently
 * this setting [IsDefault] is always true" (RDS API Reference, DBProxyTargetGroup), and its name is `default`
 * (AWS CLI example of describe-db-proxy-target-groups: "TargetGroupName": "default").
 */
export const PROXY_TARGET_GROUP = "default";

const elb = (
    metricName: string,
    statistic: MetricRef["statistic"],
    lb: pulumi.Input<string>,
    tg: pulumi.Input<string>,
): MetricRef => ({
    // AWS/NetworkELB; LoadBalancer "net/load-balancer-name/1234567890123456 (the final portion of the load balancer
    // ARN)", TargetGroup "targetgroup/target-group-name/1234567890123456" (ELB Network Load Balancers guide,
    // "CloudWatch metrics for your Network Load Balancer").
    namespace: "AWS/NetworkELB",
    metricName,
    dimensions: { LoadBalancer: lb, TargetGroup: tg },
    statistic,
    period: 60,
});

/** The alarms of one target group. */
export function targetGroupAlarms(
    lbSuffix: pulumi.Input<string>,
    tg: MonitoredTargetGroup,
): AlarmDefinition[] {
    return [
        {
            key: `${tg.key}-no-healthy-target`,
            title: `Target group ${tg.key}: healthy targets`,
            description: describe(
                `No load balancer node sees a healthy proxy address in target group ${tg.key}: every consumer of this endpoint is cut off.`,
                "No healthy target",
            ),
            // "we recommend that you monitor your Network Load Balancer using either the maximum of HealthyHostCount
            // or the minimum of UnHealthyHostCount" (same page): the maximum below 1 means no node sees one.
            // Host counts are "Reported if health checks are enabled", so a missing value is itself a failure
            // (breaching). Two minutes ride out one sync run (every minute by default) replacing addresses.
            watched: { kind: "metric", metric: elb("HealthyHostCount", "Maximum", lbSuffix, tg.arnSuffix) },
            comparison: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            treatMissingData: "breaching",
        },
        {
            key: `${tg.key}-unhealthy-targets`,
            title: `Target group ${tg.key}: unhealthy targets`,
            description: describe(
                `Target group ${tg.key} has held an unhealthy proxy address for 5 minutes: part of the path fails, and the sync has not replaced it.`,
                "Unhealthy targets",
            ),
            // The minimum of UnHealthyHostCount (AWS's advice, above) above 0 for 5 of 5 minutes: a proxy address
            // that leaves is briefly unhealthy before the sync deregisters it (after its missed lookups), so
            // shorter windows would page on the sync's normal work. No data: no unhealthy target reported.
            watched: { kind: "metric", metric: elb("UnHealthyHostCount", "Minimum", lbSuffix, tg.arnSuffix) },
            comparison: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
        },
    ];
}

/** The endpoint service's resets in one AZ: AWS's recommended PrivateLinkServices alarm. */
export function resetAlarm(
    serviceId: pulumi.Input<string>,
    lbArn: pulumi.Input<string>,
    az: { id: string; name: pulumi.Input<string> },
): AlarmDefinition {
    return {
        key: `resets-${az.id}`,
        title: `Endpoint service resets (${az.id})`,
        description: describe(
            `The endpoint service has sent reset packets to consumers' endpoints in ${az.id} for 5 minutes: its targets there refuse or drop connections.`,
            "Endpoint service resets",
        ),
        // AWS/PrivateLinkServices RstPacketsSent, Sum, one-minute period, 5 of 5, greater than a threshold set "very
        // low" when "the use case can't tolerate unhealthy targets" (CloudWatch User Guide, "Recommended alarms",
        // PrivateLinkServices). Dimensions per AZ: "Service Id", "Load Balancer Arn" (the whole ARN) and "Az" (the
        // AZ's name), with spaces; the names are corroborated by live read-backs, not quoted from AWS's page: see
        // docs/alarms.md for the one command that confirms them. Published only with traffic: no data is no reset.
        watched: {
            kind: "metric",
            metric: {
                namespace: "AWS/PrivateLinkServices",
                metricName: "RstPacketsSent",
                dimensions: { "Service Id": serviceId, "Load Balancer Arn": lbArn, Az: az.name },
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

/** RDS Proxy's alarms: availability per target role, authentication failures, and the pool near its maximum. */
export function proxyAlarms(proxyName: pulumi.Input<string>, readOnly: boolean): AlarmDefinition[] {
    // AWS/RDS, group "proxy" (RDS User Guide, "Monitoring RDS Proxy metrics with Amazon CloudWatch",
    // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.monitoring.html): dimension set 1 is
    // ProxyName; set 4 is ProxyName, TargetGroup, TargetRole.
    const roles = readOnly ? ["READ_WRITE", "READ_ONLY"] : ["READ_WRITE"];
    const proxy = (metricName: string, statistic: MetricRef["statistic"], period: number): MetricRef => ({
        namespace: "AWS/RDS",
        metricName,
        dimensions: { ProxyName: proxyName },
        statistic,
        period,
    });
    return [
        ...roles.map((role): AlarmDefinition => ({
            key: `proxy-availability-${role.toLowerCase().replace("_", "-")}`,
            title: `Proxy availability, ${role}`,
            description: describe(
                `RDS Proxy has reported its ${role} target unavailable for 3 minutes.`,
                "Proxy availability",
            ),
            // AvailabilityPercentage: "The percentage of time for which the target group was available in the
            // role indicated by the dimension. ... The most useful statistic for this metric is Average", valid
            // period 1 minute, dimension set 4 only; TargetRole is READ_WRITE or READ_ONLY (RDS API Reference,
            // DBProxyTarget, Role). Any failing proxy node lowers the average below 100; 3 minutes ride out a
            // failover. "Some of these metrics might not be visible until after the first successful
            // connection": missing data is INSUFFICIENT_DATA, not a page (the target groups' alarms cover a
            // proxy that serves nobody).
            watched: {
                kind: "metric",
                metric: {
                    ...proxy("AvailabilityPercentage", "Average", 60),
                    dimensions: { ProxyName: proxyName, TargetGroup: PROXY_TARGET_GROUP, TargetRole: role },
                },
            },
            comparison: "LessThanThreshold",
            threshold: 100,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: "missing",
        })),
        {
            key: "auth-failures",
            title: "Proxy: client authentication failures",
            description: describe(
                "Clients failed to authenticate to RDS Proxy (wrong credentials, an IAM token for the wrong name, or TLS).",
                "Authentication failures",
            ),
            // ClientConnectionsSetupFailedAuth: "The number of client connection attempts that failed due to
            // misconfigured authentication or TLS. The most useful statistic for this metric is Sum", period "1
            // minute and above", dimension sets 1 and 2; no dimension names the consumer. Above zero over 5 minutes,
            // once: a consumer that cannot log in is down, however briefly. Published only when it happens.
            watched: { kind: "metric", metric: proxy("ClientConnectionsSetupFailedAuth", "Sum", 300) },
            comparison: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
        },
        {
            key: "pool-near-max",
            title: "Proxy: database connections, % of the maximum",
            description: describe(
                "RDS Proxy has used more than 80% of the database connections it may open for 5 minutes.",
                "Connection pool near its maximum",
            ),
            // DatabaseConnections ("The current number of database connections") and MaxDatabaseConnectionsAllowed
            // ("The maximum number of database connections allowed"): for both "The most useful statistic ... is
            // Sum", reported every minute, valid period 1 minute, dimension sets 1, 3, 4. Both are summed over the
            // proxy's nodes ("RDS publishes these metrics for each underlying Amazon EC2 instance"), so a period of
            // 60 s keeps one sample per node. 80% leaves room before clients wait for a connection
            // (connectionBorrowTimeout); 5 of 5 keeps a burst from paging.
            watched: {
                kind: "math",
                expression: "100 * m1 / m2",
                label: "Database connections, % of the maximum allowed",
                metrics: {
                    m1: proxy("DatabaseConnections", "Sum", 60),
                    m2: proxy("MaxDatabaseConnectionsAllowed", "Sum", 60),
                },
                period: 60,
            },
            comparison: "GreaterThanThreshold",
            threshold: 80,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
        },
    ];
}

/** The alarms of one proxy IP sync: its errors (the alarm it always had), and runs that no longer succeed. */
export function syncAlarms(sync: MonitoredSync): AlarmDefinition[] {
    // AWS/Lambda, FunctionName; "Invocation metrics are binary indicators of the outcome of a Lambda function
    // invocation. View these metrics with the Sum statistic"; "Invocations aren't recorded if the invocation request
    // is throttled" (Lambda Developer Guide, "Types of metrics for Lambda functions",
    // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html).
    const lambda = (metricName: string, period: number): MetricRef => ({
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: sync.functionName },
        statistic: "Sum",
        period,
    });
    const window = syncWindow(sync.schedule);
    return [
        {
            key: `sync-${sync.key}-errors`,
            title: `Sync ${sync.key}: failed runs`,
            description: describe(
                `The proxy IP sync of target group ${sync.key} failed; its log says why.`,
                "Sync errors",
            ),
            // Unchanged from the sync's first alarm: any failed run in 5 minutes. Errors are published only when
            // runs fail, so no data is no error.
            watched: { kind: "metric", metric: lambda("Errors", 300) },
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
        },
        {
            key: `sync-${sync.key}-not-succeeding`,
            title: `Sync ${sync.key}: successful runs`,
            description: describe(
                `The proxy IP sync of target group ${sync.key} has not succeeded for ${(window.period * window.evaluationPeriods) / 60} minutes: it fails, is throttled, or is no longer invoked, and proxy address changes are not followed.`,
                "Sync not succeeding",
            ),
            // Successful runs = Invocations - FILL(Errors, 0), below 1 in every period of the window. No invocation
            // at all (a stopped schedule, throttling) leaves no data, which must page: breaching. The window is
            // derived from the schedule (./sync-window.ts), so no period falls between two runs.
            watched: {
                kind: "math",
                expression: "m1 - FILL(m2, 0)",
                label: "Successful runs",
                metrics: { m1: lambda("Invocations", window.period), m2: lambda("Errors", window.period) },
                period: window.period,
            },
            comparison: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: window.evaluationPeriods,
            datapointsToAlarm: window.evaluationPeriods,
            treatMissingData: "breaching",
        },
    ];
}
