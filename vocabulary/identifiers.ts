/** Rules for AWS identifiers, shared by the config readers, the components, the sync and its CLI. */
import {
    accountIdPattern,
    hostnamePattern,
    isRoleArn,
    kmsKeyArnPattern,
    parseIamArn,
    proxyNamePattern,
    regionPattern,
    secretArnPattern,
    subnetIdPattern,
    targetGroupArnPattern,
    vpcEndpointIdPattern,
    vpcIdPattern,
} from "./aws-ids";
import { matching, rule, satisfying } from "./rules";

export const regionRule = rule(matching(regionPattern), "an AWS region code", '"eu-west-1"');
export const accountIdRule = rule(matching(accountIdPattern), "a 12-digit AWS account ID", '"111111111111"');
export const vpcIdRule = rule(matching(vpcIdPattern), "a VPC ID", '"vpc-0123456789abcdef0"');
export const subnetIdRule = rule(matching(subnetIdPattern), "a subnet ID", '"subnet-0123456789abcdef0"');
export const vpcEndpointIdRule = rule(
    matching(vpcEndpointIdPattern),
    "a VPC endpoint ID",
    '"vpce-0123456789abcdef0"',
);
export const roleArnRule = rule(
    satisfying<string>((v) => typeof v === "string" && isRoleArn(v)),
    "an IAM role ARN (a known partition, a 12-digit account, a role name of 1-64 characters)",
    '"arn:aws:iam::111111111111:role/rds-cross-account-deployer"',
);
export const principalRule = rule(
    satisfying<string>((v) => typeof v === "string" && parseIamArn(v) !== undefined),
    'an IAM ARN of an account root, role or user (a known partition; names of 1-64 characters; never "*")',
    '"arn:aws:iam::222222222222:role/app"',
);
export const targetGroupArnRule = rule(
    matching(targetGroupArnPattern),
    "an ELBv2 target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)",
    '"arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/db-rw/0123456789abcdef"',
);
export const proxyNameRule = rule(
    matching(proxyNamePattern),
    "an RDS Proxy name (1-63 letters, digits and single hyphens, starting with a letter)",
    '"db-account-proxy"',
);
export const hostnameRule = rule(
    matching(hostnamePattern),
    "a DNS hostname",
    '"db.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
);
export const secretArnRule = rule(
    matching(secretArnPattern),
    "a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)",
    '"arn:aws:secretsmanager:eu-west-1:111111111111:secret:app-AbCdEf"',
);
export const kmsKeyArnRule = rule(
    matching(kmsKeyArnPattern),
    "a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>)",
    '"arn:aws:kms:eu-west-1:111111111111:key/0123abcd-0123-abcd-0123-0123456789ab"',
);
