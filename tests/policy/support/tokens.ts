/**
 * The AWS provider's type tokens the policy tests build resources of, written out here (not taken from the
 * pack), so that a token the pack misspells fails the tests.
 */
export const ALB = "aws:alb/loadBalancer:LoadBalancer";
export const ALB_LISTENER = "aws:alb/listener:Listener";
export const CLUSTER = "aws:rds/cluster:Cluster";
export const CLUSTER_PG = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
export const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
export const EC2_INSTANCE = "aws:ec2/instance:Instance";
export const ECS_TASK = "aws:ecs/taskDefinition:TaskDefinition";
export const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
export const INSTANCE = "aws:rds/instance:Instance";
export const INSTANCE_PG = "aws:rds/parameterGroup:ParameterGroup";
export const LAMBDA = "aws:lambda/function:Function";
export const LB = "aws:lb/loadBalancer:LoadBalancer";
export const LISTENER = "aws:lb/listener:Listener";
export const PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList";
export const PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry";
export const PROXY = "aws:rds/proxy:Proxy";
export const RECORD = "aws:route53/record:Record";
export const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
export const SG = "aws:ec2/securityGroup:SecurityGroup";
export const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const SSM = "aws:ssm/parameter:Parameter";
export const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
export const VPC_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const VPC_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const ZONE = "aws:route53/zone:Zone";
export const LATTICE_POLICY = "aws:vpclattice/resourcePolicy:ResourcePolicy";
export const RAM_EXCLUSIVE = "aws:ram/resourceShareAssociationsExclusive:ResourceShareAssociationsExclusive";
export const RAM_PRINCIPAL = "aws:ram/principalAssociation:PrincipalAssociation";
export const RESOURCE_CONFIGURATION = "aws:vpclattice/resourceConfiguration:ResourceConfiguration";
export const RESOURCE_GATEWAY = "aws:vpclattice/resourceGateway:ResourceGateway";
