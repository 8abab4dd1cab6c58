/**
 * AWS's length limits on the names the stacks derive, checked on a recorded run, since Pulumi's mocks run no
 * provider and so apply none of them.
 *
 * Auto-naming: the AWS provider (pulumi-terraform-bridge's `AutoName`) names a resource that is given no name
 * `<logical name>-<7 random hex digits>`, and fails when that is longer than the field allows; it never shortens
 * the logical name. Under the mocks the SDK sends no `name` input for such a resource (the provider would compute
 * it), so its physical name is taken to be the logical name plus those 8 characters. A name given explicitly is
 * checked as it is.
 */
import type { RecordedResource, StackRun } from "../../tools/recording/harness";

/** Hyphen and 7 hex digits: what auto-naming appends to the logical name. */
export const AUTO_NAME_SUFFIX_LENGTH = 8;

/** A resource type's name field and the longest name AWS accepts in it. */
export interface NameLimit {
    readonly field: string;
    readonly max: number;
    /** Where the limit is stated. */
    readonly source: string;
}

/** The limits of every named resource type the stacks register. */
export const NAME_LIMITS: Record<string, NameLimit> = {
    "aws:iam/role:Role": { field: "name", max: 64, source: "IAM CreateRole RoleName" },
    "aws:iam/policy:Policy": { field: "name", max: 128, source: "IAM CreatePolicy PolicyName" },
    "aws:iam/rolePolicy:RolePolicy": { field: "name", max: 128, source: "IAM PutRolePolicy PolicyName" },
    "aws:lambda/function:Function": { field: "name", max: 64, source: "Lambda CreateFunction FunctionName" },
    "aws:cloudwatch/eventRule:EventRule": { field: "name", max: 64, source: "EventBridge PutRule Name" },
    "aws:cloudwatch/logGroup:LogGroup": { field: "name", max: 512, source: "CloudWatch Logs logGroupName" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { field: "name", max: 255, source: "PutMetricAlarm AlarmName" },
    "aws:cloudwatch/dashboard:Dashboard": {
        field: "dashboardName",
        max: 255,
        source: "CloudWatch PutDashboard DashboardName",
    },
    "aws:sns/topic:Topic": { field: "name", max: 256, source: "SNS CreateTopic Name" },
    "aws:lb/loadBalancer:LoadBalancer": { field: "name", max: 32, source: "ELBv2 CreateLoadBalancer Name" },
    "aws:lb/targetGroup:TargetGroup": { field: "name", max: 32, source: "ELBv2 CreateTargetGroup Name" },
    "aws:kms/alias:Alias": { field: "name", max: 256, source: "KMS CreateAlias AliasName" },
    "aws:secretsmanager/secret:Secret": {
        field: "name",
        max: 512,
        source: "Secrets Manager CreateSecret Name",
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        field: "name",
        max: 255,
        source: "EC2 CreateSecurityGroup GroupName",
    },
    "aws:dynamodb/table:Table": { field: "name", max: 255, source: "DynamoDB CreateTable TableName" },
    "aws:rds/cluster:Cluster": { field: "clusterIdentifier", max: 63, source: "RDS DBClusterIdentifier" },
    "aws:rds/clusterInstance:ClusterInstance": {
        field: "identifier",
        max: 63,
        source: "RDS DBInstanceIdentifier",
    },
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": {
        field: "name",
        max: 255,
        source: "RDS DBClusterParameterGroupName",
    },
    "aws:rds/subnetGroup:SubnetGroup": { field: "name", max: 255, source: "RDS DBSubnetGroupName" },
    "aws:rds/proxy:Proxy": { field: "name", max: 63, source: "RDS CreateDBProxy DBProxyName" },
    "aws:rds/proxyEndpoint:ProxyEndpoint": {
        field: "dbProxyEndpointName",
        max: 63,
        source: "RDS CreateDBProxyEndpoint DBProxyEndpointName",
    },
};

/** The name AWS would get for a recorded resource: the explicit one, else the auto-name's length as a placeholder. */
export function physicalName(resource: RecordedResource, limit: NameLimit): string {
    const given = resource.inputs[limit.field];
    if (typeof given === "string") return given;
    return `${resource.name}-${"x".repeat(AUTO_NAME_SUFFIX_LENGTH - 1)}`;
}

/** Every recorded resource whose name exceeds its limit, described for an assertion message. */
export function nameLimitViolations(run: StackRun): string[] {
    return run.resources.flatMap((r) => {
        const limit = NAME_LIMITS[r.type];
        if (!limit || !r.custom) return [];
        const name = physicalName(r, limit);
        return name.length <= limit.max
            ? []
            : [
                  `${r.type} ${r.name}: ${limit.field} ${JSON.stringify(name)} is ${name.length} characters, ` +
                      `over the ${limit.max} of ${limit.source}`,
              ];
    });
}
