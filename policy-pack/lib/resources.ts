import type { PolicyResource } from "@pulumi/policy";
import { DEFAULT_DATABASE_PORTS, isPort } from "./ports";
import { isUnknownValueError } from "./unknowns";

/** Pulumi type tokens the rules look at. */
export const TYPES = {
    rdsInstance: "aws:rds/instance:Instance",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsProxy: "aws:rds/proxy:Proxy",
    rdsClusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ssmParameter: "aws:ssm/parameter:Parameter",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    lambdaFunction: "aws:lambda/function:Function",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    managedPrefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
    managedPrefixListEntry: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
    ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    route53Zone: "aws:route53/zone:Zone",
    route53Record: "aws:route53/record:Record",
    vpcEndpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
    vpcEndpointServiceAllowedPrinciple:
        "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
    ramPrincipalAssociation: "aws:ram/principalAssociation:PrincipalAssociation",
    ramAssociationsExclusive: "aws:ram/resourceShareAssociationsExclusive:ResourceShareAssociationsExclusive",
    latticeResourcePolicy: "aws:vpclattice/resourcePolicy:ResourcePolicy",
    latticeResourceConfiguration: "aws:vpclattice/resourceConfiguration:ResourceConfiguration",
    latticeResourceGateway: "aws:vpclattice/resourceGateway:ResourceGateway",
} as const;

/**
 * Database resources of the AWS provider with a `publiclyAccessible` input (pulumi-aws 7), and the fix each
 * message names. `aws:rds/cluster:Cluster` is a Multi-AZ DB cluster's: the provider's schema has no such input, but
 * a program that sets it anyway is refused rather than trusted.
 */
export const PUBLIC_CAPABLE_DATABASES: Readonly<Record<string, string>> = {
    "aws:rds/instance:Instance": "RDS Proxy and PrivateLink",
    "aws:rds/clusterInstance:ClusterInstance": "RDS Proxy and PrivateLink",
    "aws:rds/cluster:Cluster": "RDS Proxy and PrivateLink",
    "aws:rds/shardGroup:ShardGroup": "RDS Proxy and PrivateLink",
    "aws:redshift/cluster:Cluster": "the VPC or PrivateLink",
    "aws:redshiftserverless/workgroup:Workgroup": "the VPC or PrivateLink",
    "aws:docdb/clusterInstance:ClusterInstance": "the VPC or PrivateLink",
    "aws:neptune/clusterInstance:ClusterInstance": "the VPC or PrivateLink",
    "aws:lightsail/database:Database": "Lightsail resources in the same region",
};

/** Load balancer type tokens (the `alb` module is an alias of `lb` in the AWS provider). */
export const LOAD_BALANCER_TYPES: readonly string[] = [
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
];
/** Load balancer listener type tokens. */
export const LISTENER_TYPES: readonly string[] = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
/** Listener protocols of network load balancers; HTTP, HTTPS and GENEVE listeners are not database listeners. */
export const NLB_LISTENER_PROTOCOLS: readonly string[] = ["TCP", "TLS", "UDP", "TCP_UDP"];

/** How messages name a resource: its type token and logical name. */
export function subject(type: string, name: string): string {
    return `${type} "${name}"`;
}

/** A list property as an indexable list; a missing or non-list value is an empty list. */
export function listOf(value: unknown): ArrayLike<unknown> {
    return Array.isArray(value) ? value : [];
}

/** An object property as a record; anything else is undefined. */
export function recordOf(value: unknown): Record<string, unknown> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** True when the engine recorded that `resource`'s `property` was computed from `target`. */
export function dependsThrough(resource: PolicyResource, property: string, target: PolicyResource): boolean {
    const deps = resource.propertyDependencies[property];
    return deps !== undefined && deps.includes(target);
}

/** True when the engine sent dependency information for `resource`'s `property`. */
export function hasDependencyInfo(resource: PolicyResource, property: string): boolean {
    const deps = resource.propertyDependencies[property];
    return deps !== undefined && deps.length > 0;
}

/** JSON schema of a port-list knob. */
export const PORT_LIST_SCHEMA = {
    type: "array",
    items: { type: "integer", minimum: 1, maximum: 65535 },
    default: [],
} as const;

/**
 * Reads a port-list knob from policy config, validating it (the CLI validates against the schema too, but a
 * pack can be configured by other means). Throws with the key, the value received and what is allowed.
 */
export function readPortList(config: Record<string, unknown>, key: string, policyName: string): number[] {
    const value = config[key];
    if (value === undefined || value === null) {
        return [];
    }
    if (!Array.isArray(value) || !value.every(isPort)) {
        throw new Error(
            `Policy config ${policyName}.${key} must be a list of integer ports from 1 to 65535; received ${JSON.stringify(value)}.`,
        );
    }
    return value as number[];
}

/** The database ports a rule checks: the built-in list plus the configured extra ports. */
export function databasePorts(extraPorts: readonly number[]): number[] {
    return [...new Set([...DEFAULT_DATABASE_PORTS, ...extraPorts])].sort((a, b) => a - b);
}

/** Reads a list-of-strings knob from policy config, validating it. */
export function readStringList(config: Record<string, unknown>, key: string, policyName: string): string[] {
    const value = config[key];
    if (value === undefined || value === null) {
        return [];
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== "")) {
        throw new Error(
            `Policy config ${policyName}.${key} must be a list of non-empty strings; received ${JSON.stringify(value)}.`,
        );
    }
    return value as string[];
}

// How the AWS provider reads a boolean given as a string or number. go-cty converts only "true"/"1" and
// "false"/"0" (zclconf/go-cty cty/convert/conversion_primitive.go; "True" is an error there), while the Terraform
// plugin SDK's field reader uses Go's `strconv.ParseBool` (hashicorp/terraform-plugin-sdk helper/schema/field_reader.go
// `stringToPrimitive`), which also reads "t", "T", "TRUE", "True" and their false counterparts; the bridge falls back
// to the unconverted value when the conversion fails (pulumi-terraform-bridge pkg/tfshim/sdk-v2,
// `makeResourceRawConfigClassic`). No reading makes a value false that another makes true, so one table serves.
const TRUE_TEXT: readonly string[] = ["1", "t", "T", "TRUE", "true", "True"];
const FALSE_TEXT: readonly string[] = ["0", "f", "F", "FALSE", "false", "False"];

/**
 * A boolean property as the provider reads it: `true`/`false`, the strings Go's `strconv.ParseBool` accepts, and the
 * numbers 1 and 0 (which older bridges pass on as "1"/"0"). Undefined for anything else, which the provider rejects.
 */
export function providerBoolean(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (typeof value === "string") {
        return TRUE_TEXT.includes(value) ? true : FALSE_TEXT.includes(value) ? false : undefined;
    }
    if (typeof value === "number") {
        return value === 1 ? true : value === 0 ? false : undefined;
    }
    return undefined;
}

/** A property's value, or `unknown: true` when the engine does not know it yet (preview), without throwing. */
export function knownProp(
    resource: PolicyResource,
    property: string,
): { readonly unknown: false; readonly value: unknown } | { readonly unknown: true } {
    try {
        return { unknown: false, value: resource.props[property] };
    } catch (error) {
        if (isUnknownValueError(error)) {
            return { unknown: true };
        }
        throw error;
    }
}
