/**
 * Patterns of AWS identifiers and names, each defined once for the config readers, the components, the
 * contract, the sync and the tools. Anchored; capture groups are documented where callers use them.
 */

/** AWS region codes, including GovCloud (`us-gov-west-1`), China (`cn-north-1`) and ISO partitions. */
export const regionPattern = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** 12-digit AWS account ID, as a string (leading zeros are significant). */
export const accountIdPattern = /^\d{12}$/;

/** VPC IDs: the old 8-digit and the current 17-digit form. */
export const vpcIdPattern = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Subnet IDs: the old 8-digit and the current 17-digit form. */
export const subnetIdPattern = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Security group IDs: the old 8-digit and the current 17-digit form. */
export const securityGroupIdPattern = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** IAM role ARN; group 2 is the account ID. */
export const roleArnPattern = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** IAM principal ARN an endpoint service can allow: account root, role or user; group 2 is the account ID. */
export const iamPrincipalPattern = /^arn:aws(-[a-z]+)*:iam::(\d{12}):(root|(role|user)\/[\w+=,.@/-]{1,512})$/;

/** ELBv2 target group ARN. */
export const targetGroupArnPattern =
    /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]+\/[0-9a-f]+$/;

/** RDS Proxy name: 1-63 letters, digits and single hyphens, starting with a letter, no trailing hyphen. */
export const proxyNamePattern = /^(?=.{1,63}$)[A-Za-z](?:[A-Za-z0-9]|-(?!-))*(?<!-)$/;

/** DynamoDB table name. */
export const dynamoDbTableNamePattern = /^[A-Za-z0-9_.-]{3,255}$/;

/** A DNS hostname of at least two labels, each 1-63 characters, at most 253 in all (a final dot allowed). */
export const hostnamePattern =
    /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$/;

/** A hostname as a Route 53 zone name here: lower case, no final dot. */
export const zoneNamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** VPC endpoint service names, `com.amazonaws.vpce.<region>.vpce-svc-…`. */
export const endpointServiceNamePattern = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}$/;

/** AZ IDs such as `euw1-az1`, and Local Zone IDs such as `usw2-lax1-az1`. */
export const azIdPattern = /^[a-z]+\d+(-[a-z0-9]+)*-az\d+$/;

/**
 * RDS Proxy hostnames: `<proxy>.proxy-<id>.<region>.rds.amazonaws.com` for the default endpoint and
 * `<endpoint>.endpoint.proxy-<id>.<region>.rds.amazonaws.com` for additional ones (`.com.cn` in China); group 2
 * is the region. Anything broader (such as `rds.amazonaws.com`) would, as a private hosted zone, shadow other
 * databases.
 */
export const proxyHostPattern =
    /^[a-z][a-z0-9-]*\.(endpoint\.)?proxy-[a-z0-9]+\.([a-z0-9-]+)\.rds\.amazonaws\.com(\.cn)?$/;

/** Pulumi organization, project and stack names: letters, digits, `-`, `_` and `.`. */
const stackNamePart = "[A-Za-z0-9][A-Za-z0-9_.-]*";

/** A fully qualified stack name, `<organization>/<project>/<stack>`. */
export const qualifiedStackNamePattern = new RegExp(`^${stackNamePart}/${stackNamePart}/${stackNamePart}$`);

/** The AWS partition of a region, for building ARNs. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}
