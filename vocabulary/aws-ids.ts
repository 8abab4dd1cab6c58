/**
 * Patterns of AWS identifiers and names, each defined once for the config readers, the components, the
 * contract, the sync and the tools. Anchored; capture groups are documented where callers use them.
 */

/**
 * AWS region codes of every partition: commercial and China (`eu-west-1`, `cn-north-1`), GovCloud
 * (`us-gov-west-1`), ISO (`us-isob-east-1`) and the European Sovereign Cloud (`eusc-de-east-1`), as the AWS SDKs'
 * partition data (`partitions.json`, `regionRegex`) defines them.
 */
export const regionPattern = /^([a-z]{2}(-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d$/;

/** 12-digit AWS account ID, as a string (leading zeros are significant). */
export const accountIdPattern = /^\d{12}$/;

/** VPC IDs: the old 8-digit and the current 17-digit form. */
export const vpcIdPattern = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Subnet IDs: the old 8-digit and the current 17-digit form. */
export const subnetIdPattern = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Security group IDs: the old 8-digit and the current 17-digit form. */
export const securityGroupIdPattern = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** VPC endpoint IDs: the old 8-digit and the current 17-digit form. */
export const vpcEndpointIdPattern = /^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * IAM ARNs of roles, users and account roots, read strictly: a known partition, a 12-digit account, and a role
 * or user name of 1-64 characters of `[\w+=,.@-]` under an optional path of non-empty segments, the path at most
 * 512 characters (IAM User Guide, "IAM and AWS STS quotas" and "IAM identifiers"). Groups: 1 partition,
 * 2 account, 3 the resource (`root`, `role/…`, `user/…`), 4 `role` or `user`, 5 the path without its slashes at
 * the ends, 6 the name.
 */
const IAM_ARN =
    /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):(root|(role|user)\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64}))$/;

/** The partitions AWS has; an ARN in any other (`aws-evil`) is not an AWS ARN. */
export const PARTITIONS = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-eusc",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
] as const;

export type Partition = (typeof PARTITIONS)[number];

/** A parsed IAM ARN of an account root, a role or a user. */
export interface IamArn {
    readonly partition: Partition;
    readonly accountId: string;
    readonly kind: "root" | "role" | "user";
    /** The role's or user's name (empty for a root). */
    readonly name: string;
}

/** Parses an IAM ARN of an account root, a role or a user; undefined when it is not one. */
export function parseIamArn(arn: string): IamArn | undefined {
    const m = IAM_ARN.exec(arn);
    if (!m || !(PARTITIONS as readonly string[]).includes(m[1])) return undefined;
    const path = `/${m[5] ?? ""}`;
    if (path.length > 512) return undefined;
    return {
        partition: m[1] as Partition,
        accountId: m[2],
        kind: m[3] === "root" ? "root" : (m[4] as "role" | "user"),
        name: m[6] ?? "",
    };
}

/** True for an IAM role ARN. */
export function isRoleArn(arn: string): boolean {
    return parseIamArn(arn)?.kind === "role";
}

/**
 * Secrets Manager secret ARN. Groups: 1 partition, 2 region, 3 account. (The name ends in the 6-character suffix
 * Secrets Manager adds, which the pattern does not require: a partial ARN is still an ARN of the service.)
 */
export const secretArnPattern =
    /^arn:(aws(?:-[a-z]+)*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@!-]+$/;

/** KMS key ARN (a key, never an alias). Groups: 1 partition, 2 region, 3 account. */
export const kmsKeyArnPattern = /^arn:(aws(?:-[a-z]+)*):kms:([a-z0-9-]+):(\d{12}):key\/[0-9a-f-]{36}$/;

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

/**
 * VPC Lattice resource configuration ARNs, `arn:<partition>:vpc-lattice:<region>:<account>:resourceconfiguration/
 * rcfg-<17 characters>` (the pattern of `ResourceConfigurationArn` in the Amazon EventBridge API Reference,
 * "ConnectivityResourceConfigurationArn").
 */
export const resourceConfigurationArnPattern =
    /^arn:(aws(?:-[a-z]+)*):vpc-lattice:([a-z0-9-]+):(\d{12}):resourceconfiguration\/rcfg-[0-9a-z]{17}$/;

/**
 * AWS RAM resource share ARNs, `arn:<partition>:ram:<region>:<account>:resource-share/<UUID>` (AWS RAM User Guide,
 * "ARN format"; the share's ID is a UUID).
 */
export const resourceShareArnPattern =
    /^arn:(aws(?:-[a-z]+)*):ram:([a-z0-9-]+):(\d{12}):resource-share\/[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/;

/** AZ IDs such as `euw1-az1`, and Local Zone IDs such as `usw2-lax1-az1`. */
export const azIdPattern = /^[a-z]+\d+(-[a-z0-9]+)*-az\d+$/;

/** A parsed RDS Proxy hostname. */
export interface ProxyHost {
    /** The first label: the proxy's name (default endpoint) or the endpoint's name. */
    readonly name: string;
    /** True for `<name>.endpoint.proxy-<id>…`, the form RDS gives additional proxy endpoints. */
    readonly endpoint: boolean;
    /** The `<id>` of `proxy-<id>`, shared by every endpoint of one proxy. */
    readonly proxyId: string;
    readonly region: string;
    /** The partition's DNS suffix, such as `amazonaws.com`. */
    readonly dnsSuffix: string;
}

/**
 * RDS Proxy hostnames: `<proxy>.proxy-<id>.<region>.rds.<suffix>` for the default endpoint and
 * `<endpoint>.endpoint.proxy-<id>.<region>.rds.<suffix>` for additional ones, the suffix being a partition's
 * DNS suffix. Names are RDS identifiers (a letter, then letters, digits and single hyphens, at most 63, no
 * trailing hyphen), so every label is a valid DNS label. Anything broader (such as `rds.amazonaws.com`) would,
 * as a private hosted zone, shadow other databases.
 */
const PROXY_HOST =
    /^([a-z](?:-?[a-z0-9]){0,62})\.(endpoint\.)?proxy-([a-z0-9]{1,63})\.([a-z0-9-]+)\.rds\.(amazonaws\.com(?:\.cn)?|amazonaws\.eu|c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;

/** Parses an RDS Proxy hostname; undefined when it is not one (or longer than DNS allows). */
export function parseProxyHost(host: string): ProxyHost | undefined {
    const m = PROXY_HOST.exec(host);
    // DNS labels are at most 63 characters (RFC 1035 §2.3.4); the pattern alone would let a hyphenated name or a
    // long proxy ID through, which the consumer's hosted-zone check would then refuse halfway through a deploy.
    const labelsFit = host.split(".").every((label) => label.length <= 63);
    if (!m || host.length > 253 || !labelsFit || !regionPattern.test(m[4])) return undefined;
    return { name: m[1], endpoint: m[2] !== undefined, proxyId: m[3], region: m[4], dnsSuffix: m[5] };
}

/** Pulumi organization, project and stack names: letters, digits, `-`, `_` and `.`. */
const stackNamePart = "[A-Za-z0-9][A-Za-z0-9_.-]*";

/** A fully qualified stack name, `<organization>/<project>/<stack>`. */
export const qualifiedStackNamePattern = new RegExp(`^${stackNamePart}/${stackNamePart}/${stackNamePart}$`);

/** The AWS partition of a region, for building and checking ARNs (the SDKs' `partitions.json`). */
export function partitionOf(region: string): Partition {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("eusc-")) return "aws-eusc";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    if (/^[a-z]{2}-isob-/.test(region)) return "aws-iso-b";
    if (/^[a-z]{2}-isoe-/.test(region)) return "aws-iso-e";
    if (/^[a-z]{2}-isof-/.test(region)) return "aws-iso-f";
    if (/^[a-z]{2}-iso-/.test(region)) return "aws-iso";
    return "aws";
}

/** The DNS suffix of AWS service endpoints in a partition (the SDKs' `partitions.json`, `dnsSuffix`). */
export function dnsSuffixOf(partition: Partition): string {
    switch (partition) {
        case "aws-cn":
            return "amazonaws.com.cn";
        case "aws-eusc":
            return "amazonaws.eu";
        case "aws-iso":
            return "c2s.ic.gov";
        case "aws-iso-b":
            return "sc2s.sgov.gov";
        case "aws-iso-e":
            return "cloud.adc-e.uk";
        case "aws-iso-f":
            return "csp.hci.ic.gov";
        default:
            return "amazonaws.com";
    }
}

/**
 * The `kms:ViaService` value of Secrets Manager in a region: the service's regional endpoint name (AWS KMS
 * Developer Guide, "kms:ViaService": `<service>.<region>.amazonaws.com` in the examples). Outside the commercial
 * partition the suffix is the partition's endpoint suffix; that spelling is not confirmed by an AWS example, and a
 * wrong value only denies the decryption (the condition never matches), it never widens it.
 */
export function secretsManagerViaService(region: string): string {
    return `secretsmanager.${region}.${dnsSuffixOf(partitionOf(region))}`;
}
