/** Network pieces of an isolated VPC: private access to the AWS APIs the in-VPC sync calls. */
export { AwsApiEndpoints, type AwsApiEndpointsArgs } from "./aws-api-endpoints";
