/**
 * The Availability Zones RDS Proxy does not run in, by AZ ID (AZ names differ between accounts; IDs do not).
 *
 * AWS, "Quotas and limitations for RDS Proxy"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html#rds-proxy.limitations): "US East
 * (N. Virginia) Region does not support RDS Proxy in the use1-az3 Availability Zone. US West (N. California)
 * Region does not support RDS Proxy in the usw1-az2 Availability Zone. When selecting subnets while creating your
 * proxy, make sure that you don't select subnets in the Availability Zones mentioned above."
 *
 * What AWS does otherwise (reported on re:Post, "possible bug: creation of rds proxy truncates the last value from
 * the subnet list"): with two subnets the API refuses; with three or more it drops the subnet silently. The
 * provider then sees a difference on every run, and `vpcSubnetIds` forces the proxy's replacement. So a new VPC
 * avoids these zones, and an existing VPC's subnets in them are not given to the proxy (stacks/network.ts).
 *
 * If AWS adds a zone to the list and this one lags, the first `pulumi up` still fails or drifts as above: add the
 * AZ ID here (a region's zone IDs: `aws ec2 describe-availability-zones --query
 * 'AvailabilityZones[].ZoneId'`).
 */
export const RDS_PROXY_UNSUPPORTED_AZ_IDS: readonly string[] = ["use1-az3", "usw1-az2"];

/** Why, in the words of the network's messages. */
export const RDS_PROXY_ZONES_BECAUSE = "RDS Proxy does not run there";
